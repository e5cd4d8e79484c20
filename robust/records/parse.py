"""Parsing the cells of a records source in SQL: each role's rule, NULL for a bad cell.

:func:`parse_sql` is the one statement that turns the view ``source`` (see
:mod:`robust.records.source`) into the temporary table ``records``: one row per record with
its data ``row``, the parsed values and ``problem``, the index (1-based) in
:data:`CHECKED_ROLES` of the first bad cell in file column order (0 when every cell is
good). Each text cell is trimmed once, in an inner projection; the rules:

- ``technology``: text, surrounding spaces removed; ``patent``, ``family``: text as written
  (ids are compared exactly); empty is missing (an empty family: a family of its own);
- ``filed``: ``YYYY-MM-DD`` or ``YYYY`` (1 January), a DATE or TIMESTAMP, or a whole year;
  ``published``: ``YYYY-MM-DD``, a DATE or TIMESTAMP;
- ``country``: focal when equal to ``focal_country`` ignoring case and spaces;
- ``pct``: true unless empty, ``0``, ``false``, ``no``, ``n`` or ``f`` (any case); a boolean
  or number column as such;
- ``ipc``: whitespace removed, upper case, the first 4 characters (whether they are
  letter-digit-digit-letter is checked on the distinct codes, not per record:
  :func:`robust.records.engine.record_statistics`);
- ``citations``, ``claims``: whole numbers >= 0 (``3`` or ``3.0``; at most 2**32 - 1).
"""

from __future__ import annotations

from .source import ROW, literal, quoted
from .spec import RecordColumns, RecordsSpec

CHECKED_ROLES = ("technology", "patent", "filed", "published", "ipc", "citations", "claims")
IDS = ("patent", "family")
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
                 "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT")
FALSE_WORDS = ("0", "false", "no", "n", "f")
MAX_COUNT = 2**32 - 1  # citations and claims
WHITESPACE = (" ", "\t", "\u00a0", "\u3000")  # space, tab, no-break, ideographic


def _numeric(kind: str) -> bool:
    return kind in INTEGER_TYPES or kind in ("FLOAT", "DOUBLE") or kind.startswith("DECIMAL")


def _as_text(column: str, kind: str) -> str:
    name = quoted(column)
    return name if kind == "VARCHAR" else f"CAST({name} AS VARCHAR)"


def _trimmed(column: str, kind: str) -> str:
    return f"nullif(trim({_as_text(column, kind)}), '')"


def _typed_date(kind: str) -> bool:
    return kind == "DATE" or kind.startswith("TIMESTAMP")


def _inner(role: str, column: str, kind: str) -> str:
    """What the inner projection keeps of a column: the typed value or its trimmed text."""
    if role == "ipc":
        text = _as_text(column, kind)
        head = f"left({text}, 4)"
        spaced = " OR ".join(f"contains({head}, chr({ord(c)}))" for c in WHITESPACE)
        cleaned = f"left({text}, 16)"
        for c in WHITESPACE:
            cleaned = f"replace({cleaned}, chr({ord(c)}), '')"
        # the first 4 characters, unless they hold a space (most symbols: no string is built)
        return f"nullif(CASE WHEN {spaced} THEN left(upper({cleaned}), 4) ELSE upper({head}) END, '')"
    if role in IDS:
        return f"nullif({_as_text(column, kind)}, '')"
    if role == "country":
        return f"upper(trim({_as_text(column, kind)}))"
    if role in ("filed", "published") and (_typed_date(kind) or kind in INTEGER_TYPES):
        return quoted(column)
    if role in ("citations", "claims", "pct") and (_numeric(kind) or kind == "BOOLEAN"):
        return quoted(column)
    if role == "pct":
        return f"coalesce(lower(trim({_as_text(column, kind)})), '')"
    if role in ("citations", "claims"):
        return f"try_cast(trim({_as_text(column, kind)}) AS DOUBLE)"
    return _trimmed(column, kind)


