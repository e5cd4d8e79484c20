"""Indicator tables: a user's table validated once, before any computing.

:func:`table_from_frame` validates a pandas DataFrame; :func:`robust.io.tables.read_table`
reads a file and validates it the same way (:func:`validated_table`). Every problem is
reported as one :class:`~robust.core.errors.InputError` line naming the file, the column and
the row (1-based data row, and its line in the file), e.g.::

    my_table.csv: column 'cite_share', row 3 (line 4, id 'LiDAR'): 'n/a' is not a number
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from . import rules
from .display import Displayed
from .errors import DegenerateWarning, InputError
from .scoring import raw_dynamism

MIN_TECHNOLOGIES = 3


@dataclass(frozen=True, repr=False)
class IndicatorTable(Displayed):
    """A validated table of technologies: capability indicators and dynamism inputs.

    Attributes
    ----------
    source : str
        Where the table came from (file path, ``builtin:...`` or ``<DataFrame>``).
    id_column : str
        The column naming each technology.
    technologies : tuple of str
        The id of each technology, verbatim, in input order.
    indicators : tuple of str
        The capability indicator columns, in order.
    values : ndarray, shape (m, k)
        Capability indicator values (read-only).
    dynamism_columns : tuple of str
        Either the IPC change columns (cumulative counts of new codes at character 1..p) or one
        precomputed raw dynamism score column.
    dynamism_inputs : ndarray, shape (m, p)
        The values of those columns (read-only).
    ipc_counts : bool
        True when ``dynamism_columns`` are IPC change counts, False for a raw score.
    extra : pandas.DataFrame
        The table's other columns, as text (e.g. names used for labels).
    """

    source: str
    id_column: str
    technologies: tuple[str, ...]
    indicators: tuple[str, ...]
    values: np.ndarray
    dynamism_columns: tuple[str, ...]
    dynamism_inputs: np.ndarray
    ipc_counts: bool
    extra: pd.DataFrame

    @property
    def n_technologies(self) -> int:
        return len(self.technologies)

    def column_text(self, column: str) -> list[str]:
        """Any column of the table as text (e.g. names used as labels)."""
        if column == self.id_column:
            return list(self.technologies)
        if column in self.indicators or column in self.dynamism_columns:
            source = self.values if column in self.indicators else self.dynamism_inputs
            names = self.indicators if column in self.indicators else self.dynamism_columns
            return [f"{value:g}" for value in source[:, names.index(column)]]
        if column not in self.extra.columns:
            raise InputError(f"{self.source}: no column {column!r} for labels")
        return list(self.extra[column])

    def summary(self) -> str:
        """``20 technologies x 4 indicators (app_share, ...); dynamism from 4 IPC count columns; builtin:...``."""
        dynamism = (f"dynamism from {len(self.dynamism_columns)} IPC count columns" if self.ipc_counts
                    else f"dynamism score {self.dynamism_columns[0]!r}")
        return (f"{len(self.technologies)} technologies x {len(self.indicators)} indicators "
                f"({', '.join(self.indicators)}); {dynamism}; {self.source}")

    def to_frame(self) -> pd.DataFrame:
        """The validated inputs: ``technology``, the indicator columns, the dynamism columns."""
        frame = pd.DataFrame({"technology": list(self.technologies)})
        for j, name in enumerate(self.indicators):
            frame[name] = self.values[:, j]
        for j, name in enumerate(self.dynamism_columns):
            frame[name] = self.dynamism_inputs[:, j]
        return frame

    def raw_dynamism(self, amplitudes: Sequence[float] | None = None) -> np.ndarray:
        """Raw dynamism per technology (amplitude-weighted IPC changes, or the score column)."""
        if not self.ipc_counts:
            if amplitudes is not None:
                raise ValueError("amplitudes apply only to IPC change counts, not to a raw score")
            return self.dynamism_inputs[:, 0].copy()
        if amplitudes is None:
            raise ValueError("amplitudes are required to score IPC change counts")
        if len(amplitudes) != len(self.dynamism_columns):
            raise ValueError(
                f"got {len(amplitudes)} amplitudes for {len(self.dynamism_columns)} "
                f"IPC change columns {list(self.dynamism_columns)}"
            )
        return raw_dynamism(self.dynamism_inputs, np.asarray(amplitudes, dtype=float))


def table_from_frame(
    frame: pd.DataFrame,
    *,
    id_column: str,
    indicators: Sequence[str],
    ipc_changes: Sequence[str] | None = None,
    dynamism_score: str | None = None,
    label: str = "<DataFrame>",
) -> IndicatorTable:
    """Validate a pandas DataFrame as an indicator table, with the checks of :func:`robust.read_table`.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per technology; other columns are kept (e.g. display names, for ``column_text``).
    id_column : str
        Column naming each technology (unique, non-empty).
    indicators : sequence of str
        Capability indicator columns (numeric, finite).
    ipc_changes : sequence of str, optional
        Cumulative IPC count columns (non-negative whole numbers), by character position.
    dynamism_score : str, optional
        A precomputed raw dynamism column, instead of ``ipc_changes``.
    label : str
        How to name the table in error messages (as ``read_table``'s ``source``).

    Returns
    -------
    IndicatorTable

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"tech": ["A", "B", "C"], "x": [0.2, 0.5, 0.9], "p1": [0, 1, 2]})
    >>> table_from_frame(frame, id_column="tech", indicators=["x"], ipc_changes=["p1"])
    <IndicatorTable: 3 technologies x 1 indicators (x); dynamism from 1 IPC count columns; <DataFrame>>
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if frame.columns.duplicated().any():
        name = frame.columns[frame.columns.duplicated()][0]
        raise InputError(f"{label}: column {name!r} appears more than once")
    frame = frame.reset_index(drop=True).rename(columns=str)
    return validated_table(
        frame,
        lines=None,
        label=label,
        id_column=id_column,
        indicators=indicators,
        ipc_changes=ipc_changes,
        dynamism_score=dynamism_score,
    )


