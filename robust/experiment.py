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

from .config import ExperimentConfig, config_digest
from .model import score
from .output import MANIFEST, file_sha256, package_versions, staged_directory, write_csv, write_json


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


def run_experiment(
    config: ExperimentConfig,
    *,
    out_dir: str | Path | None = None,
    seed: int | None = None,
    n_jobs: int | None = None,
) -> RunSummary:
    """Run every analysis the config asks for and write the result folder.

    Parameters
    ----------
    config : ExperimentConfig
        From :func:`robust.config.load_config`.
    out_dir : path, optional
        Default ``results/<config file stem>/``.
    seed, n_jobs : int, optional
        Override ``[run] seed`` and ``[run] n_jobs``.
    """
    started = time.perf_counter()
    seed = resolve_seed(config.run.seed if seed is None else seed)
    config = config.with_seed(seed)
    n_jobs = config.run.n_jobs if n_jobs is None else n_jobs
    out_dir = default_output_dir(config) if out_dir is None else Path(out_dir)
    timings: dict[str, float] = {}

    table = config.data.load()
    base = score(table, config.model)
    timings["score_seconds"] = time.perf_counter() - started

    resolved = config.resolved()
    digest = config_digest(resolved)
    with staged_directory(out_dir) as staging:
        write_csv(base.to_frame(), staging / "scores.csv")
        write_csv(base.weights_frame(), staging / "weights.csv")
        files = sorted(path.name for path in staging.iterdir())
        timings["total_seconds"] = time.perf_counter() - started
        manifest = {
            "config": resolved,
            "config_sha256": digest,
            "config_file": str(config.source),
            "data_sha256": file_sha256(config.data.file),
            "seed_entropy": seed,
            "execution": {"n_jobs": n_jobs},
            "versions": package_versions(),
            "timings": {key: round(value, 3) for key, value in timings.items()},
            "outputs": {name: file_sha256(staging / name) for name in files},
        }
        write_json(manifest, staging / MANIFEST)
    return RunSummary(out_dir=out_dir, files=tuple(files) + (MANIFEST,), seed=seed, config_sha256=digest)
