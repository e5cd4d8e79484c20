"""The indicator table (the paper's Table 2) from the sufficient statistics of patent records.

:func:`derive_table` needs no record: it works on the cells of a
:class:`~robust.records.engine.RecordStatistics`, so the derivation settings (windows,
``top_k``, ``ipc_counting``, the two ratio readings) can be varied without reading the
records again. :func:`derive_from_records` reads and derives in one call.

Per technology, over the records left by the filters (focal = applicant country equal to
``focal_country``):

- ``app_share`` = focal records / records;
- ``cite_share`` = citations of focal records / citations of all records;
- ``claim_share`` = focal claims / all claims (``claims_ratio = "share"``), or focal claims /
  records (``"per_record"``, Table 1's "total claims / total patents");
- ``pct_share`` = focal PCT records / PCT records (``pct_ratio = "share"``), or focal PCT
  records / records (``"per_record"``, Table 1's "China PCT / total patents");
- ``ipc_p1..ipc_p4``: the IPC change counts of :mod:`robust.records.ipc` between the
  top-k subclasses of the records filed in the two windows.

Records filed outside both windows count in the shares, not in the IPC counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from ..core.errors import InputError
from ..core.table import IndicatorTable, table_from_frame
from .engine import RecordStatistics, statistics_for_filters
from .ipc import change_counts, rank_subclasses
from .source import RecordsSource
from .spec import IPC_COLUMNS, REMOVED_COLUMNS, SHARES, RecordColumns, RecordsSpec

INDICATOR_COLUMNS: tuple[str, ...] = ("technology", *SHARES, *IPC_COLUMNS, "n_records", "n_focal",
                                      *REMOVED_COLUMNS)
IPC_TOP_COLUMNS: tuple[str, ...] = ("technology", "window", "rank", "code", "count")


@dataclass(frozen=True)
class DerivedTable:
    """Table 2 derived from records.

    Attributes
    ----------
    indicators : pandas.DataFrame
        ``indicators.csv``: one row per technology in order of first appearance:
        ``technology``, the four shares, ``ipc_p1..ipc_p4``, ``n_records`` and ``n_focal``
        (kept records, all and focal) and ``removed_published_before``,
        ``removed_min_citations``, ``removed_merge_families`` (records each filter removed).
    ipc_top : pandas.DataFrame
        ``ipc_top.csv``: ``technology, window, rank, code, count``, the top-k subclasses of
        each window (``window`` is ``"first-last"``).
    statistics : RecordStatistics
    spec : RecordsSpec
    origin : RecordsInput, optional
        Where the records are, to derive the table under other settings (:meth:`variants`).
    """

    indicators: pd.DataFrame
    ipc_top: pd.DataFrame
    statistics: RecordStatistics
    spec: RecordsSpec
    origin: "RecordsInput | None" = None

    def to_table(self, indicators: Sequence[str] = SHARES,
                 ipc_changes: Sequence[str] = IPC_COLUMNS) -> IndicatorTable:
        """The indicator table, validated as a table read from a file would be."""
        return table_from_frame(self.indicators, id_column="technology", indicators=indicators,
                                ipc_changes=ipc_changes, label=self.statistics.source)

    def summary(self) -> str:
        """The records left by each filter, in one line (``robust validate`` prints it)."""
        return filter_summary(self.statistics, self.spec) + (
            f"; {len(self.indicators)} technologies, {int(self.indicators['n_focal'].sum()):,} focal "
            f"({self.spec.focal_country})")

    def choice_problem(self, choices: dict, table: IndicatorTable) -> str | None:
        """Why the data choices ``choices`` (key -> levels) cannot be varied on ``table`` (None when they can)."""
        other = [name for name in table.indicators if name not in SHARES] + [
            name for name in table.dynamism_columns if name not in IPC_COLUMNS]
        if other or not table.ipc_counts:
            return (f"{', '.join(choices)}: the data choices re-derive the columns "
                    f"{', '.join(SHARES + IPC_COLUMNS)} from the records, not {(other or ['a score'])[0]!r}")
        (first, _), (_, last) = self.spec.windows
        for year in choices.get("split_year", ()):
            if not first <= year < last:
                return f"split_year: {year} must leave both windows a year: from {first} to {last - 1}"
        return None

    def variants(self, specs: Sequence[RecordsSpec]) -> list["DerivedTable"]:
        """The table under each of ``specs`` (other filters and derivation settings); the
        records are read again once, for all the filters not yet computed. Each table is kept
        (in this process), so the analyses that vary the same choices derive it once."""
        derived = self._variants
        known = {self.statistics.filters: self.statistics} | {
            variant.statistics.filters: variant.statistics for variant in derived.values()}
        missing = list({spec.filters: spec for spec in specs if spec.filters not in known}.values())
        if missing:
            if self.origin is None:
                raise ValueError("other filters need the records again: derive with derive_from_records")
            for statistics in self.origin.statistics(missing):
                known[statistics.filters] = statistics
        for spec in specs:
            if spec not in derived:
                derived[spec] = derive_table(known[spec.filters], spec, origin=self.origin)
        return [derived[spec] for spec in specs]

    @property
    def _variants(self) -> dict:
        if "_derived_variants" not in self.__dict__:
            object.__setattr__(self, "_derived_variants", {})
        return self.__dict__["_derived_variants"]

    def __getstate__(self) -> dict:
        """Pickled (sent to workers) without the tables derived so far."""
        return {key: value for key, value in self.__dict__.items() if key != "_derived_variants"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


@dataclass(frozen=True)
class RecordsInput:
    """Patent records to derive indicator tables from: the source, its columns, the measurement."""

    source: RecordsSource
    columns: RecordColumns
    spec: RecordsSpec

    def statistics(self, specs: Sequence[RecordsSpec] | None = None, *, cells: bool = False) -> list[RecordStatistics]:
        """The statistics under each spec's filters (default: this spec), from one read."""
        return statistics_for_filters(self.source, self.columns, list(specs or [self.spec]), cells=cells)

    def derive(self, *, cells: bool = False) -> DerivedTable:
        """Read the records and derive the table of :attr:`spec`."""
        return derive_table(self.statistics(cells=cells)[0], self.spec, origin=self)


