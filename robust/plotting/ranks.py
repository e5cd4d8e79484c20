"""The rank-interval figure: each technology's base capability rank and its 5-95% interval per analysis."""

from __future__ import annotations

from .style import MARKERS, MAX_LABELLED, axes_or_new, technology_labels

ANALYSIS_COLORS = ("#1b6ca8", "#e08214", "#4d9221", "#762a83")


def rank_figure_size(ranks) -> tuple[float, float]:
    m = min(ranks["technology"].nunique(), MAX_LABELLED)
    return (7.5, max(3.5, 1.4 + 0.32 * m))


def plot_rank_intervals(ranks, *, names=None, ax=None, label_mode: str = "both"):
    """``ranks.csv``: per technology (best base rank on top) the base rank and, for each analysis, the
    median rank with its 5-95% interval. ``names`` (technology -> label) relabel the rows."""
    import numpy as np

    base = ranks.drop_duplicates("technology").sort_values("base_rank", kind="stable")
    technologies = list(base["technology"])[:MAX_LABELLED]
    analyses = list(dict.fromkeys(ranks["analysis"]))
    ax = axes_or_new(ax, figsize=rank_figure_size(ranks))
    rows = {technology: row for row, technology in enumerate(technologies)}
    offsets = np.linspace(-0.22, 0.22, len(analyses)) if len(analyses) > 1 else [0.0]
    for number, (analysis, offset) in enumerate(zip(analyses, offsets)):
        own = ranks[(ranks["analysis"] == analysis) & ranks["technology"].isin(rows)]
        y = own["technology"].map(rows).to_numpy() + offset
        color = ANALYSIS_COLORS[number % len(ANALYSIS_COLORS)]
        ax.hlines(y, own["low"], own["high"], color=color, linewidth=2.2, alpha=0.8)
        ax.plot(own["median"], y, MARKERS[number % len(MARKERS)], color=color, markersize=5,
                label=f"{analysis}: median, 5-95% interval")
    ax.plot(base["base_rank"][:len(technologies)], range(len(technologies)), "|", color="black", markersize=13,
            markeredgewidth=1.8, label="base model")
    labels, font = technology_labels(technologies, names, label_mode)
    ax.set_yticks(range(len(technologies)), labels, fontsize=8, **font)
    ax.set_ylim(len(technologies) - 0.5, -0.5)
    m = ranks["technology"].nunique()
    ax.set_xlim(0.5, m + 0.5)
    ax.set_xticks(range(1, m + 1, max(1, m // 20)))
    ax.set_xlabel("capability rank (1 the highest)")
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(loc="upper right", fontsize=7.5, framealpha=0.9)  # the best ranks are on top, at the left
    ax.set_title("Capability rank under the base model\nand over each uncertainty analysis", fontsize=9.5)
    return ax
