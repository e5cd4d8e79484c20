"""Figures of the weighting comparison: the technologies x methods heatmap and the capability dots."""

from __future__ import annotations

from ..core.options import QUADRANTS
from .style import MARKERS, MAX_LABELLED, QUADRANT_STYLE, axes_or_new

_FRAGILE_HATCH = "////"


def _tint(color: str, share: float = 0.45) -> tuple[float, float, float]:
    """``color`` mixed with white (share of the colour kept), for cell backgrounds."""
    from matplotlib.colors import to_rgb

    return tuple(share * c + (1 - share) for c in to_rgb(color))


def _comparison_arrays(comparison, threshold: float):
    """Methods, technologies, capability and quadrant ``(methods, m)``, fragile cells, and a note.

    With more than :data:`MAX_LABELLED` technologies, the fragile ones and then those whose
    base capability is closest to the threshold are kept (in input order).
    """
    import numpy as np

    methods = list(dict.fromkeys(comparison["method"]))
    technologies = np.array(list(dict.fromkeys(comparison["technology"])), dtype=object)
    shape = (len(methods), len(technologies))
    capability = comparison["capability"].to_numpy(dtype=float).reshape(shape)
    quadrant = comparison["quadrant"].to_numpy(dtype=object).reshape(shape)
    fragile = quadrant != quadrant[0]
    note = ""
    if len(technologies) > MAX_LABELLED:
        priority = np.lexsort((np.abs(capability[0] - threshold), ~fragile.any(axis=0)))
        keep = np.sort(priority[:MAX_LABELLED])
        note = f" ({MAX_LABELLED} of {len(technologies)}: changed first, then closest to the threshold)"
        technologies, capability, quadrant, fragile = (
            technologies[keep], capability[:, keep], quadrant[:, keep], fragile[:, keep])
    return methods, list(technologies), capability, quadrant, fragile, note


def weighting_figure_size(comparison, stem: str) -> tuple[float, float]:
    """Figure size (inches) for ``weighting_heatmap`` or ``weighting_dots`` (with its zoom panel)."""
    methods, technologies = comparison["method"].unique(), comparison["technology"].unique()
    m, n_methods = min(len(technologies), MAX_LABELLED), len(methods)
    label_width = 0.065 * max(len(str(name)) for name in technologies)
    if stem == "weighting_heatmap":  # wide enough for the title and the legend
        return (max(6.4, 1.0 + label_width + 0.9 * n_methods), 1.9 + 0.36 * m)
    return (9.0 + 2 * label_width, 1.9 + 0.36 * m)


