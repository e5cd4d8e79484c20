"""``[records]``: a config that starts from patent records instead of a finished table.

The section names the records file and its columns, and the settings of the paper's
measurement (:class:`~robust.records.spec.RecordsSpec`); the run derives the indicator
table from the records (:mod:`robust.records`), writes it as ``indicators.csv`` and
``ipc_top.csv``, and runs every analysis on it exactly as on a table read from a CSV file.
``path = "builtin:paper2023_records"`` is the SYNTHETIC record set calibrated to the paper's
Table 2 (:mod:`robust.datasets.paper2023_records`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from pathlib import Path

from ..core.errors import InputError
from ..datasets.builtin import BUILTIN_PREFIX
from ..datasets.paper2023_records import BUILTIN_RECORDS
from ..io.results import file_sha256
from ..records.derive import DerivedTable, RecordsInput
from ..records.source import RecordsSource
from ..records.spec import RecordColumns, RecordsSpec
from .reader import REQUIRED, Section

SETTINGS: tuple[str, ...] = tuple(field.name for field in fields(RecordsSpec))
COLUMNS: tuple[str, ...] = tuple(field.name for field in fields(RecordColumns))


@dataclass(frozen=True)
class RecordsData:
    """A parsed ``[records]`` section: where the records are, their columns, the measurement."""

    path: str
    file: Path | None  # None for a built-in record set
    columns: RecordColumns
    spec: RecordsSpec

    @property
    def label(self) -> str:
        return self.path if self.file is None else str(self.file)

    def source(self) -> RecordsSource:
        if self.file is None:
            return RecordsSource(frame=BUILTIN_RECORDS[self.path[len(BUILTIN_PREFIX):]](), label=self.path)
        return RecordsSource(path=self.file, label=self.label)

    def derive(self, *, cells: bool = False) -> DerivedTable:
        """Read the records and derive the indicator table (one-line errors naming the file);
        ``cells``: keep the statistics a resample of the records needs."""
        return RecordsInput(self.source(), self.columns, self.spec).derive(cells=cells)

    def sha256(self) -> str:
        """The records file's SHA-256; for a built-in set, that of its Arrow IPC stream."""
        if self.file is not None:
            return file_sha256(self.file)
        import pyarrow as pa

        sink = pa.BufferOutputStream()
        table = self.source().frame
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()

    def resolved(self) -> dict:
        return {"path": self.path, "columns": self.columns.resolved(), **self.spec.resolved()}


def parse_records(section: Section, config_path: Path) -> RecordsData:
    """Read ``[records]`` (every key documented in the README, "From patent records")."""
    path = section.text("path")
    if path.startswith(BUILTIN_PREFIX):
        name = path[len(BUILTIN_PREFIX):]
        if name not in BUILTIN_RECORDS:
            raise InputError(f"{section.where('path')}: unknown built-in record set {path!r}; allowed: "
                             + ", ".join(BUILTIN_PREFIX + known for known in BUILTIN_RECORDS))
        file = None
    else:
        file = (config_path.parent / path).resolve()
    optional = ("family", "published")
    names = {key: section.text(key, None if key in optional else REQUIRED) for key in COLUMNS}
    names = {key: value for key, value in names.items() if value is not None}
    settings = {key: section.get(key, None) for key in SETTINGS}
    if not section.has("windows"):
        raise InputError(f"{section.where('windows')} is required (the two filing-year windows, "
                         "e.g. [[2001, 2010], [2011, 2021]])")
    section.finish()
    if settings["merge_families"] is True and "family" not in names:
        raise InputError(f"{section.where('merge_families')} = true needs the family column (key family)")
    if settings["published_before"] is not None and "published" not in names:
        raise InputError(f"{section.where('published_before')} needs the publication date column (key published)")
    try:
        columns = RecordColumns(**names)
        spec = RecordsSpec(**{key: value for key, value in settings.items() if value is not None})
    except InputError as error:
        raise InputError(f"{section.label}: [records] {error}") from None
    return RecordsData(path=path, file=file, columns=columns, spec=spec)

