"""Every figure of a result folder, drawn from its saved tables alone.

A run calls :func:`draw_figures` after writing its tables, and ``robust plot DIR`` calls it
again on a finished folder (:func:`robust.app.experiment.redraw`): the figures are
functions of the CSV files and the resolved config in ``manifest.json``, nothing else.

:func:`figure_jobs` lists the figures the folder's tables support, one :class:`FigureJob`
each, and :func:`draw_figure` draws one of them; the caller decides where the jobs run (one
after the other, or on workers: each figure reads its own tables, so the files do not depend
on the order or the number of workers). The ``[figures]`` config section is
:class:`FiguresSpec`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..analyses.bootstrap.spec import SCHEMES
from ..core import rules
from ..core.composite import normalized
from ..io.results import read_result_table
from ..plotting.filtering import filtering_heatmap_size, plot_filtering_heatmap
from ..plotting.quadrants import (
    ORIENTATIONS,
    convergence_size,
    plot_quadrant_map,
    plot_quadrant_probability_panels,
    plot_retention_convergence,
    quadrant_probability_panels_size,
)
from ..plotting.ranks import plot_rank_intervals, rank_figure_size
from ..plotting.sobol import (
    plot_sobol_bar_panels,
    plot_sobol_convergence,
    plot_sobol_heatmap,
    sobol_bar_panels_size,
    sobol_heatmap_size,
    sobol_outputs,
)
from ..plotting.specifications import plot_specification_shares, specification_shares_size
from ..plotting.style import FORMATS, LABEL_MODES, blank_figure, new_figure, save_figure
from ..plotting.weightings import (
    plot_weighting_dots,
    plot_weighting_heatmap,
    weighting_figure_size,
)
from ..plotting.weightspace import plot_weight_space

WEIGHT_SPACE_RADIUS = 0.25  # a weight-space picture for each technology with a weight radius below this
CONVERGENCE_PANELS = 12  # technologies in the convergence figures (least stable first)
SOBOL_BAR_PANELS = 24    # at most this many technologies in the Sobol bar panels (least stable first)


@dataclass(frozen=True)
class FiguresSpec:
    """The ``[figures]`` config section.

    Parameters
    ----------
    orientation : {"figure3", "figure2"}
        The quadrant map with capability on the horizontal axis, as the paper's Figure 3
        (default), or on the vertical one.
    formats : list of {"png", "pdf"}
        The files written per figure (PNG at 150 dpi, PDF for print).
    labels : {"en", "zh", "both"}, optional
        The technology ids, the ``[data] label`` names, or both, on every figure; default
        ``both`` when ``[data] label`` is set, else ``en``.
    """

    orientation: str = "figure3"
    formats: tuple[str, ...] = FORMATS
    labels: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "orientation", rules.text(self.orientation, "orientation", choices=ORIENTATIONS))
        formats = list(self.formats) if isinstance(self.formats, tuple) else self.formats
        object.__setattr__(self, "formats", rules.names(formats, "formats", choices=FORMATS, what="file formats"))
        if self.labels is not None:
            object.__setattr__(self, "labels", rules.text(self.labels, "labels", choices=LABEL_MODES))

    def resolved(self) -> dict:
        return {"orientation": self.orientation, "formats": list(self.formats), "labels": self.labels}


@dataclass(frozen=True)
class FigureJob:
    """One figure to draw: its file stem, its kind (a key of :data:`DRAWERS`) and parameters."""

    stem: str
    kind: str
    parameters: tuple = ()


@dataclass(frozen=True)
class _Context:
    """What every figure needs besides its own tables: the config's settings and the labels."""

    folder: Path
    config: dict
    spec: FiguresSpec
    names: dict | None

    @property
    def label_mode(self) -> str:
        return self.spec.labels or ("both" if self.names else "en")

    @property
    def labelling(self) -> dict:
        return {"names": self.names, "label_mode": self.label_mode}


def figures_spec(config: dict) -> FiguresSpec:
    """The ``[figures]`` settings of a resolved config (defaults for a folder written before them)."""
    return FiguresSpec(**config.get("figures", {}))


def _context(folder: Path, config: dict) -> _Context:
    scores = read_result_table(folder, "scores.csv")
    names = None
    if scores is not None and "label" in scores:
        names = dict(zip(scores["technology"].astype(str), scores["label"].astype(str)))
    return _Context(Path(folder), config, figures_spec(config), names)


