"""Comparing the tables of two result folders: numbers within a tolerance, everything else exactly.

Floating-point results can differ in the last bits between machines (a different libm or
BLAS kernel), never in what they mean; a committed result is compared with a fresh run by
:func:`compare_tables` with :data:`RTOL` and :data:`ATOL` per numeric cell and exact
equality for every other cell (quadrant names, flags, empty cells, column names, row count).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

RTOL = 1e-12
ATOL = 1e-14


@dataclass(frozen=True)
class TableDifference:
    """How one table of folder ``a`` differs from the same table of folder ``b``.

    ``cells`` is the number of differing cells, ``column`` and ``row`` (0-based data row)
    the first of them, ``largest`` the largest absolute difference between numeric cells
    (0 when only text differs).
    """

    table: str
    reason: str
    cells: int = 0
    column: str | None = None
    row: int | None = None
    largest: float = 0.0

    def __str__(self) -> str:
        if self.column is None:
            return f"{self.table}: {self.reason}"
        return (f"{self.table}: {self.cells} cell(s) differ, first column {self.column!r} row "
                f"{self.row + 1}; largest numeric difference {self.largest:.3g}")


def _read_text(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def differing_cells(a: pd.Series, b: pd.Series, *, rtol: float = RTOL, atol: float = ATOL):
    """Per row: do the cells differ? And the absolute difference where both are numbers (else 0).

    Cells that both parse as numbers are compared with ``|a - b| <= atol + rtol |b|`` (equal
    infinities are equal); any other pair must be the same text.
    """
    x = pd.to_numeric(a, errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(b, errors="coerce").to_numpy(dtype=float)
    numeric = ~np.isnan(x) & ~np.isnan(y)
    with np.errstate(invalid="ignore"):
        close = (x == y) | (np.abs(x - y) <= atol + rtol * np.abs(y))
        gap = np.where(numeric & np.isfinite(x) & np.isfinite(y), np.abs(x - y), 0.0)
    same_text = a.to_numpy(dtype=object) == b.to_numpy(dtype=object)
    return np.where(numeric, ~close, ~same_text), gap


def compare_table(a: Path, b: Path, *, rtol: float = RTOL, atol: float = ATOL) -> TableDifference | None:
    """The difference between two CSV tables, or None when they agree."""
    name = Path(a).name
    left, right = _read_text(a), _read_text(b)
    if list(left.columns) != list(right.columns):
        return TableDifference(name, f"columns differ: {list(left.columns)} vs {list(right.columns)}")
    if len(left) != len(right):
        return TableDifference(name, f"{len(left)} rows vs {len(right)} rows")
    first, count, largest = None, 0, 0.0
    for column in left.columns:
        differs, gap = differing_cells(left[column], right[column], rtol=rtol, atol=atol)
        if differs.any():
            count += int(differs.sum())
            largest = max(largest, float(gap[differs].max()))
            if first is None:
                first = (column, int(np.argmax(differs)))
    if first is None:
        return None
    return TableDifference(name, "cells differ", count, first[0], first[1], largest)


def compare_tables(a: Path, b: Path, *, rtol: float = RTOL, atol: float = ATOL,
                   names=None) -> list[TableDifference]:
    """Every difference between the CSV tables of two folders (empty when they agree).

    ``names``, when given, limits the comparison to those tables (e.g. the ones a manifest lists).
    """
    a, b = Path(a), Path(b)
    names_a = {path.name for path in a.glob("*.csv") if names is None or path.name in names}
    names_b = {path.name for path in b.glob("*.csv") if names is None or path.name in names}
    differences = [TableDifference(name, f"only in {a}") for name in sorted(names_a - names_b)]
    differences += [TableDifference(name, f"only in {b}") for name in sorted(names_b - names_a)]
    for name in sorted(names_a & names_b):
        difference = compare_table(a / name, b / name, rtol=rtol, atol=atol)
        if difference is not None:
            differences.append(difference)
    return differences
