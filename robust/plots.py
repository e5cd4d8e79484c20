"""All figures. Each ``plot_*`` draws from a tidy table (the CSV a run writes, or the
``to_frame()`` of a result) on an optional Axes and returns the Axes, so ``robust plot``
can redraw every figure from a result folder alone.

matplotlib is imported lazily; nothing here calls ``show()``. Figures use English labels
(Chinese names when given and a CJK font is installed), marker shapes and hatching as well
as colours (readable in greyscale), and the threshold cross-hairs.
"""

from __future__ import annotations

from pathlib import Path

from .scoring import QUADRANTS

FIGURES = "figures"
MAX_LABELLED = 60  # figures with one row or label per technology show at most this many

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


def cjk_font() -> str | None:
    """The name of an installed font that can draw Chinese, or None."""
    from matplotlib import font_manager

    for font in font_manager.fontManager.ttflist:
        if any(key in font.name for key in _CJK_FONT_KEYS):
            return font.name
    return None


_CJK_FONT_KEYS = ("CJK", "WenQuanYi", "SimHei", "SimSun", "Source Han", "Droid Sans Fallback",
                  "Noto Sans SC", "Noto Serif SC", "Microsoft YaHei", "PingFang", "Heiti")


def technology_labels(technologies, names=None) -> tuple[list[str], dict]:
    """Labels for the technologies and the text properties to draw them.

    ``names`` (e.g. Chinese names) are used when given, unless they need a CJK font and
    none is installed; then the ids are used.
    """
    if names is None:
        return [str(t) for t in technologies], {}
    names = [str(name) for name in names]
    if not any(ord(ch) > 0x2E7F for name in names for ch in name):
        return names, {}
    font = cjk_font()
    if font is None:
        return [str(t) for t in technologies], {}
    return names, {"fontfamily": [font, "DejaVu Sans"]}


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

    ax = _axes(ax, figsize=(8.5, 7.0))
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
    ax = _axes(ax, figsize=quadrant_probabilities_size(len(shown)))
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
    ax = _axes(ax, figsize=(7.5, 5.0))
    for i, technology in enumerate(shown):
        curve = rows[rows["technology"] == technology]
        ax.plot(curve["replicates"], curve["retention"], marker=_METHOD_MARKERS[i % len(_METHOD_MARKERS)],
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


# --- alternative weightings (robust.compare) ---------------------------------------------

_METHOD_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h")
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
    """Figure size (inches) for ``weighting_heatmap`` or ``weighting_dots``."""
    methods, technologies = comparison["method"].unique(), comparison["technology"].unique()
    m, n_methods = min(len(technologies), MAX_LABELLED), len(methods)
    label_width = 0.065 * max(len(str(name)) for name in technologies)
    if stem == "weighting_heatmap":  # wide enough for the title and the legend
        return (max(6.4, 1.0 + label_width + 0.9 * n_methods), 1.9 + 0.36 * m)
    return (5.5 + label_width, 1.9 + 0.36 * m)


def plot_weighting_heatmap(comparison, *, threshold: float, ax=None):
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
    """
    from matplotlib.patches import Patch, Rectangle

    methods, technologies, capability, quadrants, fragile, note = _comparison_arrays(comparison, threshold)
    ax = _axes(ax, figsize=weighting_figure_size(comparison, "weighting_heatmap"))
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
    ax.set_yticks([i + 0.5 for i in range(m)], labels=technologies, fontsize=8)
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


def plot_weighting_dots(comparison, *, threshold: float, ax=None):
    """Capability of each technology under each method, against the capability threshold.

    One marker shape per method (the base method larger, with a black edge), each method
    offset a little vertically; technologies in input order, those whose quadrant changes
    under some method marked with an asterisk.

    Parameters
    ----------
    comparison : pandas.DataFrame
        ``weighting_comparison.csv`` (see :func:`plot_weighting_heatmap`).
    threshold : float
        The capability threshold.
    ax : matplotlib Axes, optional
    """
    import matplotlib
    import numpy as np

    methods, technologies, capability, _, fragile, note = _comparison_arrays(comparison, threshold)
    ax = _axes(ax, figsize=weighting_figure_size(comparison, "weighting_dots"))
    n_methods, m = len(methods), len(technologies)
    colors = matplotlib.colormaps["tab10"].colors
    offsets = (np.arange(n_methods) - (n_methods - 1) / 2) * min(0.09, 0.7 / n_methods)
    for j, method in enumerate(methods):
        base = j == 0
        ax.scatter(
            capability[j], np.arange(m) + offsets[j], label=method + (" (base)" if base else ""),
            marker=_METHOD_MARKERS[j % len(_METHOD_MARKERS)], color=colors[j % len(colors)],
            s=42 if base else 22, edgecolor="black" if base else "none", linewidth=0.6,
            zorder=3 + base,
        )
    rows = np.broadcast_to(np.arange(m), fragile.shape) + offsets[:, None]
    if fragile.any():
        ax.scatter(capability[fragile], rows[fragile], s=130, facecolor="none", edgecolor="black",
                   linewidth=1.0, zorder=5, label="quadrant differs\nfrom the base method's")
    ax.axvline(threshold, color="black", linewidth=0.9, linestyle="--", zorder=2)
    ax.annotate(f"threshold {threshold:g}", (threshold, 0), xytext=(3, 2), textcoords="offset points",
                xycoords=("data", "axes fraction"), fontsize=7.5)
    moved = fragile.any(axis=0)
    labels = [f"* {name}" if changes else name for name, changes in zip(technologies, moved)]
    ax.set_yticks(range(m), labels=labels, fontsize=8)
    for tick, changes in zip(ax.get_yticklabels(), moved):
        tick.set_fontweight("bold" if changes else "normal")
    ax.set_ylim(m - 0.5, -0.5)
    ax.grid(axis="y", color="0.9", linewidth=0.6, zorder=0)
    ax.set_xlabel("technological capability base")
    ax.set_title(f"capability under each weighting method (*: quadrant changes){note}", fontsize=10)
    ax.legend(title="weighting", fontsize=8, title_fontsize=8, loc="upper left",
              bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


def sobol_outputs(sobol) -> list[str]:
    """The outputs analysed in a ``sobol.csv`` table, in order."""
    return list(dict.fromkeys(sobol["output"]))


def _sobol_output(sobol, output):
    """The output to show: the one asked for, else ``retained`` when analysed, else the first."""
    outputs = sobol_outputs(sobol)
    if output is None:
        return "retained" if "retained" in outputs else outputs[0]
    if output not in outputs:
        raise ValueError(f"output must be one of the analysed outputs {outputs}, got {output!r}")
    return output


def _check_index(index):
    if index not in ("ST", "S1"):
        raise ValueError(f"index must be 'ST' or 'S1', got {index!r}")


def plot_sobol_heatmap(sobol, *, scrambles: int, confidence: float = 0.95, output=None, index="ST",
                       ax=None):
    """Sobol' indices of one output as a technologies x factors grid, with their intervals.

    Parameters
    ----------
    sobol : pandas.DataFrame
        ``sobol.csv`` (:meth:`robust.SobolResult.to_frame`).
    scrambles : int
        Number of scrambled designs (for the captions).
    confidence : float
        Level of the intervals (for the captions).
    output : str, optional
        Default ``retained`` (the quadrant) when it was analysed, else the first output.
    index : {"ST", "S1"}
        Total (default) or first-order index.
    ax : matplotlib Axes, optional

    Each cell shows the index and, below it, its interval between scrambles. Cells of
    outputs that never vary for a technology are hatched and marked "n/a". For
    ``retained`` each row label carries the technology's retention.
    """
    import numpy as np
    from matplotlib.patches import Rectangle

    _check_index(index)
    output = _sobol_output(sobol, output)
    frame = sobol[sobol["output"] == output]
    technologies = list(dict.fromkeys(frame["technology"]))
    factors = list(dict.fromkeys(frame["factor"]))
    note = ""
    if len(technologies) > MAX_LABELLED:  # the lowest output means (retentions) first
        means = frame.drop_duplicates("technology").set_index("technology")["output_mean"]
        kept = set(means.sort_values(kind="stable").index[:MAX_LABELLED])
        technologies = [t for t in technologies if t in kept]
        note = f"; the {MAX_LABELLED} of {len(means)} technologies with the lowest mean"

    def grid(column):
        table = frame.pivot(index="technology", columns="factor", values=column)
        return table.loc[technologies, factors].to_numpy(dtype=float)

    values, low, high = grid(index), grid(f"{index}_low"), grid(f"{index}_high")
    used = grid("scrambles_used")
    ax = _axes(ax, figsize=sobol_heatmap_size(len(technologies)))
    image = ax.imshow(np.clip(values, 0, 1), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for (row, column), value in np.ndenumerate(values):
        if np.isnan(value):
            ax.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, facecolor="#f0f0f0",
                                   edgecolor="#bdbdbd", hatch="///", linewidth=0))
            ax.text(column, row, "n/a", ha="center", va="center", fontsize=7, color="#404040")
            continue
        color = "white" if value > 0.6 else "black"
        ax.text(column, row - 0.13, _two_decimals(value), ha="center", va="center", fontsize=7.5,
                color=color)
        interval = (f"[{_two_decimals(low[row, column])}, {_two_decimals(high[row, column])}]"
                    if np.isfinite(low[row, column]) else
                    f"(from {used[row, column]:.0f} of {scrambles} scrambles)")
        ax.text(column, row + 0.22, interval, ha="center", va="center", fontsize=5.5, color=color)
    labels = technologies
    if output == "retained":
        mean = frame.drop_duplicates("technology").set_index("technology")["output_mean"]
        labels = [f"{name} ({_share(mean[name])})" for name in technologies]
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xticks(range(len(factors)), [f.replace("_", " ") for f in factors], rotation=30,
                  ha="right", fontsize=8)
    ax.set_xlabel("factor")
    ax.set_ylabel("technology (retention)" if output == "retained" else "technology")
    name = "total-order index ST" if index == "ST" else "first-order index S1"
    ax.set_title(f"Sobol' {name} of {output.replace('_', ' ')} (below each: "
                 f"{confidence:.0%} interval over {scrambles} scrambles){note}", fontsize=9)
    ax.figure.colorbar(image, ax=ax, label=name, shrink=0.8)
    return ax


def sobol_heatmap_size(n_technologies: int) -> tuple[float, float]:
    return (8.0, max(4.0, 1.2 + 0.4 * min(n_technologies, MAX_LABELLED)))


def _two_decimals(value: float) -> str:
    """Two decimals without a negative zero."""
    return f"{round(value, 2) + 0.0:.2f}"


def _share(value: float) -> str:
    """A retention for a label: 3 decimals, but never rounded up to a misleading 1.000."""
    return ">0.999" if 0.999 < value < 1 else f"{value:.3f}"


def plot_sobol_bars(sobol, technology, *, scrambles: int, confidence: float = 0.95, output=None,
                    ax=None):
    """First-order and total indices of one technology's output, per factor, with intervals.

    The error bars are the intervals between scrambles (``S1_low``/``S1_high``,
    ``ST_low``/``ST_high``). Bars are hatched as well as shaded (greyscale readable).
    """
    import numpy as np

    output = _sobol_output(sobol, output)
    rows = _sobol_rows(sobol, technology, output)
    ax = _axes(ax, figsize=(7.0, 4.8))
    positions = np.arange(len(rows))
    width = 0.38
    for offset, index, style in ((-width / 2, "S1", {"color": "white", "hatch": "///"}),
                                 (width / 2, "ST", {"color": "#6b6b6b", "hatch": ""})):
        estimate = rows[index].to_numpy(dtype=float)
        errors = np.vstack([estimate - rows[f"{index}_low"], rows[f"{index}_high"] - estimate])
        ax.bar(positions + offset, np.nan_to_num(estimate), width, edgecolor="black", linewidth=0.8,
               label="first order S1" if index == "S1" else "total ST", **style)
        ax.errorbar(positions + offset, estimate, yerr=np.nan_to_num(errors), fmt="none",
                    ecolor="black", capsize=3, linewidth=0.9)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xticks(positions, [f.replace("_", " ") for f in rows["factor"]], rotation=20, ha="right")
    ax.set_ylabel("Sobol' index (share of variance)")
    first = rows.iloc[0]
    summary = f"{output.replace('_', ' ')}"
    if not first["applicable"]:
        summary += ": never varies (indices not applicable)"
    elif output == "retained":
        summary += (f", retention {_share(first['output_mean'])} "
                    f"[{first['output_mean_low']:.3f}, {first['output_mean_high']:.3f}]")
    ax.set_title(f"{technology}: {summary}", fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=8, frameon=False,
              title=f"bars: {confidence:.0%} interval over {scrambles} scrambles", title_fontsize=8)
    return ax


def _sobol_rows(sobol, technology, output):
    if technology not in set(sobol["technology"]):
        raise ValueError(f"technology {technology!r} is not in the result")
    return sobol[(sobol["technology"] == technology) & (sobol["output"] == output)]


def plot_sobol_convergence(convergence, technology, *, output="retained", index="ST", legend=True,
                           ax=None):
    """One technology's indices against the base sample size n, every factor, with intervals.

    Parameters
    ----------
    convergence : pandas.DataFrame
        ``sobol_convergence.csv`` (:meth:`robust.SobolResult.convergence_frame`).
    technology : str
    output : str
    index : {"ST", "S1"}
    legend : bool
        Draw the legend of the factors.
    ax : matplotlib Axes, optional

    Each curve is the mean over scrambles of the estimate on the first n base points;
    the band is its interval between scrambles.
    """
    _check_index(index)
    frame = convergence[(convergence["technology"] == technology) & (convergence["output"] == output)]
    ax = _axes(ax, figsize=(6.0, 4.0))
    markers = ["o", "s", "^", "D", "v", "P", "X", "*"]
    styles = ["-", "--", ":", "-."]
    greys = ["#000000", "#4d4d4d", "#808080"]
    for number, factor in enumerate(dict.fromkeys(convergence["factor"])):
        curve = frame[frame["factor"] == factor]
        color = greys[number % len(greys)]
        ax.fill_between(curve["n"], curve[f"{index}_low"], curve[f"{index}_high"], color=color,
                        alpha=0.12, linewidth=0)
        ax.plot(curve["n"], curve[index], color=color, marker=markers[number % len(markers)],
                linestyle=styles[number % len(styles)], markersize=3.5, linewidth=1.0,
                label=factor.replace("_", " "))
    ax.set_xscale("log", base=2)
    ax.set_xlabel("base sample size n")
    ax.set_ylabel(index)
    ax.set_title(f"{technology}: {output.replace('_', ' ')}", fontsize=9)
    if frame.empty:
        ax.text(0.5, 0.5, "never varies (not applicable)", transform=ax.transAxes, ha="center")
    elif legend:
        ax.legend(fontsize=7, loc="best")
    return ax