def figure_jobs(folder: str | Path, config: dict) -> list[FigureJob]:
    """The figures the tables in ``folder`` support, in the order they are listed."""
    folder = Path(folder)
    jobs = []
    stability = read_result_table(folder, "stability.csv")
    if read_result_table(folder, "scores.csv") is not None:
        jobs.append(FigureJob("quadrant_map", "quadrant_map"))
    if stability is not None:
        jobs.append(FigureJob("quadrant_probabilities", "quadrant_probabilities"))
    if read_result_table(folder, "bootstrap_convergence.csv") is not None:
        jobs.append(FigureJob("retention_convergence", "retention_convergence"))
    if read_result_table(folder, "weighting_comparison.csv") is not None:
        jobs += [FigureJob("weighting_heatmap", "weighting_heatmap"), FigureJob("weighting_dots", "weighting_dots")]
    sobol = read_result_table(folder, "sobol.csv")
    if sobol is not None:
        jobs.append(FigureJob("sobol_heatmap", "sobol_heatmap"))
        output = _sobol_output(sobol)
        converging = _least_stable(sobol, output, CONVERGENCE_PANELS, estimable_only=True)
        if converging and read_result_table(folder, "sobol_convergence.csv") is not None:
            jobs.append(FigureJob("sobol_convergence", "sobol_convergence"))
        if output == "retained" and _least_stable(sobol, output, SOBOL_BAR_PANELS):
            jobs.append(FigureJob("sobol_bars", "sobol_bars"))
    if read_result_table(folder, "filtering.csv") is not None and read_result_table(folder, "scores.csv") is not None:
        jobs.append(FigureJob("filtering_heatmap", "filtering_heatmap"))
    ranks = read_result_table(folder, "ranks.csv")
    if ranks is not None and len(ranks):
        jobs.append(FigureJob("rank_intervals", "rank_intervals"))

    if read_result_table(folder, "specification_shares.csv") is not None:
        jobs.append(FigureJob("specification_shares", "specification_shares"))
    jobs += [FigureJob(f"weight_space_{number:02d}_{_slug(technology)}", "weight_space", (technology,))
             for number, technology in _weight_space_technologies(folder, config)]
    return jobs


def draw_figure(job: FigureJob, folder: str | Path, config: dict) -> list[str]:
    """Draw one figure and save it in every configured format; returns the files written."""
    context = _context(Path(folder), config)
    figure = DRAWERS[job.kind](context, *job.parameters)
    return save_figure(figure, context.folder, job.stem, context.spec.formats)


def draw_figures(folder: str | Path, config: dict, *, run_jobs=None) -> list[str]:
    """Draw every figure the tables in ``folder`` support; returns the files written.

    Parameters
    ----------
    folder : path
        A result folder (or a staging folder being written).
    config : dict
        The resolved config (``manifest.json``'s ``config``).
    run_jobs : callable, optional
        ``run_jobs(function, jobs)`` yields ``function(job)`` for each job, in order (e.g. on
        workers); default one after the other.
    """
    jobs = figure_jobs(folder, config)
    draw = functools.partial(draw_figure, folder=Path(folder), config=config)
    results = run_jobs(draw, jobs) if run_jobs is not None else map(draw, jobs)
    return [path for written in results for path in written]


def _quadrant_map(context: _Context):
    scores = read_result_table(context.folder, "scores.csv")
    stability = read_result_table(context.folder, "stability.csv")
    scheme = quadrant_map_scheme(stability)
    figure, ax = new_figure(figsize=(8.5, 7.8))
    plot_quadrant_map(scores, capability_threshold=context.config["capability"]["threshold"],
                      dynamism_threshold=context.config["dynamism"]["threshold"],
                      stability=stability if scheme else None, scheme=scheme or "technologies",
                      names=[context.names[t] for t in scores["technology"].astype(str)] if context.names else None,
                      orientation=context.spec.orientation, label_mode=context.label_mode, ax=ax)
    return figure


def _quadrant_probabilities(context: _Context):
    stability = read_result_table(context.folder, "stability.csv")
    schemes = stability["scheme"].nunique()
    figure = blank_figure(quadrant_probability_panels_size(int(len(stability) / schemes), schemes))
    plot_quadrant_probability_panels(stability, confidence=_confidence(context.config), figure=figure,
                                     **context.labelling)
    return figure


def _retention_convergence(context: _Context):
    convergence = read_result_table(context.folder, "bootstrap_convergence.csv")
    final = convergence.groupby(["technology", "scheme"], sort=False)["retention"].last()
    panels = min(CONVERGENCE_PANELS, int((final.groupby(level="technology").min() < 1).sum()))
    figure = blank_figure(convergence_size(panels))
    plot_retention_convergence(convergence, figure=figure, max_panels=CONVERGENCE_PANELS, **context.labelling)
    return figure


