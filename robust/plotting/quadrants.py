"""Figures of where each technology stands: the quadrant map, quadrant probabilities, retention curves."""

from __future__ import annotations

from ..core.options import QUADRANTS
from .style import (
    MARKERS,
    MAX_LABELLED,
    QUADRANT_HATCH,
    QUADRANT_STYLE,
    axes_or_new,
    technology_labels,
)


def plot_quadrant_map(scores, *, capability_threshold: float, dynamism_threshold: float,
                      stability=None, scheme: str = "technologies", names=None, ax=None,
                      labels: bool = True):
    """Each technology at its (dynamism, capability), with the thresholds (the paper's Figure 3).

    With a stability table, each point carries the percentile intervals of its scores
    under ``scheme`` as cross-hairs and is coloured by its retention (darker = less
    stable); the marker shape gives the base quadrant.

    Parameters
    ----------
    scores : pandas.DataFrame
        ``scores.csv``: ``technology, capability, dynamism, quadrant``.
    capability_threshold, dynamism_threshold : float
    stability : pandas.DataFrame, optional
        ``stability.csv`` (:meth:`robust.BootstrapResult.to_frame`).
    scheme : str
        The stability scheme to show.
    names : sequence of str, optional
        Labels (e.g. Chinese names), used when a font can draw them.
    ax : matplotlib Axes, optional
    labels : bool
        Write each technology's name beside its point.
    """
    import numpy as np

    ax = axes_or_new(ax, figsize=(8.5, 7.0))
    x, y = scores["dynamism"].to_numpy(), scores["capability"].to_numpy()
    retention = None
    if stability is not None and scheme in set(stability["scheme"]):
        rows = stability[stability["scheme"] == scheme].set_index("technology").loc[scores["technology"]]
        retention = rows["retention"].to_numpy()
        ax.errorbar(x, y, xerr=np.maximum([x - rows["dynamism_low"], rows["dynamism_high"] - x], 0),
                    yerr=np.maximum([y - rows["capability_low"], rows["capability_high"] - y], 0),
                    fmt="none", ecolor="0.55", elinewidth=0.8, capsize=2, zorder=2)
    colour_map = "cividis_r"
    for quadrant in QUADRANTS:
        members = (scores["quadrant"] == quadrant).to_numpy()
        if not members.any():
            continue
        style = {"marker": QUADRANT_STYLE[quadrant]["marker"]}
        if retention is None:
            style["color"] = QUADRANT_STYLE[quadrant]["color"]
        else:
            style.update(c=retention[members], cmap=colour_map, vmin=0.5, vmax=1.0)
        points = ax.scatter(x[members], y[members], label=quadrant, edgecolor="black", linewidth=0.7,
                            s=55, zorder=3, **style)
    if retention is not None:
        bar = ax.figure.colorbar(points, ax=ax, shrink=0.8, extend="min")
        bar.set_label(f"retention under `{scheme}` (probability of this quadrant)")
    if labels and len(scores) <= MAX_LABELLED:
        texts, font = technology_labels(scores["technology"], names)
        for text, xi, yi in zip(texts, x, y):
            ax.annotate(text, (xi, yi), xytext=(4, 3), textcoords="offset points", fontsize=7, **font)
    ax.axvline(dynamism_threshold, color="black", linewidth=0.8, linestyle="--", zorder=1)
    ax.axhline(capability_threshold, color="black", linewidth=0.8, linestyle="--", zorder=1)
    ax.set_xlabel("technological paradigm dynamism")
    ax.set_ylabel("technological capability base")
    if retention is None:
        ax.legend(title="base quadrant", loc="best", fontsize=8, title_fontsize=8)
    else:
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], linestyle="none", marker=QUADRANT_STYLE[q]["marker"], markersize=7,
                          markerfacecolor="white", markeredgecolor="black", label=q) for q in QUADRANTS]
        ax.legend(handles=handles, title="base quadrant", loc="best", fontsize=8, title_fontsize=8)
        ax.set_title(f"base scores; bars: percentile intervals under the `{scheme}` scheme", fontsize=10)
    return ax