def cell_place(label: str, column: str, row: int, lines: list[int] | None, ident: str | None = None) -> str:
    """``file: column 'x', row 3 (line 4, id 'LiDAR')``: a cell in messages (``row`` 0-based)."""
    place = f"row {row + 1}"
    details = []
    if lines is not None:
        details.append(f"line {lines[row]}")
    if ident:
        details.append(f"id {ident!r}")
    if details:
        place += f" ({', '.join(details)})"
    return f"{label}: column {column!r}, {place}"


def _numeric_column(frame, column, *, label, lines, ids) -> np.ndarray:
    cells = frame[column]
    if pd.api.types.is_bool_dtype(cells):
        raise InputError(f"{label}: column {column!r} holds true/false values, not numbers")
    if cells.dtype == object:
        cells = cells.map(lambda cell: cell.strip() if isinstance(cell, str) else cell)
    numbers = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float)
    bad = rules.unusable_cells(numbers)
    if not bad.any():
        return numbers
    row = int(np.argmax(bad))
    cell = cells.iloc[row]
    where = cell_place(label, column, row, lines, ids[row])
    if cell is None or (isinstance(cell, float) and np.isnan(cell)) or cell == "":
        raise InputError(f"{where}: value is missing")
    try:
        float(cell)
    except (TypeError, ValueError):
        raise InputError(f"{where}: {cell!r} is not a number") from None
    raise InputError(f"{where}: {cell!r} {rules.cell_problem(numbers[row])}")


