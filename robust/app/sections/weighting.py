"""``[weighting]``: the tables of the weighting comparison (:mod:`robust.analyses.weightings`)."""

from __future__ import annotations

from pathlib import Path

from ...analyses.weightings import WeightingComparison, WeightingSpec
from ...compute.execution import Execution
from ...core.table import IndicatorTable
from ...io.results import write_csv
from ..budget import Cost


def write(result: WeightingComparison, folder: Path) -> None:
    """``weights.csv`` (every method), ``weighting_comparison.csv``, ``_agreement`` and ``_pairs``."""
    write_csv(result.weights_frame(), folder / "weights.csv")
    write_csv(result.to_frame(), folder / "weighting_comparison.csv")
    write_csv(result.agreement(), folder / "weighting_agreement.csv")
    write_csv(result.pairs(), folder / "weighting_pairs.csv")


def cost(spec: WeightingSpec, table: IndicatorTable, execution: Execution) -> Cost:
    """A few weight vectors and one scoring each: negligible."""
    return Cost()
