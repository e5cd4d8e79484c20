"""Comparing result folders: numbers within the cross-machine tolerance, every other cell exactly."""

import pandas as pd

from robust.io.compare import ATOL, RTOL, compare_table, compare_tables, differing_cells


def test_last_bit_differences_agree_and_real_ones_do_not():
    a = pd.Series(["0.1", "1e-300", "inf", "", "assault", "3"])
    b = pd.Series(["0.10000000000000002", "0", "inf", "", "assault", "3.0000000001"])
    differs, gap = differing_cells(a, b)
    assert differs.tolist() == [False, False, False, False, False, True]
    assert abs(gap[-1] - 1e-10) < 1e-15
    assert (RTOL, ATOL) == (1e-12, 1e-14)


def test_text_must_match_exactly_even_beside_numbers():
    differs, _ = differing_cells(pd.Series(["assault", "1.0", "", "nan"]),
                                 pd.Series(["entrench", "", "1.0", "nan"]))
    assert differs.tolist() == [True, True, True, False]


def test_tables_and_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "t.csv").write_text("x,q\n0.30000000000000004,assault\n2,entrench\n")
    (b / "t.csv").write_text("x,q\n0.3,assault\n2,entrench\n")
    assert compare_table(a / "t.csv", b / "t.csv") is None
    (b / "t.csv").write_text("x,q\n0.3,assault\n2.5,disrupt\n")
    difference = compare_table(a / "t.csv", b / "t.csv")
    assert (difference.cells, difference.column, difference.row, difference.largest) == (2, "x", 1, 0.5)
    assert str(difference) == "t.csv: 2 cell(s) differ, first column 'x' row 2; largest numeric difference 0.5"
    (b / "t.csv").write_text("x,r\n0.3,assault\n")
    assert "columns differ" in str(compare_table(a / "t.csv", b / "t.csv"))
    (b / "t.csv").write_text("x,q\n0.3,assault\n")
    assert str(compare_table(a / "t.csv", b / "t.csv")) == "t.csv: 2 rows vs 1 rows"
    (a / "only.csv").write_text("x\n1\n")
    reasons = [str(d) for d in compare_tables(a, b)]
    assert reasons[0] == f"only.csv: only in {a}" and len(reasons) == 2
