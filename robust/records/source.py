"""A records source opened in DuckDB: a CSV or Parquet file (read out of core) or a table in memory.

:func:`open_source` registers the source as the view ``source`` of a DuckDB connection, its
records numbered by their data row (column :data:`ROW`), and returns its columns with their
DuckDB types. CSV files are read as text with the standard
dialect (comma, or tab for ``.tsv``/``.tab``; double quotes; blank lines skipped); Parquet
files and in-memory tables keep their column types. Problems with the file itself (missing,
unreadable, malformed CSV, not Parquet, no such column) are one
:class:`~robust.core.errors.InputError` line naming the file (and the line, for CSV).

For messages about one record, :func:`raw_value` reads a cell back and :func:`csv_line`
finds the line a data row is on; both run only when a record is bad.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from ..core.errors import InputError
from ..io.tables import PARQUET_SUFFIXES

TAB_SUFFIXES = (".tsv", ".tab")
DUCKDB_MEMORY_LIMIT_BYTES = 1500 * 10**6  # DuckDB spills to a temporary folder beyond this
DUCKDB_MEMORY_LIMIT = f"{DUCKDB_MEMORY_LIMIT_BYTES // 10**6}MB"
ROW = '"__robust_row"'  # the data row (0-based) the view ``source`` adds to every record


@dataclass(frozen=True)
class RecordsSource:
    """Where records come from: a file (``path``) or a table in memory (``frame``).

    ``label`` names the source in every message (default: the path as given).
    """

    path: Path | None = None
    frame: object | None = None  # a pandas DataFrame or a pyarrow Table
    label: str | None = None

    def __post_init__(self):
        if (self.path is None) == (self.frame is None):
            raise TypeError("give exactly one of path or frame")
        if self.path is not None:
            object.__setattr__(self, "path", Path(self.path))
        if self.label is None:
            object.__setattr__(self, "label", str(self.path) if self.path is not None else "<records>")

    @property
    def kind(self) -> str:
        """``"csv"``, ``"parquet"`` or ``"memory"``."""
        if self.frame is not None:
            return "memory"
        return "parquet" if self.path.suffix.lower() in PARQUET_SUFFIXES else "csv"

    @property
    def delimiter(self) -> str:
        return "\t" if self.path is not None and self.path.suffix.lower() in TAB_SUFFIXES else ","


@contextmanager
def connection(threads: int | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB database that spills to a temporary folder, closed afterwards."""
    with tempfile.TemporaryDirectory(prefix="robust-duckdb-") as folder:
        config = {"memory_limit": DUCKDB_MEMORY_LIMIT, "temp_directory": folder,
                  "preserve_insertion_order": True}
        if threads is not None:
            config["threads"] = threads
        con = duckdb.connect(":memory:", config=config)
        try:
            yield con
        finally:
            con.close()


def quoted(name: str) -> str:
    """A column name as a DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A string as a DuckDB literal."""
    return "'" + text.replace("'", "''") + "'"


