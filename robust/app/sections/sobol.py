"""``[sobol]`` and ``[sobol.factors]``: reading the factors and writing the tables (:mod:`robust.analyses.sobol`)."""

from __future__ import annotations

from pathlib import Path

from ...analyses.sobol.analysis import SobolSpec
from ...analyses.sobol.factors import DEFAULT_FACTORS, SobolFactors
from ...analyses.sobol.result import SobolResult
from ...io.results import write_csv
from ..reader import Section


def parse(section: Section) -> SobolSpec:
    """Every key of :class:`~robust.analyses.sobol.analysis.SobolSpec`; factors default to the paper's five."""
    factors = section.subsection("factors")
    return section.build(SobolSpec, factors=DEFAULT_FACTORS if factors is None else factors.build(SobolFactors))


def write(result: SobolResult, folder: Path) -> None:
    """``sobol.csv``, ``sobol_convergence.csv`` and ``sobol_second_order.csv`` (when computed)."""
    write_csv(result.to_frame(), folder / "sobol.csv")
    write_csv(result.convergence_frame(), folder / "sobol_convergence.csv")
    if result.indices.second_order:
        write_csv(result.second_order_frame(), folder / "sobol_second_order.csv")
