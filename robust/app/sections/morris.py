"""``[morris]`` and ``[morris.factors]``: Morris screening's table (:mod:`robust.analyses.morris`)."""

from __future__ import annotations

from pathlib import Path

from ...analyses.morris.analysis import MorrisResult, MorrisSpec
from ...analyses.sobol.model import group_sizes
from ...compute.execution import Execution
from ...core.table import IndicatorTable
from ...io.results import write_csv
from ...records.lists import TableOrigin
from ..budget import Cost
from ..reader import Section
from .filtering import section_factors
from .specifications import choices_cost

# measured on the paper with one noise variable per cell (91 variables) and rounded up: per design row
# and technology a model evaluation, per design row and variable SALib's sampler, per output, resample,
# trajectory and variable SALib's bootstrap
SECONDS_PER_EVALUATION = 1.5e-6
SECONDS_PER_SAMPLED_VARIABLE = 6e-6
SECONDS_PER_RESAMPLED_EFFECT = 3e-8


def parse(section: Section, earlier: dict) -> MorrisSpec:
    """Every key of :class:`~robust.analyses.morris.analysis.MorrisSpec`; factors as in ``[filtering]``."""
    return section.build(MorrisSpec, factors=section_factors(section, earlier))


def write(result: MorrisResult, folder: Path) -> None:
    """``morris.csv``."""
    write_csv(result.to_frame(), folder / "morris.csv")


def cost(spec: MorrisSpec, table: IndicatorTable, execution: Execution, *,
         derived: TableOrigin | None = None) -> Cost:
    """``trajectories x (variables + 1)`` evaluations, then SALib's estimators per output; the tables
    of the data-construction factors are derived first."""
    m = table.n_technologies
    variables = sum(size for _, size in group_sizes(spec.chosen_factors, table.values.shape,
                                                     len(table.dynamism_columns)))
    rows = spec.trajectories * (variables + 1)
    seconds = (rows * (m * SECONDS_PER_EVALUATION + variables * SECONDS_PER_SAMPLED_VARIABLE)
               + m * len(spec.outputs) * spec.resamples * spec.trajectories * variables * SECONDS_PER_RESAMPLED_EFFECT)
    data = choices_cost(spec.chosen_factors.data_choices, table, derived)
    return Cost(seconds=seconds + data.seconds,
                memory=max(8.0 * rows * (2 * variables + m * len(spec.outputs) * 4), data.memory))
