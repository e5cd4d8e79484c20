"""``[filtering]`` and ``[filtering.factors]``: reading the factors and writing the tables (:mod:`robust.analyses.filtering`)."""

from __future__ import annotations

from pathlib import Path

from ...analyses.filtering.analysis import FilteringSpec
from ...analyses.filtering.result import FilteringResult
from ...analyses.sobol.factors import DEFAULT_FACTORS, SobolFactors
from ...analyses.sobol.model import group_sizes
from ...compute.execution import Execution
from ...core.table import IndicatorTable
from ...io.results import write_csv
from ...records.lists import TableOrigin
from ..budget import Cost
from ..reader import Section
from .specifications import choices_cost

# measured on the paper (20 technologies, 11 variables, n = 8192) and rounded up: per design row and
# technology a model evaluation (every output); per bootstrap resample, draw, variable and output the
# distance; per technology and draw the peeling of its box
SECONDS_PER_EVALUATION = 1.5e-6
SECONDS_PER_RESAMPLED_DISTANCE = 5e-9
SECONDS_PER_PEELED_DRAW = 1e-5
COPIES = 3  # the bootstrap counts, sorted, and their running sums


def section_factors(section: Section, earlier: dict) -> SobolFactors:
    """``[<section>.factors]`` when given, else those of the ``[sobol]`` section, else the Sobol' defaults."""
    factors = section.subsection("factors")
    if factors is not None:
        return factors.build(SobolFactors)
    return earlier["sobol"].factors if "sobol" in earlier else DEFAULT_FACTORS


def parse(section: Section, earlier: dict) -> FilteringSpec:
    """Every key of :class:`~robust.analyses.filtering.analysis.FilteringSpec`; factors as :func:`section_factors`."""
    return section.build(FilteringSpec, factors=section_factors(section, earlier))


def write(result: FilteringResult, folder: Path) -> None:
    """``filtering.csv``, ``pawn.csv``, ``rules.csv`` and ``filtering_quadrants.csv``."""
    write_csv(result.to_frame(), folder / "filtering.csv")
    write_csv(result.pawn_frame(), folder / "pawn.csv")
    write_csv(result.rules_frame(), folder / "rules.csv")
    write_csv(result.quadrants_frame(), folder / "filtering_quadrants.csv")


def cost(spec: FilteringSpec, table: IndicatorTable, execution: Execution, *,
         derived: TableOrigin | None = None) -> Cost:
    """``n`` evaluations, then per technology, output and variable a distance on every bootstrap
    resample; the tables of the data-construction factors are derived first."""
    m = table.n_technologies
    variables = sum(size for _, size in group_sizes(spec.chosen_factors, table.values.shape,
                                                     len(table.dynamism_columns)))
    seconds = (spec.n * m * SECONDS_PER_EVALUATION
               + m * len(spec.outputs) * variables * spec.resamples * spec.n * SECONDS_PER_RESAMPLED_DISTANCE
               + m * spec.n * SECONDS_PER_PEELED_DRAW)
    memory = 8.0 * (COPIES * spec.resamples * spec.n + spec.n * (variables + 7 * m))
    data = choices_cost(spec.chosen_factors.data_choices, table, derived)
    return Cost(seconds=seconds + data.seconds, memory=max(memory, data.memory), pieces=-(-m // 4))
