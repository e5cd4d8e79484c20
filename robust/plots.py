"""All figures. Each ``plot_*`` takes a result and an optional Axes and returns the Axes.

matplotlib is imported lazily; nothing here calls ``show()``. Figures use English labels,
marker shapes as well as colours (readable in greyscale), and the threshold cross-hairs.
"""

from __future__ import annotations

from pathlib import Path

from .scoring import QUADRANTS

FIGURES = "figures"

QUADRANT_STYLE = {
    "assault": {"marker": "s", "color": "#1b6ca8"},
    "entrench": {"marker": "o", "color": "#7f7f7f"},
    "position": {"marker": "^", "color": "#e08214"},
    "disrupt": {"marker": "D", "color": "#b2182b"},
}
QUADRANT_HATCH = {"assault": "", "entrench": "..", "position": "//", "disrupt": "xx"}


def _axes(ax, figsize=(7.5, 6.5)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def new_figure(figsize=(7.5, 6.5), **subplots):
    """A figure outside pyplot's global state (for writing files): ``(figure, axes)``."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=figsize, layout="constrained")
    return figure, figure.subplots(**subplots)


def save_figure(figure, folder: Path, stem: str) -> list[str]:
    """Save ``figure`` as ``figures/<stem>.png`` (150 dpi) and ``.pdf`` under ``folder``.

    Metadata that changes between runs (creation dates, software version) is left out,
    so reruns write identical bytes. Returns the paths written, relative to ``folder``.
    """
    target = Path(folder) / FIGURES
    target.mkdir(exist_ok=True)
    written = []
    for suffix, metadata in ((".png", {"Software": None}),
                             (".pdf", {"CreationDate": None, "Producer": None, "Creator": None})):
        path = target / f"{stem}{suffix}"
        figure.savefig(path, dpi=150, metadata=metadata)
        written.append(f"{FIGURES}/{path.name}")
    return written


def plot_quadrant_map(result, ax=None, *, labels: bool = True):
    """Technologies at (dynamism, capability) with the thresholds, as in the paper's Figure 3.

    Parameters
    ----------
    result : ScoreResult
    ax : matplotlib Axes, optional
    labels : bool
        Write each technology's name beside its point.
    """
    ax = _axes(ax)
    model = result.model
    for quadrant in QUADRANTS:
        members = [i for i, q in enumerate(result.quadrant) if q == quadrant]
        if members:
            ax.scatter(
                result.dynamism[members], result.capability[members],
                label=quadrant, edgecolor="black", linewidth=0.6, s=45, zorder=3,
                **QUADRANT_STYLE[quadrant],
            )
    if labels:
        for name, x, y in zip(result.technologies, result.dynamism, result.capability):
            ax.annotate(name, (x, y), xytext=(4, 3), textcoords="offset points", fontsize=7)
    ax.axvline(model.dynamism_threshold, color="black", linewidth=0.8, linestyle="--")
    ax.axhline(model.capability_threshold, color="black", linewidth=0.8, linestyle="--")
    ax.set_xlabel("technological paradigm dynamism")
    ax.set_ylabel("technological capability base")
    ax.legend(title="strategy", loc="best", fontsize=8)
    return ax


def plot_quadrant_probabilities(result, *, scheme: str, ax=None, max_technologies: int = 60):
    """Stacked bars of the four quadrant probabilities per technology, sorted by retention.

    Each bar starts with the technology's base quadrant, so its first segment ends at the
    retention, where the black bar shows its interval; the other quadrants follow. Hatching
    as well as colour tells the quadrants apart, so the figure reads in greyscale. With
    more than ``max_technologies``, the least stable ones are shown.
    """
    import numpy as np
    from matplotlib.patches import Patch

    summary = result.summary(scheme)
    technologies = list(result.technologies)
    base = np.array([QUADRANTS.index(q) for q in result.base.quadrant])
    rows = np.arange(len(technologies))
    retention = summary.probabilities[rows, base]
    order = np.lexsort((rows, -retention))  # most stable first, input order among ties
    shown = order[-max_technologies:]
    ax = _axes(ax, figsize=(8.0, 1.2 + 0.28 * len(shown)))
    for position, i in enumerate(shown):
        left = 0.0
        for q in [base[i]] + [q for q in range(4) if q != base[i]]:
            width = summary.probabilities[i, q]
            if width > 0:
                quadrant = QUADRANTS[q]
                ax.barh(position, width, left=left, height=0.75, color=QUADRANT_STYLE[quadrant]["color"],
                        hatch=QUADRANT_HATCH[quadrant], edgecolor="white", linewidth=0.4)
            left += width
    low = summary.probability_low[shown, base[shown]]
    high = summary.probability_high[shown, base[shown]]
    errors = np.maximum([retention[shown] - low, high - retention[shown]], 0)  # rounding
    positions = np.arange(len(shown))
    ax.errorbar(retention[shown], positions, xerr=errors, fmt="|", color="black", markersize=9,
                capsize=3, linewidth=1.0)
    ax.set_yticks(positions, [f"{technologies[i]} ({QUADRANTS[base[i]]})" for i in shown], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("quadrant probability (base quadrant first; black: retention and interval)")
    interval = "exact, no Monte Carlo error"
    if summary.interval == "wilson":
        interval = f"Wilson {round(100 * result.spec.confidence)}% interval"
    title = f"{scheme}: {summary.replicates:,} replicates ({interval})"
    if len(shown) < len(technologies):
        title += f"; the {len(shown)} least stable of {len(technologies)}"
    ax.set_title(title, fontsize=10)
    handles = [Patch(facecolor=QUADRANT_STYLE[q]["color"], hatch=QUADRANT_HATCH[q], edgecolor="white",
                     label=q) for q in QUADRANTS]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.04), ncol=4, fontsize=8, frameon=False)
    return ax
