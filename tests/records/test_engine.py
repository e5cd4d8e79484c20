"""Records to Table 2 by hand: every filter, family merging, both ratio readings, the windows, the sources.

The records are ``tests.helpers.RECORDS_CSV``. With the default spec (published before
2021-06-01, cited at least once, families merged), technology A keeps P01, P05, P07, P08 and
P10: P04 is published on the cut-off (removed), P03 and P09 are never cited (removed; so
P10 represents family F6), P02 is filed after P01 in family F1 and P06 on the same day as
P05 in F4 with a higher id (both merged away). P07 (filed 1999) is outside both windows.
"""

import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from robust.records.derive import derive_from_records, derive_table
from robust.records.engine import record_statistics, statistics_from_cells
from robust.records.source import RecordsSource
from tests.helpers import RECORDS_CSV, records_columns, records_spec, write_records


@pytest.fixture(scope="module")
def records_file(tmp_path_factory):
    return write_records(tmp_path_factory.mktemp("records"))


def derive(path, **changes):
    return derive_from_records(RecordsSource(path=path), records_columns(), records_spec(**changes))


def row(derived, technology):
    return derived.indicators.set_index("technology").loc[technology]


def test_the_paper_settings_by_hand(records_file):
    derived = derive(records_file)
    table = derived.indicators.set_index("technology")
    assert list(table.index) == ["A", "B", "C"]
    a, b, c = (table.loc[t] for t in "ABC")
    assert (a["app_share"], a["cite_share"], a["claim_share"], a["pct_share"]) == (3 / 5, 12 / 16, 27 / 45, 2 / 3)
    assert (b["app_share"], b["cite_share"], b["claim_share"], b["pct_share"]) == (2 / 3, 4 / 6, 8 / 12, 1.0)
    assert (c["app_share"], c["pct_share"]) == (0.5, 0.0)
    assert table[["n_records", "n_focal"]].to_numpy().tolist() == [[5, 3], [3, 2], [2, 1]]
    removed = ["removed_published_before", "removed_min_citations", "removed_merge_families"]
    assert table[removed].to_numpy().tolist() == [[1, 2, 2], [0, 0, 0], [0, 0, 0]]
    ipc = ["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]
    assert table[ipc].to_numpy().tolist() == [[1, 1, 2, 2], [2, 2, 2, 2], [0, 0, 0, 0]]
    top = derived.ipc_top
    assert top.columns.tolist() == ["technology", "window", "rank", "code", "count"]
    assert top[top["technology"] == "A"].values.tolist() == [
        ["A", "2001-2010", 1, "H01L", 2], ["A", "2011-2021", 1, "G06F", 1], ["A", "2011-2021", 2, "H02J", 1]]


def test_distinct_counts_a_shared_new_prefix_once(records_file):
    assert row(derive(records_file, ipc_counting="distinct"), "B")[["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]].tolist() \
        == [1, 1, 1, 2]


def test_min_citations_zero_keeps_the_uncited_and_changes_the_family_representative(records_file):
    a = row(derive(records_file, min_citations=0), "A")
    assert (a["n_records"], a["n_focal"], a["removed_min_citations"], a["removed_merge_families"]) == (6, 4, 0, 3)
    assert a["cite_share"] == 12 / 15  # P03 and P09 add no citations; P10 (1 citation) is merged away


def test_no_family_merge_keeps_every_member(records_file):
    a = row(derive(records_file, merge_families=False), "A")
    assert (a["n_records"], a["removed_merge_families"], a["cite_share"]) == (7, 0, 12 / 19)


def test_family_ties_go_to_the_lowest_patent_id(records_file):
    statistics = record_statistics(RecordsSource(path=records_file), records_columns(), records_spec(), cells=True)
    a = statistics.cells[statistics.cells["technology"] == "A"]
    assert a[a["year"] == 2013][["citations", "pct"]].values.tolist() == [[3, True]]  # P05, not P06


def test_without_cut_off_the_late_record_counts(records_file):
    derived = derive(records_file, published_before=None)
    a = row(derived, "A")
    assert (a["n_records"], a["removed_published_before"]) == (6, 0)
    top = derived.ipc_top
    assert top[(top["technology"] == "A") & (top["code"] == "G06F")]["count"].tolist() == [2]


def test_the_table_1_readings_divide_by_records(records_file):
    a = row(derive(records_file, claims_ratio="per_record", pct_ratio="per_record"), "A")
    assert (a["claim_share"], a["pct_share"]) == (27 / 5, 2 / 5)


def test_a_tie_at_the_top_k_boundary_goes_to_the_lower_code(records_file):
    derived = derive(records_file, top_k=1)
    assert derived.ipc_top[derived.ipc_top["window"] == "2011-2021"]["code"].tolist() == ["G06F", "C07D", "B01D"]
    assert derived.indicators["ipc_p4"].tolist() == [1, 1, 0]


def test_windows_decide_the_ipc_counts_only(records_file):
    moved = derive(records_file, windows=((1990, 2004), (2005, 2021)))  # P07 (1999) and P01 early; P10 late
    base = derive(records_file)
    assert moved.indicators["app_share"].equals(base.indicators["app_share"])
    assert row(moved, "A")[["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]].tolist() == [1, 1, 1, 1]


def test_derivation_needs_no_second_read_and_cells_give_the_same_statistics(records_file):
    statistics = record_statistics(RecordsSource(path=records_file), records_columns(), records_spec(), cells=True)
    totals, subclasses = statistics_from_cells(statistics.cells, statistics.technologies)
    assert totals.equals(statistics.totals) and subclasses.equals(statistics.subclasses)
    for top_k in (1, 20):
        assert derive_table(statistics, records_spec(top_k=top_k)).indicators.equals(
            derive(records_file, top_k=top_k).indicators)
    with pytest.raises(ValueError, match="read the records again"):
        derive_table(statistics, records_spec(min_citations=0))


def test_csv_tsv_parquet_and_frames_agree(tmp_path, records_file):
    expected = derive(records_file).indicators
    frame = pd.read_csv(records_file, dtype=str, keep_default_na=False)
    write_records(tmp_path, RECORDS_CSV.replace(",", "\t"), "records.tsv")
    frame.to_parquet(tmp_path / "text.parquet")
    typed = frame.assign(published=pd.to_datetime(frame["published"]), cited=frame["cited"].astype(int),
                         claims=frame["claims"].astype(float),
                         pct=~frame["pct"].str.lower().isin(["", "0", "false"]))
    typed.to_parquet(tmp_path / "typed.parquet")
    sources = [RecordsSource(path=tmp_path / "records.tsv"), RecordsSource(path=tmp_path / "text.parquet"),
               RecordsSource(path=tmp_path / "typed.parquet"), RecordsSource(frame=frame),
               RecordsSource(frame=pa.Table.from_pandas(typed, preserve_index=False))]
    for source in sources:
        derived = derive_table(record_statistics(source, records_columns(), records_spec()), records_spec())
        pd.testing.assert_frame_equal(derived.indicators, expected)


def test_technologies_come_in_order_of_first_appearance(tmp_path):
    header, *lines = RECORDS_CSV.strip().splitlines()
    path = write_records(tmp_path, "\n".join([header, *lines[::-1]]) + "\n")
    assert derive(path).indicators["technology"].tolist() == ["C", "B", "A"]


def test_the_summary_counts_each_filter(records_file):
    assert derive(records_file).summary() == (
        "15 records read; 14 published before 2021-06-01 (1 removed); 12 cited at least 1 time (2 removed); "
        "10 one per family (2 removed); 3 technologies, 6 focal (CN)")


def test_a_filing_year_alone_is_a_date(records_file):
    statistics = record_statistics(RecordsSource(path=records_file), records_columns(), records_spec(), cells=True)
    years = statistics.cells.groupby("technology", observed=True)["year"].apply(sorted).to_dict()
    assert years == {"A": [1999, 2003, 2007, 2013, 2015], "B": [2002, 2016, 2017], "C": [2001, 2020]}
    assert np.issubdtype(statistics.cells["year"].dtype, np.integer)
    assert datetime.date(2021, 6, 1) == records_spec().published_before