def _outer(role: str, name: str, kind: str, spec: RecordsSpec) -> str:
    """The parsed value from the inner projection's ``name``; NULL for a bad cell."""
    if role in ("filed", "published"):
        if kind == "DATE":
            return name
        if kind.startswith("TIMESTAMP"):
            return f"CAST({name} AS DATE)"
        year = f"make_date(CAST({name} AS INTEGER), 1, 1)"
        if kind in INTEGER_TYPES:
            return f"CASE WHEN {name} BETWEEN 1 AND 9999 THEN {year} END" if role == "filed" else "NULL::DATE"
        expression = (f"CASE WHEN length({name}) = 10 AND substr({name}, 5, 1) = '-' AND substr({name}, 8, 1) = '-' "
                      f"THEN try_cast({name} AS DATE)")
        if role == "filed":
            expression += (f" WHEN length({name}) = 4 AND {name} BETWEEN '0000' AND '9999' "
                           f"THEN make_date(try_cast({name} AS INTEGER), 1, 1)")
        return expression + " END"
    if role in ("citations", "claims"):  # stored in 4 bytes: up to 4,294,967,295
        if kind in INTEGER_TYPES:
            return f"CASE WHEN {name} >= 0 AND {name} <= {MAX_COUNT} THEN CAST({name} AS UINTEGER) END"
        if kind == "BOOLEAN":
            return "NULL::UINTEGER"
        return (f"CASE WHEN {name} >= 0 AND {name} <= {MAX_COUNT} AND {name} = floor({name}) "
                f"THEN CAST({name} AS UINTEGER) END")
    if role == "pct":
        if kind == "BOOLEAN":
            return f"coalesce({name}, false)"
        if _numeric(kind):
            return f"coalesce({name} <> 0, false)"
        return f"NOT regexp_full_match({name}, '({'|'.join(FALSE_WORDS)})?')"
    if role == "country":
        return f"coalesce({name} = {literal(spec.focal_country)}, false)"
    return name


def parse_sql(columns: RecordColumns, spec: RecordsSpec, kinds: dict[str, str], *, numbered: bool) -> list[str]:
    """The statements that make ``records`` for these columns (of DuckDB types ``kinds``).

    The records are parsed once into the temporary table ``parsed``. ``numbered``: the view
    ``source`` has the data row (:data:`~robust.records.source.ROW`), which is kept;
    otherwise (CSV) the table's ``rowid`` is the data row.
    """
    names = columns.names()
    if not (spec.merge_families and "family" in names):
        names.pop("family", None)
    inner = ", ".join(f"{_inner(role, name, kinds[name])} AS {role}" for role, name in names.items())
    parsed = {role: _outer(role, role, kinds[name], spec) for role, name in names.items()}
    outer = {
        "technology": parsed["technology"], "patent": parsed["patent"],
        "family": parsed.get("family", "NULL::VARCHAR"), "filed": parsed["filed"],
        "published": parsed.get("published", "NULL::DATE"), "focal": parsed["country"], "pct": parsed["pct"],
        "code": parsed["ipc"], "citations": parsed["citations"], "claims": parsed["claims"],
    }
    position = {name: i for i, name in enumerate(kinds)}
    checked = sorted((role for role in CHECKED_ROLES if role in names), key=lambda role: position[names[role]])
    field = {"ipc": "code"}
    problem = " ".join(f"WHEN {field.get(role, role)} IS NULL THEN {CHECKED_ROLES.index(role) + 1}"
                       for role in checked)
    select = ", ".join(f"{expression} AS {name}" for name, expression in outer.items())
    inner_row, outer_row = (f"{ROW} AS row, ", "row, ") if numbered else ("", "")
    query = (f"SELECT *, CAST(CASE {problem} ELSE 0 END AS TINYINT) AS problem "
             f"FROM (SELECT {outer_row}{select} FROM (SELECT {inner_row}{inner} FROM source))")
    return [f"CREATE TEMP TABLE parsed AS {query}",
            "CREATE TEMP VIEW records AS " + ("SELECT * FROM parsed" if numbered else
                                              "SELECT rowid AS row, * FROM parsed")]
