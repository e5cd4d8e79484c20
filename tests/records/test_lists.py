"""Ranked IPC lists: hand-computed counts, the records' counts from their own lists, every error message."""

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from robust import InputError
from robust.datasets import paper2023_records as generator
from robust.datasets.builtin import builtin_path
from robust.datasets.paper2023 import PAPER_RECORDS_SPEC
from robust.records.derive import derive_table
from robust.records.engine import record_statistics
from robust.records.lists import (
    ListsSpec,
    derive_from_lists,
    ranked_lists_from_frame,
    read_ranked_lists,
    table_with_lists,
)
from robust.records.source import RecordsSource
from robust.records.spec import IPC_COLUMNS

EARLY, LATE = "2001-2010", "2011-2021"
# A: G06K and H04W tie at count 4 and the file ranks H04W first; B: two new codes share the new
# prefix B (the rules differ); C: a later list of one code (shorter than the longest: complete).
LISTS = [
    ("B", LATE, 3, "C08J", 2), ("A", LATE, 1, "G06F", 8), ("A", EARLY, 1, "H01L", 9), ("A", EARLY, 2, "G06F", 5),
    ("A", LATE, 2, "h04w", 4), ("A", LATE, 3, "G06 K", 4), ("B", EARLY, 1, "C08G", 6), ("B", LATE, 1, "B32B", 5),
    ("B", LATE, 2, "B29C", 3), ("C", EARLY, 1, "F16C", 4), ("C", EARLY, 2, "F16H", 2), ("C", LATE, 1, "F16C", 3),
]
TABLE = "tech,x,y\nA,0.2,0.5\nB,0.6,0.3\nC,0.4,0.9\n"
# Hand-computed (see the comments of test_hand_computed_counts)
EXPECTED = {
    (3, "cumulative"): [(0, 0, 1, 2), (2, 2, 2, 3), (0, 0, 0, 0)],
    (3, "distinct"): [(0, 0, 1, 2), (1, 2, 2, 3), (0, 0, 0, 0)],
    (2, "cumulative"): [(0, 0, 0, 1), (2, 2, 2, 2), (0, 0, 0, 0)],
    (2, "distinct"): [(0, 0, 0, 1), (1, 2, 2, 2), (0, 0, 0, 0)],
}


def lists_text(rows=LISTS, header="technology,window,rank,code,count") -> str:
    return header + "\n" + "".join(",".join(str(cell) for cell in row) + "\n" for row in rows)


