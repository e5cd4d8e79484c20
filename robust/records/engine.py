"""Patent records to their sufficient statistics, in DuckDB: one read of the source, no Python loop.

:func:`record_statistics` reads a records source (:mod:`robust.records.source`), parses and
checks every cell (:mod:`robust.records.parse`), applies the filters of a
:class:`~robust.records.spec.RecordsSpec` in order (``published_before``,
``min_citations``, ``merge_families``) and returns a :class:`RecordStatistics`: how many
records each filter left per technology, the kept records' totals per technology (records,
citations, claims, PCT filings, all and focal) and their number per technology, filing
year and subclass. That is everything the indicator table needs, for any windows, ``top_k``
or counting rule (:func:`robust.records.derive.derive_table`). With ``cells=True`` the kept
records are also grouped by every value that can matter to a record (technology, focal
and PCT flags, filing year, subclass, citations, claims): the statistics a resampling of
records works on (:func:`statistics_from_cells` turns cells back into totals and
subclass counts).

The source is read once, in parallel, into a temporary table of parsed values (DuckDB
spills to a temporary folder beyond :data:`~robust.records.source.DUCKDB_MEMORY_LIMIT`);
every check and aggregate then runs on that table. Every record keeps its data row in the
source (0-based; see :func:`robust.records.source.numbered`), so a bad record is reported by
its row (and its line, for CSV), and technologies come in order of first appearance.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb
import numpy as np
import pandas as pd

from ..core.errors import InputError
from .parse import CHECKED_ROLES, parse_sql
from .source import (
    RecordsSource,
    connection,
    duckdb_error,
    literal,
    numbered,
    open_source,
    raw_value,
    where,
)
from .spec import SUBCLASS_PATTERN, RecordColumns, RecordsSpec

TOTALS: tuple[str, ...] = ("n", "n_focal", "citations", "citations_focal", "claims", "claims_focal",
                           "pct", "pct_focal")
CELL_KEYS: tuple[str, ...] = ("technology", "focal", "pct", "year", "code", "citations", "claims")
GROUP_KEYS: tuple[str, ...] = ("technology", "is_focal", "is_pct", "year", "code", "cited", "claimed")  # in SQL
FILTER_STEPS: tuple[str, ...] = ("read", "published_before", "min_citations", "merge_families")


@dataclass(frozen=True)
class RecordStatistics:
    """The records of a source reduced to what the indicators need.

    Attributes
    ----------
    source : str
        The source's label (file path or ``builtin:...``).
    technologies : tuple of str
        Every technology, in order of first appearance in the source.
    filter_counts : pandas.DataFrame
        One row per technology: ``technology, read, published_before, min_citations,
        merge_families`` (the records left after reading and after each filter, in order).
    totals : pandas.DataFrame
        Indexed by technology (in the order above): ``n, n_focal`` (kept records, all and
        focal), ``citations, citations_focal``, ``claims, claims_focal``, ``pct, pct_focal``
        (PCT filings).
    subclasses : pandas.DataFrame
        ``technology`` (categorical, in the order above), ``year`` (filing year), ``code``
        (subclass), ``records``: the kept records per technology, year and subclass.
    filters : tuple
        :attr:`RecordsSpec.filters` of the spec applied.
    columns : RecordColumns
        The columns read (messages about the statistics name them).
    cells : pandas.DataFrame or None
        With ``cells=True``: ``technology, focal, pct, year, code, citations, claims,
        records``, the kept records grouped by all their values.
    """

    source: str
    technologies: tuple[str, ...]
    filter_counts: pd.DataFrame
    totals: pd.DataFrame
    subclasses: pd.DataFrame
    filters: tuple
    columns: RecordColumns
    cells: pd.DataFrame | None = None


def statistics_from_cells(cells: pd.DataFrame, technologies) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``totals`` and ``subclasses`` of :class:`RecordStatistics` from (possibly reweighted) cells.

    ``cells`` has the columns of :attr:`RecordStatistics.cells`; ``records`` may be any
    whole numbers (a resample's counts), and rows with 0 records are left out.
    """
    records = cells["records"].to_numpy()
    focal, pct = cells["focal"].to_numpy(dtype=bool), cells["pct"].to_numpy(dtype=bool)
    citations = records * cells["citations"].to_numpy()
    claims = records * cells["claims"].to_numpy()
    parts = pd.DataFrame({
        "technology": pd.Categorical(cells["technology"], categories=list(technologies)),
        "n": records, "n_focal": records * focal, "citations": citations, "citations_focal": citations * focal,
        "claims": claims, "claims_focal": claims * focal, "pct": records * pct, "pct_focal": records * (pct & focal),
    })
    totals = parts.groupby("technology", observed=False).sum().astype("int64")
    totals.index = pd.Index(list(technologies), name="technology")
    kept = cells[records > 0]
    subclasses = kept.groupby(["technology", "year", "code"], observed=True, sort=False)["records"].sum()
    return totals, _ordered_subclasses(subclasses.reset_index(), technologies)


