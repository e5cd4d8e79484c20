"""``[tipping]``: the tables of the tipping points (:mod:`robust.analyses.tipping`)."""

from __future__ import annotations

from pathlib import Path

from ...analyses.tipping.analysis import TippingResult, TippingSpec
from ...analyses.tipping.data import GRID
from ...compute.execution import Execution
from ...core.table import IndicatorTable
from ...io.results import write_csv
from ..budget import Cost

# measured on tables of 20 to 300 technologies and rounded up (README, "Benchmarks"): per cell, one
# evaluation of the capability along its grid costs this per table cell; per technology, the
# linear programme and the IPC search
SECONDS_PER_GRID_CELL = 2.5e-7
SECONDS_PER_TECHNOLOGY = 0.01
COPIES = 6  # the grid of edited tables and the scorer's working arrays


def write(result: TippingResult, folder: Path) -> None:
    """``tipping.csv``, ``tipping_weights.csv``, ``tipping_data.csv``."""
    write_csv(result.to_frame(), folder / "tipping.csv")
    write_csv(result.weights_frame(), folder / "tipping_weights.csv")
    write_csv(result.data_frame(), folder / "tipping_data.csv")


def cost(spec: TippingSpec, table: IndicatorTable, execution: Execution) -> Cost:
    """Each of the m x k cells scores GRID edited tables of m x k cells."""
    cells = table.values.size
    return Cost(seconds=SECONDS_PER_GRID_CELL * cells * cells * (GRID + 1)
                + SECONDS_PER_TECHNOLOGY * table.values.shape[0],
                memory=COPIES * 8.0 * (GRID + 1) * cells)
