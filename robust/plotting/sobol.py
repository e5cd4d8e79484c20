"""Figures of the Sobol' analysis: the index heatmap, per-technology bars and convergence curves."""

from __future__ import annotations

from .style import MAX_LABELLED, axes_or_new


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
                       ax=None, names=None, label_mode: str = "both"):
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

    ``names`` and ``label_mode`` set the row labels (:func:`robust.plotting.style.technology_labels`).
    Each cell shows the index and, below it, its interval between scrambles; colours are
    shares of variance within [0, 1], and an estimate outside [0, 1] (kept raw in the table)
    is printed as "<0" or ">1" with its raw value below. Cells of outputs that never vary for
    a technology are hatched and marked "n/a"; rows whose output is too rare to apportion
    (``estimable`` false) are hatched and marked "rare". For ``retained`` each row label carries
    the technology's retention.
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
    estimable = grid("estimable") if "estimable" in frame else np.ones_like(values)
    ax = axes_or_new(ax, figsize=sobol_heatmap_size(len(technologies)))
    image = ax.imshow(np.clip(values, 0, 1), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for (row, column), value in np.ndenumerate(values):
        if np.isnan(value):
            ax.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, facecolor="#f0f0f0",
                                   edgecolor="#bdbdbd", hatch="///", linewidth=0))
            ax.text(column, row, "n/a", ha="center", va="center", fontsize=7, color="#404040")
            continue
        if not estimable[row, column]:
            ax.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, facecolor="#f7f7f7",
                                   edgecolor="#bdbdbd", hatch="...", linewidth=0))
            ax.text(column, row, "rare", ha="center", va="center", fontsize=7, color="#404040")
            continue
        color = "white" if value > 0.6 else "black"
        shown = "<0" if value < 0 else ">1" if value > 1 else _two_decimals(value)
        ax.text(column, row - 0.13, shown, ha="center", va="center", fontsize=7.5, color=color)
        interval = (f"[{_two_decimals(low[row, column])}, {_two_decimals(high[row, column])}]"
                    if np.isfinite(low[row, column]) else
                    f"(from {used[row, column]:.0f} of {scrambles} scrambles)")
        ax.text(column, row + 0.24, interval, ha="center", va="center", fontsize=6.5, color=color)
    from .style import technology_labels

    labels, font = technology_labels(technologies, names, label_mode)
    if output == "retained":
        mean = frame.drop_duplicates("technology").set_index("technology")["output_mean"]
        labels = [f"{label} ({_share(mean[name])})" for label, name in zip(labels, technologies)]
    ax.set_yticks(range(len(labels)), labels, fontsize=8, **font)
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
    return (9.5, max(4.0, 1.2 + 0.4 * min(n_technologies, MAX_LABELLED)))


def _two_decimals(value: float) -> str:
    """Two decimals without a negative zero."""
    return f"{round(value, 2) + 0.0:.2f}"


def _share(value: float) -> str:
    """A retention for a label: 3 decimals, but never rounded up to a misleading 1.000."""
    return ">0.999" if 0.999 < value < 1 else f"{value:.3f}"