def _ordered_subclasses(subclasses: pd.DataFrame, technologies) -> pd.DataFrame:
    subclasses = subclasses.assign(
        technology=pd.Categorical(subclasses["technology"].astype(str), categories=list(technologies)),
        year=subclasses["year"].astype("int64"), records=subclasses["records"].astype("int64"))
    return subclasses.sort_values(["technology", "year", "code"], kind="stable").reset_index(drop=True)


def _problem_message(con, source: RecordsSource, columns: RecordColumns, role: str, row: int) -> str:
    column = columns.names()[role]
    value = raw_value(con, source, column, row)
    place = where(source, column, row)
    if value is None or not value.strip():
        return f"{place}: value is missing"
    if role in ("filed", "published"):
        accepted = "a date (YYYY-MM-DD) or a year (YYYY)" if role == "filed" else "a date (YYYY-MM-DD)"
        return f"{place}: {value!r} is not {accepted}"
    if role == "ipc":
        code = "".join(value.split()).upper()[:4]
        return f"{place}: {value!r} is not a main IPC (its subclass {code!r} is not letter-digit-digit-letter)"
    return f"{place}: {value!r} is not a whole number >= 0"


def _check_records(con, source: RecordsSource, columns: RecordColumns) -> None:
    """The first bad record (in file order), or the first repeated patent id."""
    bad = con.execute("SELECT row, problem FROM records WHERE problem > 0 ORDER BY row LIMIT 1").fetchone()
    codes = pd.Series([code for (code,) in con.execute(
        "SELECT DISTINCT code FROM records WHERE code IS NOT NULL").fetchall()], dtype=object)
    wrong = sorted(codes[~codes.str.fullmatch(SUBCLASS_PATTERN).astype(bool)])
    if wrong:  # checked on the distinct subclasses, reported at the first record holding one
        listed = ", ".join(literal(code) for code in wrong)
        row = con.execute(f"SELECT min(row) FROM records WHERE code IN ({listed})").fetchone()[0]
        if bad is None or row < bad[0]:
            bad = (row, CHECKED_ROLES.index("ipc") + 1)
    if bad is not None:
        row, problem = bad
        raise InputError(_problem_message(con, source, columns, CHECKED_ROLES[problem - 1], row))
    duplicate = con.execute(
        "WITH repeated AS (SELECT patent, min(row) AS first FROM records GROUP BY patent HAVING count(*) > 1) "
        "SELECT r.row, r.patent, repeated.first FROM records r JOIN repeated USING (patent) "
        "WHERE r.row > repeated.first ORDER BY r.row LIMIT 1").fetchone()
    if duplicate is not None:
        row, patent, first = duplicate
        raise InputError(f"{where(source, columns.patent, row)}: duplicate patent id {patent!r} "
                         f"(first at row {first + 1})")


def _filters_sql(spec: RecordsSpec) -> tuple[str, str]:
    published = "TRUE" if spec.published_before is None \
        else f"published < DATE {literal(spec.published_before.isoformat())}"
    return published, f"{published} AND citations >= {spec.min_citations}"


def _kept_sql(spec: RecordsSpec, merge: bool) -> str:
    """The CTE ``kept``: the records every filter keeps (one per family when merging)."""
    _, passed = _filters_sql(spec)
    if not merge:
        return f"kept AS (SELECT * FROM records WHERE {passed})"
    return (f"passed AS (SELECT * FROM records WHERE {passed}), "
            "kept AS (SELECT * FROM passed WHERE family IS NULL UNION ALL SELECT * FROM passed "
            "WHERE family IS NOT NULL QUALIFY row_number() OVER (PARTITION BY technology, family "
            "ORDER BY filed, patent) = 1)")


SETS = {"totals": ("technology",), "subclasses": ("technology", "year", "code"), "cells": GROUP_KEYS}


def _grouped_keys(cells: bool) -> tuple[str, ...]:
    return GROUP_KEYS if cells else ("technology", "year", "code")


def _absent(keys: tuple[str, ...], cells: bool) -> int:
    """The ``GROUPING()`` value of a grouping set: one bit per key left out, the first key highest."""
    grouped = _grouped_keys(cells)
    return sum(1 << (len(grouped) - 1 - i) for i, key in enumerate(grouped) if key not in keys)


def _aggregates_sql(spec: RecordsSpec, merge: bool, cells: bool) -> str:
    """One scan of ``kept``: totals per technology, records per subclass and year, and the cells."""
    sets = [SETS["totals"], SETS["subclasses"]] + ([SETS["cells"]] if cells else [])
    sums = ", ".join([
        "count(*) AS n", "count(*) FILTER (WHERE is_focal) AS n_focal",
        "CAST(sum(cited) AS BIGINT) AS citations",
        "CAST(coalesce(sum(cited) FILTER (WHERE is_focal), 0) AS BIGINT) AS citations_focal",
        "CAST(sum(claimed) AS BIGINT) AS claims",
        "CAST(coalesce(sum(claimed) FILTER (WHERE is_focal), 0) AS BIGINT) AS claims_focal",
        "count(*) FILTER (WHERE is_pct) AS pct", "count(*) FILTER (WHERE is_pct AND is_focal) AS pct_focal"])
    keys = ", ".join(_grouped_keys(cells))
    grouping = ", ".join(f"({', '.join(keys_)})" for keys_ in sets)
    return (f"WITH {_kept_sql(spec, merge)}, grouped AS (SELECT technology, focal AS is_focal, pct AS is_pct, "
            "CAST(year(filed) AS INTEGER) AS year, code, citations AS cited, claims AS claimed FROM kept) "
            f"SELECT GROUPING({keys}) AS grouping_id, {keys}, {sums} FROM grouped "
            f"GROUP BY GROUPING SETS ({grouping})")


