"""``[sobol]`` and ``[sobol.factors]``: reading the factors and writing the tables (:mod:`robust.analyses.sobol`)."""

from __future__ import annotations

from pathlib import Path

from ...analyses.sobol.analysis import SobolSpec
from ...analyses.sobol.factors import DEFAULT_FACTORS, SobolFactors
from ...analyses.sobol.model import group_sizes
from ...analyses.sobol.result import SobolResult
from ...compute.execution import Execution
from ...core.table import IndicatorTable
from ...io.results import write_csv
from ...records.lists import TableOrigin
from ..budget import Cost
from ..reader import Section
from .specifications import choices_cost

# measured on the paper and rounded up (README, "Benchmarks"): per design row and technology a
# model evaluation (every output); per design row and variable SALib's sampler
SECONDS_PER_EVALUATION = 1.5e-6
SECONDS_PER_SAMPLED_VARIABLE = 2.5e-6
SECONDS_PER_RESAMPLED_OUTPUT = 2e-9
BYTES_PER_OUTPUT = 8 * 6  # the outputs of a scramble and their working copies


def parse(section: Section, earlier: dict) -> SobolSpec:
    """Every key of :class:`~robust.analyses.sobol.analysis.SobolSpec`; factors default to the paper's five."""
    factors = section.subsection("factors")
    return section.build(SobolSpec, factors=DEFAULT_FACTORS if factors is None else factors.build(SobolFactors))


def write(result: SobolResult, folder: Path) -> None:
    """``sobol.csv``, ``sobol_convergence.csv`` and ``sobol_second_order.csv`` (when computed)."""
    write_csv(result.to_frame(), folder / "sobol.csv")
    write_csv(result.convergence_frame(), folder / "sobol_convergence.csv")
    if result.indices.second_order:
        write_csv(result.second_order_frame(), folder / "sobol_second_order.csv")


def cost(spec: SobolSpec, table: IndicatorTable, execution: Execution, *,
         derived: TableOrigin | None = None) -> Cost:
    """Each scramble: ``n (F + 2)`` design rows (``n (2F + 2)`` with second order), all scored at
    once; the tables of the data-construction factors are derived first."""
    m = table.n_technologies
    groups = group_sizes(spec.factors, table.values.shape, len(table.dynamism_columns))
    variables = sum(size for _, size in groups)
    rows = spec.n * ((2 * len(groups) + 2) if spec.second_order else (len(groups) + 2))
    outputs = m * len(spec.outputs)
    per_scramble = (rows * (m * SECONDS_PER_EVALUATION + variables * SECONDS_PER_SAMPLED_VARIABLE)
                    + spec.resamples * spec.n * outputs * SECONDS_PER_RESAMPLED_OUTPUT)
    memory = rows * (outputs * BYTES_PER_OUTPUT + variables * 16) + spec.resamples * spec.n * 16
    data = choices_cost(spec.factors.data_choices, table, derived)
    return Cost(seconds=spec.scrambles * per_scramble + data.seconds, memory=max(memory, data.memory),
                pieces=spec.scrambles)