def plot_sobol_bars(sobol, technology, *, scrambles: int, confidence: float = 0.95, output=None,
                    ax=None, title=None, legend: bool = True):
    """First-order and total indices of one technology's output, per factor, with intervals.

    The error bars are the intervals between scrambles (``S1_low``/``S1_high``,
    ``ST_low``/``ST_high``). Bars are shares of variance, drawn within [0, 1]; an estimate
    outside (kept raw in the table) is drawn at the bound and marked with a triangle. Each
    bar's top is a black dash, so an index of 0 shows as a dash on the zero line rather than
    as nothing; a missing estimate is marked "n/a". Bars are hatched as well as shaded
    (greyscale readable).

    Returns
    -------
    matplotlib Axes
    """
    import numpy as np

    output = _sobol_output(sobol, output)
    rows = _sobol_rows(sobol, technology, output)
    ax = axes_or_new(ax, figsize=(7.0, 4.8))
    positions = np.arange(len(rows))
    width = 0.38
    for offset, index, style in ((-width / 2, "S1", {"color": "white", "hatch": "///"}),
                                 (width / 2, "ST", {"color": "#6b6b6b", "hatch": ""})):
        raw = rows[index].to_numpy(dtype=float)
        estimate = np.clip(raw, 0, 1)
        low = np.clip(rows[f"{index}_low"].to_numpy(dtype=float), 0, 1)
        high = np.clip(rows[f"{index}_high"].to_numpy(dtype=float), 0, 1)
        errors = np.maximum(np.vstack([estimate - low, high - estimate]), 0)
        ax.bar(positions + offset, np.nan_to_num(estimate), width, edgecolor="black", linewidth=0.8,
               label="first order S1" if index == "S1" else "total ST", **style)
        known = ~np.isnan(estimate)
        ax.hlines(estimate[known], (positions + offset - width / 2)[known], (positions + offset + width / 2)[known],
                  color="black", linewidth=1.6, zorder=3)
        ax.errorbar(positions + offset, estimate, yerr=np.nan_to_num(errors), fmt="none",
                    ecolor="black", capsize=3, linewidth=0.9)
        for position in (positions + offset)[~known]:
            ax.text(position, 0.02, "n/a", ha="center", va="bottom", fontsize=7, rotation=90)
        outside = (raw < 0) | (raw > 1)
        if outside.any():
            ax.scatter((positions + offset)[outside], estimate[outside], marker="v", color="black", zorder=4,
                       label="estimate outside [0, 1] (raw value in sobol.csv)" if index == "ST" else None)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylim(-0.05, 1.08)
    ax.set_xticks(positions, [f.replace("_", " ") for f in rows["factor"]], rotation=25, ha="right", fontsize=8)
    ax.set_ylabel("share of variance")
    first = rows.iloc[0]
    summary = f"{output.replace('_', ' ')}"
    if not first["applicable"]:
        summary += ": never varies (indices not applicable)"
    elif "estimable" in rows and not bool(first["estimable"]):
        summary += f": too rare to apportion ({int(first['events'])} events; the bars are not findings)"
    elif output == "retained":
        summary += (f", retention {_share(first['output_mean'])} "
                    f"[{first['output_mean_low']:.3f}, {first['output_mean_high']:.3f}]")
    ax.set_title(f"{title or technology}\n{summary}", fontsize=9)
    if legend:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=3, fontsize=8, frameon=False,
                  title=f"bars: {confidence:.0%} interval over {scrambles} scrambles", title_fontsize=8)
    return ax


def plot_sobol_bar_panels(sobol, technologies, *, scrambles: int, confidence: float = 0.95, output=None,
                          figure=None, names=None, label_mode: str = "both"):
    """:func:`plot_sobol_bars` for several technologies as small multiples with one legend.

    Returns
    -------
    numpy array of matplotlib Axes (one per technology)
    """
    import numpy as np

    from .style import figure_or_new, technology_labels

    technologies = list(technologies)
    columns = max(1, min(3, len(technologies)))
    n_rows = max(1, -(-len(technologies) // columns))
    figure = figure_or_new(figure, sobol_bar_panels_size(len(technologies)))
    axes = np.asarray(figure.subplots(nrows=n_rows, ncols=columns, sharey=True, squeeze=False)).ravel()
    titles, font = technology_labels(technologies, names, label_mode)
    for ax, technology, title in zip(axes, technologies, titles):
        plot_sobol_bars(sobol, technology, scrambles=scrambles, confidence=confidence, output=output, ax=ax,
                        title=title, legend=False)
        ax.title.set(**font)
    for extra in axes[len(technologies):]:
        extra.set_visible(False)
    handles = {}
    for ax in axes[:len(technologies)]:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, handle)
    figure.legend(list(handles.values()), list(handles), loc="outside lower center", ncol=3, fontsize=8,
                  frameon=False, title=f"bars: {confidence:.0%} interval over {scrambles} scrambles",
                  title_fontsize=8)
    return axes


def sobol_bar_panels_size(panels: int) -> tuple[float, float]:
    columns = max(1, min(3, panels))
    return (4.6 * columns, 3.5 * max(1, -(-panels // columns)) + 1.0)


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
    ax = axes_or_new(ax, figsize=(6.0, 4.0))
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
