"""Figures of where each technology stands: the quadrant map, quadrant probabilities, retention curves."""

from __future__ import annotations

from ..core.options import QUADRANTS
from .style import (
    MARKERS,
    MAX_LABELLED,
    QUADRANT_HATCH,
    QUADRANT_STYLE,
    axes_or_new,
    figure_or_new,
    technology_labels,
)

ORIENTATIONS = ("figure3", "figure2")
LABEL_ITERATIONS = 150  # adjustText steps: a fixed budget (its default, a time limit, is not reproducible)

# where each strategy's name sits, as (x, y) in axes fractions, per orientation
_STRATEGY_CORNERS = {
    "figure3": {"assault": (0.98, 0.02), "entrench": (0.02, 0.02), "position": (0.02, 0.98),
                "disrupt": (0.98, 0.98)},
    "figure2": {"assault": (0.02, 0.98), "entrench": (0.02, 0.02), "position": (0.98, 0.02),
                "disrupt": (0.98, 0.98)},
}


def plot_quadrant_map(scores, *, capability_threshold: float, dynamism_threshold: float,
                      stability=None, scheme: str = "technologies", names=None, ax=None,
                      labels: bool = True, orientation: str = "figure3", label_mode: str = "both"):
    """Each technology at its scores, with the thresholds and the four strategies named.

    ``orientation="figure3"`` (the default) puts capability on the horizontal axis and
    dynamism on the vertical one, as the paper's Figure 3 ("the chip near the vertical
    axis"); ``"figure2"`` swaps them. With a stability table, each point carries the
    percentile intervals of its scores under ``scheme`` as cross-hairs and is coloured by its
    retention; the marker shape gives the base quadrant. Labels are placed apart from each
    other and from the points (adjustText, deterministic), with a thin leader line when moved.

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
        Second labels (e.g. Chinese names), drawn per ``label_mode`` when a font can draw them.
    ax : matplotlib Axes, optional
    labels : bool
        Write each technology's name beside its point.
    orientation : {"figure3", "figure2"}
    label_mode : {"en", "zh", "both"}
        The ids, the ``names``, or both (:func:`robust.plotting.style.technology_labels`).

    Returns
    -------
    matplotlib Axes
    """
    import numpy as np

    from ..core.options import QUADRANT_NAMES_ZH

    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be one of {', '.join(ORIENTATIONS)}, got {orientation!r}")
    ax = axes_or_new(ax, figsize=(8.5, 7.0))
    capability, dynamism = scores["capability"].to_numpy(), scores["dynamism"].to_numpy()
    figure3 = orientation == "figure3"
    x, y = (capability, dynamism) if figure3 else (dynamism, capability)
    retention = None
    if stability is not None and scheme in set(stability["scheme"]):
        rows = stability[stability["scheme"] == scheme].set_index("technology").loc[scores["technology"]]
        retention = rows["retention"].to_numpy()
        spans = {axis: np.maximum([values - rows[f"{axis}_low"], rows[f"{axis}_high"] - values], 0)
                 for axis, values in (("capability", capability), ("dynamism", dynamism))}
        ax.errorbar(x, y, xerr=spans["capability" if figure3 else "dynamism"],
                    yerr=spans["dynamism" if figure3 else "capability"],
                    fmt="none", ecolor="0.6", elinewidth=0.8, capsize=2, zorder=2)
    colour_map = "cividis_r"
    points = None
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
        bar.set_label(f"retention under {scheme} (probability of the base quadrant)")
    vertical, horizontal = ((capability_threshold, dynamism_threshold) if figure3
                            else (dynamism_threshold, capability_threshold))
    ax.axvline(vertical, color="black", linewidth=0.8, linestyle="--", zorder=1)
    ax.axhline(horizontal, color="black", linewidth=0.8, linestyle="--", zorder=1)
    capability_label, dynamism_label = "technological capability base", "technological paradigm dynamism"
    ax.set_xlabel(capability_label if figure3 else dynamism_label)
    ax.set_ylabel(dynamism_label if figure3 else capability_label)
    chinese = technology_labels(["x"], ["攻坚"], "zh")[1] if labels else {}
    for quadrant, (cx, cy) in _STRATEGY_CORNERS[orientation].items():
        text = f"{quadrant} {QUADRANT_NAMES_ZH[quadrant]}" if chinese else quadrant
        ax.text(cx, cy, text, transform=ax.transAxes, ha="right" if cx > 0.5 else "left",
                va="top" if cy > 0.5 else "bottom", fontsize=11, fontweight="bold", color="0.45",
                zorder=1, **chinese)
    if labels and len(scores) <= MAX_LABELLED:
        texts, font = technology_labels(scores["technology"], names, label_mode)
        backing = {"boxstyle": "square,pad=0.1", "facecolor": "white", "alpha": 0.75, "edgecolor": "none"}
        placed = [ax.text(xi, yi, text, fontsize=7, zorder=2.5, bbox=backing, **font)  # under the points
                  for text, xi, yi in zip(texts, x, y)]
        _place_apart(ax, placed, x, y)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], linestyle="none", marker=QUADRANT_STYLE[q]["marker"], markersize=7,
                      markerfacecolor="white" if retention is not None else QUADRANT_STYLE[q]["color"],
                      markeredgecolor="black", label=q) for q in QUADRANTS]
    ax.legend(handles=handles, title="base quadrant (marker)", loc="upper center", bbox_to_anchor=(0.5, -0.09),
              ncol=4, fontsize=8, title_fontsize=8, frameon=False)
    if retention is not None:
        ax.set_title(f"Base scores; bars: percentile intervals under {scheme}", fontsize=10)
    return ax


