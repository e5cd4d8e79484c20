"""``[specifications]``: the full grid of data-construction choices (:mod:`robust.analyses.specifications`)."""

from __future__ import annotations

from pathlib import Path

from ...analyses.specifications import SpecificationsResult
from ...io.results import write_csv


def write(result: SpecificationsResult, folder: Path) -> None:
    """``specifications.csv`` (every specification and technology) and ``specification_shares.csv``."""
    write_csv(result.to_frame(), folder / "specifications.csv")
    write_csv(result.shares_frame(), folder / "specification_shares.csv")
