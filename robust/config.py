"""Experiment config files (TOML): parsed strictly, with defaults resolved, before any work.

Unknown sections and keys are errors (with a suggestion for typos), as are values of the
wrong type. Every message names the config file and the ``[section] key`` at fault.
See ``experiments/data/example.toml`` for every option with comments.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .analyses import ANALYSES, analysis_module
from .datasets import BUILTIN_PREFIX, BUILTIN_TABLES, builtin_path
from .errors import InputError, read_user_file
from .model import FIXED_WEIGHT_TOLERANCE, ScoringModel
from .parallel import BACKENDS
from .scoring import NORMALIZE_OPTIONS
from .table import IndicatorTable, read_table
from .weighting import WEIGHTING_METHODS

_REQUIRED = object()


def _type_name(value) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


class Section:
    """Typed reads from one TOML table; :meth:`finish` rejects the keys nobody read."""

    def __init__(self, table: Any, name: str, label: str):
        self.label = label
        self.name = name
        if not isinstance(table, dict):
            raise InputError(f"{label}: [{name}] must be a table, got {_type_name(table)}")
        self.table = table
        self.known: list[str] = []

    def where(self, key: str) -> str:
        return f"{self.label}: [{self.name}] {key}"

    def _get(self, key: str, default):
        if key not in self.known:
            self.known.append(key)
        if key in self.table:
            return self.table[key]
        if default is _REQUIRED:
            raise InputError(f"{self.where(key)} is required")
        return default

    def has(self, key: str) -> bool:
        return key in self.table

    def text(self, key: str, default=_REQUIRED, choices: tuple[str, ...] | None = None):
        value = self._get(key, default)
        if value is default and default is not _REQUIRED:
            return value
        if not isinstance(value, str):
            raise InputError(f"{self.where(key)} must be a string, got {_type_name(value)} {value!r}")
        if choices is not None and value not in choices:
            raise InputError(
                f"{self.where(key)}: unknown value {value!r}; allowed: {', '.join(choices)}"
                + _suggestion(value, choices)
            )
        return value

    def number(self, key: str, default=_REQUIRED, *, low=None, high=None):
        value = self._get(key, default)
        if value is default and default is not _REQUIRED:
            return value
        return self._check_number(key, value, low, high)

    def _check_number(self, key, value, low, high):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"{self.where(key)} must be a number, got {_type_name(value)} {value!r}")
        if not math.isfinite(value):
            raise InputError(f"{self.where(key)} must be finite, got {value!r}")
        if (low is not None and value < low) or (high is not None and value > high):
            raise InputError(f"{self.where(key)} must be in [{low}, {high}], got {value!r}")
        return float(value)

    def integer(self, key: str, default=_REQUIRED, *, low=None, high=None):
        value = self._get(key, default)
        if value is default and default is not _REQUIRED:
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{self.where(key)} must be an integer, got {_type_name(value)} {value!r}")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f">= {low}" if high is None else f"in [{low}, {high}]"
            raise InputError(f"{self.where(key)} must be {bounds}, got {value}")
        return value

    def flag(self, key: str, default=_REQUIRED):
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise InputError(f"{self.where(key)} must be true or false, got {value!r}")
        return value

    def names(self, key: str, default=_REQUIRED, *, choices: tuple[str, ...] | None = None):
        value = self._get(key, default)
        if value is default and default is not _REQUIRED:
            return value
        if not isinstance(value, list) or not value:
            raise InputError(f"{self.where(key)} must be a non-empty list of strings, got {value!r}")
        for item in value:
            if not isinstance(item, str):
                raise InputError(f"{self.where(key)} must hold strings, got {_type_name(item)} {item!r}")
            if choices is not None and item not in choices:
                raise InputError(
                    f"{self.where(key)}: unknown value {item!r}; allowed: {', '.join(choices)}"
                    + _suggestion(item, choices)
                )
        repeated = [item for item in value if value.count(item) > 1]
        if repeated:
            raise InputError(f"{self.where(key)} lists {repeated[0]!r} more than once")
        return tuple(value)

    def numbers(self, key: str, default=_REQUIRED, *, low=None, high=None):
        value = self._get(key, default)
        if value is default and default is not _REQUIRED:
            return value
        if not isinstance(value, list) or not value:
            raise InputError(f"{self.where(key)} must be a non-empty list of numbers, got {value!r}")
        return tuple(self._check_number(key, item, low, high) for item in value)

    def raw(self, key: str, default=_REQUIRED):
        """The value as written, for keys with more than one accepted type."""
        return self._get(key, default)

    def subsection(self, key: str) -> "Section | None":
        value = self._get(key, None)
        return None if value is None else Section(value, f"{self.name}.{key}", self.label)

    def finish(self) -> None:
        for key in self.table:
            if key not in self.known:
                raise InputError(
                    f"{self.label}: [{self.name}] unknown key {key!r}; allowed: "
                    f"{', '.join(self.known)}" + _suggestion(key, self.known)
                )


def _suggestion(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True)
class DataSpec:
    """``[data]``: where the table is and which columns play which role."""

    path: str
    id: str
    file: Path
    indicators: tuple[str, ...]
    ipc_changes: tuple[str, ...] | None
    dynamism_score: str | None
    label: str | None = None

    def load(self) -> IndicatorTable:
        table = read_table(
            self.file,
            id_column=self.id,
            indicators=self.indicators,
            ipc_changes=self.ipc_changes,
            dynamism_score=self.dynamism_score,
            label=self.path if self.path.startswith(BUILTIN_PREFIX) else str(self.file),
        )
        if self.label is not None:
            table.column_text(self.label)  # the label column must exist
        return table


@dataclass(frozen=True)
class RunSpec:
    """``[run]``: seed and execution (command-line flags override).

    Only the seed can change a result; ``n_jobs``, ``backend`` and ``scheduler`` only
    decide where the work runs and are kept out of the config digest.
    """

    seed: int | None = None
    n_jobs: int = 1
    backend: str = "loky"
    scheduler: str | None = None


@dataclass(frozen=True)
class ExperimentConfig:
    """A parsed, validated experiment config with every default resolved."""

    source: Path
    data: DataSpec
    model: ScoringModel
    run: RunSpec
    analyses: dict = field(default_factory=dict)

    def resolved(self) -> dict:
        """The experiment as a plain dict: every setting that can change a result."""
        model = self.model
        dynamism = (
            {"ipc_changes": list(self.data.ipc_changes),
             "amplitudes": None if model.amplitudes is None else list(model.amplitudes)}
            if self.data.ipc_changes is not None
            else {"score": self.data.dynamism_score}
        )
        dynamism["threshold"] = model.dynamism_threshold
        resolved = {
            "data": {"path": self.data.path, "id": self.data.id, "label": self.data.label},
            "capability": {
                "indicators": list(self.data.indicators),
                "weighting": model.weighting if isinstance(model.weighting, str) else list(model.weighting),
                "normalize": model.normalize,
                "threshold": model.capability_threshold,
            },
            "dynamism": dynamism,
            "run": {"seed": self.run.seed},
        }
        for name, spec in self.analyses.items():
            resolved[name] = spec.resolved()
        return resolved

    def with_seed(self, seed: int | None) -> "ExperimentConfig":
        from dataclasses import replace

        return replace(self, run=replace(self.run, seed=seed))


def config_digest(resolved: dict) -> str:
    """SHA-256 of the resolved config, serialised as canonical JSON."""
    text = json.dumps(resolved, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


CORE_SECTIONS: tuple[str, ...] = ("data", "capability", "dynamism", "run")


def _data_file(path: str, config_path: Path, label: str) -> Path:
    if path.startswith(BUILTIN_PREFIX):
        name = path[len(BUILTIN_PREFIX):]
        if name not in BUILTIN_TABLES:
            raise InputError(
                f"{label}: [data] path: unknown built-in table {path!r}; allowed: "
                + ", ".join(BUILTIN_PREFIX + table for table in BUILTIN_TABLES)
            )
        return builtin_path(name)
    return (config_path.parent / path).resolve()


def parse_config(document: dict, config_path: Path) -> ExperimentConfig:
    """Validate a TOML document (already parsed) read from ``config_path``."""
    label = str(config_path)
    sections = CORE_SECTIONS + tuple(ANALYSES)
    for name in document:
        if name not in sections:
            raise InputError(
                f"{label}: unknown section [{name}]; allowed: "
                + ", ".join(f"[{s}]" for s in sections) + _suggestion(name, sections)
            )
    for name in ("data", "capability", "dynamism"):
        if name not in document:
            raise InputError(f"{label}: section [{name}] is required")

    data = Section(document["data"], "data", label)
    path = data.text("path")
    id_column = data.text("id")
    label_column = data.text("label", None)
    data.finish()

    capability = Section(document["capability"], "capability", label)
    indicators = capability.names("indicators")
    weighting = capability.raw("weighting", "entropy")
    if isinstance(weighting, list):
        weighting = capability.numbers("weighting", low=0)
        if len(weighting) != len(indicators):
            raise InputError(
                f"{capability.where('weighting')}: got {len(weighting)} fixed weights for "
                f"{len(indicators)} indicators"
            )
        if abs(sum(weighting) - 1) > FIXED_WEIGHT_TOLERANCE:
            raise InputError(
                f"{capability.where('weighting')}: fixed weights must sum to 1, "
                f"they sum to {sum(weighting):g}"
            )
    elif isinstance(weighting, str):
        weighting = capability.text("weighting", "entropy", choices=WEIGHTING_METHODS)
    else:
        raise InputError(
            f"{capability.where('weighting')} must be a method name or a list of weights, "
            f"got {_type_name(weighting)} {weighting!r}"
        )
    normalize = capability.text("normalize", "none", choices=NORMALIZE_OPTIONS)
    capability_threshold = capability.number("threshold", 0.5)
    capability.finish()

    dynamism = Section(document["dynamism"], "dynamism", label)
    if dynamism.has("ipc_changes") == dynamism.has("score"):
        raise InputError(
            f"{label}: [dynamism] needs exactly one of ipc_changes (IPC change count columns) "
            "or score (a precomputed raw dynamism column)"
        )
    ipc_changes = dynamism.names("ipc_changes", None)
    dynamism_score = dynamism.text("score", None)
    amplitudes = dynamism.numbers("amplitudes", None, low=0)
    if amplitudes is not None and ipc_changes is None:
        raise InputError(f"{dynamism.where('amplitudes')} applies only with ipc_changes, not with score")
    if amplitudes is not None and len(amplitudes) != len(ipc_changes):
        raise InputError(
            f"{dynamism.where('amplitudes')}: got {len(amplitudes)} values for "
            f"{len(ipc_changes)} ipc_changes columns"
        )
    dynamism_threshold = dynamism.number("threshold", 0.5)
    dynamism.finish()

    run = Section(document.get("run", {}), "run", label)
    seed = run.integer("seed", None, low=0)
    n_jobs = run.integer("n_jobs", 1, low=-1)
    if n_jobs == 0:
        raise InputError(f"{run.where('n_jobs')} must be a positive number of workers, or -1 for all cores")
    backend = run.text("backend", "loky", choices=BACKENDS)
    scheduler = run.text("scheduler", None)
    if scheduler is not None and backend != "dask":
        raise InputError(f"{run.where('scheduler')} is only used with backend = \"dask\"")
    run.finish()

    analyses = {}
    for name in ANALYSES:
        if name in document:
            section = Section(document[name], name, label)
            analyses[name] = analysis_module(name).parse_section(section)
            section.finish()

    try:
        model = ScoringModel(
            weighting=weighting,
            normalize=normalize,
            amplitudes=amplitudes,
            capability_threshold=capability_threshold,
            dynamism_threshold=dynamism_threshold,
        )
    except InputError as error:
        raise InputError(f"{label}: {error}") from None
    return ExperimentConfig(
        source=config_path,
        data=DataSpec(
            path=path,
            id=id_column,
            file=_data_file(path, config_path, label),
            indicators=indicators,
            ipc_changes=ipc_changes,
            dynamism_score=dynamism_score,
            label=label_column,
        ),
        model=model,
        run=RunSpec(seed=seed, n_jobs=n_jobs, backend=backend, scheduler=scheduler),
        analyses=analyses,
    )


def load_config(path: str | Path) -> ExperimentConfig:
    """Read and validate an experiment config file."""
    path = Path(path)
    raw = read_user_file(path, str(path), "config file")
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path}: invalid TOML: {error}") from None
    return parse_config(document, path)
