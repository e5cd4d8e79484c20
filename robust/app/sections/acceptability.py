"""``[acceptability]``: the tables of acceptability over the weight space (:mod:`robust.analyses.acceptability`)."""

from __future__ import annotations

from pathlib import Path

from ...analyses.acceptability.analysis import AcceptabilityResult
from ...io.results import write_csv


def write(result: AcceptabilityResult, folder: Path) -> None:
    """``acceptability.csv`` and ``central_weights.csv``."""
    write_csv(result.to_frame(), folder / "acceptability.csv")
    write_csv(result.central_frame(), folder / "central_weights.csv")
