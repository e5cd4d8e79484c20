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
