"""Every figure of a result folder, drawn from its saved tables alone.

A run calls :func:`draw_figures` after writing its tables, and ``robust plot DIR`` calls it
again on a finished folder (:func:`robust.app.experiment.redraw`): the figures are
functions of the CSV files and the resolved config in ``manifest.json``, nothing else.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..analyses.bootstrap.analysis import SCHEMES
from ..io.results import read_result_table
from ..plotting.quadrants import (
    plot_quadrant_map,
    plot_quadrant_probabilities,
    plot_retention_convergence,
    quadrant_probabilities_size,
)
from ..plotting.sobol import (
    plot_sobol_bars,
    plot_sobol_convergence,
    plot_sobol_heatmap,
    sobol_heatmap_size,
    sobol_outputs,
)
from ..plotting.specifications import (
    plot_specification_shares,
    specification_shares_size,
)
from ..plotting.style import new_figure, save_figure
from ..plotting.weightings import (
    plot_weighting_dots,
    plot_weighting_heatmap,
    weighting_figure_size,
)

CONVERGENCE_PANELS = 12  # technologies in the Sobol convergence figure (least stable first)
SOBOL_BAR_CHARTS = 24    # at most this many per-technology Sobol bar charts (least stable first)


def draw_figures(folder: str | Path, config: dict) -> list[str]:
    """Draw every figure the tables in ``folder`` support; returns the files written.

    Parameters
    ----------
    folder : path
        A result folder (or a staging folder being written).
    config : dict
        The resolved config (``manifest.json``'s ``config``): thresholds and confidence.
    """
    folder = Path(folder)
    capability_threshold = config["capability"]["threshold"]
    dynamism_threshold = config["dynamism"]["threshold"]
    confidence = config.get("bootstrap", {}).get("confidence", 0.95)
    written: list[str] = []

    scores = read_result_table(folder, "scores.csv")
    stability = read_result_table(folder, "stability.csv")
    if scores is not None:
        scheme = None
        if stability is not None:
            scheme = next((s for s in SCHEMES if s in set(stability["scheme"])), None)
        figure, ax = new_figure(figsize=(8.5, 7.0))
        plot_quadrant_map(scores, capability_threshold=capability_threshold,
                          dynamism_threshold=dynamism_threshold,
                          stability=stability if scheme else None, scheme=scheme or "technologies",
                          names=scores["label"] if "label" in scores else None, ax=ax)
        written += save_figure(figure, folder, "quadrant_map")

    if stability is not None:
        for scheme in dict.fromkeys(stability["scheme"]):
            n = int((stability["scheme"] == scheme).sum())
            figure, ax = new_figure(figsize=quadrant_probabilities_size(n))
            plot_quadrant_probabilities(stability, scheme=scheme, confidence=confidence, ax=ax)
            written += save_figure(figure, folder, f"quadrant_probabilities_{scheme}")

    convergence = read_result_table(folder, "bootstrap_convergence.csv")
    if convergence is not None:
        for scheme in dict.fromkeys(convergence["scheme"]):
            figure, ax = new_figure(figsize=(7.5, 5.0))
            plot_retention_convergence(convergence, scheme=scheme, ax=ax)
            written += save_figure(figure, folder, f"retention_convergence_{scheme}")

    comparison = read_result_table(folder, "weighting_comparison.csv")
    if comparison is not None:
        for stem, plot in (("weighting_heatmap", plot_weighting_heatmap),
                           ("weighting_dots", plot_weighting_dots)):
            figure, ax = new_figure(figsize=weighting_figure_size(comparison, stem))
            plot(comparison, threshold=capability_threshold, ax=ax)
            written += save_figure(figure, folder, stem)

    shares = read_result_table(folder, "specification_shares.csv")
    if shares is not None:
        figure, ax = new_figure(figsize=specification_shares_size(len(shares)))
        plot_specification_shares(shares, ax=ax)
        written += save_figure(figure, folder, "specification_shares")

    sobol = read_result_table(folder, "sobol.csv")
    if sobol is not None:
        convergence = read_result_table(folder, "sobol_convergence.csv")
        written += _sobol_figures(folder, sobol, convergence, config["sobol"])
    return written


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _sobol_figures(folder: Path, sobol: pd.DataFrame, convergence: pd.DataFrame | None,
                   spec: dict) -> list[str]:
    """The heatmap, the convergence panels and one bar chart per technology that can move."""
    scrambles, confidence = spec["scrambles"], spec["confidence"]
    outputs = sobol_outputs(sobol)
    output = "retained" if "retained" in outputs else outputs[0]
    rows = sobol[sobol["output"] == output].drop_duplicates("technology")
    figure, ax = new_figure(figsize=sobol_heatmap_size(len(rows)))
    plot_sobol_heatmap(sobol, scrambles=scrambles, confidence=confidence, output=output, ax=ax)
    written = save_figure(figure, folder, "sobol_heatmap")
    applicable = rows[rows["applicable"].astype(bool)]
    shown = list(applicable.sort_values("output_mean", kind="stable")["technology"][:CONVERGENCE_PANELS])
    if shown and convergence is not None:
        columns = min(3, len(shown))
        n_rows = -(-len(shown) // columns)
        figure, axes = new_figure(figsize=(4.0 * columns, 2.9 * n_rows + 0.6), nrows=n_rows,
                                  ncols=columns, squeeze=False)
        for number, ax in enumerate(axes.flat):
            if number < len(shown):
                plot_sobol_convergence(convergence, shown[number], output=output, legend=False, ax=ax)
            else:
                ax.set_visible(False)
        handles, labels = axes.flat[0].get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside lower center", ncol=len(labels), fontsize=8)
        figure.suptitle(f"Convergence of ST of {output.replace('_', ' ')} with n (band: interval "
                        f"over scrambles); {len(shown)} technologies, lowest mean first", fontsize=10)
        written += save_figure(figure, folder, "sobol_convergence")
    if output == "retained":
        technologies = list(dict.fromkeys(sobol["technology"]))
        least_stable = set(applicable.sort_values("output_mean", kind="stable")["technology"][:SOBOL_BAR_CHARTS])
        for technology in [t for t in applicable["technology"] if t in least_stable]:
            number = technologies.index(technology) + 1
            figure, ax = new_figure(figsize=(7.0, 4.8))
            plot_sobol_bars(sobol, technology, scrambles=scrambles, confidence=confidence, ax=ax)
            written += save_figure(figure, folder, f"sobol_bars_{number:02d}_{_slug(technology)}".rstrip("_"))
    return written