def _weighting_heatmap(context: _Context):
    comparison = read_result_table(context.folder, "weighting_comparison.csv")
    figure, ax = new_figure(figsize=weighting_figure_size(comparison, "weighting_heatmap"))
    plot_weighting_heatmap(comparison, threshold=context.config["capability"]["threshold"], ax=ax,
                           **context.labelling)
    return figure


def _weighting_dots(context: _Context):
    comparison = read_result_table(context.folder, "weighting_comparison.csv")
    figure, (ax, zoom) = new_figure(figsize=weighting_figure_size(comparison, "weighting_dots"), ncols=2,
                                    width_ratios=[2.2, 1])
    plot_weighting_dots(comparison, threshold=context.config["capability"]["threshold"], ax=ax, zoom_ax=zoom,
                        **context.labelling)
    return figure


def _sobol_output(sobol: pd.DataFrame) -> str:
    outputs = sobol_outputs(sobol)
    return "retained" if "retained" in outputs else outputs[0]


def _least_stable(sobol: pd.DataFrame, output: str, count: int, *, estimable_only: bool = False) -> list[str]:
    """The technologies whose output varies, lowest mean (retention) first, at most ``count``;
    with ``estimable_only``, not those whose changes are too rare to apportion."""
    rows = sobol[(sobol["output"] == output)].drop_duplicates("technology")
    keep = rows["applicable"].astype(bool)
    if estimable_only and "estimable" in rows:
        keep &= rows["estimable"].astype(bool)
    return list(rows[keep].sort_values("output_mean", kind="stable")["technology"][:count])


def _sobol_heatmap(context: _Context):
    sobol, spec = read_result_table(context.folder, "sobol.csv"), context.config["sobol"]
    output = _sobol_output(sobol)
    figure, ax = new_figure(figsize=sobol_heatmap_size(sobol[sobol["output"] == output]["technology"].nunique()))
    plot_sobol_heatmap(sobol, scrambles=spec["scrambles"], confidence=spec["confidence"], output=output, ax=ax,
                       **context.labelling)
    return figure


def _sobol_convergence(context: _Context):
    from ..plotting.style import technology_labels

    sobol, spec = read_result_table(context.folder, "sobol.csv"), context.config["sobol"]
    convergence = read_result_table(context.folder, "sobol_convergence.csv")
    output = _sobol_output(sobol)
    shown = _least_stable(sobol, output, CONVERGENCE_PANELS, estimable_only=True)
    rare = len(_least_stable(sobol, output, len(sobol))) - len(_least_stable(sobol, output, len(sobol),
                                                                            estimable_only=True))
    columns = min(3, len(shown))
    n_rows = -(-len(shown) // columns)
    figure, axes = new_figure(figsize=(4.0 * columns, 2.9 * n_rows + 0.8), nrows=n_rows, ncols=columns,
                              squeeze=False, sharex=True, sharey=True)
    titles, font = technology_labels(shown, context.names, context.label_mode)
    for number, ax in enumerate(axes.flat):
        if number < len(shown):
            plot_sobol_convergence(convergence, shown[number], output=output, legend=False, ax=ax)
            ax.set_title(titles[number], fontsize=9, **font)
        else:
            ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncol=len(labels), fontsize=8, frameon=False)
    figure.suptitle(f"Convergence of ST of {output.replace('_', ' ')} with n (band: interval over "
                    f"{spec['scrambles']} scrambles); {len(shown)} technologies, lowest mean first"
                    + (f"; {rare} with too rare changes left out" if rare else ""), fontsize=10)
    return figure


def _sobol_bars(context: _Context):
    sobol, spec = read_result_table(context.folder, "sobol.csv"), context.config["sobol"]
    shown = _least_stable(sobol, "retained", SOBOL_BAR_PANELS)
    technologies = [t for t in dict.fromkeys(sobol["technology"]) if t in set(shown)]  # input order
    figure = blank_figure(sobol_bar_panels_size(len(technologies)))
    plot_sobol_bar_panels(sobol, technologies, scrambles=spec["scrambles"], confidence=spec["confidence"],
                          figure=figure, **context.labelling)
    return figure


