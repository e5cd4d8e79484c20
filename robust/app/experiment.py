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
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..analyses.ranks import rank_frame
from ..compute.execution import Execution, map_chunks
from ..compute.progress import step
from ..core.display import Displayed
from ..core.errors import InputError, SpecError
from ..core.model import checked_capability_threshold, checked_composite, checked_raw_dynamism
from ..core.scoring import ScoreResult, score
from ..core.table import IndicatorTable
from ..io.compare import compare_tables
from ..io.manifest import (
    MANIFEST,
    changed_outputs,
    package_versions,
    read_manifest,
    run_environment,
    seal_manifest,
)
from ..io.results import read_result_table, write_csv
from ..io.staging import staged_directory
from ..plotting.style import FIGURES
from ..records.lists import TableOrigin
from ..report.assemble import write_report
from ..report.figures import draw_figures
from .budget import Estimate, check_estimate, estimate
from .config import ExperimentConfig, config_digest, load_config
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


@dataclass(frozen=True, repr=False)
class RunSummary(Displayed):
    """What a run wrote: the folder, its files, the seed and the config digest, and every
    analysis's result object (``results``, by config section: ``results["bootstrap"]`` is a
    :class:`~robust.BootstrapResult`, ...; ``scores`` the base model's).

    ``kept`` is True when the folder already held these results and was left as it was;
    ``replaced`` when an earlier result folder was replaced; ``carried`` lists the files and
    folders of an earlier folder that robust did not write and carried over into the new one.
    """

    out_dir: Path
    files: tuple[str, ...]
    seed: int
    config_sha256: str
    kept: bool = False
    carried: tuple[str, ...] = ()
    replaced: bool = False
    scores: ScoreResult | None = None
    results: dict = field(default_factory=dict)

    @property
    def report(self) -> Path:
        """The self-contained ``report.html`` of the folder."""
        return Path(self.out_dir).resolve() / "report.html"

    def verdicts(self) -> dict | None:
        """The folder's ``summary.json`` (verdict counts and per-technology verdicts), or None without one."""
        try:
            return json.loads((Path(self.out_dir) / "summary.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def summary(self) -> str:
        state = "kept" if self.kept else "wrote"
        text = f"{state} {Path(self.out_dir).resolve()} ({len(self.files)} files; seed {self.seed})"
        found = self.verdicts()
        if found and found.get("verdicts"):
            counts = found["verdicts"]
            text += "; verdicts " + ", ".join(f"{counts[kind]} {kind}" for kind in ("robust", "sensitive", "fragile"))
        return text

    def to_frame(self) -> pd.DataFrame:
        """The per-technology verdicts of ``summary.json`` (empty without it)."""
        found = self.verdicts()
        return pd.DataFrame(found["technologies"] if found else [])


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

    Everything a run can reject in the data and the config is rejected here, before any
    expensive work (:func:`check_budget` then refuses what could not finish).
    """
    table, derived = config.data.derive()
    checked_raw_dynamism(table, config.model)
    checked_composite(table, config.model, key=f"{config.source}: [capability] aggregation")
    checked_capability_threshold(table, config.model, key=f"{config.source}: [capability] threshold")
    base = score(table, config.model)
    for name, spec in config.analyses.items():
        try:
            SECTIONS[name].check(spec, table, config.model, **SECTIONS[name].derived_argument(derived))
        except SpecError as error:
            part = f".{error.part}" if error.part else ""
            raise InputError(f"{config.source}: [{name}{part}] {error}") from None
    return Prepared(table, base, derived)


def check_budget(config: ExperimentConfig, table: IndicatorTable, execution: Execution, *,
                 ignore: bool = False, derived: TableOrigin | None = None) -> Estimate:
    """The run's estimated time and memory (:mod:`robust.app.budget`); refused when it cannot finish.

    ``derived``: what :func:`prepare` derived the table from (the records a section may read again).
    """
    found = estimate({name: SECTIONS[name].cost(spec, table, execution, **SECTIONS[name].derived_argument(derived))
                      for name, spec in config.analyses.items()}, execution)
    check_estimate(found, str(config.source), ignore=ignore)
    return found


def compute_tables(config: ExperimentConfig, prepared: Prepared, folder: Path,
                   execution: Execution, timings: dict | None = None) -> dict:
    """Run every analysis of a seeded config and write its tables (no figures) into ``folder``, and
    ``ranks.csv`` from the analyses that count capability ranks (:mod:`robust.analyses.ranks`).

    ``prepared`` is what :func:`prepare` returned for the config; a table derived from
    records or ranked IPC lists is written first (``indicators.csv``, ``ipc_top.csv``).
    Returns the result objects by section name.
    """
    timings = {} if timings is None else timings
    table, base, derived = prepared
    if derived is not None:
        write_csv(derived.indicators, folder / "indicators.csv")
        write_csv(derived.ipc_top, folder / "ipc_top.csv")
    results = {}
    for name, spec in config.analyses.items():
        began = time.perf_counter()
        with step(name, execution.progress):
            results[name] = SECTIONS[name].run(table, config.model, spec, execution=execution,
                                               rng=config.run.seed, **SECTIONS[name].derived_argument(derived))
        timings[f"{name}_seconds"] = time.perf_counter() - began
    write_csv(table.to_frame(), folder / "inputs.csv")
    write_csv(scores_frame(base, table, config), folder / "scores.csv")
    write_csv(base.weights_frame(), folder / "weights.csv")
    for name, result in results.items():
        SECTIONS[name].write(result, folder)
    counts = {name: result.rank_counts() for name, result in results.items() if hasattr(result, "rank_counts")}
    counts = {name: found for name, found in counts.items() if found is not None}
    if counts:
        write_csv(rank_frame(table.technologies, base.capability, counts), folder / "ranks.csv")
    return results


def holds_same_results(folder: Path, fresh: Path, manifest: dict) -> dict | None:
    """The manifest of ``folder`` when it is an intact result folder of the same config, data and
    seed as ``fresh`` whose tables all agree with ``fresh``'s (numbers within the tolerance, text
    exactly) and that has its figures unless they are not asked for; else None. Files its
    manifest does not list (a user's) are not compared."""
    try:
        earlier = read_manifest(folder)
    except InputError:
        return None
    if changed_outputs(folder, earlier["outputs"]):
        return None
    if not all(earlier.get(key) == manifest.get(key)
               for key in ("config_sha256", "data_sha256", "ipc_lists_sha256", "seed_entropy")):
        return None
    if earlier.get("figures_drawn", True) is False and manifest.get("figures_drawn", True):
        return None  # written with --no-figures, and the figures are asked for now
    computed = [path.name for path in Path(fresh).glob("*.csv")]  # the report's tables come later, from these
    return None if compare_tables(folder, fresh, names=computed) else earlier


def run_experiment(
    config: ExperimentConfig | str | Path,
    *,
    out: str | Path | None = None,
    seed: int | None = None,
    n_jobs: int | None = None,
    backend: str | None = None,
    scheduler: str | None = None,
    progress: bool = False,
    ignore_estimate: bool = False,
    figures: bool = True,
) -> RunSummary:
    """Run every analysis the config asks for and write the result folder.

    Parameters
    ----------
    config : ExperimentConfig or path
        A config file (TOML), or one read by :func:`robust.app.config.load_config`.
    out : path, optional
        Default ``results/<config file stem>/`` under the current folder.
    seed, n_jobs, backend, scheduler : optional
        Override the ``[run]`` settings.
    progress : bool
        Draw progress bars on stderr (when it is a terminal).
    ignore_estimate : bool
        Run even when the up-front estimate exceeds the time limit or the machine's memory.
    figures : bool
        Draw the figures (on the run's workers); without them the report has none, and
        ``robust plot`` draws them later.
    """
    started = time.perf_counter()
    if not isinstance(config, ExperimentConfig):
        config = load_config(config)
    config = config.with_seed(resolve_seed(config.run.seed if seed is None else seed))
    backend = config.run.backend if backend is None else backend
    execution = Execution(
        n_jobs=config.run.n_jobs if n_jobs is None else n_jobs,
        backend=backend,
        scheduler=(config.run.scheduler if backend == config.run.backend else None)
        if scheduler is None else scheduler,
        progress=progress,
    )
    out_dir = default_output_dir(config) if out is None else Path(out)
    began = time.perf_counter()
    prepared = prepare(config)  # rejects bad input before anything is created
    expected = check_budget(config, prepared.table, execution, ignore=ignore_estimate, derived=prepared.derived)
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
        "estimate": expected.to_dict(),
        "versions": package_versions(),
        "environment": run_environment(),
    }
    if not figures:
        manifest["figures_drawn"] = False
    replacing = out_dir.is_dir() and (out_dir / MANIFEST).is_file()
    with staged_directory(out_dir) as stage:  # checks the target and writes nothing there yet
        results = compute_tables(config, prepared, stage.path, execution, timings)
        earlier = holds_same_results(out_dir, stage.path, manifest) if out_dir.is_dir() else None
        if earlier is not None:
            stage.keep_destination = True
            return RunSummary(out_dir=out_dir, files=tuple(sorted(earlier["outputs"])) + (MANIFEST,),
                              seed=config.run.seed, config_sha256=manifest["config_sha256"], kept=True,
                              scores=prepared[1], results=results)
        began = time.perf_counter()
        if figures:
            with step("figures", execution.progress):
                draw_figures(stage.path, resolved, run_jobs=figure_runner(execution))
        with step("report", execution.progress):
            write_report(stage.path, manifest)
        timings["figures_and_report_seconds"] = time.perf_counter() - began
        timings["total_seconds"] = time.perf_counter() - started
        manifest["timings"] = {key: round(value, 3) for key, value in timings.items()}
        files = seal_manifest(stage.path, manifest)
    return RunSummary(out_dir=out_dir, files=tuple(files), seed=config.run.seed,
                      config_sha256=manifest["config_sha256"], carried=tuple(stage.carried), replaced=replacing,
                      scores=prepared[1], results=results)


def figure_runner(execution: Execution):
    """Run figure jobs on the execution's workers (on this machine: dask workers elsewhere
    cannot see the staging folder), in job order."""
    local = execution if execution.backend != "dask" else replace(execution, backend="loky", scheduler=None)
    return lambda function, jobs: map_chunks(function, list(jobs), local, description="figures")


REPORT_FILES = ("report.md", "report.html", "summary.json")


def is_drawn(name: str) -> bool:
    """Whether a file of a result folder is drawn from its tables (a figure or the report)."""
    return name in REPORT_FILES or (name.startswith(f"{FIGURES}/") and name.endswith((".png", ".pdf")))


@dataclass(frozen=True)
class Redrawn:
    """What ``robust plot`` wrote (``files``: figures and report) and the changed tables it
    drew from under ``force`` (``unverified``, empty when every table is the computed one)."""

    files: tuple[str, ...]
    unverified: tuple[str, ...] = ()
    carried: tuple[str, ...] = ()


def _readable_tables(folder: Path, names) -> None:
    for name in names:
        try:
            read_result_table(folder, name)
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:  # ParserError is a ValueError
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise InputError(f"{folder / name}: cannot be read as a table ({reason})") from None


def redraw(folder: str | Path, *, force: bool = False, execution: Execution | None = None) -> Redrawn:
    """Redraw the figures and the report of a finished result folder (``robust plot``).

    Nothing is recomputed: they are drawn from the saved tables and the manifest's config.
    The tables are first checked against the SHA-256 recorded in the manifest; a changed or
    missing one is refused (one line naming it) unless ``force``, which draws from the tables
    as they are and records them in the manifest under ``unverified_tables`` (the recorded
    digests of the computed tables are kept, so the folder never vouches for a changed table).
    Everything is drawn into a staging folder that replaces the folder only when complete;
    files the manifest does not list are carried over (:mod:`robust.io.staging`). The figures
    are drawn on ``execution``'s workers (default one after the other).
    """
    folder = Path(folder)
    execution = Execution() if execution is None else execution
    manifest = read_manifest(folder)
    if not isinstance(manifest.get("config"), dict):
        raise InputError(f"{folder}: holds no run's results (its {MANIFEST} has no config); robust plot "
                         "redraws folders written by robust run")
    if config_digest(manifest["config"]) != manifest.get("config_sha256") and not force:
        raise InputError(f"{folder / MANIFEST}: its config does not match its recorded config_sha256 (edited "
                         "since the run?); rerun the experiment, or pass --force to draw with it as it is")
    tables = {name: digest for name, digest in manifest["outputs"].items() if not is_drawn(name)}
    tables |= {name: entry["recorded"] for name, entry in manifest.get("unverified_tables", {}).items()}
    if "scores.csv" not in tables:
        raise InputError(f"{folder}: its {MANIFEST} does not list scores.csv, so there is nothing to draw from")
    changed = changed_outputs(folder, tables)
    if changed and not force:
        name = sorted(changed)[0]
        more = f" (and {len(changed) - 1} more: {', '.join(sorted(changed)[1:4])})" if len(changed) > 1 else ""
        state = "is missing" if changed[name] is None else "changed since robust wrote it (its SHA-256 is not the recorded one)"
        raise InputError(f"{folder / name}: {state}{more}; robust plot draws only from the computed tables: "
                         "rerun the experiment, or pass --force to redraw from the tables as they are")
    if not (folder / "scores.csv").is_file():
        raise InputError(f"{folder / 'scores.csv'}: is missing, so there is nothing to draw from")
    present = [name for name in tables if (folder / name).is_file()]
    _readable_tables(folder, [name for name in present if name in changed and name.endswith(".csv")])
    with staged_directory(folder) as stage:
        for name in present:
            (stage.path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / name, stage.path / name)
        try:
            manifest.pop("figures_drawn", None)
            with step("figures", execution.progress):
                written = draw_figures(stage.path, manifest["config"], run_jobs=figure_runner(execution))
            written += write_report(stage.path, manifest)
        except (KeyError, ValueError, TypeError, IndexError, AttributeError) as error:
            if not force:
                raise  # verified tables and config: a bug, not bad input
            what = f"the changed tables ({', '.join(sorted(changed))})" if changed else f"its {MANIFEST}"
            raise InputError(f"{folder}: cannot draw from {what}: "
                             f"{type(error).__name__}: {error}".splitlines()[0]) from None
        manifest["redrawn_with"] = package_versions()
        manifest.pop("unverified_tables", None)
        if changed:
            manifest["unverified_tables"] = {name: {"recorded": tables[name], "found": found}
                                             for name, found in sorted(changed.items())}
        seal_manifest(stage.path, manifest, recorded={name: tables[name] for name in changed})
    return Redrawn(files=tuple(written), unverified=tuple(sorted(changed)), carried=tuple(stage.carried))