def _place_apart(ax, texts, x, y) -> None:
    """Move the labels off each other and the points (adjustText), with leader lines."""
    from adjustText import adjust_text

    ax.set_xlim(*ax.get_xlim())  # the points decide the limits, not the labels
    ax.set_ylim(*ax.get_ylim())
    adjust_text(texts, x=x, y=y, ax=ax, expand=(1.15, 1.4), iter_lim=LABEL_ITERATIONS)
    _leader_lines(ax, texts, x, y)


def _leader_lines(ax, texts, x, y, min_length: float = 6.0) -> None:
    """A thin line from each point to the nearest edge of its label, when the label sits more
    than ``min_length`` pixels away (plain lines: adjustText's arrows cost a second per save)."""
    import numpy as np

    to_data = ax.transData.inverted()
    for text, xi, yi in zip(texts, x, y):
        box = text.get_window_extent()
        px, py = ax.transData.transform((xi, yi))
        nearest = (np.clip(px, box.x0, box.x1), np.clip(py, box.y0, box.y1))
        if np.hypot(nearest[0] - px, nearest[1] - py) > min_length:
            end = to_data.transform(nearest)
            ax.plot([xi, end[0]], [yi, end[1]], color="0.45", linewidth=0.5, zorder=2.4)


def plot_quadrant_probabilities(stability, *, scheme: str, confidence: float = 0.95, ax=None,
                                max_technologies: int = 60, names=None, label_mode: str = "both"):
    """Stacked bars of the four quadrant probabilities per technology, sorted by retention.

    Each bar starts with the technology's base quadrant, so its first segment ends at the
    retention, marked in black (with its Wilson interval for a random scheme; a deterministic
    scheme's share has none); the other quadrants follow. Hatching as well as colour tells the
    quadrants apart, so the figure reads in greyscale. With more than ``max_technologies``, the
    least stable ones are shown.

    Parameters
    ----------
    stability : pandas.DataFrame
        ``stability.csv`` (:meth:`robust.BootstrapResult.to_frame`).
    scheme : str
    confidence : float
        The level of the intervals (for the title).
    names, label_mode
        Second labels and how to use them (:func:`robust.plotting.style.technology_labels`).

    Returns
    -------
    matplotlib Axes
    """
    import numpy as np

    rows = stability[stability["scheme"] == scheme].reset_index(drop=True)
    retention = rows["retention"].to_numpy()
    order = np.lexsort((np.arange(len(rows)), -retention))  # most stable first, input order among ties
    shown = order[-max_technologies:]
    ax = axes_or_new(ax, figsize=quadrant_probabilities_size(len(shown)))
    random = _probability_bars(ax, rows, shown)
    texts, font = technology_labels(rows["technology"], names, label_mode)
    base = rows["base_quadrant"].to_numpy()
    ax.set_yticks(np.arange(len(shown)), [f"{texts[i]} ({base[i]})" for i in shown], fontsize=8, **font)
    marked = "retention, with its interval" if random else "retention"
    ax.set_xlabel(f"quadrant probability, base quadrant first (black mark: {marked})", fontsize=8)
    title = _scheme_title(rows, scheme, confidence)
    if len(shown) < len(rows):
        title += f"; the {len(shown)} least stable of {len(rows)}"
    ax.set_title(title, fontsize=10)
    ax.legend(handles=_quadrant_patches(), loc="upper center", bbox_to_anchor=(0.5, -0.06 - 0.5 / max(len(shown), 1)),
              ncol=4, fontsize=8, frameon=False)
    return ax


