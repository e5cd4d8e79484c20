"""The input variables of a design of the factors: one per Sobol' variable, named and in the factor's units.

A factor of :class:`~robust.analyses.sobol.factors.SobolFactors` is one variable (a threshold, a
discrete choice) or a group of them (a weight multiplier per indicator, an amplitude increment per
IPC position, a noise factor per table cell). Filtering, PAWN, the rules and Morris screening
look at each variable alone, so each gets a name and its value in the factor's own units:

====================================  ==========================================================
variable                              value
====================================  ==========================================================
``capability_threshold``,             the threshold, uniform on its range
``dynamism_threshold``
``weights[<indicator>]``              the multiplier of that indicator's base weight, U(1 - s, 1 + s)
``amplitudes[<IPC column>]``          the multiplier of the gap between that column's amplitude and
                                      the next smaller one (the smallest: of the amplitude itself)
``noise[<technology>, <indicator>]``  the measurement-error factor ``exp(noise Z)`` of that cell
``weighting``, ``normalize``,         the level (discrete; the levels are equally likely)
``leave_out``, ``aggregation``,
``top_k``, ``split_year``,
``ipc_counting``, ``min_citations``,
``merge_families``
====================================  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.table import IndicatorTable
from ..sobol.factors import DISCRETE_FACTORS, LEAVE_NONE, SobolFactors
from ..sobol.model import level_index, normal_quantile
from ..specifications import DATA_CHOICES


@dataclass(frozen=True)
class Variable:
    """One column of the unit design, named, with how its U[0, 1) coordinate maps to the factor's value."""

    name: str
    factor: str
    column: int
    levels: tuple[str, ...] | None = None   # discrete factors
    low: float = 0.0                         # continuous: value = low + (high - low) * u ...
    high: float = 1.0
    lognormal: float | None = None           # ... or exp(lognormal * Phi^-1(u)) for noise

    @property
    def discrete(self) -> bool:
        return self.levels is not None

    def values(self, unit: np.ndarray) -> np.ndarray:
        """The factor's value (a level index for a discrete factor) of each coordinate."""
        if self.discrete:
            return level_index(unit, len(self.levels))
        if self.lognormal is not None:
            return np.exp(self.lognormal * normal_quantile(unit))
        return self.low + (self.high - self.low) * unit


def design_variables(factors: SobolFactors, groups, table: IndicatorTable,
                     amplitudes: np.ndarray | None) -> tuple[Variable, ...]:
    """The variables of the design of ``groups`` (the scoring function's, in column order); ``amplitudes``
    are the base model's (their order says which gap each amplitude variable scales)."""
    variables, column = [], 0
    for name, size in groups:
        value = getattr(factors, name)
        if name in DISCRETE_FACTORS:
            variables.append(Variable(name, name, column, levels=tuple(value)))
        elif name in DATA_CHOICES:  # a level of how the table is built: 20, "distinct", true
            variables.append(Variable(name, name, column, levels=tuple(_level_label(level) for level in value)))
        elif name in ("capability_threshold", "dynamism_threshold"):
            variables.append(Variable(name, name, column, low=value[0], high=value[1]))
        elif name == "weights":
            variables += [Variable(f"weights[{indicator}]", name, column + j, low=1 - value, high=1 + value)
                          for j, indicator in enumerate(table.indicators)]
        elif name == "amplitudes":
            order = np.argsort(amplitudes, kind="stable")  # as robust.analyses.sobol.model.ordered_amplitudes
            variables += [Variable(f"amplitudes[{table.dynamism_columns[position]}]", name, column + q,
                                   low=1 - value, high=1 + value) for q, position in enumerate(order)]
        elif name == "noise":
            variables += [Variable(f"noise[{technology}, {indicator}]", name, column + i * len(table.indicators) + j,
                                   lognormal=value)
                          for i, technology in enumerate(table.technologies)
                          for j, indicator in enumerate(table.indicators)]
        column += size
    return tuple(variables)


def _level_label(level) -> str:
    return ("true" if level else "false") if isinstance(level, bool) else str(level)


def level_words(variable: Variable, level: int) -> str:
    """How a level reads in a rule: ``critic``, ``none (no indicator left out)``."""
    label = variable.levels[level]
    return "none (no indicator left out)" if variable.factor == "leave_out" and label == LEAVE_NONE else label
