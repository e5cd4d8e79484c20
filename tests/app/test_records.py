"""[records] in a config: the derived table in the result folder, the same analyses as on a table, one-line errors."""

import re

import numpy as np
import pandas as pd
import pytest

from robust import InputError, load_paper2023, score
from robust.app.cli import main
from robust.app.config import load_config
from robust.app.experiment import compute_tables, prepare
from robust.compute.execution import Execution
from robust.io.results import file_sha256
from robust.report.assemble import records_blocks
from robust.report.markup import to_markdown
from tests.helpers import (
    RECORDS_CONFIG,
    RECORDS_SECTION,
    ROOT,
    folder_files,
    replace_once,
    write_config,
    write_records,
)


@pytest.fixture
def records_study(tmp_path):
    write_records(tmp_path)
    return write_config(tmp_path, RECORDS_CONFIG)


def test_a_records_run_and_a_table_run_of_its_derived_table_agree(records_study, tmp_path):
    config = load_config(records_study).with_seed(3)
    records_out = tmp_path / "from_records"
    records_out.mkdir()
    compute_tables(config, prepare(config), records_out, Execution())
    table_config = write_config(tmp_path, RECORDS_CONFIG.replace(RECORDS_SECTION, """
        [data]
        path = "from_records/indicators.csv"
        id = "technology"
        """), "table.toml")
    table = load_config(table_config).with_seed(3)
    table_out = tmp_path / "from_table"
    table_out.mkdir()
    compute_tables(table, prepare(table), table_out, Execution())
    records_files, table_files = folder_files(records_out), folder_files(table_out)
    assert set(records_files) - set(table_files) == {"indicators.csv", "ipc_top.csv"}
    for name in table_files:
        assert records_files[name] == table_files[name], name
    assert config.data.sha256() == file_sha256(tmp_path / "records.csv")
    resolved = config.resolved()
    assert "data" not in resolved and resolved["records"]["windows"] == [[2001, 2010], [2011, 2021]]
    text = to_markdown(records_blocks(records_out, resolved))
    assert "15 records read; published_before removed 1; min_citations removed 2; merge_families removed 2; " \
           "10 kept, 6 of them focal (CN)" in text and "SYNTHETIC" not in text


def test_validate_reports_the_records_at_each_filter(records_study, capsys):
    assert main(["validate", str(records_study)]) == 0
    out = capsys.readouterr().out
    assert "sections: records, capability, dynamism, bootstrap" in out
    assert ("records: 15 records read; 14 published before 2021-06-01 (1 removed); 12 cited at least 1 time "
            "(2 removed); 10 one per family (2 removed); 3 technologies, 6 focal (CN)") in out


def test_a_bad_record_is_one_line_exit_2_and_nothing_written(records_study, tmp_path, capsys):
    write_records(tmp_path, (tmp_path / "records.csv").read_text().replace("P03", "P01"))
    assert main(["run", str(records_study), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("robust: error: ") and "Traceback" not in err
    assert "records.csv: column 'id', row 3 (line 4): duplicate patent id 'P01' (first at row 1)" in err
    assert not (tmp_path / "out").exists()


def test_reproduce_from_records_shows_table2_and_table3(capsys, tmp_path):
    assert main(["reproduce", "--records", "--out", str(tmp_path / "rep")]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC" in out and "Table 2: 160 of 160 cells equal" in out
    assert "quadrants matching section 3: 20/20\nREPRODUCED\nREPRODUCED FROM RECORDS\nwrote " in out
    assert {"reproduction_table2.csv", "indicators.csv", "ipc_top.csv"} <= {p.name for p in (tmp_path / "rep").iterdir()}


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t + '\n[data]\npath = "x.csv"\nid = "t"\n', r"needs exactly one of \[data\] .* or \[records\]"),
    (lambda t: replace_once(t, 'pct = "pct"', 'pct = "pct"\ntop = 5'), r"\[records\] unknown key 'top'.*did you mean 'top_k'"),
    (lambda t: replace_once(t, "windows = [[2001, 2010], [2011, 2021]]\n", ""), r"\[records\] windows is required"),
    (lambda t: replace_once(t, "[[2001, 2010], [2011, 2021]]", "[[2001, 2012], [2011, 2021]]"),
     r"\[records\] windows: window \[2011, 2021\] must start after the one before ends \(2012\)"),
    (lambda t: replace_once(t, 'family = "family"\n', "merge_families = true\n"),
     r"\[records\] merge_families = true needs the family column"),
    (lambda t: replace_once(t, 'published = "published"\n', ""), r"\[records\] published_before needs the publication"),
    (lambda t: replace_once(t, '"2021-06-01"', '"2021-6-1"'), r"\[records\] published_before must be a date YYYY-MM-DD"),
    (lambda t: replace_once(t, 'path = "records.csv"', 'path = "builtin:paper2023_record"'),
     r"\[records\] path: unknown built-in record set 'builtin:paper2023_record'; allowed: builtin:paper2023_records"),
    (lambda t: replace_once(t, 'pct = "pct"', 'pct = "pct"\nipc_counting = "cumulated"'),
     r"\[records\] ipc_counting: unknown value 'cumulated'; allowed: cumulative, distinct"),
    (lambda t: replace_once(t, 'pct = "pct"', 'pct = "pct"\nclaims_ratio = "ratio"'),
     r"\[records\] claims_ratio: unknown value 'ratio'; allowed: share, per_record"),
    (lambda t: replace_once(t, 'claims = "claims"', 'claims = "cited"'),
     r"\[records\] column 'cited' is given for two roles: citations, claims"),
    (lambda t: replace_once(t, 'claims = "claims"\n', ""), r"\[records\] claims is required"),
])
def test_records_section_mistakes(tmp_path, edit, message):
    with pytest.raises(InputError, match=message):
        load_config(write_config(tmp_path, edit(RECORDS_CONFIG)))


