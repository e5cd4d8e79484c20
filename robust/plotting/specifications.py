"""The full grid of data-construction choices: how many specifications keep each technology's quadrant."""

from __future__ import annotations

from ..core.options import QUADRANTS
from .style import QUADRANT_HATCH, QUADRANT_STYLE, axes_or_new, technology_labels


def specification_shares_size(count: int) -> tuple[float, float]:
    """Figure size for ``count`` technologies (one bar each)."""
    return 8.0, 1.6 + 0.32 * count


def plot_specification_shares(shares, ax=None, *, names=None, label_mode: str = "both"):
    """Per technology, the share of the specifications in each quadrant (stacked), the base
    quadrant first and its share written at the bar's end; least kept at the top.

    Parameters
    ----------
    shares : pandas.DataFrame
        ``specification_shares.csv`` (:meth:`robust.analyses.specifications.SpecificationsResult.shares_frame`).
    ax : matplotlib Axes, optional
    names, label_mode
        Second labels of the technologies and how to show them
        (:func:`robust.plotting.style.technology_labels`).
    """
    ax = axes_or_new(ax, figsize=specification_shares_size(len(shares)))
    ordered = shares.sort_values("share", kind="stable", ascending=False).reset_index(drop=True)
    rows = range(len(ordered))
    left = [0.0] * len(ordered)
    for position in range(len(QUADRANTS)):
        for row, record in ordered.iterrows():  # technologies (bars), not records
            quadrant = record["base_quadrant"] if position == 0 else [
                q for q in QUADRANTS if q != record["base_quadrant"]][position - 1]
            width = record[f"p_{quadrant}"]
            if width > 0:
                ax.barh(row, width, left=left[row], color=QUADRANT_STYLE[quadrant]["color"],
                        hatch=QUADRANT_HATCH[quadrant], edgecolor="white", linewidth=0.5,
                        label=quadrant if quadrant not in ax.get_legend_handles_labels()[1] else None)
                left[row] += width
    for row, record in ordered.iterrows():
        ax.text(1.01, row, f"{record['share']:.2f}", va="center", fontsize=8)
    labels, font = technology_labels(ordered["technology"], names, label_mode)
    ax.set_yticks(list(rows), [f"{t} ({q})" for t, q in zip(labels, ordered["base_quadrant"])], fontsize=8, **font)
    ax.set_xlim(0, 1.08)
    ax.set_xlabel(f"share of the {int(ordered['specifications'].iloc[0])} specifications (base quadrant first)")
    ax.set_title("Quadrant under every combination of the data-construction choices", fontsize=10)
    handles = dict(zip(*reversed(ax.get_legend_handles_labels())))
    ax.legend([handles[q] for q in QUADRANTS if q in handles], [q for q in QUADRANTS if q in handles],
              loc="upper center", bbox_to_anchor=(0.5, -0.12 * 8 / (len(ordered) + 4)), ncol=4, fontsize=8)
    return ax
