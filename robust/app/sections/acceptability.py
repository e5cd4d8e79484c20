"""``[acceptability]``: the tables of acceptability over the weight space (:mod:`robust.analyses.acceptability`)."""

from __future__ import annotations

from pathlib import Path

from ...analyses.acceptability.analysis import BLOCK_CELLS, AcceptabilityResult, AcceptabilitySpec
from ...compute.execution import Execution
from ...core.table import IndicatorTable
from ...io.results import write_csv
from ..budget import Cost

SECONDS_PER_DRAW_TECHNOLOGY = 1.5e-7  # measured on 20 to 300 technologies, rounded up (README, "Benchmarks")


def write(result: AcceptabilityResult, folder: Path) -> None:
    """``acceptability.csv`` and ``central_weights.csv``."""
    write_csv(result.to_frame(), folder / "acceptability.csv")
    write_csv(result.central_frame(), folder / "central_weights.csv")


def cost(spec: AcceptabilitySpec, table: IndicatorTable, execution: Execution) -> Cost:
    """``samples`` draws scored for every technology, in blocks of at most BLOCK_CELLS scores."""
    m, k = table.values.shape
    block = min(BLOCK_CELLS, spec.samples * m)
    return Cost(seconds=SECONDS_PER_DRAW_TECHNOLOGY * spec.samples * m, memory=8.0 * block * (k + 6))
