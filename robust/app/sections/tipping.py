"""``[tipping]``: the tables of the tipping points (:mod:`robust.analyses.tipping`)."""

from __future__ import annotations

from pathlib import Path

from ...analyses.tipping.analysis import TippingResult
from ...io.results import write_csv


def write(result: TippingResult, folder: Path) -> None:
    """``tipping.csv``, ``tipping_weights.csv``, ``tipping_data.csv``."""
    write_csv(result.to_frame(), folder / "tipping.csv")
    write_csv(result.weights_frame(), folder / "tipping_weights.csv")
    write_csv(result.data_frame(), folder / "tipping_data.csv")