def record_statistics(source: RecordsSource, columns: RecordColumns, spec: RecordsSpec, *,
                      cells: bool = False, threads: int | None = None) -> RecordStatistics:
    """Read, check and filter the records of ``source``; their sufficient statistics.

    Parameters
    ----------
    source : RecordsSource
    columns : RecordColumns
    spec : RecordsSpec
        Only its filters are used here.
    cells : bool
        Also group the kept records by all their values (:attr:`RecordStatistics.cells`).
    threads : int, optional
        DuckDB threads (default: one per core).

    Raises
    ------
    InputError
        One line naming the file, column, row (and line) and value of the first bad record,
        or the first repeated patent id.
    """
    return statistics_for_filters(source, columns, [spec], cells=cells, threads=threads)[0]


def statistics_for_filters(source: RecordsSource, columns: RecordColumns, specs, *, cells: bool = False,
                           threads: int | None = None) -> list[RecordStatistics]:
    """:func:`record_statistics` for several specs (other filters) from one read of the source."""
    for spec in specs:
        if spec.published_before is not None and columns.published is None:
            raise InputError(f"{source.label}: published_before needs the column of publication dates (published)")
    if len({spec.focal_country for spec in specs}) > 1:
        raise ValueError("the specs of one read must have the same focal_country")
    parse = replace(specs[0], merge_families=any(spec.merge_families for spec in specs))
    results = []
    with connection(threads) as con:
        kinds = open_source(con, source)
        for role, name in columns.names().items():
            if name not in kinds:
                available = ", ".join(repr(column) for column in kinds)
                raise InputError(f"{source.label}: no column {name!r} for {role} (columns: {available})")
        try:
            for statement in parse_sql(columns, parse, kinds, numbered=numbered(source)):
                con.execute(statement)
            _check_records(con, source, columns)
            for spec in specs:
                results.append(_statistics(con, source, columns, spec, cells))
        except duckdb.Error as error:
            raise duckdb_error(error, source.label) from None
    return results


def _statistics(con, source: RecordsSource, columns: RecordColumns, spec: RecordsSpec,
                cells: bool) -> RecordStatistics:
    """The statistics of the parsed ``records`` under the filters of ``spec``."""
    merge = spec.merge_families and columns.family is not None
    published, passed = _filters_sql(spec)
    counts = con.execute(
        f"SELECT technology, min(row) AS first, count(*) AS read, "
        f"count(*) FILTER (WHERE {published}) AS published_before, "
        f"count(*) FILTER (WHERE {passed}) AS min_citations FROM records GROUP BY technology "
        "ORDER BY first").df()
    grouped = con.execute(_aggregates_sql(spec, merge, cells)).df()
    technologies = tuple(counts["technology"])
    level = grouped["grouping_id"].to_numpy()
    totals = grouped[level == _absent(SETS["totals"], cells)].set_index("technology")[list(TOTALS)]
    totals = totals.reindex(list(technologies), fill_value=0).astype("int64")
    totals.index.name = "technology"
    subclasses = grouped[level == _absent(SETS["subclasses"], cells)][["technology", "year", "code", "n"]]
    # (cells=False selects technology, year, code only)
    subclasses = _ordered_subclasses(subclasses.rename(columns={"n": "records"}), technologies)
    cell_frame = None
    if cells:
        cell_frame = grouped[level == 0].drop(columns=list(TOTALS)[1:]).rename(columns=dict(
            zip(GROUP_KEYS, CELL_KEYS)) | {"n": "records"})
        cell_frame = cell_frame[[*CELL_KEYS, "records"]].astype({"year": "int64", "citations": "int64",
                                                               "claims": "int64", "records": "int64"})
        cell_frame = cell_frame.assign(technology=pd.Categorical(cell_frame["technology"], categories=technologies))
        cell_frame = cell_frame.sort_values(list(CELL_KEYS), kind="stable").reset_index(drop=True)
    counts = counts.drop(columns="first").assign(merge_families=totals["n"].to_numpy())
    counts[list(FILTER_STEPS)] = counts[list(FILTER_STEPS)].astype(np.int64)
    return RecordStatistics(source=source.label, technologies=technologies, filter_counts=counts, totals=totals,
                            subclasses=subclasses, filters=spec.filters, columns=columns, cells=cell_frame)