def plot_weighting_heatmap(comparison, *, threshold: float, ax=None, names=None, label_mode: str = "both"):
    """Technologies x methods, each cell coloured by quadrant with its capability printed.

    The quadrant is also written in each cell (readable in greyscale); a fragile cell
    (quadrant differs from the base method's, the first column) is hatched, framed and
    bold.

    Parameters
    ----------
    comparison : pandas.DataFrame
        ``weighting_comparison.csv``: ``method, technology, capability, quadrant``, one row
        per method and technology, the base method first.
    threshold : float
        The capability threshold.
    ax : matplotlib Axes, optional
    names, label_mode
        Second labels and how to use them (:func:`robust.plotting.style.technology_labels`).

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.patches import Patch, Rectangle

    from .style import technology_labels

    methods, technologies, capability, quadrants, fragile, note = _comparison_arrays(comparison, threshold)
    ax = axes_or_new(ax, figsize=weighting_figure_size(comparison, "weighting_heatmap"))
    for j, row in enumerate(quadrants):
        for i, quadrant in enumerate(row):
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=_tint(QUADRANT_STYLE[quadrant]["color"]),
                                   edgecolor="white", linewidth=1.5))
            if fragile[j, i]:
                ax.add_patch(Rectangle((j + 0.05, i + 0.08), 0.9, 0.84, fill=False, hatch=_FRAGILE_HATCH,
                                       edgecolor="black", linewidth=1.5))
            ax.text(
                j + 0.5, i + 0.5, f"{capability[j, i]:.3f}\n{quadrant}", ha="center", va="center",
                fontsize=7.5, linespacing=1.15, fontweight="bold" if fragile[j, i] else "normal",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "linewidth": 0}
                if fragile[j, i] else None,
            )
    n_methods, m = len(methods), len(technologies)
    ax.set_xlim(0, n_methods)
    ax.set_ylim(m, 0)
    labels = [f"{methods[0]}\n(base)", *methods[1:]]
    ax.set_xticks([j + 0.5 for j in range(n_methods)], labels=labels, fontsize=8)
    rows, font = technology_labels(technologies, names, label_mode)
    ax.set_yticks([i + 0.5 for i in range(m)], labels=rows, fontsize=8, **font)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [Patch(facecolor=_tint(QUADRANT_STYLE[q]["color"]), label=q) for q in QUADRANTS]
    handles.append(Patch(facecolor="white", edgecolor="black", hatch=_FRAGILE_HATCH,
                         label="quadrant differs from the base method's"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3 if n_methods > 4 else 2,
              fontsize=8, frameon=False)
    ax.set_title(f"capability (strong from {threshold:g}) and quadrant under each weighting method{note}",
                 fontsize=10)
    return ax


def plot_weighting_dots(comparison, *, threshold: float, ax=None, zoom_ax=None, names=None,
                        label_mode: str = "both"):
    """Capability of each technology under each method, against the capability threshold.

    One marker shape per method (the base method larger, with a black edge), each method
    offset a little vertically; technologies in input order, those whose quadrant changes
    under some method marked with an asterisk. With ``zoom_ax``, the technologies whose
    capability comes within :data:`ZOOM_BAND` of the threshold under some method are drawn
    there again on a zoomed axis, so that markers piled on the threshold can be told apart.

    Parameters
    ----------
    comparison : pandas.DataFrame
        ``weighting_comparison.csv`` (see :func:`plot_weighting_heatmap`).
    threshold : float
        The capability threshold.
    ax, zoom_ax : matplotlib Axes, optional
    names, label_mode
        Second labels and how to use them (:func:`robust.plotting.style.technology_labels`).

    Returns
    -------
    matplotlib Axes (the main one)
    """
    import numpy as np

    from .style import technology_labels

    methods, technologies, capability, _, fragile, note = _comparison_arrays(comparison, threshold)
    ax = axes_or_new(ax, figsize=weighting_figure_size(comparison, "weighting_dots"))
    labels, font = technology_labels(technologies, names, label_mode)
    moved = fragile.any(axis=0)
    labels = [f"* {name}" if changes else name for name, changes in zip(labels, moved)]
    _draw_dots(ax, methods, capability, fragile, np.arange(len(technologies)), threshold, legend=True)
    ax.set_yticks(range(len(technologies)), labels=labels, fontsize=8, **font)
    for tick, changes in zip(ax.get_yticklabels(), moved):
        tick.set_fontweight("bold" if changes else "normal")
    ax.set_ylim(len(technologies) - 0.5, -0.5)
    ax.set_xlabel(f"technological capability base (dashed: threshold {threshold:g})")
    ax.set_title(f"capability under each weighting method (*: quadrant changes){note}", fontsize=10)
    if zoom_ax is not None:
        near = np.flatnonzero((np.abs(capability - threshold) <= ZOOM_BAND).any(axis=0))
        if near.size:
            _draw_dots(zoom_ax, methods, capability[:, near], fragile[:, near], np.arange(near.size), threshold,
                       legend=False)
            zoom_ax.set_yticks(range(near.size), labels=[labels[i] for i in near], fontsize=8, **font)
            zoom_ax.set_ylim(near.size - 0.5, -0.5)
            spread = np.abs(capability[:, near] - threshold).max()
            zoom_ax.set_xlim(threshold - 1.15 * spread, threshold + 1.15 * spread)
            zoom_ax.set_title(f"zoom: within {ZOOM_BAND:g} of the threshold", fontsize=9)
            zoom_ax.tick_params(axis="x", labelsize=7, labelrotation=30)
        else:
            zoom_ax.set_axis_off()
            zoom_ax.text(0.5, 0.5, f"no technology within {ZOOM_BAND:g}\nof the threshold", ha="center",
                         va="center", fontsize=8, transform=zoom_ax.transAxes)
    return ax


ZOOM_BAND = 0.02  # the zoom panel shows technologies this close to the threshold under some method


def _draw_dots(ax, methods, capability, fragile, rows, threshold, *, legend: bool) -> None:
    """The markers of every method for the given rows, the changed ones circled, the threshold line."""
    import matplotlib
    import numpy as np

    n_methods = len(methods)
    colors = matplotlib.colormaps["tab10"].colors
    offsets = (np.arange(n_methods) - (n_methods - 1) / 2) * min(0.09, 0.7 / n_methods)
    for j, method in enumerate(methods):
        base = j == 0
        ax.scatter(capability[j], rows + offsets[j], label=method + (" (base)" if base else ""),
                   marker=MARKERS[j % len(MARKERS)], color=colors[j % len(colors)], s=42 if base else 22,
                   edgecolor="black" if base else "none", linewidth=0.6, zorder=3 + base)
    positions = np.broadcast_to(rows, fragile.shape) + offsets[:, None]
    if fragile.any():
        ax.scatter(capability[fragile], positions[fragile], s=130, facecolor="none", edgecolor="black",
                   linewidth=1.0, zorder=5, label="quadrant differs\nfrom the base method's")
    ax.axvline(threshold, color="black", linewidth=0.9, linestyle="--", zorder=2)
    ax.grid(axis="y", color="0.9", linewidth=0.6, zorder=0)
    if legend:
        ax.legend(title="weighting method", fontsize=8, title_fontsize=8, loc="upper center",
                  bbox_to_anchor=(0.5, -0.07), ncol=5, frameon=False)
