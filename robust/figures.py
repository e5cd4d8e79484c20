"""Every figure of a result folder, drawn from its saved tables alone.

A run calls :func:`draw_figures` after writing its tables, and ``robust plot DIR`` calls it
again on a finished folder: the figures are functions of the CSV files and the resolved
config in ``manifest.json``, nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .output import MANIFEST
from .plots import (
    FIGURES,
    new_figure,
    plot_quadrant_map,
    plot_quadrant_probabilities,
    plot_retention_convergence,
    plot_weighting_dots,
    plot_weighting_heatmap,
    quadrant_probabilities_size,
    save_figure,
    weighting_figure_size,
)

MAP_SCHEMES = ("technologies", "noise", "jackknife", "drop_indicator")


def _read(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / name
    return pd.read_csv(path, keep_default_na=False, na_values=[""]) if path.is_file() else None


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

    scores = _read(folder, "scores.csv")
    stability = _read(folder, "stability.csv")
    if scores is not None:
        scheme = None
        if stability is not None:
            scheme = next((s for s in MAP_SCHEMES if s in set(stability["scheme"])), None)
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

    convergence = _read(folder, "bootstrap_convergence.csv")
    if convergence is not None:
        for scheme in dict.fromkeys(convergence["scheme"]):
            figure, ax = new_figure(figsize=(7.5, 5.0))
            plot_retention_convergence(convergence, scheme=scheme, ax=ax)
            written += save_figure(figure, folder, f"retention_convergence_{scheme}")

    comparison = _read(folder, "weighting_comparison.csv")
    if comparison is not None:
        for stem, plot in (("weighting_heatmap", plot_weighting_heatmap),
                           ("weighting_dots", plot_weighting_dots)):
            figure, ax = new_figure(figsize=weighting_figure_size(comparison, stem))
            plot(comparison, threshold=capability_threshold, ax=ax)
            written += save_figure(figure, folder, stem)
    return written


def redraw(folder: str | Path) -> list[str]:
    """Redraw the figures and the report of a finished result folder (``robust plot``).

    Nothing is recomputed: they are drawn from the saved tables and the manifest's config;
    the manifest's record of output digests is updated. Returns the files written.
    """
    from .output import package_versions, seal_manifest
    from .report import write_report

    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    old = folder / FIGURES
    if old.is_dir():
        for path in old.iterdir():
            if path.suffix in (".png", ".pdf"):
                path.unlink()
    written = draw_figures(folder, manifest["config"])
    written += write_report(folder, manifest)
    manifest["redrawn_with"] = package_versions()
    seal_manifest(folder, manifest)
    return written
