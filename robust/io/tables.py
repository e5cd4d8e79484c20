"""Reading an indicator table, validated before any computing, from a file chosen by its extension:
CSV (comma) or TSV (tab) text, an Excel workbook (``.xlsx``, the first sheet, through openpyxl)
or a Parquet file (``.parquet``, through pyarrow). Every format gets the same validation and
the same one-line errors; a spreadsheet's rows are numbered as in the spreadsheet (the header
is row 1)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Sequence

import pandas as pd

from ..core.errors import InputError
from ..core.table import IndicatorTable, validated_table
from .files import read_user_file, read_user_text

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet", ".pq")


def _read_csv_text(path: Path, label: str, kind: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, rows (as text) and the file line of each row; blank lines are skipped."""
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
    return header, rows, lines


def _read_excel(path: Path, label: str, kind: str) -> tuple[list[str], list[list], list[int]]:
    """Header, rows and spreadsheet row numbers of the first sheet of a workbook."""
    import zipfile

    raw = read_user_file(path, label, kind)
    try:
        sheet = pd.read_excel(io.BytesIO(raw), sheet_name=0, header=None, dtype=object, engine="openpyxl",
                              keep_default_na=False, na_values=[""])
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(f"{label}: is not a readable Excel workbook ({reason})") from None
    filled = [i for i in range(len(sheet)) if sheet.iloc[i].notna().any()]
    if not filled:
        raise InputError(f"{label}: its first sheet is empty (no header row)")
    first = filled[0]
    header = ["" if pd.isna(cell) else str(cell).strip() for cell in sheet.iloc[first]]
    rows = [["" if pd.isna(cell) else cell for cell in sheet.iloc[i]] for i in filled[1:]]
    return header, rows, [i + 1 for i in filled[1:]]


def _read_parquet(path: Path, label: str, kind: str) -> tuple[list[str], list[list], None]:
    """Header and rows of a Parquet file (no line numbers: messages give the row)."""
    raw = read_user_file(path, label, kind)
    try:
        frame = pd.read_parquet(io.BytesIO(raw), engine="pyarrow")
    except Exception as error:  # pyarrow raises its own ArrowInvalid/ArrowException types
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(f"{label}: is not a readable Parquet file ({reason})") from None
    rows = [["" if value is None or (isinstance(value, float) and value != value) else value for value in row]
            for row in frame.itertuples(index=False)]
    return [str(name) for name in frame.columns], rows, None


def read_rows(path: str | Path, label: str, kind: str = "file") -> tuple[list[str], list[list], list[int] | None]:
    """Header (its names unique), rows and the line or spreadsheet row of each (None for Parquet)
    of a CSV, TSV, Excel or Parquet file, chosen by its extension (see the module notes).

    ``kind`` names the file when it is missing (``"file"``, ``"ipc lists file"``).
    """
    suffix = Path(path).suffix.lower()
    reader = (_read_excel if suffix in EXCEL_SUFFIXES else _read_parquet if suffix in PARQUET_SUFFIXES
              else _read_csv_text)
    header, rows, lines = reader(Path(path), label, kind)
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
    source: str | None = None,
    label: str | None = None,
) -> IndicatorTable:
    """Read and validate an indicator table from a CSV, TSV, Excel (``.xlsx``) or Parquet file.

    Parameters
    ----------
    path : str or Path
        A UTF-8 text file with a header line (CSV; ``.tsv``/``.tab``: tab-separated), an Excel
        workbook (its first sheet, the header in its first filled row) or a Parquet file.
    id_column : str
        Column naming each technology (unique, non-empty).
    indicators : sequence of str
        Capability indicator columns (numeric, finite).
    ipc_changes : sequence of str, optional
        Cumulative IPC count columns (non-negative whole numbers), by character position.
    dynamism_score : str, optional
        A precomputed raw dynamism column, instead of ``ipc_changes``.
    source : str, optional
        How to name the file in error messages and in ``IndicatorTable.source`` (default: the
        path as given).
    label : str, optional
        Deprecated name of ``source`` (it is not ``[data] label``, the column of display names).

    Returns
    -------
    IndicatorTable
    """
    if label is not None:
        import warnings

        from ..core.errors import DeprecatedOptionWarning

        warnings.warn("read_table(label=...) is now source=... (label is the [data] column of display names)",
                      DeprecatedOptionWarning, stacklevel=2)
        source = label if source is None else source
    label = str(path) if source is None else source
    header, rows, lines = read_rows(path, label)
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