def validated_ids(frame: pd.DataFrame, id_column: str, *, label: str, lines: list[int] | None) -> list[str]:
    """The id of each row: the text of ``id_column`` without surrounding spaces, non-empty and unique."""
    if id_column not in frame.columns:
        available = ", ".join(repr(name) for name in frame.columns)
        raise InputError(f"{label}: no column {id_column!r} (columns: {available})")
    ids = []
    first_row: dict[str, int] = {}
    for row, cell in enumerate(frame[id_column]):
        ident = "" if cell is None or (isinstance(cell, float) and np.isnan(cell)) else str(cell)
        if isinstance(cell, str):
            ident = cell.strip()
        if not ident:
            raise InputError(f"{cell_place(label, id_column, row, lines)}: id is missing")
        if ident in first_row:
            raise InputError(
                f"{cell_place(label, id_column, row, lines)}: duplicate id {ident!r} "
                f"(first at row {first_row[ident] + 1})"
            )
        first_row[ident] = row
        ids.append(ident)
    return ids


def validated_table(
    frame: pd.DataFrame,
    *,
    lines: list[int] | None,
    label: str,
    id_column: str,
    indicators: Sequence[str],
    ipc_changes: Sequence[str] | None,
    dynamism_score: str | None,
) -> IndicatorTable:
    """Validate a table of text or numbers (one row per technology) as an :class:`IndicatorTable`.

    ``lines`` gives the file line of each row, for messages (None for a DataFrame);
    ``label`` names the source in messages. See :func:`robust.io.tables.read_table`.
    """
    indicators = rules.names(indicators, "indicators", what="column names")
    if (ipc_changes is None) == (dynamism_score is None):
        raise InputError("give exactly one of ipc_changes (IPC change counts) or dynamism_score")
    if ipc_changes is not None:
        dynamism_columns = rules.names(ipc_changes, "ipc_changes", what="column names")
    else:
        dynamism_columns = (dynamism_score,)
    needed = (id_column, *indicators, *dynamism_columns)
    for column in needed:
        if column not in frame.columns:
            available = ", ".join(repr(name) for name in frame.columns)
            raise InputError(f"{label}: no column {column!r} (columns: {available})")
    overlap = set(indicators) & set(dynamism_columns)
    if id_column in indicators or id_column in dynamism_columns or overlap:
        name = sorted(overlap)[0] if overlap else id_column
        raise InputError(f"{label}: column {name!r} is used for two different roles")

    m = len(frame)
    if m < MIN_TECHNOLOGIES:
        raise InputError(
            f"{label}: needs at least {MIN_TECHNOLOGIES} technologies (rows), found {m}"
        )
    ids = validated_ids(frame, id_column, label=label, lines=lines)

    def numeric(column):
        return _numeric_column(frame, column, label=label, lines=lines, ids=ids)

    values = np.column_stack([numeric(column) for column in indicators])
    dynamism_inputs = np.column_stack([numeric(column) for column in dynamism_columns])
    if ipc_changes is not None:
        for j, column in enumerate(dynamism_columns):
            counts = dynamism_inputs[:, j]
            bad = rules.bad_counts(counts)
            if bad.any():
                row = int(np.argmax(bad))
                raise InputError(
                    f"{cell_place(label, column, row, lines, ids[row])}: IPC change count "
                    f"{counts[row]:g} is not a non-negative whole number (at most 2**53)"
                )
    constant = [
        name for name, column in zip(indicators, values.T) if column.min() == column.max()
    ]
    for name in constant:
        warnings.warn(
            f"{label}: indicator {name!r} is the same for every technology; it gets weight 0 "
            "under data-driven weighting and min-max normalises to 0",
            DegenerateWarning,
            stacklevel=3,
        )
    values.flags.writeable = False
    dynamism_inputs.flags.writeable = False
    others = [name for name in frame.columns if name not in needed]
    extra = frame[others].astype(str).reset_index(drop=True) if others else pd.DataFrame(index=range(m))
    return IndicatorTable(
        source=label,
        id_column=id_column,
        technologies=tuple(ids),
        indicators=indicators,
        values=values,
        dynamism_columns=dynamism_columns,
        dynamism_inputs=dynamism_inputs,
        ipc_counts=ipc_changes is not None,
        extra=extra,
    )