def plot_quadrant_probability_panels(stability, *, confidence: float = 0.95, figure=None,
                                     max_technologies: int = 60, names=None, label_mode: str = "both"):
    """The quadrant probabilities of every scheme side by side, one panel per scheme.

    The technologies share one order, least stable (lowest retention under any scheme) at
    the bottom, so a row reads across the schemes. Bars as in
    :func:`plot_quadrant_probabilities`.

    Returns
    -------
    numpy array of matplotlib Axes (one per scheme)
    """
    import numpy as np

    schemes = list(dict.fromkeys(stability["scheme"]))
    first = stability[stability["scheme"] == schemes[0]].reset_index(drop=True)
    technologies = list(first["technology"])
    lowest = stability.groupby("technology", sort=False)["retention"].min().loc[technologies].to_numpy()
    order = np.lexsort((np.arange(len(technologies)), -lowest))[-max_technologies:]
    figure = figure_or_new(figure, quadrant_probability_panels_size(len(order), len(schemes)))
    axes = np.asarray(figure.subplots(nrows=1, ncols=len(schemes), sharey=True, squeeze=False)).ravel()
    for ax, scheme in zip(axes, schemes):
        rows = stability[stability["scheme"] == scheme].set_index("technology").loc[technologies].reset_index()
        _probability_bars(ax, rows, order)
        random = rows["interval"].iloc[0] == "wilson"
        count = f"{int(rows['replicates'].iloc[0]):,}"
        ax.set_title(f"{scheme}\n{count} {'replicates' if random else 'variants (exact)'}", fontsize=8)
        ax.set_xticks([0, 0.5, 1], ["0", "0.5", "1"], fontsize=7)
    texts, font = technology_labels(technologies, names, label_mode)
    base = first["base_quadrant"].to_numpy()
    axes[0].set_yticks(np.arange(len(order)), [f"{texts[i]} ({base[i]})" for i in order], fontsize=8, **font)
    figure.supxlabel(f"quadrant probability (base quadrant first; black mark: retention, with its Wilson "
                     f"{round(100 * confidence)}% interval for a random scheme)", fontsize=9)
    figure.legend(handles=_quadrant_patches(), loc="outside upper center", ncol=4, fontsize=8, frameon=False)
    return axes


def quadrant_probability_panels_size(n_technologies: int, n_schemes: int) -> tuple[float, float]:
    return (3.2 + 1.9 * n_schemes, min(2.2 + 0.28 * min(n_technologies, 60), 40.0))


def _quadrant_patches():
    from matplotlib.patches import Patch

    return [Patch(facecolor=QUADRANT_STYLE[q]["color"], hatch=QUADRANT_HATCH[q], edgecolor="white", label=q)
            for q in QUADRANTS]


def _scheme_title(rows, scheme: str, confidence: float) -> str:
    count = f"{int(rows['replicates'].iloc[0]):,}"
    if rows["interval"].iloc[0] == "wilson":
        return f"{scheme}: {count} replicates (Wilson {round(100 * confidence)}% interval)"
    return f"{scheme}: {count} variants (exact, no Monte Carlo error)"