def _filtering_heatmap(context: _Context):
    filtering = read_result_table(context.folder, "filtering.csv")
    scores = read_result_table(context.folder, "scores.csv")
    retention = filtering_retention(read_result_table(context.folder, "filtering_quadrants.csv"), scores)
    figure, ax = new_figure(figsize=filtering_heatmap_size(filtering))
    plot_filtering_heatmap(filtering, retention=retention, ax=ax, **context.labelling)
    return figure


def _rank_intervals(context: _Context):
    ranks = read_result_table(context.folder, "ranks.csv")
    figure, ax = new_figure(figsize=rank_figure_size(ranks))
    plot_rank_intervals(ranks, ax=ax, **context.labelling)
    return figure


def filtering_retention(quadrants: pd.DataFrame | None, scores: pd.DataFrame) -> dict | None:
    """Technology -> share of the filtering draws in its base quadrant (``filtering_quadrants.csv``)."""
    if quadrants is None:
        return None
    base = dict(zip(scores["technology"], scores["quadrant"]))
    own = quadrants[quadrants["quadrant"] == quadrants["technology"].map(base)]
    return dict(zip(own["technology"], own["probability"]))



def _specification_shares(context: _Context):
    shares = read_result_table(context.folder, "specification_shares.csv")
    figure, ax = new_figure(figsize=specification_shares_size(len(shares)))
    plot_specification_shares(shares, ax=ax, **context.labelling)
    return figure


def weight_space_inputs(folder: Path, config: dict):
    """From a folder's tables: technologies, indicators, capability inputs ``(m, k)``, base weights.

    The inputs are the cells of ``inputs.csv`` (normalised when the model is); the
    weights are the base method's rows of ``weights.csv``. None when a table is missing.
    """
    inputs, weights = read_result_table(folder, "inputs.csv"), read_result_table(folder, "weights.csv")
    if inputs is None or weights is None:
        return None
    indicators = config["capability"]["indicators"]
    values = normalized(inputs[indicators].to_numpy(dtype=float), config["capability"]["normalize"])
    base = weights[weights["method"] == weights["method"].iloc[0]].set_index("indicator").loc[indicators, "weight"]
    return list(inputs["technology"]), indicators, values, base.to_numpy(dtype=float)


def quadrant_map_scheme(stability: pd.DataFrame | None) -> str | None:
    """The scheme whose intervals and retentions the quadrant map shows: the first that ran."""
    if stability is None:
        return None
    return next((s for s in SCHEMES if s in set(stability["scheme"])), None)


def _weight_space_technologies(folder: Path, config: dict) -> list[tuple[int, str]]:
    """(row number, technology) of each technology whose weight radius is below :data:`WEIGHT_SPACE_RADIUS`."""
    tipping = read_result_table(folder, "tipping.csv")
    found = weight_space_inputs(folder, config)
    if tipping is None or found is None or len(found[1]) < 3:
        return []
    technologies = found[0]
    near = tipping[tipping["weight_radius_linf"] < WEIGHT_SPACE_RADIUS]["technology"]
    return [(technologies.index(technology) + 1, technology) for technology in near]


def _weight_space(context: _Context, technology: str):
    from ..plotting.style import technology_labels

    technologies, indicators, values, weights = weight_space_inputs(context.folder, context.config)
    i = technologies.index(technology)
    central = read_result_table(context.folder, "central_weights.csv")
    points = {}
    if central is not None:
        own = central[central["technology"] == technology]
        for quadrant, rows in own.groupby("quadrant", sort=False):
            points[quadrant] = rows.set_index("indicator").loc[indicators, "weight"].to_numpy(dtype=float)
    (title,), font = technology_labels([technology], context.names, context.label_mode)
    figure, ax = new_figure(figsize=(6.4, 5.8))
    plot_weight_space(values[i], weights, threshold=context.config["capability"]["threshold"], indicators=indicators,
                      technology=title, central=points, ax=ax)
    ax.title.set(**font)
    return figure


def _confidence(config: dict) -> float:
    return config.get("bootstrap", {}).get("confidence", 0.95)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


DRAWERS = {
    "quadrant_map": _quadrant_map,
    "quadrant_probabilities": _quadrant_probabilities,
    "retention_convergence": _retention_convergence,
    "weighting_heatmap": _weighting_heatmap,
    "weighting_dots": _weighting_dots,
    "sobol_heatmap": _sobol_heatmap,
    "sobol_convergence": _sobol_convergence,
    "sobol_bars": _sobol_bars,
    "filtering_heatmap": _filtering_heatmap,
    "rank_intervals": _rank_intervals,

    "specification_shares": _specification_shares,
    "weight_space": _weight_space,
}
