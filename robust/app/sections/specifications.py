"""``[specifications]``: the full grid of data-construction choices (:mod:`robust.analyses.specifications`)."""

from __future__ import annotations

import itertools
from pathlib import Path

from ...analyses.specifications import SpecificationsResult, SpecificationsSpec
from ...compute.execution import Execution
from ...core.table import IndicatorTable
from ...io.results import write_csv
from ...records.derive import DerivedTable
from ...records.lists import TableOrigin
from ...records.source import DUCKDB_MEMORY_LIMIT_BYTES
from ..budget import Cost

# measured and rounded up (README, "Benchmarks"): reading and aggregating a record again (CSV,
# DuckDB, 2 cores), and deriving and scoring one technology under one setting
SECONDS_PER_RECORD_READ = 7e-6
SECONDS_PER_TECHNOLOGY_SETTING = 2e-4


def write(result: SpecificationsResult, folder: Path) -> None:
    """``specifications.csv`` (every specification and technology) and ``specification_shares.csv``."""
    write_csv(result.to_frame(), folder / "specifications.csv")
    write_csv(result.shares_frame(), folder / "specification_shares.csv")


def choices_cost(choices: dict, table: IndicatorTable, derived: TableOrigin | None) -> Cost:
    """The tables of every combination of the data choices: the records are read again once
    when a filter setting varies (DuckDB then holds up to its memory limit)."""
    combinations = 1
    for levels in choices.values():
        combinations *= len(levels)
    seconds = combinations * table.n_technologies * SECONDS_PER_TECHNOLOGY_SETTING
    memory = combinations * table.values.size * 16.0
    filters = [key for key in ("min_citations", "merge_families") if key in choices]
    if filters and isinstance(derived, DerivedTable):
        read = int(derived.statistics.filter_counts["read"].sum())
        settings = len(list(itertools.product(*(choices[key] for key in filters))))
        seconds += (settings - 1) * read * SECONDS_PER_RECORD_READ
        memory = max(memory, DUCKDB_MEMORY_LIMIT_BYTES)
    return Cost(seconds=seconds, memory=memory)


def cost(spec: SpecificationsSpec, table: IndicatorTable, execution: Execution, *,
         derived: TableOrigin | None = None) -> Cost:
    """Every specification's table derived and scored once (see :func:`choices_cost`)."""
    return choices_cost(spec.choices, table, derived)
