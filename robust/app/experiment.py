"""Running an experiment config end to end: validate, compute, write a result folder.

This is the layer behind ``robust run``. It validates the config and the table before
any computing, calls each analysis with its spec, and writes every output through a
staging folder (:mod:`robust.io.staging`).

A rerun into an earlier result folder of the same config and data whose tables all agree
with the new ones within :data:`robust.io.compare.RTOL` / :data:`~robust.io.compare.ATOL`
(floating-point results may differ in the last bits between machines) leaves that folder
as it was, so rerunning a committed experiment does not rewrite its files.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..compute.execution import Execution
from ..core.errors import InputError, SpecError
from ..core.scoring import ScoreResult, score
from ..core.table import IndicatorTable
from ..io.compare import compare_tables
from ..io.manifest import MANIFEST, package_versions, seal_manifest
from ..io.results import file_sha256, write_csv
from ..io.staging import staged_directory
from ..plotting.style import FIGURES
from ..records.lists import TableOrigin
from ..report.assemble import write_report
from ..report.figures import draw_figures
from .config import ExperimentConfig, config_digest
from .sections import SECTIONS


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
    """What a run wrote: the folder, its files, the seed and the config digest.

    ``kept`` is True when the folder already held these results and was left as it was.
    """

    out_dir: Path
    files: tuple[str, ...]
    seed: int
    config_sha256: str
    kept: bool = False


def scores_frame(base: ScoreResult, table: IndicatorTable, config: ExperimentConfig):
    """``scores.csv``: the base scores, with the ``[data] label`` column when configured."""
    frame = base.to_frame()
    if config.data.label is not None:
        frame["label"] = table.column_text(config.data.label)
    return frame


class Prepared(NamedTuple):
    """What :func:`prepare` returns: the table, its base scores, and what it was derived from."""

    table: IndicatorTable
    base: ScoreResult
    derived: TableOrigin | None = None  # records or ranked IPC lists: indicators.csv and ipc_top.csv


def prepare(config: ExperimentConfig) -> Prepared:
    """Load and validate the table (deriving it from records with ``[records]``, its IPC counts
    from ranked lists with ``[dynamism] ipc_lists``), score the base model and check every
    analysis section.

    Everything a run can reject is rejected here, before any expensive work.
    """
    table, derived = config.data.derive()
    base = score(table, config.model)
    for name, spec in config.analyses.items():
        try:
            SECTIONS[name].check(spec, table, config.model, **SECTIONS[name].derived_argument(derived))
        except SpecError as error:
            part = f".{error.part}" if error.part else ""
            raise InputError(f"{config.source}: [{name}{part}] {error}") from None
    return Prepared(table, base, derived)


def compute_tables(config: ExperimentConfig, prepared: Prepared, folder: Path,
                   execution: Execution, timings: dict | None = None) -> None:
    """Run every analysis of a seeded config and write its tables (no figures) into ``folder``.

    ``prepared`` is what :func:`prepare` returned for the config; a table derived from
    records or ranked IPC lists is written first (``indicators.csv``, ``ipc_top.csv``).
    """
    timings = {} if timings is None else timings
    table, base, derived = prepared
    if derived is not None:
        write_csv(derived.indicators, folder / "indicators.csv")
        write_csv(derived.ipc_top, folder / "ipc_top.csv")
    results = {}
    for name, spec in config.analyses.items():
        began = time.perf_counter()
        results[name] = SECTIONS[name].run(table, config.model, spec, execution=execution,
                                           rng=config.run.seed, **SECTIONS[name].derived_argument(derived))
        timings[f"{name}_seconds"] = time.perf_counter() - began
    write_csv(scores_frame(base, table, config), folder / "scores.csv")
    write_csv(base.weights_frame(), folder / "weights.csv")
    for name, result in results.items():
        SECTIONS[name].write(result, folder)


def holds_same_results(folder: Path, fresh: Path, manifest: dict) -> bool:
    """Whether ``folder`` is an intact result folder of the same config and data as ``fresh``
    whose tables all agree with ``fresh``'s (numbers within the tolerance, text exactly)."""
    try:
        earlier = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        intact = all(file_sha256(folder / name) == digest for name, digest in earlier["outputs"].items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    same_run = all(earlier.get(key) == manifest.get(key)
                   for key in ("config_sha256", "data_sha256", "ipc_lists_sha256", "seed_entropy"))
    return intact and same_run and not compare_tables(folder, fresh)


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
        From :func:`robust.app.config.load_config`.
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
        "data_sha256": config.data.sha256(),
        **({"ipc_lists_sha256": config.data.ipc_lists.sha256()} if config.data.ipc_lists is not None else {}),
        "seed_entropy": config.run.seed,
        "execution": {"n_jobs": execution.n_jobs, "backend": execution.backend},
        "versions": package_versions(),
    }
    with staged_directory(out_dir) as stage:
        compute_tables(config, prepared, stage.path, execution, timings)
        if out_dir.is_dir() and holds_same_results(out_dir, stage.path, manifest):
            stage.keep_destination = True
            files = sorted(path.relative_to(out_dir).as_posix() for path in out_dir.rglob("*") if path.is_file())
            return RunSummary(out_dir=out_dir, files=tuple(files), seed=config.run.seed,
                              config_sha256=manifest["config_sha256"], kept=True)
        began = time.perf_counter()
        draw_figures(stage.path, resolved)
        write_report(stage.path, manifest)
        timings["figures_and_report_seconds"] = time.perf_counter() - began
        timings["total_seconds"] = time.perf_counter() - started
        manifest["timings"] = {key: round(value, 3) for key, value in timings.items()}
        files = seal_manifest(stage.path, manifest)
    return RunSummary(out_dir=out_dir, files=tuple(files), seed=config.run.seed,
                      config_sha256=manifest["config_sha256"])


def redraw(folder: str | Path) -> list[str]:
    """Redraw the figures and the report of a finished result folder (``robust plot``).

    Nothing is recomputed: they are drawn from the saved tables and the manifest's config;
    the manifest's record of output digests is updated. Returns the files written.
    """
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
