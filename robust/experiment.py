"""Running an experiment config end to end: validate, compute, write a result folder.

This is the layer behind ``robust run``. It validates the config and the table before
any computing, calls the Python API, and writes every output through a staging folder
(see :mod:`robust.output`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .analyses import RunContext, analysis_module
from .config import ExperimentConfig, config_digest
from .errors import InputError
from .figures import draw_figures
from .model import ScoreResult, score
from .output import (
    file_sha256,
    package_versions,
    seal_manifest,
    staged_directory,
    write_csv,
)
from .parallel import Execution
from .report import write_report
from .table import IndicatorTable


def resolve_seed(seed: int | None) -> int:
    """The seed to record: the one given, or fresh entropy from the operating system."""
    if seed is None:
        return int(np.random.SeedSequence().entropy)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def default_output_dir(config: ExperimentConfig) -> Path:
    """``results/<config file stem>/`` under the current directory."""
    return Path("results") / config.source.stem


@dataclass(frozen=True)
class RunSummary:
    """What a run wrote: the folder, its files, the seed and the config digest."""

    out_dir: Path
    files: tuple[str, ...]
    seed: int
    config_sha256: str


def scores_frame(base: ScoreResult, table: IndicatorTable, config: ExperimentConfig):
    """``scores.csv``: the base scores, with the ``[data] label`` column when configured."""
    frame = base.to_frame()
    if config.data.label is not None:
        frame["label"] = table.column_text(config.data.label)
    return frame


def prepare(config: ExperimentConfig) -> tuple[IndicatorTable, ScoreResult]:
    """Load and validate the table, score the base model and check every analysis section.

    Everything a run can reject is rejected here, before any expensive work.
    """
    table = config.data.load()
    base = score(table, config.model)
    for name, spec in config.analyses.items():
        try:
            analysis_module(name).check(spec, table, config.model)
        except InputError as error:
            if not str(error).startswith("["):
                raise
            raise InputError(f"{config.source}: {error}") from None  # name the config file
    return table, base


def compute_tables(config: ExperimentConfig, prepared: tuple[IndicatorTable, ScoreResult], folder: Path,
                   execution: Execution, timings: dict | None = None) -> None:
    """Run every analysis of a seeded config and write its tables (no figures) into ``folder``.

    ``prepared`` is what :func:`prepare` returned for the config.
    """
    timings = {} if timings is None else timings
    table, base = prepared
    context = RunContext(table=table, model=config.model, base=base, seed=config.run.seed,
                         execution=execution)
    results = {}
    for name, spec in config.analyses.items():
        began = time.perf_counter()
        results[name] = analysis_module(name).run_section(spec, context)
        timings[f"{name}_seconds"] = time.perf_counter() - began
    write_csv(scores_frame(base, table, config), folder / "scores.csv")
    write_csv(base.weights_frame(), folder / "weights.csv")
    for name, result in results.items():
        analysis_module(name).write_section(result, folder)


def run_experiment(
    config: ExperimentConfig,
    *,
    out_dir: str | Path | None = None,
    seed: int | None = None,
    n_jobs: int | None = None,
    backend: str | None = None,
    scheduler: str | None = None,
    progress: bool = False,
) -> RunSummary:
    """Run every analysis the config asks for and write the result folder.

    Parameters
    ----------
    config : ExperimentConfig
        From :func:`robust.config.load_config`.
    out_dir : path, optional
        Default ``results/<config file stem>/``.
    seed, n_jobs, backend, scheduler : optional
        Override the ``[run]`` settings.
    progress : bool
        Draw progress bars on stderr (when it is a terminal).
    """
    started = time.perf_counter()
    config = config.with_seed(resolve_seed(config.run.seed if seed is None else seed))
    backend = config.run.backend if backend is None else backend
    execution = Execution(
        n_jobs=config.run.n_jobs if n_jobs is None else n_jobs,
        backend=backend,
        scheduler=(config.run.scheduler if backend == config.run.backend else None)
        if scheduler is None else scheduler,
        progress=progress,
    )
    out_dir = default_output_dir(config) if out_dir is None else Path(out_dir)
    began = time.perf_counter()
    prepared = prepare(config)  # rejects bad input before anything is created
    timings: dict[str, float] = {"score_seconds": time.perf_counter() - began}
    resolved = config.resolved()
    manifest = {
        "config": resolved,
        "config_sha256": config_digest(resolved),
        "config_file": str(config.source),
        "data_sha256": file_sha256(config.data.file),
        "seed_entropy": config.run.seed,
        "execution": {"n_jobs": execution.n_jobs, "backend": execution.backend},
        "versions": package_versions(),
    }
    with staged_directory(out_dir) as staging:
        compute_tables(config, prepared, staging, execution, timings)
        began = time.perf_counter()
        draw_figures(staging, resolved)
        write_report(staging, manifest)
        timings["figures_and_report_seconds"] = time.perf_counter() - began
        timings["total_seconds"] = time.perf_counter() - started
        manifest["timings"] = {key: round(value, 3) for key, value in timings.items()}
        files = seal_manifest(staging, manifest)
    return RunSummary(out_dir=out_dir, files=tuple(files), seed=config.run.seed,
                      config_sha256=manifest["config_sha256"])
