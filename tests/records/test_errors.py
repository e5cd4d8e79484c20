"""Bad records: one line naming the file, column, row (line) and value; one test per message."""

import re

import pandas as pd
import pytest

from robust import InputError
from robust.records.derive import derive_from_records
from robust.records.source import RecordsSource
from tests.helpers import RECORDS_CSV, records_columns, records_spec, write_records


def edited(row: int, column: str, value: str) -> str:
    """RECORDS_CSV with the cell of data row ``row`` (1-based) in ``column`` replaced."""
    header, *lines = RECORDS_CSV.strip().splitlines()
    names = header.split(",")
    cells = lines[row - 1].split(",")
    cells[names.index(column)] = value
    lines[row - 1] = ",".join(cells)
    return "\n".join([header, *lines]) + "\n"


def fails(tmp_path, text, message, name="records.csv", **changes):
    path = write_records(tmp_path, text, name)
    with pytest.raises(InputError) as error:
        derive_from_records(RecordsSource(path=path, label=name), records_columns(), records_spec(**changes))
    text = str(error.value)
    assert "\n" not in text
    assert re.fullmatch(message, text), text


def test_unparseable_filing_date(tmp_path):
    fails(tmp_path, edited(2, "filed", "2019-13-01"),
          r"records.csv: column 'filed', row 2 \(line 3\): '2019-13-01' is not a date \(YYYY-MM-DD\) or a year \(YYYY\)")


def test_unparseable_publication_date(tmp_path):
    fails(tmp_path, edited(3, "published", "2005/01/01"),
          r"records.csv: column 'published', row 3 \(line 4\): '2005/01/01' is not a date \(YYYY-MM-DD\)")


def test_malformed_ipc(tmp_path):
    fails(tmp_path, edited(4, "ipc", "H1L 21/00"), r"records.csv: column 'ipc', row 4 \(line 5\): 'H1L 21/00' is not "
          r"a main IPC \(its subclass 'H1L2' is not letter-digit-digit-letter\)")


@pytest.mark.parametrize(("column", "value"), [("cited", "-1"), ("claims", "2.5"), ("cited", "many")])
def test_negative_or_fractional_counts(tmp_path, column, value):
    fails(tmp_path, edited(5, column, value),
          rf"records.csv: column '{column}', row 5 \(line 6\): '{value}' is not a whole number >= 0")


def test_missing_value(tmp_path):
    fails(tmp_path, edited(6, "tech", ""), r"records.csv: column 'tech', row 6 \(line 7\): value is missing")


def test_the_first_bad_cell_in_file_order_is_reported(tmp_path):
    text = edited(9, "claims", "-3")
    header, *lines = text.strip().splitlines()
    lines[3] = lines[3].replace("G06F 3/00", "XYZ")  # row 4, before row 9
    fails(tmp_path, "\n".join([header, *lines]) + "\n", r"records.csv: column 'ipc', row 4 \(line 5\): 'XYZ' .*")


def test_duplicate_patent_id(tmp_path):
    fails(tmp_path, edited(3, "id", "P01"),
          r"records.csv: column 'id', row 3 \(line 4\): duplicate patent id 'P01' \(first at row 1\)")


def test_a_parquet_file_names_the_row(tmp_path):
    frame = pd.read_csv(pd.io.common.StringIO(edited(5, "cited", "-1")), dtype=str, keep_default_na=False)
    frame.assign(cited=frame["cited"].astype(int)).to_parquet(tmp_path / "records.parquet")
    with pytest.raises(InputError, match=r"^records.parquet: column 'cited', row 5: '-1' is not a whole number >= 0$"):
        derive_from_records(RecordsSource(path=tmp_path / "records.parquet", label="records.parquet"),
                            records_columns(), records_spec())


def test_a_technology_with_no_record_in_a_window(tmp_path):
    text = edited(12, "filed", "2006-01-01").replace("G3,2017-01-01", "G3,2007-01-01")  # B: all in 2001-2010
    fails(tmp_path, text, r"records.csv: column 'filed': technology 'B' has no record filed in 2011-2021 "
          r"\(window 2 of windows\) after the filters")


def test_an_empty_result_after_the_filters(tmp_path):
    fails(tmp_path, RECORDS_CSV, r"records.csv: no record is left after the filters \(15 records read; 14 published "
          r"before 2021-06-01 \(1 removed\); 0 cited at least 100 times \(14 removed\); 0 one per family \(0 removed\)\)",
          min_citations=100)


def test_a_technology_with_no_record_left(tmp_path):
    text = edited(15, "cited", "0").replace("C,P21,H1,2001,2002-01-01,CN,B01D 1/00,1", "C,P21,H1,2001,2002-01-01,CN,B01D 1/00,0")
    fails(tmp_path, text, r"records.csv: technology 'C' has no record left after the filters")


def test_a_share_without_denominator(tmp_path):
    fails(tmp_path, edited(13, "pct", ""), r"records.csv: column 'pct': technology 'B' has no PCT record after the "
          r"filters, so pct_share \(pct_ratio = \"share\"\) is undefined; pct_ratio = \"per_record\" divides by all records")
    text = edited(15, "cited", "0").replace("B01D 1/00,1,", "B01D 1/00,0,")
    fails(tmp_path, text, r"records.csv: column 'cited': technology 'C' has no citations after the filters, so "
          r"cite_share is undefined", min_citations=0)
    text = edited(15, "claims", "0").replace("B01D 1/00,1,1", "B01D 1/00,1,0")
    fails(tmp_path, text, r"records.csv: column 'claims': technology 'C' has no claims after the filters, so "
          r"claim_share \(claims_ratio = \"share\"\) is undefined")


def test_a_missing_column(tmp_path):
    fails(tmp_path, RECORDS_CSV.replace("cited", "citations", 1),
          r"records.csv: no column 'cited' for citations \(columns: 'tech', 'id', .*\)")


def test_malformed_csv_names_the_line(tmp_path):
    fails(tmp_path, edited(1, "claims", "10,11"),
          r"records.csv: line 2: malformed CSV \(Expected Number of Columns: 10 Found: 11\)")


def test_non_utf8_text_names_the_line(tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes(RECORDS_CSV.encode().replace(b"H01M", b"H0\xff1M"))
    with pytest.raises(InputError, match=r"^records.csv: line 4: is not UTF-8 text$"):
        derive_from_records(RecordsSource(path=path, label="records.csv"), records_columns(), records_spec())


@pytest.mark.parametrize(("make", "message"), [
    (lambda folder: folder / "absent.csv", "records file not found"),
    (lambda folder: folder, "is a directory, not a records file"),
    (lambda folder: write_records(folder, "not parquet", "x.parquet"), "is not a readable Parquet file"),
    (lambda folder: write_records(folder, "\n\n", "empty.csv"), r"is empty \(no header line\)"),
    (lambda folder: write_records(folder, "a,a\n1,2\n", "twice.csv"), "column 'a' appears more than once in the header"),
])
def test_unreadable_files(tmp_path, make, message):
    with pytest.raises(InputError, match=rf"^file: {message}$"):
        derive_from_records(RecordsSource(path=make(tmp_path), label="file"), records_columns(), records_spec())


def test_published_before_needs_the_publication_column(tmp_path):
    from dataclasses import replace

    path = write_records(tmp_path)
    with pytest.raises(InputError, match="published_before needs the column of publication dates"):
        derive_from_records(RecordsSource(path=path), replace(records_columns(), published=None), records_spec())