def plot_quadrant_probabilities(stability, *, scheme: str, confidence: float = 0.95, ax=None,
                                max_technologies: int = 60):
    """Stacked bars of the four quadrant probabilities per technology, sorted by retention.

    Each bar starts with the technology's base quadrant, so its first segment ends at the
    retention, where the black bar shows its interval; the other quadrants follow. Hatching
    as well as colour tells the quadrants apart, so the figure reads in greyscale. With
    more than ``max_technologies``, the least stable ones are shown.

    Parameters
    ----------
    stability : pandas.DataFrame
        ``stability.csv`` (:meth:`robust.BootstrapResult.to_frame`).
    scheme : str
    confidence : float
        The level of the intervals (for the title).
    """
    import numpy as np
    from matplotlib.patches import Patch

    rows = stability[stability["scheme"] == scheme].reset_index(drop=True)
    probabilities = rows[[f"p_{q}" for q in QUADRANTS]].to_numpy()
    base = np.array([QUADRANTS.index(q) for q in rows["base_quadrant"]])
    retention = rows["retention"].to_numpy()
    order = np.lexsort((np.arange(len(rows)), -retention))  # most stable first, input order among ties
    shown = order[-max_technologies:]
    ax = axes_or_new(ax, figsize=quadrant_probabilities_size(len(shown)))
    for position, i in enumerate(shown):
        left = 0.0
        for q in [base[i]] + [q for q in range(4) if q != base[i]]:
            width = probabilities[i, q]
            if width > 0:
                quadrant = QUADRANTS[q]
                ax.barh(position, width, left=left, height=0.75, color=QUADRANT_STYLE[quadrant]["color"],
                        hatch=QUADRANT_HATCH[quadrant], edgecolor="white", linewidth=0.4)
            left += width
    low, high = rows["retention_low"].to_numpy()[shown], rows["retention_high"].to_numpy()[shown]
    errors = np.maximum([retention[shown] - low, high - retention[shown]], 0)  # rounding
    positions = np.arange(len(shown))
    ax.errorbar(retention[shown], positions, xerr=errors, fmt="|", color="black", markersize=9,
                capsize=3, linewidth=1.0)
    names = rows["technology"].to_numpy()
    ax.set_yticks(positions, [f"{names[i]} ({QUADRANTS[base[i]]})" for i in shown], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("quadrant probability (base quadrant first; black: retention and interval)")
    count = f"{int(rows['replicates'].iloc[0]):,}"
    title = f"{scheme}: {count} variants (exact, no Monte Carlo error)"
    if rows["interval"].iloc[0] == "wilson":
        title = f"{scheme}: {count} replicates (Wilson {round(100 * confidence)}% interval)"
    if len(shown) < len(rows):
        title += f"; the {len(shown)} least stable of {len(rows)}"
    ax.set_title(title, fontsize=10)
    handles = [Patch(facecolor=QUADRANT_STYLE[q]["color"], hatch=QUADRANT_HATCH[q], edgecolor="white",
                     label=q) for q in QUADRANTS]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.04), ncol=4, fontsize=8, frameon=False)
    return ax


def quadrant_probabilities_size(n_technologies: int) -> tuple[float, float]:
    return (8.0, min(1.4 + 0.28 * min(n_technologies, 60), 40.0))


def plot_retention_convergence(convergence, *, scheme: str, ax=None, max_lines: int = 12):
    """Retention against the number of replicates, for the least stable technologies.

    Parameters
    ----------
    convergence : pandas.DataFrame
        ``bootstrap_convergence.csv``: ``scheme, technology, replicates, retention``.
    """
    from matplotlib.ticker import FuncFormatter

    rows = convergence[convergence["scheme"] == scheme]
    final = rows.groupby("technology", sort=False)["retention"].last()
    shown = final[final < 1].sort_values().index[:max_lines]
    ax = axes_or_new(ax, figsize=(7.5, 5.0))
    for i, technology in enumerate(shown):
        curve = rows[rows["technology"] == technology]
        ax.plot(curve["replicates"], curve["retention"], marker=MARKERS[i % len(MARKERS)],
                markersize=4, linewidth=1.0, label=technology)
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    ax.set_xlabel("replicates (log scale)")
    ax.set_ylabel("retention (probability of the base quadrant)")
    ax.set_ylim(0, 1.02)
    ax.grid(color="0.9", linewidth=0.6)
    note = "" if len(shown) else " (every technology keeps its quadrant in every replicate)"
    ax.set_title(f"{scheme}: retention as replicates accumulate{note}", fontsize=10)
    if len(shown):
        ax.legend(fontsize=7, loc="lower right", ncol=2)
    return ax
