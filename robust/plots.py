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

# --- alternative weightings (robust.compare) ---------------------------------------------

_METHOD_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h")
_FRAGILE_HATCH = "////"


def _tint(color: str, share: float = 0.45) -> tuple[float, float, float]:
    """``color`` mixed with white (share of the colour kept), for cell backgrounds."""
    from matplotlib.colors import to_rgb

    return tuple(share * c + (1 - share) for c in to_rgb(color))


def weighting_figure_size(result, stem: str) -> tuple[float, float]:
    """Figure size (inches) for ``weighting_heatmap`` or ``weighting_dots`` of a comparison."""
    m, n_methods = len(result.technologies), len(result.methods)
    label_width = 0.065 * max(len(name) for name in result.technologies)
    if stem == "weighting_heatmap":  # wide enough for the title and the legend
        return (max(6.4, 1.0 + label_width + 0.9 * n_methods), 1.9 + 0.36 * m)
    return (5.5 + label_width, 1.9 + 0.36 * m)


def plot_weighting_heatmap(result, ax=None):
    """Technologies x methods, each cell coloured by quadrant with its capability printed.

    The quadrant is also written in each cell (readable in greyscale); a fragile cell
    (quadrant differs from the base method's, the first column) is hatched, framed and
    bold.

    Parameters
    ----------
    result : WeightingComparison
    ax : matplotlib Axes, optional
    """
    from matplotlib.patches import Patch, Rectangle

    ax = _axes(ax, figsize=weighting_figure_size(result, "weighting_heatmap"))
    fragile = result.fragile
    for j, quadrants in enumerate(result.quadrant):
        for i, quadrant in enumerate(quadrants):
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=_tint(QUADRANT_STYLE[quadrant]["color"]),
                                   edgecolor="white", linewidth=1.5))
            if fragile[j, i]:
                ax.add_patch(Rectangle((j + 0.05, i + 0.08), 0.9, 0.84, fill=False, hatch=_FRAGILE_HATCH,
                                       edgecolor="black", linewidth=1.5))
            ax.text(
                j + 0.5, i + 0.5, f"{result.capability[j, i]:.3f}\n{quadrant}", ha="center", va="center",
                fontsize=7.5, linespacing=1.15, fontweight="bold" if fragile[j, i] else "normal",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "linewidth": 0}
                if fragile[j, i] else None,
            )
    n_methods, m = len(result.methods), len(result.technologies)
    ax.set_xlim(0, n_methods)
    ax.set_ylim(m, 0)
    labels = [f"{result.methods[0]}\n(base)", *result.methods[1:]]
    ax.set_xticks([j + 0.5 for j in range(n_methods)], labels=labels, fontsize=8)
    ax.set_yticks([i + 0.5 for i in range(m)], labels=list(result.technologies), fontsize=8)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [Patch(facecolor=_tint(QUADRANT_STYLE[q]["color"]), label=q) for q in QUADRANTS]
    handles.append(Patch(facecolor="white", edgecolor="black", hatch=_FRAGILE_HATCH,
                         label="quadrant differs from the base method's"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3 if n_methods > 4 else 2,
              fontsize=8, frameon=False)
    ax.set_title(f"capability (strong from {result.model.capability_threshold:g}) and quadrant "
                 "under each weighting method", fontsize=10)
    return ax


def plot_weighting_dots(result, ax=None):
    """Capability of each technology under each method, against the capability threshold.

    One marker shape per method (the base method larger, with a black edge), each method
    offset a little vertically; technologies in input order, those whose quadrant changes
    under some method marked with an asterisk.

    Parameters
    ----------
    result : WeightingComparison
    ax : matplotlib Axes, optional
    """
    import matplotlib
    import numpy as np

    ax = _axes(ax, figsize=weighting_figure_size(result, "weighting_dots"))
    n_methods, m = len(result.methods), len(result.technologies)
    colors = matplotlib.colormaps["tab10"].colors
    offsets = (np.arange(n_methods) - (n_methods - 1) / 2) * min(0.09, 0.7 / n_methods)
    for j, method in enumerate(result.methods):
        base = j == 0
        ax.scatter(
            result.capability[j], np.arange(m) + offsets[j], label=method + (" (base)" if base else ""),
            marker=_METHOD_MARKERS[j % len(_METHOD_MARKERS)], color=colors[j % len(colors)],
            s=42 if base else 22, edgecolor="black" if base else "none", linewidth=0.6,
            zorder=3 + base,
        )
    fragile = result.fragile
    rows = np.broadcast_to(np.arange(m), fragile.shape) + offsets[:, None]
    if fragile.any():
        ax.scatter(result.capability[fragile], rows[fragile], s=130, facecolor="none", edgecolor="black",
                   linewidth=1.0, zorder=5, label="quadrant differs\nfrom the base method's")
    threshold = result.model.capability_threshold
    ax.axvline(threshold, color="black", linewidth=0.9, linestyle="--", zorder=2)
    ax.annotate(f"threshold {threshold:g}", (threshold, 0), xytext=(3, 2), textcoords="offset points",
                xycoords=("data", "axes fraction"), fontsize=7.5)
    moved = fragile.any(axis=0)
    labels = [f"* {name}" if changes else name for name, changes in zip(result.technologies, moved)]
    ax.set_yticks(range(m), labels=labels, fontsize=8)
    for tick, changes in zip(ax.get_yticklabels(), moved):
        tick.set_fontweight("bold" if changes else "normal")
    ax.set_ylim(m - 0.5, -0.5)
    ax.grid(axis="y", color="0.9", linewidth=0.6, zorder=0)
    ax.set_xlabel("technological capability base")
    ax.set_title("capability under each weighting method (*: quadrant changes)", fontsize=10)
    ax.legend(title="weighting", fontsize=8, title_fontsize=8, loc="upper left",
              bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax
