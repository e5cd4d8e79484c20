"""Reading user tables from files: one clear message per kind of bad input."""

import pytest

from robust import DegenerateWarning, InputError, read_table

GOOD = "tech,x0,x1,ipc0,ipc1\nA,0.1,0.5,0,2\nB,0.4,0.2,1,0\nC,0.9,0.7,3,1\n"
ARGS = dict(id_column="tech", indicators=["x0", "x1"], ipc_changes=["ipc0", "ipc1"])


def _read(tmp_path, text, name="t.csv", **overrides):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_table(path, **{**ARGS, **overrides}, source=name)


def test_reads_a_good_table(tmp_path):
    table = _read(tmp_path, GOOD)
    assert table.technologies == ("A", "B", "C")
    assert table.values.tolist() == [[0.1, 0.5], [0.4, 0.2], [0.9, 0.7]]
    assert table.raw_dynamism([2, 1]).tolist() == [2.0, 2.0, 7.0]
    assert not table.values.flags.writeable


def test_blank_lines_bom_and_tsv_are_accepted(tmp_path):
    table = _read(tmp_path, "\ufeff" + GOOD.replace("\nB", "\n\nB"))
    assert table.technologies == ("A", "B", "C")
    table = _read(tmp_path, GOOD.replace(",", "\t"), name="t.tsv")
    assert table.n_technologies == 3


@pytest.mark.parametrize(
    ("text", "overrides", "message"),
    [
        (GOOD.replace("0.4,", ",", 1), {}, r"t.csv: column 'x0', row 2 \(line 3, id 'B'\): value is missing"),
        (GOOD.replace("0.5", "n/a"), {}, r"t.csv: column 'x1', row 1 \(line 2, id 'A'\): 'n/a' is not a number"),
        (GOOD.replace("0.5", "inf"), {}, r"column 'x1', row 1 .*'inf' is not a finite number"),
        (GOOD.replace("0.4", "1e308"), {}, r"column 'x0', row 2 \(line 3, id 'B'\): '1e308' is too large in magnitude"),
        (GOOD.replace("0.4", "-1e308"), {}, r"column 'x0', row 2 \(line 3, id 'B'\): '-1e308' is too large in magnitude"),
        (GOOD.replace("C,0.9,0.7,3", "C,0.9,0.7,1e308"), {}, r"column 'ipc0', row 3 \(line 4, id 'C'\): '1e308' is too large"),
        (GOOD.replace("C,0.9,0.7,3", "C,0.9,0.7,1e17"), {}, r"column 'ipc0', row 3 .*IPC change count 1e\+17 is not a non-negative whole number \(at most 2\*\*53\)"),
        (GOOD.replace("C,0.9,0.7,3", "C,0.9,0.7,-3"), {}, r"column 'ipc0', row 3 \(line 4, id 'C'\): IPC change count -3 is not a non-negative whole number"),
        (GOOD.replace("C,0.9,0.7,3", "C,0.9,0.7,2.5"), {}, r"column 'ipc0', row 3 .*2.5 is not a non-negative whole number"),
        (GOOD.replace("\nC,", "\nA,"), {}, r"column 'tech', row 3 \(line 4\): duplicate id 'A' \(first at row 1\)"),
        (GOOD.replace("\nB,", "\n,"), {}, r"column 'tech', row 2 \(line 3\): id is missing"),
        (GOOD, {"indicators": ["x0", "x9"]}, r"t.csv: no column 'x9' \(columns: 'tech', 'x0', 'x1', 'ipc0', 'ipc1'\)"),
        ("tech,x0,x1,ipc0,ipc1\nA,0.1,0.5,0,2\nB,0.4,0.2,1,0\n", {}, r"needs at least 3 technologies \(rows\), found 2"),
        (GOOD.replace("B,0.4,0.2,1,0", "B,0.4,0.2,1"), {}, r"t.csv: line 3 has 4 fields, the header has 5"),
        (GOOD.replace("x1,ipc0", "x0,ipc0"), {}, r"column 'x0' appears more than once in the header"),
        ("", {}, r"t.csv: is empty \(no header line\)"),
        (GOOD, {"indicators": ["x0", "ipc0"]}, r"column 'ipc0' is used for two different roles"),
    ],
)
def test_bad_tables(tmp_path, text, overrides, message):
    with pytest.raises(InputError, match=message):
        _read(tmp_path, text, **overrides)


def test_missing_binary_and_non_utf8_files(tmp_path):
    with pytest.raises(InputError, match=r"nope.csv: file not found"):
        read_table(tmp_path / "nope.csv", **ARGS, source="nope.csv")
    (tmp_path / "b.csv").write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(InputError, match=r"b.csv: is a binary file, not CSV text"):
        read_table(tmp_path / "b.csv", **ARGS, source="b.csv")
    (tmp_path / "l.csv").write_bytes(GOOD.replace("A,", "\xc4,").encode("latin-1"))
    with pytest.raises(InputError, match=r"l.csv: is not UTF-8 text \(byte 0xc4 at offset 21\)"):
        read_table(tmp_path / "l.csv", **ARGS, source="l.csv")
    with pytest.raises(InputError, match="is a directory"):
        read_table(tmp_path, **ARGS, source="dir")


def test_constant_indicator_warns_but_reads(tmp_path):
    with pytest.warns(DegenerateWarning, match=r"t.csv: indicator 'x1' is the same for every technology"):
        table = _read(tmp_path, GOOD.replace("0.5,", "0.3,").replace("0.2,", "0.3,").replace("0.7,", "0.3,"))
    assert table.values[:, 1].tolist() == [0.3, 0.3, 0.3]


def _frame(text):
    import io

    import pandas as pd

    return pd.read_csv(io.StringIO(text))


@pytest.mark.parametrize("name", ["t.xlsx", "t.parquet"])
def test_excel_and_parquet_read_as_the_csv(tmp_path, name):
    frame = _frame(GOOD)
    path = tmp_path / name
    frame.to_excel(path, index=False) if name.endswith("xlsx") else frame.to_parquet(path, index=False)
    table = read_table(path, **ARGS, source=name)
    csv = _read(tmp_path, GOOD)
    assert table.technologies == csv.technologies and table.values.tolist() == csv.values.tolist()
    assert table.raw_dynamism([2, 1]).tolist() == csv.raw_dynamism([2, 1]).tolist()


def test_an_excel_error_names_the_spreadsheet_row(tmp_path):
    frame = _frame(GOOD)
    frame["x0"] = frame["x0"].astype(object)
    frame.loc[1, "x0"] = "n/a"
    frame.to_excel(tmp_path / "t.xlsx", index=False)
    with pytest.raises(InputError) as caught:
        read_table(tmp_path / "t.xlsx", **ARGS, source="t.xlsx")
    assert str(caught.value) == "t.xlsx: column 'x0', row 2 (line 3, id 'B'): 'n/a' is not a number"


@pytest.mark.parametrize("name, kind", [("t.xlsx", "Excel workbook"), ("t.parquet", "Parquet file")])
def test_a_damaged_workbook_or_parquet_file_is_one_line(tmp_path, name, kind):
    (tmp_path / name).write_bytes(b"not really " + name.encode())
    with pytest.raises(InputError, match=f"^{name}: is not a readable {kind} ") as caught:
        read_table(tmp_path / name, **ARGS, source=name)
    assert "\n" not in str(caught.value)


def test_label_is_a_deprecated_name_of_source(tmp_path):
    from robust.core.errors import DeprecatedOptionWarning

    (tmp_path / "t.csv").write_text(GOOD, encoding="utf-8")
    with pytest.warns(DeprecatedOptionWarning, match="source"):
        table = read_table(tmp_path / "t.csv", **ARGS, label="mine.csv")
    assert table.source == "mine.csv"
