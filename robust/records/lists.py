"""Ranked IPC lists: the IPC change counts of a table from the top subclasses of two windows.

A user without the patent records may still have, per technology, the ranked lists of the
main IPC subclasses of the two windows (what the paper's Appendix 1 compares). A lists file
(CSV, TSV, Excel or Parquet, read as tables are) has the columns ``technology, window, rank, code, count`` (the layout of
``ipc_top.csv``), one row per listed subclass:

- ``technology``: a technology of the table (its id, surrounding spaces ignored); every
  technology of the table has a list in both windows, and every listed one is in the table;
- ``window``: two distinct values over the file, both year ranges ``YYYY-YYYY`` (the earlier
  is the one that starts first; they must not overlap) or both numbers (1 and 2: the
  smaller is earlier);
- ``rank``: 1, 2, 3, ... within each technology and window, without gaps or repeats;
- ``code``: a subclass, letter-digit-digit-letter after removing spaces (any case);
  listed once per technology and window;
- ``count``: the records of the subclass, a whole number >= 1, not increasing with rank.

The IPC counts ``ipc_p1..ipc_p4`` are those of :mod:`robust.records.ipc` (its one copy of
the ranking and counting rules): each list is ranked again by count descending, then code
ascending, and cut to its first ``top_k`` codes; so ties at the cut go to the lower code,
as with records, whatever the order of the tied codes in the file. ``top_k`` defaults to
the longest list (every listed code); a list shorter than the longest is taken as complete
(the technology had no more subclasses in that window), and a ``top_k`` above the longest
list is an error, since the lists cannot tell which codes follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ..core import rules
from ..core.errors import InputError
from ..core.options import IPC_COUNTING
from ..core.table import IndicatorTable, cell_place, validated_ids, validated_table
from ..io.tables import read_rows
from .derive import DerivedTable
from .ipc import change_counts, rank_subclasses
from .parse import WHITESPACE
from .spec import IPC_COLUMNS, SUBCLASS_PATTERN

LIST_COLUMNS: tuple[str, ...] = ("technology", "window", "rank", "code", "count")
LIST_CHOICES: tuple[str, ...] = ("top_k", "ipc_counting")  # the data choices ranked lists can vary
_YEARS = re.compile(r"(\d{4})\s*-\s*(\d{4})")


@dataclass(frozen=True)
class ListsSpec:
    """How ranked IPC lists give the IPC counts.

    Parameters
    ----------
    top_k : int, optional
        How many codes of each list are compared (default: every listed code).
    ipc_counting : {"cumulative", "distinct"}
        The counting rule of :mod:`robust.records.ipc` (default cumulative).
    """

    top_k: int | None = None
    ipc_counting: str = "cumulative"

    def __post_init__(self):
        if self.top_k is not None:
            object.__setattr__(self, "top_k", rules.integer(self.top_k, "top_k", low=1))
        rules.text(self.ipc_counting, "ipc_counting", choices=IPC_COUNTING)

    def choices(self) -> dict:
        """The data choices of this spec (see :mod:`robust.analyses.specifications`)."""
        return {"top_k": self.top_k, "ipc_counting": self.ipc_counting}

    def with_choices(self, setting: dict) -> "ListsSpec":
        return replace(self, **setting)

    def resolved(self) -> dict:
        return self.choices()


@dataclass(frozen=True, eq=False)
class RankedLists:
    """Validated ranked lists (see the module notes); build with :func:`read_ranked_lists`
    or :func:`ranked_lists_from_frame`.

    Attributes
    ----------
    source : str
        The file, in messages.
    windows : (str, str)
        The two window labels, the earlier first.
    technologies : tuple of str
        In order of first appearance.
    entries : DataFrame
        ``technology, window (0 earlier, 1 later), rank, code, count, row`` (``row``: the
        0-based data row of the file).
    lines : list of int, optional
        The file line of each data row (CSV).
    """

    source: str
    windows: tuple[str, str]
    technologies: tuple[str, ...]
    entries: pd.DataFrame
    lines: list | None = None

    @property
    def longest(self) -> int:
        """The number of codes of the longest list."""
        return int(self.entries.groupby(["technology", "window"]).size().max())

    def place(self, column: str, row: int) -> str:
        return cell_place(self.source, column, row, self.lines)

    def top_k_problem(self, top_k: int, key: str = "top_k") -> str | None:
        """Why ``top_k`` cannot be applied to these lists (None when it can)."""
        if top_k > self.longest:
            return (f"{key} = {top_k} exceeds the longest ranked list in {self.source} ({self.longest} codes); "
                    "the lists cannot tell which codes follow")
        return None

    def check_technologies(self, technologies: Sequence[str], table: str) -> None:
        """Every technology of the table has lists, and every listed one is in the table."""
        listed = set(self.technologies)
        for technology in technologies:
            if technology not in listed:
                raise InputError(f"{self.source}: column 'technology': technology {technology!r} of the table "
                                 f"({table}) has no ranked lists")
        known = set(technologies)
        for technology in self.technologies:
            if technology not in known:
                row = int(self.entries.loc[self.entries["technology"] == technology, "row"].min())
                raise InputError(f"{self.place('technology', row)}: technology {technology!r} is not in the "
                                 f"table ({table})")

    def top(self, technologies: Sequence[str], top_k: int) -> pd.DataFrame:
        """The first ``top_k`` codes of each list, ranked by the rules of :mod:`robust.records.ipc`:
        ``technology`` (categorical, in the order of ``technologies``), ``window`` (0, 1),
        ``rank``, ``code``, ``count``."""
        entries = self.entries
        counts = pd.DataFrame({
            "technology": pd.Categorical(entries["technology"], categories=list(technologies)),
            "window": entries["window"].to_numpy(), "code": entries["code"].to_numpy(),
            "count": entries["count"].to_numpy()})
        return rank_subclasses(counts, top_k)


def _text(cells: pd.Series, column: str, lists_place) -> np.ndarray:
    """Non-empty text of every cell (surrounding spaces removed)."""
    values = []
    for row, cell in enumerate(cells):  # a list file is small: technologies x 2 x top-k rows
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            text = ""
        elif isinstance(cell, (float, np.floating)) and float(cell).is_integer():
            text = str(int(cell))
        else:
            text = str(cell).strip()
        if not text:
            raise InputError(f"{lists_place(column, row)}: value is missing")
        values.append(text)
    return np.array(values, dtype=object)


def _whole(cells: pd.Series, column: str, lists_place) -> np.ndarray:
    """Whole numbers >= 1 (``3`` or ``3.0``)."""
    text = _text(cells, column, lists_place)
    numbers = pd.to_numeric(pd.Series(text), errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(numbers) & (numbers >= 1) & (numbers == np.floor(numbers)))
    if bad.any():
        row = int(np.argmax(bad))
        raise InputError(f"{lists_place(column, row)}: {text[row]!r} is not a whole number >= 1")
    return numbers.astype(np.int64)


def _codes(cells: pd.Series, lists_place) -> np.ndarray:
    text = _text(cells, "code", lists_place)
    cleaned = pd.Series(text).str.upper()
    for character in WHITESPACE:
        cleaned = cleaned.str.replace(character, "", regex=False)
    bad = ~cleaned.str.fullmatch(SUBCLASS_PATTERN).to_numpy(dtype=bool)
    if bad.any():
        row = int(np.argmax(bad))
        raise InputError(f"{lists_place('code', row)}: {text[row]!r} is not an IPC subclass "
                         "(letter-digit-digit-letter, e.g. H01L)")
    return cleaned.to_numpy(dtype=object)


def _window_order(labels: np.ndarray, lists_place, source: str) -> tuple[str, str]:
    """The two window labels, the earlier first."""
    distinct = list(dict.fromkeys(labels))
    if len(distinct) != 2:
        found = ", ".join(repr(label) for label in distinct)
        raise InputError(f"{source}: column 'window': ranked lists compare two windows, found {len(distinct)} "
                         f"({found})")
    keys = []
    for label in distinct:
        years = _YEARS.fullmatch(label)
        try:
            key = ("years", int(years[1]), int(years[2])) if years else ("number", float(label), float(label))
        except ValueError:
            key = None
        if key is None or (years and key[1] > key[2]):
            row = int(np.argmax(labels == label))
            raise InputError(f"{lists_place('window', row)}: {label!r} is not a window: a year range YYYY-YYYY "
                             "(as in ipc_top.csv) or a number (1 earlier, 2 later)")
        keys.append(key)
    if keys[0][0] != keys[1][0]:
        raise InputError(f"{source}: column 'window': {distinct[0]!r} and {distinct[1]!r} are not both year "
                         "ranges or both numbers")
    earlier, later = sorted(range(2), key=lambda i: keys[i][1:])
    if keys[earlier][2] >= keys[later][1]:
        raise InputError(f"{source}: column 'window': the windows {distinct[earlier]!r} and "
                         f"{distinct[later]!r} overlap")
    return distinct[earlier], distinct[later]


def ranked_lists_from_frame(frame: pd.DataFrame, *, label: str = "<lists>",
                            lines: list[int] | None = None) -> RankedLists:
    """Validate a table of ranked lists (see the module notes); ``lines``: the file line of each row."""
    def lists_place(column: str, row: int) -> str:
        return cell_place(label, column, row, lines)

    missing = [column for column in LIST_COLUMNS if column not in frame.columns]
    if missing:
        available = ", ".join(repr(str(name)) for name in frame.columns)
        raise InputError(f"{label}: no column {missing[0]!r} (columns: {available})")
    if len(frame) == 0:
        raise InputError(f"{label}: holds no ranked list (no data row)")
    frame = frame.reset_index(drop=True)
    technology = _text(frame["technology"], "technology", lists_place)
    labels = _text(frame["window"], "window", lists_place)
    rank = _whole(frame["rank"], "rank", lists_place)
    code = _codes(frame["code"], lists_place)
    count = _whole(frame["count"], "count", lists_place)
    windows = _window_order(labels, lists_place, label)
    entries = pd.DataFrame({"technology": technology, "window": (labels == windows[1]).astype(np.int64),
                            "rank": rank, "code": code, "count": count, "row": np.arange(len(frame))})
    technologies = tuple(dict.fromkeys(technology))
    order = pd.Index(technologies).get_indexer(technology)
    entries = entries.iloc[np.lexsort((entries["row"], rank, entries["window"], order))].reset_index(drop=True)
    _check_lists(entries, windows, technologies, label, lists_place)
    return RankedLists(source=label, windows=windows, technologies=technologies, entries=entries, lines=lines)


def _check_lists(entries: pd.DataFrame, windows, technologies, label: str, lists_place) -> None:
    """Both windows for every technology; ranks 1, 2, ... once each; codes once; counts not increasing."""
    present = set(zip(entries["technology"], entries["window"]))
    for technology in technologies:
        for window in (0, 1):
            if (technology, window) not in present:
                raise InputError(f"{label}: column 'window': technology {technology!r} has no list for window "
                                 f"{windows[window]!r}")
    keys = ["technology", "window"]
    groups = entries.groupby(keys, sort=False)
    position = groups.cumcount().to_numpy() + 1  # sorted by rank within each list
    rank, row = entries["rank"].to_numpy(), entries["row"].to_numpy()
    previous_row = np.concatenate([[-1], row[:-1]])

    def fail(i: int, column: str, problem: str):
        technology, window = entries["technology"].iat[i], windows[entries["window"].iat[i]]
        raise InputError(f"{lists_place(column, int(row[i]))}: technology {technology!r}, window {window!r}: {problem}")

    wrong = np.flatnonzero(rank != position)
    if len(wrong):
        i = int(wrong[0])
        if position[i] > 1 and rank[i] == rank[i - 1]:
            fail(i, "rank", f"rank {rank[i]} appears twice (first at row {previous_row[i] + 1})")
        if position[i] == 1:
            fail(i, "rank", f"the list starts at rank {rank[i]}, not 1")
        fail(i, "rank", f"rank {rank[i]} follows rank {rank[i - 1]} (ranks run 1, 2, 3, ... without gaps)")
    repeated = entries.duplicated(keys + ["code"]).to_numpy()
    if repeated.any():
        i = int(np.argmax(repeated))
        same = entries[keys + ["code"]].eq(entries.loc[i, keys + ["code"]]).all(axis=1).to_numpy()
        fail(i, "code", f"code {entries['code'].iat[i]!r} is listed twice (first at row {row[np.argmax(same)] + 1})")
    count = entries["count"].to_numpy()
    rising = np.flatnonzero((position > 1) & (count > np.concatenate([[0], count[:-1]])))
    if len(rising):
        i = int(rising[0])
        fail(i, "count", f"rank {rank[i]} has count {count[i]}, more than rank {rank[i - 1]}'s {count[i - 1]} "
                         "(a ranked list is by count, descending)")


def read_ranked_lists(path: str | Path, *, label: str | None = None) -> RankedLists:
    """Read and validate a lists file: CSV (comma; ``.tsv``, ``.tab``: tab), Excel (``.xlsx``)
    or Parquet (``.parquet``, ``.pq``), as tables are read (:func:`robust.io.tables.read_rows`)."""
    label = str(path) if label is None else label
    header, rows, lines = read_rows(path, label, "ipc lists file")
    return ranked_lists_from_frame(pd.DataFrame(rows, columns=header, dtype=object), label=label, lines=lines)


@dataclass(frozen=True, eq=False)
class DerivedLists:
    """A table whose IPC counts come from ranked lists.

    Attributes
    ----------
    table : IndicatorTable
        The table, with the IPC count columns ``ipc_p1..ipc_p4``.
    lists : RankedLists
    spec : ListsSpec
        With ``top_k`` resolved (the longest list when not given).
    indicators : DataFrame
        ``indicators.csv``: the id column, the capability indicators and ``ipc_p1..ipc_p4``.
    ipc_top : DataFrame
        ``ipc_top.csv``: ``technology, window, rank, code, count``, the first ``top_k`` codes
        of each list as ranked by :mod:`robust.records.ipc`.
    """

    table: IndicatorTable
    lists: RankedLists
    spec: ListsSpec
    indicators: pd.DataFrame
    ipc_top: pd.DataFrame

    def to_table(self) -> IndicatorTable:
        return self.table

    def summary(self) -> str:
        """The lists and their reading, in one line (``robust validate`` prints it)."""
        sizes = self.lists.entries.groupby(["technology", "window"]).size()
        return (f"{self.lists.source}: {len(self.lists.technologies)} technologies, windows "
                f"{self.lists.windows[0]} and {self.lists.windows[1]}, lists of {sizes.min()} to {sizes.max()} "
                f"codes; top_k {self.spec.top_k}, {self.spec.ipc_counting} counting")

    def choice_problem(self, choices: dict, table: IndicatorTable) -> str | None:
        """Why the data choices ``choices`` (key -> levels) cannot be varied (None when they can)."""
        other = [key for key in choices if key not in LIST_CHOICES]
        if other:
            return (f"{', '.join(other)}: choices of how patent records are filtered and windowed; ranked IPC "
                    f"lists vary only {' and '.join(LIST_CHOICES)}")
        for top_k in choices.get("top_k", ()):
            problem = self.lists.top_k_problem(top_k, "top_k level")
            if problem:
                return problem
        return None

    def variants(self, specs: Sequence[ListsSpec]) -> list["DerivedLists"]:
        """The table under each of ``specs`` (other ``top_k`` and counting rules)."""
        variants = []
        for spec in specs:
            top, changes = _counted(self.lists, self.table.technologies, spec)
            values = changes.astype(float)
            values.flags.writeable = False
            variants.append(_derived(replace(self.table, dynamism_inputs=values), self.lists, spec,
                                     self.indicators.columns[0], top))
        return variants


def _counted(lists: RankedLists, technologies: Sequence[str], spec: ListsSpec) -> tuple[pd.DataFrame, np.ndarray]:
    """The ranked top ``spec.top_k`` of each list and the IPC counts ``(m, 4)`` of ``technologies``."""
    top = lists.top(technologies, spec.top_k)
    return top, change_counts(top, technologies, spec.ipc_counting)


def _derived(table: IndicatorTable, lists: RankedLists, spec: ListsSpec, id_column: str,
             top: pd.DataFrame) -> DerivedLists:
    """The derived lists of ``table``, whose IPC counts are those of ``top``."""
    indicators = pd.DataFrame({id_column: list(table.technologies),
                               **dict(zip(table.indicators, table.values.T)),
                               **dict(zip(IPC_COLUMNS, table.dynamism_inputs.astype(np.int64).T))})
    ipc_top = pd.DataFrame({"technology": top["technology"].astype(str).to_numpy(),
                            "window": np.array(lists.windows, dtype=object)[top["window"].to_numpy()],
                            "rank": top["rank"].to_numpy(), "code": top["code"].to_numpy(),
                            "count": top["count"].to_numpy()})
    return DerivedLists(table=table, lists=lists, spec=spec, indicators=indicators, ipc_top=ipc_top)


def table_with_lists(frame: pd.DataFrame, lists: RankedLists, *, id_column: str, indicators: Sequence[str],
                     spec: ListsSpec = ListsSpec(), label: str = "<DataFrame>",
                     lines: list[int] | None = None) -> DerivedLists:
    """A table (one row per technology, the capability indicators) with IPC counts from ``lists``.

    ``lines``: the file line of each row of ``frame``, for messages.

    Examples
    --------
    >>> import pandas as pd
    >>> lists = ranked_lists_from_frame(pd.DataFrame({
    ...     "technology": ["A", "A", "A", "B", "B", "B", "B", "C", "C"],
    ...     "window": ["2001-2010", "2011-2021", "2011-2021"] + ["2001-2010", "2001-2010", "2011-2021",
    ...                "2011-2021"] + ["2001-2010", "2011-2021"],
    ...     "rank": [1, 1, 2, 1, 2, 1, 2, 1, 1], "code": ["H01L", "G06F", "G06K", "H01L", "G06F", "H01L",
    ...     "H01M", "B23K", "B23K"], "count": [9, 5, 4, 8, 3, 7, 2, 4, 4]}))
    >>> table = pd.DataFrame({"id": ["A", "B", "C"], "app_share": [0.2, 0.5, 0.4]})
    >>> derived = table_with_lists(table, lists, id_column="id", indicators=["app_share"],
    ...                            spec=ListsSpec(ipc_counting="distinct"))
    >>> derived.indicators
      id  app_share  ipc_p1  ipc_p2  ipc_p3  ipc_p4
    0  A        0.2       1       1       1       2
    1  B        0.5       0       0       0       1
    2  C        0.4       0       0       0       0
    """
    if not isinstance(spec, ListsSpec):
        raise TypeError(f"spec must be a ListsSpec, got {type(spec).__name__}")
    ids = validated_ids(frame, id_column, label=label, lines=lines)
    lists.check_technologies(ids, label)
    taken = [column for column in IPC_COLUMNS if column in frame.columns]
    if taken:
        raise InputError(f"{label}: column {taken[0]!r} would be derived from the ranked IPC lists "
                         f"({lists.source}); rename it")
    if spec.top_k is None:
        spec = replace(spec, top_k=lists.longest)
    problem = lists.top_k_problem(spec.top_k)
    if problem:
        raise InputError(problem)
    top, changes = _counted(lists, ids, spec)
    frame = frame.reset_index(drop=True).assign(**dict(zip(IPC_COLUMNS, changes.T)))
    table = validated_table(frame, lines=lines, label=label, id_column=id_column, indicators=indicators,
                            ipc_changes=IPC_COLUMNS, dynamism_score=None)
    return _derived(table, lists, spec, id_column, top)


def derive_from_lists(path: str | Path, lists: RankedLists | str | Path, *, id_column: str,
                      indicators: Sequence[str], spec: ListsSpec = ListsSpec(),
                      label: str | None = None) -> DerivedLists:
    """Read a table (CSV, TSV, Excel or Parquet) and give it the IPC counts of a lists file (or of ``lists``)."""
    label = str(path) if label is None else label
    if not isinstance(lists, RankedLists):
        lists = read_ranked_lists(lists)
    header, rows, lines = read_rows(path, label)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    return table_with_lists(frame, lists, id_column=id_column, indicators=indicators, spec=spec, label=label,
                            lines=lines)


TableOrigin = DerivedTable | DerivedLists  # what an indicator table can be derived from: records or ranked lists
