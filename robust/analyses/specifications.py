"""Data-construction choices: the paper's measurement, varied, and the full grid of its specifications.

The paper fixes how Table 2 is built from the patent records; each of these choices is
defensible otherwise (:data:`DATA_CHOICES`):

``top_k``
    How many top IPC subclasses of each window are compared (the paper: 20).
``split_year``
    The last year of the first window; the second starts the year after (the paper: 2010).
``ipc_counting``
    ``cumulative`` or ``distinct`` (see :mod:`robust.records.ipc`); Table 2 cannot tell them apart.
``min_citations``
    Keep the records cited at least this often (the paper: 1).
``merge_families``
    One record per simple family (the paper: true).

They apply to a table derived from records (a ``[records]`` run); ``top_k`` and
``ipc_counting`` also apply to IPC counts from ranked lists (``[dynamism] ipc_lists``,
:mod:`robust.records.lists`). :func:`choice_tables` derives the table of every combination
(the records are read again once, for all the filter settings), and serves both the Sobol' factors of the same names
(:mod:`robust.analyses.sobol`) and the full grid of :func:`run_specifications`: every
combination scored with the base model (data-driven weights and normalisers estimated on
each table), the quadrant of every technology under every specification, and per
technology the share of the specifications that keep its base quadrant (Simonsohn,
Simmons & Nelson 2020, doi:10.1038/s41562-020-0912-z, call such a grid a specification
curve). Nothing is random.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..compute.execution import Execution
from ..core import rules
from ..core.errors import InputError, SpecError
from ..core.model import ScoringModel
from ..core.options import IPC_COUNTING, QUADRANTS
from ..core.scoring import score, score_batch
from ..core.table import IndicatorTable
from ..core.weighting import compute_weights
from ..records.lists import TableOrigin
from ..records.spec import RECORDS_CHOICES

DATA_CHOICES: tuple[str, ...] = RECORDS_CHOICES  # ranked IPC lists vary LIST_CHOICES, a part of them


def data_levels(value, key: str) -> tuple:
    """The levels of the data choice ``key``: a list of 2 or more distinct values."""
    if isinstance(value, (str, bool)) or not isinstance(value, (list, tuple)) or len(value) < 2:
        raise InputError(f"{key} must be a list of at least 2 levels, got {value!r}")
    if key == "ipc_counting":
        levels = tuple(rules.text(level, key, choices=IPC_COUNTING) for level in value)
    elif key == "merge_families":
        levels = tuple(rules.flag(level, key) for level in value)
    else:
        low = 1 if key == "top_k" else 0
        levels = tuple(rules.integer(level, key, low=low) for level in value)
    if len(set(levels)) < len(levels):
        raise InputError(f"{key}: the levels must differ, got {list(value)}")
    return levels


def check_choices(choices: dict, table: IndicatorTable, derived: TableOrigin | None, part: str = "") -> None:
    """Reject data choices the table cannot vary (:class:`~robust.core.errors.SpecError`)."""
    if not choices:
        return
    if derived is None:
        raise SpecError(f"{', '.join(choices)}: choices of how the table is built from patent records or "
                        "ranked IPC lists; they need a table derived from records (a [records] section) "
                        "or IPC counts from ranked lists ([dynamism] ipc_lists)", part=part)
    problem = derived.choice_problem(choices, table)
    if problem:
        raise SpecError(problem, part=part)


def choice_tables(choices: dict, table: IndicatorTable, derived: TableOrigin):
    """The settings of every combination of ``choices`` (key -> levels, the last key fastest)
    and their tables: capability values ``(C, m, k)`` and IPC counts ``(C, m, p)``.

    A setting holds every data choice ``derived`` has (those not varied at their base value).
    """
    keys = [key for key in DATA_CHOICES if key in choices]
    base = derived.spec.choices()
    settings = [base | dict(zip(keys, levels)) for levels in itertools.product(*(choices[key] for key in keys))]
    variants = derived.variants([derived.spec.with_choices(setting) for setting in settings])
    values = np.stack([variant.indicators[list(table.indicators)].to_numpy(dtype=float) for variant in variants])
    ipc = np.stack([variant.indicators[list(table.dynamism_columns)].to_numpy(dtype=float) for variant in variants])
    return settings, values, ipc


@dataclass(frozen=True)
class DataChoiceLevels:
    """The levels of the data choices varied (a base of the specs that vary them); None: not varied."""

    top_k: tuple[int, ...] | None = None
    split_year: tuple[int, ...] | None = None
    ipc_counting: tuple[str, ...] | None = None
    min_citations: tuple[int, ...] | None = None
    merge_families: tuple[bool, ...] | None = None

    def __post_init__(self):
        for key in DATA_CHOICES:
            if getattr(self, key) is not None:
                object.__setattr__(self, key, data_levels(getattr(self, key), key))

    @property
    def data_choices(self) -> dict:
        """The data choices varied and their levels, in the order of :data:`DATA_CHOICES`."""
        return {key: getattr(self, key) for key in DATA_CHOICES if getattr(self, key) is not None}


@dataclass(frozen=True)
class SpecificationsSpec(DataChoiceLevels):
    """The levels of each data choice (the ``[specifications]`` config section); every combination is a specification.

    Parameters
    ----------
    top_k, split_year, ipc_counting, min_citations, merge_families : list, optional
        The levels of each choice varied (at least one; see the module notes); a choice not
        given keeps the ``[records]`` (or ``[dynamism]``, with ranked lists) setting.
    """

    def __post_init__(self):
        super().__post_init__()
        if not self.choices:
            raise InputError(f"give the levels of at least one choice: {', '.join(DATA_CHOICES)}")

    @property
    def choices(self) -> dict:
        return self.data_choices

    def resolved(self) -> dict:
        return {key: list(levels) for key, levels in self.choices.items()}


@dataclass(frozen=True)
class SpecificationsResult:
    """The quadrant of every technology under every specification.

    Attributes
    ----------
    technologies : tuple of str
    base_quadrant : tuple of str
        The base model's quadrant on the base table (the ``[records]`` or ``[dynamism]`` settings).
    settings : list of dict
        Each specification's data choices.
    capability, dynamism : ndarray (C, m)
    quadrant : ndarray (C, m) of str
    """

    technologies: tuple[str, ...]
    base_quadrant: tuple[str, ...]
    settings: list
    capability: np.ndarray
    dynamism: np.ndarray
    quadrant: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """``specifications.csv``: ``specification``, the data choices (``top_k, split_year,
        ipc_counting, min_citations, merge_families`` from records; ``top_k, ipc_counting``
        from ranked lists), ``technology, capability, dynamism, quadrant, base_quadrant,
        kept`` (one row per specification and technology)."""
        count, m = self.quadrant.shape
        frame = pd.DataFrame({"specification": np.repeat(np.arange(1, count + 1), m)})
        for key in [key for key in DATA_CHOICES if key in self.settings[0]]:
            frame[key] = np.repeat([setting[key] for setting in self.settings], m)
        frame["technology"] = np.tile(np.array(self.technologies, dtype=object), count)
        frame["capability"] = self.capability.ravel()
        frame["dynamism"] = self.dynamism.ravel()
        frame["quadrant"] = self.quadrant.ravel()
        frame["base_quadrant"] = np.tile(np.array(self.base_quadrant, dtype=object), count)
        frame["kept"] = frame["quadrant"] == frame["base_quadrant"]
        return frame

    def shares_frame(self) -> pd.DataFrame:
        """``specification_shares.csv``: ``technology, base_quadrant, specifications, kept,
        share`` and the share of the specifications in each quadrant (``p_<quadrant>``)."""
        kept = self.quadrant == np.array(self.base_quadrant, dtype=object)
        frame = pd.DataFrame({"technology": list(self.technologies), "base_quadrant": list(self.base_quadrant),
                              "specifications": len(self.settings), "kept": kept.sum(axis=0),
                              "share": kept.mean(axis=0)})
        for name in QUADRANTS:
            frame[f"p_{name}"] = (self.quadrant == name).mean(axis=0)
        return frame

    def plot(self, ax=None):
        """The share of specifications keeping each technology's quadrant."""
        from ..plotting.specifications import plot_specification_shares

        return plot_specification_shares(self.shares_frame(), ax=ax)