def write(tmp_path, text: str, name: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def derive(tmp_path, rows=LISTS, table=TABLE, spec=ListsSpec(), header="technology,window,rank,code,count"):
    lists = write(tmp_path, lists_text(rows, header), "lists.csv")
    return derive_from_lists(write(tmp_path, table, "table.csv"), read_ranked_lists(lists, label="lists.csv"),
                             id_column="tech", indicators=["x", "y"], spec=spec, label="table.csv")


@pytest.mark.parametrize(("top_k", "counting"), list(EXPECTED))
def test_hand_computed_counts(tmp_path, top_k, counting):
    # A, all 3: G06K is new at 4 only (G, G0, G06 are G06F's), H04W new at 3 and 4 (H, H0 are
    #   H01L's): (0, 0, 1, 2) by both rules. Top 2: the tie at count 4 goes to the lower code
    #   G06K, not to H04W the file ranks second: (0, 0, 0, 1).
    # B, all 3: B32B and B29C are new at every position, C08J at 4 only. Cumulative (2, 2, 2, 3);
    #   distinct counts the shared new prefix B once: (1, 2, 2, 3). Top 2: C08J is cut.
    # C: its one later code is an earlier one: no change.
    derived = derive(tmp_path, spec=ListsSpec(top_k=top_k, ipc_counting=counting))
    assert [tuple(row) for row in derived.indicators[list(IPC_COLUMNS)].to_numpy()] == EXPECTED[top_k, counting]
    assert derived.table.dynamism_columns == IPC_COLUMNS and derived.table.ipc_counts
    assert (derived.table.dynamism_inputs == np.array(EXPECTED[top_k, counting])).all()
    assert derived.indicators.columns.tolist() == ["tech", "x", "y", *IPC_COLUMNS]
    assert derived.spec.top_k == top_k


def test_top_k_defaults_to_the_longest_list_and_lists_are_reranked(tmp_path):
    derived = derive(tmp_path)
    assert derived.spec.top_k == 3
    assert [tuple(row) for row in derived.indicators[list(IPC_COLUMNS)].to_numpy()] == EXPECTED[3, "cumulative"]
    a_later = derived.ipc_top[(derived.ipc_top["technology"] == "A") & (derived.ipc_top["window"] == LATE)]
    assert a_later[["rank", "code", "count"]].values.tolist() == [[1, "G06F", 8], [2, "G06K", 4], [3, "H04W", 4]]
    assert derived.ipc_top.columns.tolist() == ["technology", "window", "rank", "code", "count"]
    assert derived.lists.windows == (EARLY, LATE)
    assert derived.summary() == ("lists.csv: 3 technologies, windows 2001-2010 and 2011-2021, lists of 1 to 3 codes; "
                                 "top_k 3, cumulative counting")


def test_variants_are_the_tables_of_their_specs(tmp_path):
    derived = derive(tmp_path)
    specs = [ListsSpec(top_k=k, ipc_counting=c) for k, c in EXPECTED]
    for spec, variant in zip(specs, derived.variants(specs)):
        assert variant.indicators[list(IPC_COLUMNS)].to_numpy().tolist() == [
            list(row) for row in EXPECTED[spec.top_k, spec.ipc_counting]]
        assert (variant.indicators[["x", "y"]].to_numpy() == derived.table.values).all()


def test_parquet_and_numbered_windows_read_like_csv(tmp_path):
    frame = pd.DataFrame(LISTS, columns=["technology", "window", "rank", "code", "count"])
    frame["window"] = frame["window"].map({EARLY: 1, LATE: 2})
    frame.to_parquet(tmp_path / "lists.parquet")
    lists = read_ranked_lists(tmp_path / "lists.parquet")
    assert lists.windows == ("1", "2")
    derived = derive_from_lists(write(tmp_path, TABLE, "table.csv"), lists, id_column="tech", indicators=["x", "y"],
                                spec=ListsSpec(top_k=2, ipc_counting="distinct"))
    assert derived.indicators[list(IPC_COLUMNS)].to_numpy().tolist() == [list(r) for r in EXPECTED[2, "distinct"]]


def test_excel_lists_read_like_csv(tmp_path):
    pd.DataFrame(LISTS, columns=["technology", "window", "rank", "code", "count"]).to_excel(
        tmp_path / "lists.xlsx", index=False)
    derived = derive_from_lists(write(tmp_path, TABLE, "table.csv"), read_ranked_lists(tmp_path / "lists.xlsx"),
                                id_column="tech", indicators=["x", "y"], spec=ListsSpec(top_k=2))
    assert derived.indicators[list(IPC_COLUMNS)].to_numpy().tolist() == [list(r) for r in EXPECTED[2, "cumulative"]]


@pytest.fixture(scope="module")
def paper_statistics():
    source = RecordsSource(frame=generator.paper2023_records_arrow(), label="builtin:paper2023_records")
    return record_statistics(source, generator.PAPER_RECORDS_COLUMNS, PAPER_RECORDS_SPEC)


def test_the_lists_of_records_give_the_records_counts(paper_statistics):
    """ipc_top.csv of the paper records, as lists: Table 2's counts, and the records' counts under
    every smaller top_k and both rules (the same ranking and counting code)."""
    records = derive_table(paper_statistics, PAPER_RECORDS_SPEC)
    lists = ranked_lists_from_frame(records.ipc_top, label="ipc_top.csv")
    table = pd.read_csv(builtin_path("paper2023")).drop(columns=list(IPC_COLUMNS))
    paper = pd.read_csv(builtin_path("paper2023"))
    for top_k in (5, 12, 20):
        for counting in ("cumulative", "distinct"):
            derived = table_with_lists(table, lists, id_column="name_en", indicators=["app_share", "cite_share"],
                                       spec=ListsSpec(top_k=top_k, ipc_counting=counting))
            expected = derive_table(paper_statistics, replace(PAPER_RECORDS_SPEC, top_k=top_k, ipc_counting=counting))
            assert (derived.table.dynamism_inputs == expected.indicators[list(IPC_COLUMNS)].to_numpy()).all()
            if top_k == 20:
                assert (derived.table.dynamism_inputs == paper[list(IPC_COLUMNS)].to_numpy()).all()


def fails(tmp_path, message, **given):
    with pytest.raises(InputError) as error:
        derive(tmp_path, **given)
    text = str(error.value)
    assert "\n" not in text
    assert re.fullmatch(message, text), text


def changed(index: int, **cells) -> list:
    rows = [list(row) for row in LISTS]
    for name, value in cells.items():
        rows[index]["technology window rank code count".split().index(name)] = value
    return rows


def test_missing_column(tmp_path):
    fails(tmp_path, r"lists.csv: no column 'count' \(columns: 'technology', 'window', 'rank', 'code', 'n'\)",
          header="technology,window,rank,code,n")


def test_missing_value(tmp_path):
    fails(tmp_path, r"lists.csv: column 'technology', row 3 \(line 4\): value is missing", rows=changed(2, technology=""))


@pytest.mark.parametrize(("column", "value"), [("rank", "0"), ("rank", "2.5"), ("count", "0"), ("count", "many")])
def test_rank_and_count_are_whole_numbers(tmp_path, column, value):
    fails(tmp_path, rf"lists.csv: column '{column}', row 4 \(line 5\): '{value}' is not a whole number >= 1",
          rows=changed(3, **{column: value}))


def test_malformed_code(tmp_path):
    fails(tmp_path, r"lists.csv: column 'code', row 2 \(line 3\): 'H1L' is not an IPC subclass "
          r"\(letter-digit-digit-letter, e.g. H01L\)", rows=changed(1, code="H1L"))


def test_two_windows(tmp_path):
    fails(tmp_path, r"lists.csv: column 'window': ranked lists compare two windows, found 3 "
          r"\('2011-2021', '2001-2010', '2022-2023'\)", rows=changed(10, window="2022-2023"))


def test_window_labels(tmp_path):
    fails(tmp_path, r"lists.csv: column 'window', row 1 \(line 2\): '2011to2021' is not a window: a year range "
          r"YYYY-YYYY \(as in ipc_top.csv\) or a number \(1 earlier, 2 later\)",
          rows=[[cell if cell != LATE else "2011to2021" for cell in row] for row in LISTS])
    fails(tmp_path, r"lists.csv: column 'window': '2' and '2001-2010' are not both year ranges or both numbers",
          rows=[[cell if cell != LATE else "2" for cell in row] for row in LISTS])
    fails(tmp_path, r"lists.csv: column 'window': the windows '2001-2010' and '2005-2021' overlap",
          rows=[[cell if cell != LATE else "2005-2021" for cell in row] for row in LISTS])


def test_missing_window(tmp_path):
    rows = [row for row in LISTS if not (row[0] == "C" and row[1] == LATE)]
    fails(tmp_path, r"lists.csv: column 'window': technology 'C' has no list for window '2011-2021'", rows=rows)


def test_rank_repeated(tmp_path):
    fails(tmp_path, r"lists.csv: column 'rank', row 9 \(line 10\): technology 'B', window '2011-2021': rank 1 appears "
          r"twice \(first at row 8\)", rows=changed(8, rank=1))


def test_rank_gap(tmp_path):
    fails(tmp_path, r"lists.csv: column 'rank', row 1 \(line 2\): technology 'B', window '2011-2021': rank 4 follows "
          r"rank 2 \(ranks run 1, 2, 3, ... without gaps\)", rows=changed(0, rank=4))
    fails(tmp_path, r"lists.csv: column 'rank', row 12 \(line 13\): technology 'C', window '2011-2021': the list "
          r"starts at rank 2, not 1", rows=changed(11, rank=2))


def test_code_repeated(tmp_path):
    fails(tmp_path, r"lists.csv: column 'code', row 1 \(line 2\): technology 'B', window '2011-2021': code 'B32B' is "
          r"listed twice \(first at row 8\)", rows=changed(0, code="b32b"))


def test_count_rising_with_rank(tmp_path):
    fails(tmp_path, r"lists.csv: column 'count', row 9 \(line 10\): technology 'B', window '2011-2021': rank 2 has "
          r"count 6, more than rank 1's 5 \(a ranked list is by count, descending\)", rows=changed(8, count=6))


def test_every_technology_in_both(tmp_path):
    fails(tmp_path, r"lists.csv: column 'technology': technology 'D' of the table \(table.csv\) has no ranked lists",
          table=TABLE + "D,0.1,0.1\n")
    fails(tmp_path, r"lists.csv: column 'technology', row 13 \(line 14\): technology 'E' is not in the table "
          r"\(table.csv\)", rows=LISTS + [("E", EARLY, 1, "A01B", 1), ("E", LATE, 1, "A01B", 1)])


def test_top_k_beyond_the_lists(tmp_path):
    fails(tmp_path, r"top_k = 4 exceeds the longest ranked list in lists.csv \(3 codes\); the lists cannot tell "
          r"which codes follow", spec=ListsSpec(top_k=4))


def test_ipc_columns_of_the_table(tmp_path):
    fails(tmp_path, r"table.csv: column 'ipc_p2' would be derived from the ranked IPC lists \(lists.csv\); rename it",
          table="tech,x,y,ipc_p2\nA,0.2,0.5,1\nB,0.6,0.3,1\nC,0.4,0.9,1\n")


def test_unreadable_or_empty_files(tmp_path):
    (tmp_path / "lists.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(InputError, match=r"lists.parquet: is not a readable Parquet file \(.*magic bytes.*\)$"):
        read_ranked_lists(tmp_path / "lists.parquet", label="lists.parquet")
    with pytest.raises(InputError, match=r"lists.csv: holds no ranked list \(no data row\)$"):
        read_ranked_lists(write(tmp_path, "technology,window,rank,code,count\n", "lists.csv"), label="lists.csv")
    with pytest.raises(InputError, match=r"missing.csv: ipc lists file not found$"):
        read_ranked_lists(tmp_path / "missing.csv", label="missing.csv")