def _csv_header(source: RecordsSource) -> list[str]:
    """The header: the first record that is not blank (its bytes only are decoded)."""
    label = source.label
    text = ""
    with open(source.path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                text += line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{label}: line {number}: is not UTF-8 text") from None
            try:
                records = list(csv.reader(io.StringIO(text, newline=""), delimiter=source.delimiter, strict=True))
            except csv.Error as error:
                if "EOF" in str(error):
                    continue  # a quoted field going on to the next line
                raise InputError(f"{label}: line {number}: malformed CSV ({error})") from None
            if records and any(cell.strip() for cell in records[0]):
                header = [cell.strip() for cell in records[0]]
                break
            text = ""
        else:
            raise InputError(f"{label}: is empty (no header line)")
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise InputError(f"{label}: column {duplicated[0]!r} appears more than once in the header")
    return header


def _check_file(source: RecordsSource) -> None:
    path, label = source.path, source.label
    if path.is_dir():
        raise InputError(f"{label}: is a directory, not a records file")
    if not path.is_file():
        raise InputError(f"{label}: records file not found")
    try:
        with open(path, "rb") as handle:
            handle.read(1)
    except OSError as error:
        raise InputError(f"{label}: cannot be read ({error.strerror})") from None


def duckdb_error(error: duckdb.Error, label: str) -> InputError:
    """A DuckDB error about a file as one line: ``file: line N: malformed CSV (reason)``."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    match = re.search(r"CSV Error on Line: (\d+)", str(error))
    if match:
        ends = [i for i, line in enumerate(lines) if line.startswith(("Possible", "file ="))]
        reasons = [line for line in lines[1:ends[0] if ends else None] if not line.startswith("Original Line")]
        reason = reasons[-1] if reasons else "unreadable"
        if "unicode" in reason.lower():
            return InputError(f"{label}: line {match.group(1)}: is not UTF-8 text")
        return InputError(f"{label}: line {match.group(1)}: malformed CSV ({reason.rstrip('.')})")
    first = lines[0] if lines else type(error).__name__
    return InputError(f"{label}: cannot be read as records ({first.split(': ', 1)[-1]})")


def open_source(con: duckdb.DuckDBPyConnection, source: RecordsSource) -> dict[str, str]:
    """Register ``source`` as the view ``source``; its columns -> DuckDB types, in order."""
    reordered = f"SELECT * EXCLUDE ({ROW}), {ROW} FROM "
    if source.kind == "memory":
        frame = source.frame
        if isinstance(frame, pd.DataFrame):
            frame = frame.rename(columns=str).assign(**{ROW.strip('"'): np.arange(len(frame))})
        else:
            frame = frame.append_column(ROW.strip('"'), pa.array(np.arange(len(frame), dtype=np.int64)))
        con.register("source_frame", frame)
        relation = reordered + "source_frame"
    else:
        _check_file(source)
        path = literal(str(source.path))
        if source.kind == "parquet":
            relation = f"SELECT * EXCLUDE (file_row_number), file_row_number AS {ROW} " \
                       f"FROM read_parquet({path}, file_row_number = true)"
        else:
            header = _csv_header(source)
            columns = "{" + ", ".join(f"{literal(name)}: 'VARCHAR'" for name in header) + "}"
            # not numbered here: a window would read the file on one thread (see numbered())
            relation = (f"SELECT * FROM read_csv({path}, header = true, auto_detect = false, "
                        f"delim = {literal(source.delimiter)}, quote = '\"', escape = '\"', columns = {columns})")
    try:
        con.execute(f"CREATE OR REPLACE TEMP VIEW source AS {relation}")
        described = con.execute("DESCRIBE source").fetchall()
        if numbered(source):
            described = described[:-1]
    except duckdb.Error as error:
        if source.kind == "parquet":
            raise InputError(f"{source.label}: is not a readable Parquet file") from None
        raise duckdb_error(error, source.label) from None
    return {name: kind for name, kind, *_ in described}


def numbered(source: RecordsSource) -> bool:
    """Whether the view ``source`` numbers its records (column :data:`ROW`).

    Parquet files (``file_row_number``) and tables in memory are numbered as they are read,
    in parallel. A CSV file is not (a window would read it on one thread): it is read, in
    parallel, into a table whose ``rowid`` is then the data row, because DuckDB keeps the
    insertion order of a scan through projections (``preserve_insertion_order``; the parse
    uses no join, aggregate or ``IN`` list, which DuckDB may run as a join).
    """
    return source.kind != "csv"


def raw_value(con: duckdb.DuckDBPyConnection, source: RecordsSource, column: str, row: int) -> str | None:
    """The cell of ``column`` in data row ``row`` (0-based) as text, None when empty."""
    cell = f"SELECT CAST({quoted(column)} AS VARCHAR) FROM source"
    query = f"{cell} WHERE {ROW} = {int(row)}" if numbered(source) else f"{cell} LIMIT 1 OFFSET {int(row)}"
    value = con.execute(query).fetchone()
    return None if value is None else value[0]


def csv_line(source: RecordsSource, row: int) -> int | None:
    """The line of the file that data row ``row`` (0-based) ends on (None for other sources).

    Only called to report a bad record: it reads the file up to that row.
    """
    if source.kind != "csv":
        return None
    seen = -1  # the header
    with open(source.path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=source.delimiter)
        for record in reader:
            if not record:  # an empty line, which DuckDB skips too
                continue
            if seen == row:
                return reader.line_num
            seen += 1
    return None


def where(source: RecordsSource, column: str, row: int) -> str:
    """``file: column 'x', row 3 (line 4)``: the place of a cell in messages (row is 0-based)."""
    line = csv_line(source, row)
    return f"{source.label}: column {column!r}, row {row + 1}" + (f" (line {line})" if line else "")
