"""Reading an indicator table from a CSV (comma) or TSV (tab) file, validated before any computing."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Sequence

import pandas as pd

from ..core.errors import InputError
from ..core.table import IndicatorTable, validated_table
from .files import read_user_text


def read_csv_rows(path: Path, label: str, kind: str = "file") -> tuple[list[str], list[list[str]], list[int]]:
    """Header (its names unique), rows (as text) and the file line of each row; blank lines are skipped.

    ``kind`` names the file in the message when it is missing (``"file"``, ...).
    """
    text = read_user_text(path, label, kind, text_kind="CSV text")
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for record in reader:
            if not record or all(not cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                continue
            if len(record) != len(header):
                raise InputError(
                    f"{label}: line {reader.line_num} has {len(record)} fields, "
                    f"the header has {len(header)}"
                )
            rows.append(record)
            lines.append(reader.line_num)
    except csv.Error as error:
        raise InputError(f"{label}: line {reader.line_num}: malformed CSV ({error})") from None
    if header is None:
        raise InputError(f"{label}: is empty (no header line)")
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise InputError(f"{label}: column {duplicated[0]!r} appears more than once in the header")
    return header, rows, lines


def read_table(
    path: str | Path,
    *,
    id_column: str,
    indicators: Sequence[str],
    ipc_changes: Sequence[str] | None = None,
    dynamism_score: str | None = None,
    label: str | None = None,
) -> IndicatorTable:
    """Read and validate an indicator table from a CSV (comma) or TSV (tab) file.

    Parameters
    ----------
    path : str or Path
        UTF-8 text file with a header line.
    id_column : str
        Column naming each technology (unique, non-empty).
    indicators : sequence of str
        Capability indicator columns (numeric, finite).
    ipc_changes : sequence of str, optional
        IPC change count columns (non-negative whole numbers), by character position.
    dynamism_score : str, optional
        A precomputed raw dynamism column, instead of ``ipc_changes``.
    label : str, optional
        How to name the file in error messages (default: the path as given).

    Returns
    -------
    IndicatorTable
    """
    label = str(path) if label is None else label
    header, rows, lines = read_csv_rows(Path(path), label)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    return validated_table(
        frame,
        lines=lines,
        label=label,
        id_column=id_column,
        indicators=indicators,
        ipc_changes=ipc_changes,
        dynamism_score=dynamism_score,
    )
