"""Figures of Monte Carlo filtering: the KS distances of one 0/1 output as a technologies x variables grid."""

from __future__ import annotations

from .style import MAX_LABELLED, axes_or_new, mark_cell, share_label, technology_labels

MAX_VARIABLES = 24  # wider factor sets show the variables with the largest distances


def filtering_shown(filtering, output: str = "retained"):
    """The technologies (whose output changes, in input order) and the variables a heatmap shows."""
    import numpy as np

    frame = filtering[filtering["output"] == output]
    technologies = [t for t, rows in frame.groupby("technology", sort=False) if rows["ks"].notna().any()]
    largest = frame.groupby("factor", sort=False)["ks"].max()
    variables = list(largest.index)
    if len(variables) > MAX_VARIABLES:
        keep = set(largest.fillna(-np.inf).sort_values(ascending=False, kind="stable").index[:MAX_VARIABLES])
        variables = [v for v in variables if v in keep]
    return technologies[:MAX_LABELLED], variables


def filtering_heatmap_size(filtering, output: str = "retained") -> tuple[float, float]:
    technologies, variables = filtering_shown(filtering, output)
    return (max(7.0, 2.8 + 0.62 * len(variables)), max(3.2, 1.9 + 0.42 * len(technologies)))


def plot_filtering_heatmap(filtering, *, output: str = "retained", retention=None, ax=None, names=None,
                           label_mode: str = "both"):
    """KS distances of one output of ``filtering.csv`` (technologies x input variables), p-values below.

    Only technologies whose output changes in some draw are shown. A cell whose output's rarer value
    was seen too rarely (``estimable`` false) is hatched and marked "rare"; its number is not a finding.
    ``retention`` (technology -> share of draws that keep the quadrant) labels the rows; ``names``
    and ``label_mode`` as :func:`robust.plotting.style.technology_labels`.
    """
    import numpy as np

    technologies, variables = filtering_shown(filtering, output)
    frame = filtering[filtering["output"] == output]
    ax = axes_or_new(ax, figsize=filtering_heatmap_size(filtering, output))
    if not technologies:
        ax.text(0.5, 0.5, f"{output.replace('_', ' ')} never changes in the draws", ha="center", va="center")
        ax.set_axis_off()
        return ax

    def grid(column):
        table = frame.pivot(index="technology", columns="factor", values=column)
        return table.loc[technologies, variables].to_numpy(dtype=float)

    values, p_values, estimable = grid("ks"), grid("p_value"), grid("estimable")
    image = ax.imshow(np.nan_to_num(values), cmap="Oranges", vmin=0, vmax=1, aspect="auto")
    for (row, column), value in np.ndenumerate(values):
        if not estimable[row, column]:
            mark_cell(ax, row, column, "rare", "...")
            continue
        color = "white" if value > 0.6 else "black"
        ax.text(column, row - 0.14, f"{value:.2f}", ha="center", va="center", fontsize=7.5, color=color)
        p_value = p_values[row, column]
        ax.text(column, row + 0.22, "p<0.001" if p_value < 0.001 else f"p={p_value:.3f}", ha="center",
                va="center", fontsize=5.5, color=color)
    labels, font = technology_labels(technologies, names, label_mode)
    if retention is not None:
        labels = [f"{label} ({share_label(retention[t])})" for label, t in zip(labels, technologies)]
    ax.set_yticks(range(len(labels)), labels, fontsize=8, **font)
    ax.set_xticks(range(len(variables)), variables, rotation=35, ha="right", fontsize=7.5)
    ax.set_xlabel("input variable")
    ax.set_ylabel("technology" + (" (retention over the draws)" if retention is not None else ""))
    ax.set_title(f"Monte Carlo filtering of {output.replace('_', ' ')}: KS distance between the variable's "
                 "values in the draws\nwith output 1 and 0 (total variation for a discrete factor; below: "
                 "permutation p-value)", fontsize=9)
    ax.figure.colorbar(image, ax=ax, label="distance", shrink=0.8)
    return ax
