"""Experiment config files (TOML): parsed strictly, with defaults resolved, before any work.

Unknown sections and keys are errors (with a suggestion for typos), as are values of the
wrong type. Every message names the config file and the ``[section] key`` at fault.
See ``experiments/battery_example.toml`` for every option with comments.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..compute.execution import BACKENDS
from ..core import rules
from ..core.errors import InputError
from ..core.model import ScoringModel, score_range
from ..core.options import AGGREGATION_OPTIONS, NORMALIZE_OPTIONS, WEIGHTING_METHODS
from ..core.table import IndicatorTable
from ..datasets.builtin import BUILTIN_PREFIX, BUILTIN_TABLES, builtin_path
from ..io.files import read_user_text
from ..io.results import file_sha256
from ..io.tables import read_table
from ..records.lists import TableOrigin
from ..records.spec import IPC_COLUMNS
from ..report.figures import FiguresSpec
from ..report.verdicts import VerdictRule
from .lists import ListsData, parse_lists
from .reader import Section
from .records import RecordsData, parse_records
from .sections import SECTIONS


@dataclass(frozen=True)
class DataSpec:
    """``[data]`` (where the table is and which columns play which role) or ``[records]``.

    With ``records``, the table is derived from patent records (``id`` is ``technology``,
    ``file`` the records file, None for a built-in record set).
    """

    path: str
    id: str
    file: Path | None
    indicators: tuple[str, ...]
    ipc_changes: tuple[str, ...] | None
    dynamism_score: str | None
    label: str | None = None
    records: RecordsData | None = None
    ipc_lists: ListsData | None = None

    def sha256(self) -> str:
        """The data file's SHA-256 (the records file's, with ``[records]``)."""
        return self.records.sha256() if self.records is not None else file_sha256(self.file)

    def derive(self) -> tuple[IndicatorTable, TableOrigin | None]:
        """The table and what it was derived from: the records (``[records]``), the ranked IPC
        lists (``[dynamism] ipc_lists``) or nothing (a table read as it is)."""
        if self.records is not None:
            derived = self.records.derive()
            return derived.to_table(self.indicators, self.ipc_changes), derived
        source = self.path if self.path.startswith(BUILTIN_PREFIX) else str(self.file)
        if self.ipc_lists is not None:
            derived = self.ipc_lists.derive(self.file, id_column=self.id, indicators=self.indicators, label=source)
            table = derived.to_table()
        else:
            derived = None
            table = read_table(self.file, id_column=self.id, indicators=self.indicators,
                               ipc_changes=self.ipc_changes, dynamism_score=self.dynamism_score, source=source)
        if self.label is not None:
            table.column_text(self.label)  # the label column must exist
        return table, derived

    def load(self) -> IndicatorTable:
        return self.derive()[0]


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
    report: VerdictRule = field(default_factory=VerdictRule)
    figures: FiguresSpec = field(default_factory=FiguresSpec)

    def resolved(self) -> dict:
        """The experiment as a plain dict: every setting that can change a result."""
        model = self.model
        amplitudes = {"amplitudes": None if model.amplitudes is None else list(model.amplitudes)}
        if self.data.ipc_lists is not None:  # the lists give the table these IPC count columns
            dynamism = {"ipc_lists": self.data.ipc_lists.resolved(), "ipc_changes": list(self.data.ipc_changes),
                        **amplitudes}
        elif self.data.ipc_changes is not None:
            dynamism = {"ipc_changes": list(self.data.ipc_changes), **amplitudes}
        else:
            dynamism = {"score": self.data.dynamism_score}
        dynamism["threshold"] = model.dynamism_threshold
        source = ({"records": self.data.records.resolved()} if self.data.records is not None
                  else {"data": {"path": self.data.path, "id": self.data.id, "label": self.data.label}})
        resolved = {
            **source,
            "capability": {
                "indicators": list(self.data.indicators),
                "weighting": model.weighting if isinstance(model.weighting, str) else list(model.weighting),
                "normalize": model.normalize,
                "aggregation": model.aggregation,
                "threshold": model.capability_threshold,
            },
            "dynamism": dynamism,
            "run": {"seed": self.run.seed},
        }
        for name, spec in self.analyses.items():
            resolved[name] = spec.resolved()
        resolved["report"] = self.report.resolved()
        resolved["figures"] = self.figures.resolved()
        return resolved

    def with_seed(self, seed: int | None) -> "ExperimentConfig":
        """The same experiment with another ``[run] seed``."""
        return replace(self, run=replace(self.run, seed=seed))


def config_digest(resolved: dict) -> str:
    """SHA-256 of the resolved config, serialised as canonical JSON."""
    text = json.dumps(resolved, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


CORE_SECTIONS: tuple[str, ...] = ("data", "records", "capability", "dynamism", "run", "report", "figures")


def _data_file(path: str, config_path: Path, label: str) -> Path:
    if path.startswith(BUILTIN_PREFIX):
        name = path[len(BUILTIN_PREFIX):]
        if name not in BUILTIN_TABLES:
            raise InputError(
                f"{label}: [data] path: unknown built-in table {path!r}; allowed: "
                + ", ".join(BUILTIN_PREFIX + table for table in BUILTIN_TABLES)
            )
        return builtin_path(name)
    try:
        return (config_path.parent / path).resolve()
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop (Python < 3.13)
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "a symlink loop"
        raise InputError(f"{label}: [data] path {path!r} cannot be resolved ({reason})") from None


def parse_config(document: dict, config_path: Path) -> ExperimentConfig:
    """Validate a TOML document (already parsed) read from ``config_path``."""
    label = str(config_path)
    sections = CORE_SECTIONS + tuple(SECTIONS)
    for name in document:
        if name not in sections:
            raise InputError(
                f"{label}: unknown section [{name}]; allowed: "
                + ", ".join(f"[{s}]" for s in sections) + rules.suggestion(name, sections)
            )
    if ("data" in document) == ("records" in document):
        raise InputError(f"{label}: needs exactly one of [data] (an indicator table) or [records] "
                         "(patent records to derive it from)")
    for name in ("capability", "dynamism"):
        if name not in document:
            raise InputError(f"{label}: section [{name}] is required")

    records = None
    if "records" in document:
        records = parse_records(Section(document["records"], "records", label), config_path)
        path, id_column, label_column = records.path, "technology", None
    else:
        data = Section(document["data"], "data", label)
        path = data.text("path")
        id_column = data.text("id")
        label_column = data.text("label", None)
        data.finish()

    capability = Section(document["capability"], "capability", label)
    indicators = capability.names("indicators", what="column names")
    weighting = capability.get("weighting", "entropy")
    if isinstance(weighting, list):
        weighting = rules.fixed_weights(weighting, capability.where("weighting"), count=len(indicators))
    elif isinstance(weighting, str):
        weighting = capability.text("weighting", "entropy", choices=WEIGHTING_METHODS)
    else:
        raise InputError(
            f"{capability.where('weighting')} must be a method name or a list of weights, "
            f"got {rules.type_name(weighting)} {weighting!r}"
        )
    normalize = capability.text("normalize", "none", choices=NORMALIZE_OPTIONS)
    aggregation = capability.text("aggregation", "linear", choices=AGGREGATION_OPTIONS)
    capability_range = score_range("capability", normalize)  # None: known once the data are read
    capability_threshold = (capability.number("threshold", 0.5) if capability_range is None else capability.read(
        rules.threshold, "threshold", 0.5, score="capability", score_range=capability_range))
    capability.finish()

    dynamism = Section(document["dynamism"], "dynamism", label)
    sources = [key for key in ("ipc_changes", "score", "ipc_lists") if dynamism.has(key)]
    if records is not None and "ipc_lists" in sources:
        raise InputError(f"{dynamism.where('ipc_lists')}: with [records] the IPC counts are derived from the "
                         "records; name them with ipc_changes = [\"ipc_p1\", \"ipc_p2\", \"ipc_p3\", \"ipc_p4\"]")
    if len(sources) != 1:
        raise InputError(
            f"{label}: [dynamism] needs exactly one of ipc_changes (IPC change count columns), "
            "score (a precomputed raw dynamism column) or ipc_lists (a file of ranked IPC lists)"
            + (f"; got {' and '.join(sources)}" if sources else "")
        )
    ipc_changes = dynamism.names("ipc_changes", None, what="column names")
    dynamism_score = dynamism.text("score", None)
    ipc_lists = parse_lists(dynamism, config_path)
    if ipc_lists is not None:
        ipc_changes = IPC_COLUMNS
    amplitudes = dynamism.read(rules.amplitudes, "amplitudes", None)
    if amplitudes is not None and ipc_changes is None:
        raise InputError(f"{dynamism.where('amplitudes')} applies only with ipc_changes or ipc_lists, not with score")
    if amplitudes is not None and len(amplitudes) != len(ipc_changes):
        raise InputError(
            f"{dynamism.where('amplitudes')}: got {len(amplitudes)} values for "
            + (f"{len(ipc_changes)} ipc_changes columns" if ipc_lists is None
               else f"the {len(ipc_changes)} character positions of the ranked lists' IPC counts")
        )
    dynamism_threshold = dynamism.read(rules.threshold, "threshold", 0.5, score="dynamism",
                                       score_range=score_range("dynamism"))
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
    report = Section(document.get("report", {}), "report", label).build(VerdictRule)
    figures = Section(document.get("figures", {}), "figures", label).build(FiguresSpec)
    if figures.labels in ("zh", "both") and label_column is None:
        raise InputError(f"{label}: [figures] labels = {figures.labels!r} needs the names of [data] label; "
                         "set [data] label to their column, or use labels = \"en\"")

    analyses = {}
    for name, section in SECTIONS.items():
        if name in document:
            analyses[name] = section.parse(Section(document[name], name, label), analyses)

    try:
        model = ScoringModel(
            weighting=weighting,
            normalize=normalize,
            aggregation=aggregation,
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
            file=_data_file(path, config_path, label) if records is None else records.file,
            indicators=indicators,
            ipc_changes=ipc_changes,
            dynamism_score=dynamism_score,
            label=label_column,
            records=records,
            ipc_lists=ipc_lists,
        ),
        model=model,
        run=RunSpec(seed=seed, n_jobs=n_jobs, backend=backend, scheduler=scheduler),
        analyses=analyses,
        report=report,
        figures=figures,
    )


def load_config(path: str | Path) -> ExperimentConfig:
    """Read and validate an experiment config file."""
    path = Path(path)
    text = read_user_text(path, str(path), "config file", text_kind="a TOML config file")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path}: invalid TOML: {error}") from None
    return parse_config(document, path)