def test_defaults_are_the_papers_method(tmp_path):
    records = load_config(write_config(tmp_path, RECORDS_CONFIG)).data.records
    assert records.spec.resolved() | {"published_before": None} == {
        "windows": [[2001, 2010], [2011, 2021]], "focal_country": "CN", "published_before": None,
        "min_citations": 1, "merge_families": True, "top_k": 20, "ipc_counting": "cumulative",
        "claims_ratio": "share", "pct_ratio": "share"}


def test_a_records_run_with_patents_specifications_and_data_factors(tmp_path, capsys):
    write_records(tmp_path)
    config = write_config(tmp_path, RECORDS_CONFIG.replace('schemes = ["technologies", "noise"]', 'schemes = ["patents"]')
                          + """
        [specifications]
        top_k = [1, 2]
        ipc_counting = ["cumulative", "distinct"]

        [sobol]
        n = 64
        scrambles = 2
        outputs = ["retained"]

        [sobol.factors]
        top_k = [1, 2]
        merge_families = [true, false]
        """)
    assert main(["run", str(config), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    out = tmp_path / "out"
    stability = pd.read_csv(out / "stability.csv")
    assert set(stability["scheme"]) == {"patents"} and stability["replicates"].eq(1024).all()
    specifications = pd.read_csv(out / "specifications.csv")
    assert specifications["specification"].nunique() == 4 and len(specifications) == 12
    assert (out / "specification_shares.csv").is_file() and (out / "figures" / "specification_shares.png").is_file()
    assert set(pd.read_csv(out / "sobol.csv")["factor"]) == {"top_k", "merge_families"}
    assert "Resampling the patents" in (out / "report.md").read_text(encoding="utf-8")


def test_filtering_and_morris_vary_the_data_construction_choices_they_inherit(tmp_path):
    """Every draw of the filtering design builds its table with one combination of the choices, so the
    share of draws in each quadrant estimates the share of the specifications in it."""
    text = (ROOT / "experiments" / "paper_records.toml").read_text(encoding="utf-8")
    config = write_config(tmp_path, text[:text.index("[weighting]")] + """
        [specifications]
        top_k = [15, 20, 25]
        ipc_counting = ["cumulative", "distinct"]

        [sobol]
        n = 64
        scrambles = 2
        outputs = ["retained"]

        [sobol.factors]
        top_k = [15, 20, 25]
        ipc_counting = ["cumulative", "distinct"]

        [filtering]
        n = 1024
        resamples = 20

        [morris]
        trajectories = 6
        """, "paper_records.toml")
    assert main(["run", str(config), "--out", str(tmp_path / "out"), "--quiet", "--no-figures"]) == 0
    out = tmp_path / "out"
    assert set(pd.read_csv(out / "filtering.csv")["factor"]) == {"top_k", "ipc_counting"}
    assert set(pd.read_csv(out / "morris.csv")["factor"]) == {"top_k", "ipc_counting"}
    shares = pd.read_csv(out / "specification_shares.csv").set_index("technology")
    assert shares["share"].lt(1).sum() >= 5  # the choices move several technologies
    drawn = pd.read_csv(out / "filtering_quadrants.csv")
    assert len(drawn) == 4 * len(shares)
    for row in drawn.itertuples():
        expected = shares.loc[row.technology, f"p_{row.quadrant}"]
        assert abs(row.probability - expected) <= 4 * np.sqrt(expected * (1 - expected) / 1024) + 1e-12, row
    assert "keeps" in (out / "report.md").read_text(encoding="utf-8").split("## Why quadrants flip", 1)[1]


@pytest.mark.parametrize(("section", "message"), [
    ('[specifications]\ntop_k = [10, 20]\n', r"\[specifications\] top_k: choices of how the table is built from patent records"),
    ('[sobol]\nn = 64\n[sobol.factors]\ntop_k = [10, 20]\nweights = 0.2\n', r"\[sobol.factors\] top_k: choices of how"),
    ('[bootstrap]\nschemes = ["patents"]\n', r"\[bootstrap\] schemes: patents resamples patent records"),
    ('[specifications]\ntop = [10, 20]\n', r"\[specifications\] unknown key 'top'.*did you mean 'top_k'"),
])
def test_record_analyses_on_a_table_are_one_line_exit_2_and_nothing_written(tmp_path, capsys, section, message):
    (tmp_path / "t.csv").write_text("id,a,b,n\nx,0.1,0.2,1\ny,0.3,0.1,2\nz,0.5,0.4,0\n", encoding="utf-8")
    config = write_config(tmp_path, '[data]\npath = "t.csv"\nid = "id"\n[capability]\nindicators = ["a", "b"]\n'
                          '[dynamism]\nscore = "n"\n' + section)
    assert main(["run", str(config), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and re.search(message, err) and not (tmp_path / "out").exists()


def test_the_paper_records_experiment_runs_from_the_cli(tmp_path, capsys):
    text = (ROOT / "experiments" / "paper_records.toml").read_text(encoding="utf-8")
    text = text[:text.index("[weighting]")] + '[bootstrap]\nreplicates = 128\nschemes = ["patents", "jackknife"]\n'
    config = write_config(tmp_path, text, "paper_records.toml")
    assert main(["run", str(config), "--out", str(tmp_path / "out"), "--quiet", "--no-figures"]) == 0
    derived = pd.read_csv(tmp_path / "out" / "indicators.csv")
    table = load_paper2023()
    assert np.array_equal(derived[list(table.indicators)].round(4).to_numpy(), table.values)
    assert np.array_equal(derived[list(table.dynamism_columns)].to_numpy(), table.dynamism_inputs)
    scores = pd.read_csv(tmp_path / "out" / "scores.csv")
    expected = score(table)
    assert np.array_equal(scores["capability"], expected.capability) and list(scores["quadrant"]) == list(
        expected.quadrant)
    assert set(pd.read_csv(tmp_path / "out" / "stability.csv")["scheme"]) == {"patents", "jackknife"}


def test_the_estimate_counts_the_records_resampled_and_read_again(tmp_path, capsys):
    from robust.app.experiment import check_budget
    from robust.records.source import DUCKDB_MEMORY_LIMIT_BYTES

    write_records(tmp_path)
    huge = RECORDS_CONFIG.replace('replicates = 1024\nschemes = ["technologies", "noise"]',
                                  'replicates = 1000000000000000\nschemes = ["patents"]')
    assert main(["validate", str(write_config(tmp_path, huge))]) == 2
    assert re.search(r"the run would take about .* \(\[bootstrap\] .*\), more than the 24-hour limit",
                     capsys.readouterr().err)
    regrid = write_config(tmp_path, RECORDS_CONFIG + "\n[specifications]\nmin_citations = [0, 1]\n", "grid.toml")
    config = load_config(regrid)
    table, _, derived = prepare(config)
    found = check_budget(config, table, Execution(), derived=derived)
    assert found.memory["specifications"] >= DUCKDB_MEMORY_LIMIT_BYTES  # the records are read again
    kept = check_budget(config, table, Execution(), derived=None)  # without the records: nothing to read
    assert kept.memory["specifications"] < DUCKDB_MEMORY_LIMIT_BYTES