def _probability_bars(ax, rows, shown) -> bool:
    """The stacked bars of ``rows`` (one scheme) in the order ``shown``, top to bottom, and the
    retention marks; returns whether the scheme is random (the marks carry intervals)."""
    import numpy as np

    probabilities = rows[[f"p_{q}" for q in QUADRANTS]].to_numpy()
    base = np.array([QUADRANTS.index(q) for q in rows["base_quadrant"]])
    retention = rows["retention"].to_numpy()
    for position, i in enumerate(shown):
        left = 0.0
        for q in [base[i]] + [q for q in range(4) if q != base[i]]:
            width = probabilities[i, q]
            if width > 0:
                quadrant = QUADRANTS[q]
                ax.barh(position, width, left=left, height=0.75, color=QUADRANT_STYLE[quadrant]["color"],
                        hatch=QUADRANT_HATCH[quadrant], edgecolor="white", linewidth=0.4)
            left += width
    random = rows["interval"].iloc[0] == "wilson"
    positions = np.arange(len(shown))
    if random:
        low, high = rows["retention_low"].to_numpy()[shown], rows["retention_high"].to_numpy()[shown]
        errors = np.maximum([retention[shown] - low, high - retention[shown]], 0)  # rounding
        ax.errorbar(retention[shown], positions, xerr=errors, fmt="|", color="black", markersize=9,
                    capsize=3, linewidth=1.0)
    else:
        ax.plot(retention[shown], positions, "|", color="black", markersize=9)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    return bool(random)


def quadrant_probabilities_size(n_technologies: int) -> tuple[float, float]:
    return (8.0, min(1.9 + 0.28 * min(n_technologies, 60), 40.0))


def plot_retention_convergence(convergence, *, figure=None, max_panels: int = 12, names=None,
                               label_mode: str = "both"):
    """Retention against the number of replicates: one panel per technology, one line per scheme.

    The panels (shared axes) show the technologies whose lowest final retention is smallest,
    least stable first; a flat line means enough replicates.

    Parameters
    ----------
    convergence : pandas.DataFrame
        ``bootstrap_convergence.csv``: ``scheme, technology, replicates, retention``.
    figure : matplotlib Figure, optional
        Drawn into (its size is left as it is); default a new pyplot figure.
    max_panels : int
    names, label_mode
        Second labels and how to use them (:func:`robust.plotting.style.technology_labels`).

    Returns
    -------
    numpy array of matplotlib Axes (one per panel)
    """
    import numpy as np
    from matplotlib.ticker import FuncFormatter

    final = convergence.groupby(["technology", "scheme"], sort=False)["retention"].last().groupby(
        level="technology", sort=False).min()
    shown = list(final[final < 1].sort_values(kind="stable").index[:max_panels])
    schemes = list(dict.fromkeys(convergence["scheme"]))
    columns = max(1, min(4, len(shown)))
    n_rows = max(1, -(-len(shown) // columns))
    figure = figure_or_new(figure, convergence_size(len(shown)))
    axes = np.asarray(figure.subplots(nrows=n_rows, ncols=columns, sharex=True, sharey=True, squeeze=False)).ravel()
    texts, font = technology_labels(shown, names, label_mode)
    lines = ("-", "--", ":", "-.")
    for panel, technology in enumerate(shown):
        for number, scheme in enumerate(schemes):
            curve = convergence[(convergence["scheme"] == scheme) & (convergence["technology"] == technology)]
            axes[panel].plot(curve["replicates"], curve["retention"], color=("0.0", "0.35", "0.55", "0.2")[number % 4],
                             linestyle=lines[number % 4], marker=MARKERS[number % len(MARKERS)], markersize=3,
                             linewidth=1.0, label=scheme)
        axes[panel].set_title(texts[panel], fontsize=8, **font)
        axes[panel].grid(color="0.9", linewidth=0.6)
    for extra in axes[len(shown):]:
        extra.set_visible(False)
    first = axes[0]
    first.set_xscale("log", base=2)
    first.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    for panel in axes[:len(shown)]:
        panel.tick_params(axis="x", labelsize=7, labelrotation=30)
    first.set_ylim(0, 1.02)
    if shown:
        handles, labels = first.get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside lower center", ncol=len(schemes), fontsize=8, frameon=False)
        for number, panel in enumerate(axes[:len(shown)]):
            if number + columns >= len(shown):  # no panel below it
                panel.set_xlabel("replicates (log scale)", fontsize=8)
        figure.supylabel("retention", fontsize=9)
        figure.suptitle("Retention as replicates accumulate (one panel per technology, least stable first)",
                        fontsize=10)
    else:
        first.text(0.5, 0.5, "every technology keeps its quadrant in every replicate", ha="center",
                   transform=first.transAxes)
    return axes


def convergence_size(panels: int) -> tuple[float, float]:
    columns = max(1, min(4, panels))
    return (2.9 * columns + 0.8, 2.3 * max(1, -(-panels // columns)) + 1.2)