def check_specifications(spec: SpecificationsSpec, table: IndicatorTable, model: ScoringModel, *,
                         derived: TableOrigin | None = None) -> None:
    """Reject a grid the table cannot support (:class:`~robust.core.errors.SpecError`)."""
    check_choices(spec.choices, table, derived)


def run_specifications(table: IndicatorTable, model: ScoringModel, spec: SpecificationsSpec, *,
                       derived: TableOrigin | None = None, execution: Execution | None = None,
                       rng=None) -> SpecificationsResult:
    """Score every specification of the grid (``execution`` and ``rng`` are not used: nothing is random).

    Examples
    --------
    >>> import robust
    >>> from robust.datasets.paper2023_records import PAPER_RECORDS_COLUMNS, PAPER_RECORDS_SPEC
    >>> derived = robust.derive_from_records(robust.RecordsSource(frame=robust.paper2023_records()),
    ...                                      PAPER_RECORDS_COLUMNS, PAPER_RECORDS_SPEC)
    >>> result = run_specifications(derived.to_table(), robust.ScoringModel(),
    ...                             SpecificationsSpec(ipc_counting=["cumulative", "distinct"]), derived=derived)
    >>> float(result.shares_frame()["share"].min())
    1.0
    """
    check_specifications(spec, table, model, derived=derived)
    settings, values, ipc = choice_tables(spec.choices, table, derived)
    amplitudes = np.asarray(model.amplitudes_for(table), dtype=float)
    if isinstance(model.weighting, str):
        weights = compute_weights(values, model.weighting)
    else:
        weights = np.broadcast_to(np.asarray(model.weighting, dtype=float), (len(settings), values.shape[2]))
    scores = score_batch(values, weights, ipc_changes=ipc, amplitudes=amplitudes, normalize=model.normalize,
                         capability_threshold=model.capability_threshold,
                         dynamism_threshold=model.dynamism_threshold)
    quadrant = np.array(QUADRANTS, dtype=object)[scores.quadrant]
    return SpecificationsResult(technologies=table.technologies, base_quadrant=tuple(score(table, model).quadrant),
                                settings=settings, capability=scores.capability, dynamism=scores.dynamism,
                                quadrant=quadrant)