def filter_summary(statistics: RecordStatistics, spec: RecordsSpec) -> str:
    """``1,000 read; 990 published before 2021-06-01 (10 removed); ...``."""
    totals = statistics.filter_counts.drop(columns="technology").sum()
    parts = [f"{int(totals['read']):,} records read"]
    steps = [("published_before", f"published before {spec.published_before}", spec.published_before is not None),
             ("min_citations", f"cited at least {spec.min_citations} time{'s' if spec.min_citations > 1 else ''}",
              spec.min_citations > 0),
             ("merge_families", "one per family",
              spec.merge_families and statistics.columns.family is not None)]
    previous = totals["read"]
    for name, what, active in steps:
        if active:
            parts.append(f"{int(totals[name]):,} {what} ({int(previous - totals[name]):,} removed)")
        previous = totals[name]
    return "; ".join(parts)


def shares(totals, spec: RecordsSpec) -> np.ndarray:
    """The four shares ``(..., 4)`` from totals (a mapping of :data:`~robust.records.engine.TOTALS`
    to arrays of any shape) under the ratio readings of ``spec`` (see the module notes)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.stack([
            totals["n_focal"] / totals["n"],
            totals["citations_focal"] / totals["citations"],
            totals["claims_focal"] / totals["claims" if spec.claims_ratio == "share" else "n"],
            totals["pct_focal"] / totals["pct" if spec.pct_ratio == "share" else "n"],
        ], axis=-1)


def _check_defined(totals: pd.DataFrame, statistics: RecordStatistics, spec: RecordsSpec) -> None:
    label, columns = statistics.source, statistics.columns
    if totals["n"].sum() == 0:
        raise InputError(f"{label}: no record is left after the filters ({filter_summary(statistics, spec)})")
    checks = [
        ("n", None, "has no record left after the filters"),
        ("citations", columns.citations, "has no citations after the filters, so cite_share is undefined"),
    ]
    if spec.claims_ratio == "share":
        checks.append(("claims", columns.claims,
                       "has no claims after the filters, so claim_share (claims_ratio = \"share\") is undefined"))
    if spec.pct_ratio == "share":
        checks.append(("pct", columns.pct, "has no PCT record after the filters, so pct_share "
                       "(pct_ratio = \"share\") is undefined; pct_ratio = \"per_record\" divides by all records"))
    for technology, row in totals.iterrows():  # technologies, not records
        for name, column, problem in checks:
            if row[name] == 0:
                place = f"column {column!r}: " if column else ""
                raise InputError(f"{label}: {place}technology {technology!r} {problem}")


def _window_counts(spec: RecordsSpec, statistics: RecordStatistics) -> pd.DataFrame:
    """Records per technology, window (0, 1) and subclass; every window must hold records."""
    subclasses = statistics.subclasses
    year = subclasses["year"].to_numpy()
    window = np.full(len(subclasses), -1)
    for index, (first, last) in enumerate(spec.windows):
        window[(year >= first) & (year <= last)] = index
    inside = subclasses.assign(window=window)[window >= 0]
    counts = inside.groupby(["technology", "window", "code"], observed=True)["records"].sum()
    counts = counts.rename("count").reset_index()
    present = pd.MultiIndex.from_frame(counts[["technology", "window"]].drop_duplicates().astype(object))
    for technology in statistics.technologies:
        for index, (first, last) in enumerate(spec.windows):
            if (technology, index) not in present:
                raise InputError(
                    f"{statistics.source}: column {statistics.columns.filed!r}: technology {technology!r} has no "
                    f"record filed in {first}-{last} (window {index + 1} of windows) after the filters")
    return counts


def derive_table(statistics: RecordStatistics, spec: RecordsSpec, *,
                 origin: RecordsInput | None = None) -> DerivedTable:
    """The indicator table and the ranked IPC lists from the statistics of the records.

    ``spec`` must have the filters the statistics were computed with; its derivation
    settings may be any (no record is read again). A resample of the records is a
    :class:`RecordStatistics` whose ``totals`` and ``subclasses`` come from reweighted
    cells (:func:`robust.records.engine.statistics_from_cells`).

    Raises
    ------
    InputError
        No record left after the filters; a technology with no record left, none in a
        window, or a share whose denominator is 0.
    """
    if spec.filters != statistics.filters:
        raise ValueError(f"the statistics were computed with the filters {statistics.filters}, "
                         f"not {spec.filters}; read the records again")
    technologies = statistics.technologies
    totals = statistics.totals
    _check_defined(totals, statistics, spec)
    counts = _window_counts(spec, statistics)
    top = rank_subclasses(counts, spec.top_k)
    changes = change_counts(top, technologies, spec.ipc_counting)
    removed = statistics.filter_counts[["read", "published_before", "min_citations", "merge_families"]].to_numpy()
    frame = pd.DataFrame({
        "technology": list(technologies),
        **dict(zip(SHARES, shares({name: totals[name].to_numpy() for name in totals.columns}, spec).T)),
        **{column: changes[:, p] for p, column in enumerate(IPC_COLUMNS)},
        "n_records": totals["n"].to_numpy(),
        "n_focal": totals["n_focal"].to_numpy(),
        **{column: removed[:, i] - removed[:, i + 1] for i, column in enumerate(REMOVED_COLUMNS)},
    })
    labels = np.array(spec.window_labels(), dtype=object)
    ipc_top = top.assign(technology=top["technology"].astype(str), window=labels[top["window"].to_numpy()])
    return DerivedTable(indicators=frame[list(INDICATOR_COLUMNS)], ipc_top=ipc_top[list(IPC_TOP_COLUMNS)],
                        statistics=statistics, spec=spec, origin=origin)


def derive_from_records(source: RecordsSource | str, columns: RecordColumns, spec: RecordsSpec) -> DerivedTable:
    """Read a records file (CSV or Parquet) or a table in memory and derive its indicator table.

    Examples
    --------
    >>> import pandas as pd
    >>> records = pd.DataFrame({"tech": ["A", "A", "B", "B"], "id": ["P1", "P2", "P3", "P4"],
    ...     "filed": ["2005", "2015-03-01", "2006", "2016"], "country": ["CN", "US", "CN", "CN"],
    ...     "ipc": ["H01L 21/00", "G06F 3/00", "h01l 1/00", "H01L2/00"], "cited": [1, 3, 2, 2],
    ...     "claims": [10, 10, 5, 15], "pct": ["", "WO1", "", "WO2"]})
    >>> columns = RecordColumns(technology="tech", patent="id", filed="filed", country="country",
    ...                         ipc="ipc", citations="cited", claims="claims", pct="pct")
    >>> derived = derive_from_records(RecordsSource(frame=records), columns,
    ...                               RecordsSpec(windows=((2001, 2010), (2011, 2020))))
    >>> derived.indicators[["technology", "app_share", "cite_share", "pct_share", "ipc_p1", "ipc_p4"]]
      technology  app_share  cite_share  pct_share  ipc_p1  ipc_p4
    0          A        0.5        0.25        0.0       1       1
    1          B        1.0        1.00        1.0       0       0
    """
    if not isinstance(source, RecordsSource):
        source = RecordsSource(path=source)
    return RecordsInput(source, columns, spec).derive()
