"""[dynamism] ipc_lists in a config: the counts in the result folder, the data choices, one-line errors."""

import json

import pandas as pd
import pytest

from robust import InputError
from robust.app.cli import main
from robust.app.config import load_config
from robust.app.experiment import compute_tables, prepare
from robust.compute.execution import Execution
from robust.io.results import file_sha256
from tests.helpers import folder_files, replace_once, write_config
from tests.records.test_lists import EXPECTED, TABLE, lists_text

LISTS_CONFIG = """
[data]
path = "table.csv"
id = "tech"

[capability]
indicators = ["x", "y"]

[dynamism]
ipc_lists = "lists.csv"
top_k = 3
ipc_counting = "distinct"

[specifications]
top_k = [2, 3]
ipc_counting = ["cumulative", "distinct"]

[sobol]
n = 64
scrambles = 2

[sobol.factors]
weights = 0.2
top_k = [2, 3]
ipc_counting = ["cumulative", "distinct"]
"""


@pytest.fixture
def lists_study(tmp_path):
    (tmp_path / "table.csv").write_text(TABLE, encoding="utf-8")
    (tmp_path / "lists.csv").write_text(lists_text(), encoding="utf-8")
    return write_config(tmp_path, LISTS_CONFIG)


def test_a_lists_run_writes_the_counts_and_varies_the_choices(lists_study, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(lists_study), "--out", str(out), "--seed", "3"]) == 0
    indicators = pd.read_csv(out / "indicators.csv")
    assert indicators.columns.tolist() == ["tech", "x", "y", "ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]
    assert [tuple(row) for row in indicators.iloc[:, 3:].to_numpy()] == EXPECTED[3, "distinct"]
    assert pd.read_csv(out / "ipc_top.csv").columns.tolist() == ["technology", "window", "rank", "code", "count"]
    grid = pd.read_csv(out / "specifications.csv")
    assert grid.columns.tolist()[:3] == ["specification", "top_k", "ipc_counting"]
    assert "split_year" not in grid and grid["specification"].nunique() == 4
    sobol = pd.read_csv(out / "sobol.csv")
    assert {"top_k", "ipc_counting", "weights"} == set(sobol["factor"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["ipc_lists_sha256"] == file_sha256(tmp_path / "lists.csv")
    assert manifest["config"]["dynamism"]["ipc_lists"] == {"path": "lists.csv", "top_k": 3, "ipc_counting": "distinct"}
    assert "IPC counts from ranked lists" in (out / "report.md").read_text()


def test_a_lists_run_and_a_table_run_of_its_counts_agree(lists_study, tmp_path):
    config = load_config(lists_study).with_seed(5)
    lists_out = tmp_path / "from_lists"
    lists_out.mkdir()
    compute_tables(config, prepare(config), lists_out, Execution())
    text = LISTS_CONFIG.replace('ipc_lists = "lists.csv"\ntop_k = 3\nipc_counting = "distinct"',
                                'ipc_changes = ["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]')
    text = text.replace('path = "table.csv"', 'path = "from_lists/indicators.csv"')
    text = text[:text.index("[specifications]")] + "[weighting]\nmethods = [\"critic\", \"equal\"]\n"
    table_config = load_config(write_config(tmp_path, text, "table.toml")).with_seed(5)
    table_out = tmp_path / "from_table"
    table_out.mkdir()
    compute_tables(table_config, prepare(table_config), table_out, Execution())
    assert folder_files(lists_out)["scores.csv"] == folder_files(table_out)["scores.csv"]


def test_validate_reports_the_lists(lists_study, capsys):
    assert main(["validate", str(lists_study)]) == 0
    out = capsys.readouterr().out
    assert "sections: data, capability, dynamism, sobol, specifications" in out
    assert out.rstrip().endswith("lists.csv: 3 technologies, windows 2001-2010 and 2011-2021, lists of 1 to 3 codes; "
                                 "top_k 3, distinct counting")
    assert "ipc_lists: " in out


def test_a_bad_list_is_one_line_exit_2(lists_study, tmp_path, capsys):
    (tmp_path / "lists.csv").write_text(lists_text().replace("G06F,8", "G06F,1"), encoding="utf-8")
    assert main(["run", str(lists_study), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert ("lists.csv: column 'count', row 5 (line 6): technology 'A', window '2011-2021': rank 2 has count 4, "
            "more than rank 1's 1 (a ranked list is by count, descending)") in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: replace_once(t, 'ipc_lists = "lists.csv"', 'ipc_lists = "lists.csv"\nscore = "x"'),
     r"\[dynamism\] needs exactly one of ipc_changes .*, score .* or ipc_lists .*; got score and ipc_lists"),
    (lambda t: replace_once(t, 'ipc_lists = "lists.csv"\n', ""),
     r"\[dynamism\] needs exactly one of ipc_changes"),
    (lambda t: replace_once(t, 'ipc_lists = "lists.csv"\n', 'ipc_changes = ["x"]\n'),
     r"\[dynamism\] top_k applies only with ipc_lists \(ranked IPC lists\); with \[records\] it is a key of "
     r"\[records\]"),
    (lambda t: replace_once(t, "top_k = 3\n", "top_k = 0\n"), r"\[dynamism\] top_k must be"),
    (lambda t: replace_once(t, '"distinct"\n\n[spec', '"first"\n\n[spec'),
     r"\[dynamism\] ipc_counting: unknown value 'first'; allowed: cumulative, distinct"),
    (lambda t: replace_once(t, "top_k = 3\n", "top_k = 3\namplitudes = [3, 2, 1]\n"),
     r"\[dynamism\] amplitudes: got 3 values for the 4 character positions of the ranked lists' IPC counts"),
    (lambda t: replace_once(t, "top_k = 3\n", "top_k = 3\nipc_list = 1\n"),
     r"\[dynamism\] unknown key 'ipc_list'.*ipc_lists.*\(did you mean 'ipc_lists'\?\)"),
])
def test_dynamism_section_mistakes(lists_study, edit, message):
    with pytest.raises(InputError, match=message):
        load_config(write_config(lists_study.parent, edit(LISTS_CONFIG)))


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: replace_once(t, "top_k = [2, 3]\nipc_counting = [\"cumulative\", \"distinct\"]\n\n[sobol]",
                     "split_year = [2009, 2010]\n\n[sobol]"),
     r"\[specifications\] split_year: choices of how patent records are filtered and windowed; ranked IPC lists "
     r"vary only top_k and ipc_counting"),
    (lambda t: replace_once(t, "weights = 0.2\ntop_k = [2, 3]", "weights = 0.2\ntop_k = [2, 4]"),
     r"\[sobol.factors\] top_k level = 4 exceeds the longest ranked list in .*lists.csv \(3 codes\); the lists "
     r"cannot tell which codes follow"),
    (lambda t: replace_once(t, "top_k = 3\n", "top_k = 5\n"),
     r"top_k = 5 exceeds the longest ranked list in .*lists.csv \(3 codes\)"),
    (lambda t: t + '\n[bootstrap]\nreplicates = 64\nschemes = ["patents"]\n',
     r"\[bootstrap\] schemes: patents resamples patent records; it needs a table derived from records "
     r"\(a \[records\] section\), not from ranked IPC lists"),
])
def test_choices_the_lists_cannot_give(lists_study, edit, message):
    with pytest.raises(InputError, match=message):
        prepare(load_config(write_config(lists_study.parent, edit(LISTS_CONFIG))))


def test_ipc_lists_with_records_is_refused(tmp_path):
    from tests.helpers import RECORDS_CONFIG

    text = replace_once(RECORDS_CONFIG, 'ipc_changes = ["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]', 'ipc_lists = "lists.csv"')
    with pytest.raises(InputError, match=r"\[dynamism\] ipc_lists: with \[records\] the IPC counts are derived from "
                                         r"the records; name them with ipc_changes"):
        load_config(write_config(tmp_path, text))
