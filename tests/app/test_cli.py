"""The command line, in process: outputs, exit codes, one-line errors, option plumbing."""

import contextlib
import gc
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import robust
from robust.app.cli import main
from robust.io.results import file_sha256
from tests.helpers import (
    SMALL_PAPER,
    USER_CONFIG,
    error_line,
    folder_files,
    hidden_entries,
    no_missing,
    quiet_sobol,
    random_frame,
    write_config,
)


def test_reproduce_prints_the_comparison_and_exits_zero(capsys, tmp_path):
    assert main(["reproduce", "--out", str(tmp_path / "rep")]) == 0
    out = capsys.readouterr().out
    assert "REPRODUCED" in out and "quadrants matching section 3: 20/20" in out
    assert "0.249320" in out and "0.25" in out
    frame = pd.read_csv(tmp_path / "rep" / "reproduction.csv")
    assert frame["quadrant_match"].all() and len(frame) == 20


def test_reproduce_fails_when_the_tolerance_is_missed(monkeypatch, capsys):
    import robust.analyses.reproduce as reproduction

    original = reproduction.reproduce_paper
    monkeypatch.setattr(reproduction, "reproduce_paper", lambda: original(tolerance=1e-9))
    assert main(["reproduce"]) == 1
    assert "NOT REPRODUCED" in capsys.readouterr().out


def test_run_writes_the_contract_files(user_study, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(user_study), "--out", str(out), "--seed", "11", "--jobs", "2"]) == 0
    scores = pd.read_csv(out / "scores.csv")
    assert scores.columns[:4].tolist() == ["technology", "capability", "dynamism", "quadrant"]
    assert scores["technology"].tolist() == [f"T{i:03d}" for i in range(8)]
    assert set(scores["quadrant"]) <= set(robust.QUADRANTS)
    weights = pd.read_csv(out / "weights.csv")
    assert weights.columns.tolist() == ["method", "indicator", "weight"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed_entropy"] == 11 and manifest["config"]["run"]["seed"] == 11
    assert manifest["execution"]["n_jobs"] == 2
    assert len(manifest["config_sha256"]) == 64
    assert {"scores.csv", "weights.csv", "report.md", "report.html", "figures/quadrant_map.png"} <= set(
        manifest["outputs"])


def test_run_default_output_folder_is_results_of_the_config_stem(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = write_config(tmp_path, SMALL_PAPER.split("[weighting]")[0], "tiny.toml")
    assert main(["run", str(config), "--quiet"]) == 0
    scores = pd.read_csv(tmp_path / "results" / "tiny" / "scores.csv")
    published = robust.load_paper2023_published()
    assert (scores["quadrant"] == published["quadrant"]).all()
    assert (scores["capability"] - published["capability"]).abs().max() < 1e-6


def test_a_rerun_of_the_same_results_keeps_the_folder_and_says_so(user_study, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(user_study), "--out", str(out), "--seed", "5", "--quiet"]) == 0
    before = folder_files(out, manifest=True)
    capsys.readouterr()
    assert main(["run", str(user_study), "--out", str(out), "--seed", "5", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"kept {out}/ as it was") and "rtol 1e-12, atol 1e-14" in printed
    assert folder_files(out, manifest=True) == before


def test_seed_from_config_and_fresh_seed_when_absent(user_study, tmp_path):
    assert main(["run", str(user_study), "--out", str(tmp_path / "a")]) == 0
    fresh = json.loads((tmp_path / "a" / "manifest.json").read_text())["seed_entropy"]
    assert isinstance(fresh, int) and fresh > 2**64
    user_study.write_text(USER_CONFIG + "\n[run]\nseed = 5\nn_jobs = 1\n")
    assert main(["run", str(user_study), "--out", str(tmp_path / "b")]) == 0
    assert json.loads((tmp_path / "b" / "manifest.json").read_text())["seed_entropy"] == 5


def test_rerun_replaces_a_result_folder_but_never_a_foreign_one(user_study, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(user_study), "--out", str(out), "--seed", "1"]) == 0
    assert main(["run", str(user_study), "--out", str(out), "--seed", "2"]) == 0
    assert json.loads((out / "manifest.json").read_text())["seed_entropy"] == 2
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    assert main(["run", str(user_study), "--out", str(foreign)]) == 2
    assert "is not a robust result folder" in capsys.readouterr().err
    assert (foreign / "thesis.tex").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(
    ("table_text", "message"),
    [
        (None, "table.csv: file not found"),
        ("tech,x0,x1,x2,ipc0,ipc1,ipc2,ipc3\nA,1,2,3,0,0,0,0\nB,1,2,3,1,0,0,0\n", "needs at least 3 technologies"),
        ("tech,x0,x1,x2,ipc0,ipc1,ipc2,ipc3\nA,1,2,3,0,0,0,0\nB,1,x,3,1,0,0,0\nC,1,2,3,1,0,0,0\n", "column 'x1', row 2 (line 3, id 'B'): 'x' is not a number"),
        ("tech,x0,x1,x2,ipc0,ipc1,ipc2,ipc3\nA,1,2,3,1,0,0,0\nB,2,2,3,1,0,0,0\nC,3,2,3,1,0,0,0\n", "dynamism is the same (4) for every technology"),
        ("tech,x0,x1,x2,ipc0,ipc1,ipc2,ipc3\nA,.1,.2,.3,0,0,0,0\nB,1e308,.2,.3,1,0,0,0\nC,.1,.2,.3,1,0,0,0\n", "column 'x0', row 2 (line 3, id 'B'): '1e308' is too large in magnitude"),
        ("tech,x0,x1,x2,ipc0,ipc1,ipc2,ipc3\nA,.1,.2,.3,0,0,0,0\nB,.1,-1e308,.3,1,0,0,0\nC,.1,.2,.3,1,0,0,0\n", "column 'x1', row 2 (line 3, id 'B'): '-1e308' is too large in magnitude"),
        ("tech,x0,x1,x2,ipc0,ipc1,ipc2,ipc3\nA,.1,.2,.3,0,0,0,0\nB,.1,.2,.3,1e308,0,0,0\nC,.1,.2,.3,1,0,0,0\n", "column 'ipc0', row 2 (line 3, id 'B'): '1e308' is too large in magnitude"),
        ("tech,x0,x1,x2,ipc0,ipc1,ipc2,ipc3\nA,1,2,3,0,0,0,0\nB,2,2,3,1,0,0,0\nC,3,2,3,1,0,0,0\n", "study.toml: [capability] threshold must be within [1, 3], the range of capability on"),
    ],
)
def test_bad_input_gives_one_line_exit_2_and_no_output(tmp_path, capsys, table_text, message):
    config = write_config(tmp_path, USER_CONFIG)
    if table_text is not None:
        (tmp_path / "table.csv").write_text(table_text)
    out = tmp_path / "out"
    code = main(["run", str(config), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    errors = [line for line in captured.err.splitlines() if line.startswith("robust: error:")]
    assert len(errors) == 1 and message in errors[0]
    assert "Traceback" not in captured.err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_config_error_exit_2(tmp_path, capsys):
    config = write_config(tmp_path, USER_CONFIG.replace("threshold = 0.5\n\n[dynamism]", "treshold = 0.5\n\n[dynamism]"))
    assert main(["run", str(config)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("robust: error:") and "did you mean 'threshold'" in err and "\n" not in err


def test_constant_indicator_is_a_one_line_warning(tmp_path, capsys):
    lines = ["tech,x0,x1,x2,ipc0,ipc1,ipc2,ipc3"] + [f"T{i},{i / 10},0.5,{(i * 7 % 5) / 5},{i},0,0,0" for i in range(5)]
    (tmp_path / "table.csv").write_text("\n".join(lines) + "\n")
    config = write_config(tmp_path, USER_CONFIG)
    assert main(["run", str(config), "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert "robust: warning:" in err and "indicator 'x1' is the same for every technology" in err
    assert pd.read_csv(tmp_path / "o" / "weights.csv").set_index("indicator").loc["x1", "weight"] == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["run", "c.toml", "--seed", "-1"], "non-negative"), (["run", "c.toml", "--jobs", "0"], "positive number")],
)
def test_bad_flags_are_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2 and message in capsys.readouterr().err


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    completed = subprocess.run([sys.executable, "-m", "robust", "--help"], capture_output=True, text=True)
    assert completed.returncode == 0 and "reproduce" in completed.stdout


def test_validate_checks_without_writing(user_study, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", str(user_study)]) == 0
    assert "valid (8 technologies, 3 indicators" in capsys.readouterr().out
    assert not (tmp_path / "results").exists()
    (tmp_path / "table.csv").write_text("tech,x0\nA,1\n")
    assert main(["validate", str(user_study)]) == 2
    assert "no column 'x1'" in capsys.readouterr().err


def test_execution_flags_reach_the_run(user_study, tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["run", str(user_study), "--out", str(out), "--backend", "threading", "--jobs", "2", "--quiet"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["execution"] == {"backend": "threading", "n_jobs": 2}
    assert main(["run", str(user_study), "--out", str(out), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler is only used with --backend dask" in capsys.readouterr().err


def test_each_distinct_warning_is_printed_once(tmp_path, capsys):
    lines = ["tech,x0,x1,x2,ipc0,ipc1,ipc2,ipc3"] + [f"T{i},{i / 10},0.5,{(i * 7 % 5) / 5},{i},0,0,0" for i in range(5)]
    (tmp_path / "table.csv").write_text("\n".join(lines) + "\n")
    config = write_config(tmp_path, USER_CONFIG + '\n[weighting]\nmethods = ["critic"]\n'
                          '[bootstrap]\nreplicates = 1024\nschemes = ["jackknife"]\n')
    assert main(["run", str(config), "--out", str(tmp_path / "o"), "--quiet"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("robust: warning:")]
    assert len(warnings) == len(set(warnings)) >= 2
    assert any("so critic gives it weight 0" in line for line in warnings)


def test_run_with_a_weighting_section_writes_its_tables_and_figures(user_study, tmp_path):
    user_study.write_text(USER_CONFIG + '\n[weighting]\nmethods = ["critic", "merec", "entropy"]\n')
    out = tmp_path / "out"
    assert main(["run", str(user_study), "--out", str(out), "--seed", "3", "--quiet"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["config"]["weighting"] == {"methods": ["critic", "merec", "entropy"]}
    assert {
        "weighting_comparison.csv", "weighting_agreement.csv", "weighting_pairs.csv",
        "figures/weighting_heatmap.png", "figures/weighting_heatmap.pdf",
        "figures/weighting_dots.png", "figures/weighting_dots.pdf",
    } <= set(manifest["outputs"])
    weights = pd.read_csv(out / "weights.csv")
    assert weights["method"].unique().tolist() == ["entropy", "critic", "merec"]
    comparison = pd.read_csv(out / "weighting_comparison.csv")
    assert comparison["technology"].iloc[:8].tolist() == [f"T{i:03d}" for i in range(8)]
    assert len(pd.read_csv(out / "weighting_pairs.csv")) == 3
    for name in ("weights.csv", "weighting_comparison.csv", "weighting_agreement.csv", "weighting_pairs.csv"):
        assert no_missing(pd.read_csv(out / name))
    # a rerun writes the same tables (the weighting figures redrawn byte for byte:
    # test_no_figures_skips_them_and_plot_draws_them_later)
    assert main(["run", str(user_study), "--out", str(tmp_path / "again"), "--seed", "3", "--quiet",
                 "--no-figures"]) == 0
    again = json.loads((tmp_path / "again" / "manifest.json").read_text())

    def tables(outputs):
        return {name: digest for name, digest in outputs.items() if name.endswith(".csv")}

    assert tables(again["outputs"]) == tables(manifest["outputs"])


def test_run_refuses_a_method_undefined_for_the_table(tmp_path, capsys):
    lines = ["tech,x0,x1,x2,ipc0,ipc1,ipc2,ipc3"] + [f"T{i},{i / 10},0.{i + 2},0.5{i},{i},0,0,0" for i in range(5)]
    (tmp_path / "table.csv").write_text("\n".join(lines) + "\n")
    config = write_config(tmp_path, USER_CONFIG + '\n[weighting]\nmethods = ["gini", "merec"]\n')
    assert main(["run", str(config), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"robust: error: {tmp_path / 'table.csv'}: merec weighting needs positive values "
        "(it takes the logarithm of min / value), but indicator 'x0' is 0 in row 1"
    )
    assert not (tmp_path / "out").exists()


def test_run_with_a_sobol_section_writes_the_api_tables_and_figures(user_study, tmp_path):
    user_study.write_text(USER_CONFIG + """
[sobol]
n = 64
scrambles = 2
second_order = true

[sobol.factors]
weights = 0.1
capability_threshold = [0.48, 0.52]
dynamism_threshold = [0.48, 0.52]
""")
    out = tmp_path / "out"
    assert main(["run", str(user_study), "--out", str(out), "--seed", "3"]) == 0
    written = pd.read_csv(out / "sobol.csv")
    table = robust.read_table(user_study.parent / "table.csv", id_column="tech", indicators=["x0", "x1", "x2"],
                              ipc_changes=["ipc0", "ipc1", "ipc2", "ipc3"])
    api = quiet_sobol(table, factors={"weights": 0.1, "capability_threshold": [0.48, 0.52],
                                      "dynamism_threshold": [0.48, 0.52]},
                         n=64, scrambles=2, second_order=True, rng=3)
    pd.testing.assert_frame_equal(written, api.to_frame(), check_dtype=False)
    assert len(pd.read_csv(out / "sobol_second_order.csv")) == 8 * 3 * 3
    assert not pd.read_csv(out / "sobol_convergence.csv").empty
    figures = {path.name for path in (out / "figures").iterdir()}
    assert {"sobol_heatmap.png", "sobol_heatmap.pdf", "sobol_convergence.png"} <= figures
    unstable = api.unstable_technologies()
    assert unstable and {"sobol_bars.png", "sobol_bars.pdf"} <= figures  # one panel per technology that moves
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["config"]["sobol"]["factors"]["weights"] == 0.1


def test_validate_names_the_section_of_a_factor_that_does_not_apply(user_study, capsys):
    user_study.write_text(USER_CONFIG + '\n[sobol]\n[sobol.factors]\nleave_out = ["none", "x9"]\nweights = 0.1\n')
    assert main(["validate", str(user_study)]) == 2
    assert "[sobol.factors] leave_out: 'x9' is not an indicator; allowed: none, x0, x1, x2" in capsys.readouterr().err


def test_plot_rejects_a_folder_without_manifest(tmp_path, capsys):
    assert main(["plot", str(tmp_path)]) == 2
    assert "not a result folder (no manifest.json)" in capsys.readouterr().err


def test_a_dask_cluster_on_loopback_gives_the_serial_files(user_study, tmp_path):
    from dask.distributed import LocalCluster

    user_study.write_text(USER_CONFIG + "\n[bootstrap]\nreplicates = 2048\nschemes = [\"noise\"]\n")
    assert main(["run", str(user_study), "--out", str(tmp_path / "serial"), "--seed", "3", "--quiet",
                 "--no-figures"]) == 0  # figures are drawn on local workers (test_experiment)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster:
        assert main(["run", str(user_study), "--out", str(tmp_path / "dask"), "--seed", "3", "--quiet",
                     "--backend", "dask", "--scheduler", cluster.scheduler_address, "--no-figures"]) == 0
    assert folder_files(tmp_path / "dask") == folder_files(tmp_path / "serial")
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert manifest["execution"]["backend"] == "dask"


def test_an_unreachable_scheduler_is_a_clear_error(user_study, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("robust.compute.execution.SCHEDULER_TIMEOUT", "1s")
    user_study.write_text(USER_CONFIG + "\n[bootstrap]\nreplicates = 2048\nschemes = [\"noise\"]\n")
    code = main(["run", str(user_study), "--out", str(tmp_path / "x"), "--backend", "dask",
                 "--scheduler", "tcp://127.0.0.1:9", "--quiet"])
    assert code == 2
    assert "cannot reach the dask scheduler tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


# ------------------------------------------------ result folders: never lose a file, never vouch for a damaged one


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """A finished result folder of the small user study (scores, weights, one figure, report)."""
    folder = tmp_path_factory.mktemp("tiny")
    random_frame(np.random.default_rng(7)).to_csv(folder / "table.csv", index=False)
    config = write_config(folder, USER_CONFIG)
    assert main(["run", str(config), "--out", str(folder / "out"), "--seed", "1", "--quiet"]) == 0
    return folder / "out"


@pytest.fixture
def result_copy(tiny_run, tmp_path):
    return Path(shutil.copytree(tiny_run, tmp_path / "result"))


def _manifest(folder):
    return json.loads((folder / "manifest.json").read_text())


def test_run_refuses_a_folder_whose_manifest_robust_did_not_write(user_study, tmp_path, capsys):
    webapp = tmp_path / "webapp"
    (webapp / "data").mkdir(parents=True)
    (webapp / "manifest.json").write_text('{"name": "survey app", "start_url": "/"}')
    (webapp / "index.html").write_text("<html>")
    (webapp / "data" / "survey.csv").write_text("precious")
    before = folder_files(webapp, manifest=True)
    assert main(["run", str(user_study), "--out", str(webapp)]) == 2
    line = error_line(capsys.readouterr().err)
    assert f"{webapp}: exists and is not a robust result folder (its manifest.json was not written by robust)" in line
    assert folder_files(webapp, manifest=True) == before and hidden_entries(tmp_path) == []


def test_a_rerun_keeps_the_files_robust_did_not_write(result_copy, tiny_run, capsys):
    (result_copy / "notes.md").write_text("reviewer: row 3 looks odd")
    (result_copy / "figures" / "annotated.png").write_bytes(b"my drawing")
    config = tiny_run.parent / "study.toml"
    assert main(["run", str(config), "--out", str(result_copy), "--seed", "2", "--quiet"]) == 0
    first_line = capsys.readouterr().out.splitlines()[0]
    assert first_line.endswith("kept what robust did not write: figures/annotated.png, notes.md")
    assert (result_copy / "notes.md").read_text() == "reviewer: row 3 looks odd"
    assert (result_copy / "figures" / "annotated.png").read_bytes() == b"my drawing"
    manifest = _manifest(result_copy)
    assert manifest["seed_entropy"] == 2 and "notes.md" not in manifest["outputs"]
    assert hidden_entries(result_copy.parent) == []


@pytest.mark.parametrize(("name", "damage"), [("scores.csv", "banana"), ("weights.csv", b"\x00\x01\xff binary")])
def test_plot_refuses_a_folder_whose_tables_changed(result_copy, capsys, name, damage):
    path = result_copy / name
    if isinstance(damage, str):
        path.write_text(path.read_text().replace("entrench", damage).replace("assault", damage))
    else:
        path.write_bytes(damage)
    before = folder_files(result_copy, manifest=True)
    assert main(["plot", str(result_copy)]) == 2
    line = error_line(capsys.readouterr().err)
    assert f"{path}: changed since robust wrote it" in line and "--force" in line
    assert folder_files(result_copy, manifest=True) == before


def test_plot_force_redraws_without_vouching_for_the_changed_table(result_copy, capsys):
    scores = result_copy / "scores.csv"
    recorded = _manifest(result_copy)["outputs"]["scores.csv"]
    frame = pd.read_csv(scores)
    frame.loc[0, "capability"] = 0.123456
    frame.to_csv(scores, index=False)
    assert main(["plot", str(result_copy), "--force"]) == 0
    assert "recorded as unverified in manifest.json: scores.csv" in capsys.readouterr().out
    manifest = _manifest(result_copy)
    assert manifest["outputs"]["scores.csv"] == recorded  # the computed table's digest, not the edited one's
    assert manifest["unverified_tables"] == {"scores.csv": {"recorded": recorded, "found": file_sha256(scores)}}
    assert main(["plot", str(result_copy)]) == 2  # and the folder still does not pass as the computed one
    assert "scores.csv: changed since robust wrote it" in error_line(capsys.readouterr().err)


@pytest.mark.parametrize("damage", ["missing", "not a table"])
def test_plot_with_a_missing_or_corrupted_scores_table_is_one_line_and_changes_nothing(result_copy, capsys, damage):
    scores = result_copy / "scores.csv"
    if damage == "missing":
        scores.unlink()
    else:
        scores.write_text('technology,capability\n"unterminated,0.5\n')
    before = folder_files(result_copy, manifest=True)
    assert main(["plot", str(result_copy), "--force"]) == 2
    line = error_line(capsys.readouterr().err)
    assert f"{scores}: {'is missing' if damage == 'missing' else 'cannot be read as a table'}" in line
    assert folder_files(result_copy, manifest=True) == before and hidden_entries(result_copy.parent) == []


def test_plot_with_a_corrupted_manifest_is_one_line(result_copy, capsys):
    manifest = result_copy / "manifest.json"
    text = manifest.read_text()
    manifest.write_text(text.replace('"threshold": 0.5', '"threshold": "half"', 1))  # valid JSON, edited config
    assert main(["plot", str(result_copy)]) == 2
    assert f"{manifest}: its config does not match its recorded config_sha256" in error_line(capsys.readouterr().err)
    manifest.write_text('{"outputs": {"scores.csv": ')
    assert main(["plot", str(result_copy)]) == 2
    assert f"{manifest}: is not valid JSON (line 1, column 28: Expecting value)" in error_line(capsys.readouterr().err)


def test_plot_draws_into_a_stage_and_replaces_the_folder_only_when_complete(result_copy, monkeypatch):
    from robust.app.experiment import redraw

    def fail(*args):
        raise RuntimeError("the report could not be written")

    monkeypatch.setattr("robust.app.experiment.write_report", fail)  # after every figure is drawn
    before = folder_files(result_copy, manifest=True)
    with pytest.raises(RuntimeError):
        redraw(result_copy)
    assert folder_files(result_copy, manifest=True) == before and hidden_entries(result_copy.parent) == []


# ------------------------------------------------ resources


def test_a_run_that_cannot_finish_is_refused_with_its_estimate(user_study, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("robust.app.experiment.compute_tables", lambda *a, **k: pytest.fail("computed"))
    user_study.write_text(USER_CONFIG + "\n[bootstrap]\nreplicates = 1000000000000\nschemes = [\"noise\"]\n")
    for command in (["validate", str(user_study)], ["run", str(user_study), "--out", str(tmp_path / "o")]):
        assert main(command) == 2
        line = error_line(capsys.readouterr().err)
        assert re.search(r"study.toml: the run would take about 185 days and \d+ MiB on 1 worker \(\[bootstrap\] "
                         r"185 days\), more than the 24-hour limit; .*--ignore-estimate", line), line
    for section in ("[sobol]\nn = 1099511627776\n", "[acceptability]\nsamples = 1000000000000\n"):
        user_study.write_text(USER_CONFIG + "\n" + section)
        assert main(["validate", str(user_study)]) == 2
        line = error_line(capsys.readouterr().err)
        assert "study.toml: the run would take" in line and section.split("\n")[0] in line
    assert not (tmp_path / "o").exists()


def test_validate_prints_the_estimate_and_the_override_skips_the_limit(user_study, capsys):
    from robust.app.config import load_config
    from robust.app.experiment import check_budget

    assert main(["validate", str(user_study)]) == 0
    assert re.search(r"computing estimated at about [\d.]+ s and \d+ MiB on 1 worker\)$", capsys.readouterr().out.strip())
    user_study.write_text(USER_CONFIG + "\n[bootstrap]\nreplicates = 1000000000000\n")
    config = load_config(user_study)
    found = check_budget(config, config.data.load(), robust.Execution(), ignore=True)
    assert found.total_seconds > 86400 * 100


def _start_long_run(folder, *extra):
    """A run that takes a minute, started in a subprocess; returns it once its workers are up."""
    import psutil

    random_frame(np.random.default_rng(7)).to_csv(folder / "table.csv", index=False)
    write_config(folder, USER_CONFIG + '\n[bootstrap]\nreplicates = 3000000\nschemes = ["noise"]\n', "long.toml")
    process = subprocess.Popen([sys.executable, "-m", "robust", "run", "long.toml", "--out", "out", "--quiet", *extra],
                               cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started = time.monotonic()
    while time.monotonic() - started < 60:
        children = psutil.Process(process.pid).children(recursive=True)
        if sum(_is_loky_worker(child) for child in children) >= 2:
            return process, children
        time.sleep(0.1)
    process.kill()
    pytest.fail("the workers did not start")


def _is_loky_worker(child) -> bool:
    """Whether ``child`` is a live loky worker (a child can exit, or be a zombie, while we look)."""
    import psutil

    try:
        return (child.is_running() and child.status() != psutil.STATUS_ZOMBIE
                and "popen_loky_posix" in " ".join(child.cmdline()))
    except psutil.Error:
        return False


def _read_to_end(process, seconds):
    """stderr to its end, or a failure if some process still holds it open after ``seconds``."""
    import threading

    chunks = []
    reader = threading.Thread(target=lambda: chunks.append(process.stderr.read()), daemon=True)
    reader.start()
    reader.join(seconds)
    assert not reader.is_alive(), f"stderr still open {seconds} s after the main process ended"
    process.stdout.close()
    process.stderr.close()
    return chunks[0].decode()


def test_workers_die_with_their_parent_and_the_next_run_cleans_its_staging_folder(tmp_path, user_study):
    process, children = _start_long_run(tmp_path, "--jobs", "2")
    process.kill()  # SIGKILL: no chance to stop the workers
    _read_to_end(process, 10)
    assert process.wait() == -signal.SIGKILL
    time.sleep(0.2)
    assert [child.pid for child in children if _is_loky_worker(child)] == []
    assert [name for name in hidden_entries(tmp_path) if ".out.partial-" in name]  # what SIGKILL leaves
    assert main(["run", str(user_study), "--out", str(tmp_path / "other"), "--quiet"]) == 0
    assert hidden_entries(tmp_path) == []


def test_sigterm_stops_the_run_with_a_message_and_exit_143(tmp_path):
    process, _ = _start_long_run(tmp_path, "--jobs", "2")
    process.terminate()
    err = _read_to_end(process, 20)
    assert process.wait() == 143
    assert "robust: terminated (SIGTERM); nothing half-written was left" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() and hidden_entries(tmp_path) == []


# ------------------------------------------------ operating-system failures: one line, exit 2, nothing half-written


@contextlib.contextmanager
def small_tmpfs(path, options):
    """A tmpfs mounted at ``path`` (root only); the test is skipped, saying why, where that is impossible."""
    if os.geteuid() != 0:
        pytest.skip(f"mounting a small tmpfs needs root; the tests run as uid {os.geteuid()}")
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        yield path
    finally:
        with warnings.catch_warnings():  # matplotlib leaves the PDF it failed to write open: close it
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        subprocess.run(["umount", "--lazy", str(path)], check=True)


def test_a_full_disk_while_writing_is_one_line_and_leaves_nothing(user_study, tmp_path, capsys):
    with small_tmpfs(tmp_path / "disk", "size=64k") as disk:
        assert main(["run", str(user_study), "--out", str(disk / "out"), "--quiet"]) == 2
        line = error_line(capsys.readouterr().err)
        assert re.search(rf"{disk / 'out'}\S*: cannot be written \(No space left on device\); nothing was written to "
                         rf"{disk / 'out'}$", line), line
        assert os.listdir(disk) == []


def test_a_read_only_file_system_is_refused_before_computing(user_study, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("robust.app.experiment.compute_tables", lambda *a, **k: pytest.fail("computed"))
    with small_tmpfs(tmp_path / "ro", "ro,size=64k") as read_only:
        assert main(["run", str(user_study), "--out", str(read_only / "out")]) == 2
        line = error_line(capsys.readouterr().err)
        assert line == f"robust: error: {read_only / 'out'}: cannot be written in {read_only} (Read-only file system)"


def test_a_folder_the_user_cannot_write_is_refused_before_computing(user_study, capsys, monkeypatch):
    monkeypatch.setattr("robust.app.experiment.compute_tables", lambda *a, **k: pytest.fail("computed"))
    shared = Path(tempfile.mkdtemp())  # outside pytest's private folder, so another user can read the study
    try:
        shared.chmod(0o755)
        for name in ("study.toml", "table.csv"):
            shutil.copy(user_study.parent / name, shared / name)
        locked = shared / "locked"
        locked.mkdir(mode=0o555)
        root = os.geteuid() == 0
        if root:
            os.seteuid(65534)  # root may write anywhere: run as "nobody"
        try:
            code = main(["run", str(shared / "study.toml"), "--out", str(locked / "out")])
        finally:
            if root:
                os.seteuid(0)
        assert code == 2
        line = error_line(capsys.readouterr().err)
        assert line == f"robust: error: {locked / 'out'}: cannot be written in {locked} (Permission denied)"
        assert list(locked.iterdir()) == []
    finally:
        (shared / "locked").chmod(0o755)
        shutil.rmtree(shared)


@pytest.mark.parametrize(("target", "message"), [
    ("afile/out", "afile/out: cannot be created: {tmp}/afile is a file, not a folder"),
    ("afile", "afile: exists and is a file, not a folder"),
    (".", ".: is the current folder; a result folder is replaced whole"),
    ("..", "..: is the current folder or contains it"),
])
def test_an_impossible_output_folder_is_refused_before_computing(user_study, tmp_path, capsys, monkeypatch,
                                                                 target, message):
    monkeypatch.setattr("robust.app.experiment.compute_tables", lambda *a, **k: pytest.fail("computed"))
    (tmp_path / "afile").write_text("mine")
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(user_study), "--out", target]) == 2
    assert message.format(tmp=tmp_path) in error_line(capsys.readouterr().err)
    assert (tmp_path / "afile").read_text() == "mine"
    assert not [name for folder in (tmp_path, tmp_path.parent, tmp_path.parent.parent)
                for name in hidden_entries(folder) if ".partial-" in name or ".old-" in name]


def test_a_symlink_loop_as_data_path_is_one_line(user_study, capsys):
    (user_study.parent / "loop.csv").symlink_to("loop.csv")
    user_study.write_text(USER_CONFIG.replace('path = "table.csv"', 'path = "loop.csv"'))
    assert main(["validate", str(user_study)]) == 2
    assert f"{user_study}: [data] path 'loop.csv' cannot be resolved (a symlink loop)" in error_line(
        capsys.readouterr().err)


def test_a_sobol_threshold_range_outside_the_scores_range_is_refused(user_study, capsys):
    user_study.write_text(USER_CONFIG + "\n[sobol]\n[sobol.factors]\nweights = 0.1\ncapability_threshold = [1.2, 1.5]\n")
    assert main(["validate", str(user_study)]) == 2
    line = error_line(capsys.readouterr().err)
    assert "study.toml: [sobol.factors] capability_threshold must be within [0." in line and "got 1.2" in line
    user_study.write_text(USER_CONFIG + "\n[sobol]\n[sobol.factors]\nweights = 0.1\ndynamism_threshold = [1.2, 1.5]\n")
    assert main(["validate", str(user_study)]) == 2
    assert "[sobol.factors] dynamism_threshold must be within [0, 1], the range of dynamism" in error_line(
        capsys.readouterr().err)


@pytest.fixture(scope="module")
def paper_without_figures(tmp_path_factory):
    """The small paper analysis run from the command line with --no-figures; its printed lines."""
    folder = tmp_path_factory.mktemp("nofig")
    config = write_config(folder, SMALL_PAPER, "paper_small.toml")
    out = folder / "out"
    with contextlib.redirect_stdout(__import__("io").StringIO()) as printed:
        assert main(["run", str(config), "--out", str(out), "--seed", "1", "--quiet", "--no-figures"]) == 0
    return out, printed.getvalue().splitlines()


def test_run_prints_the_reproduction_the_verdicts_and_where_the_report_is(paper_without_figures):
    out, lines = paper_without_figures
    summary = json.loads((out / "summary.json").read_text())
    assert lines[0].startswith(f"wrote {out.resolve()}/ (") and lines[0].endswith("; seed 1")
    assert lines[1].startswith("reproduces the paper: yes (20 of 20 quadrants; scores within ")
    counts = summary["verdicts"]
    assert lines[2].startswith(f"verdicts: {counts['robust']} robust, {counts['sensitive']} sensitive, "
                               f"{counts['fragile']} fragile of 20 (schemes ")
    least = sorted(summary["technologies"], key=lambda row: row["lowest_retention"])[0]
    assert lines[3].startswith(f"least stable: {least['technology']} {least['lowest_retention']:.3f} ({least['scheme']})")
    assert lines[4] == f"report: {out.resolve() / 'report.html'}"


def test_summary_json_holds_the_verdicts_the_report_states(paper_without_figures):
    out, _ = paper_without_figures
    summary = json.loads((out / "summary.json").read_text())
    assert summary["format"] == "robust summary" and summary["paper"]["reproduced"] is True
    stability = pd.read_csv(out / "stability.csv")
    for row in summary["technologies"]:
        own = stability[(stability["technology"] == row["technology"]) & stability["scheme"].isin(summary["schemes"])]
        assert row["lowest_retention"] == own["retention"].min()
    counts = summary["verdicts"]
    assert (f"{counts['robust']} robust, {counts['sensitive']} sensitive, {counts['fragile']} fragile"
            in (out / "report.md").read_text())


def test_no_figures_skips_them_and_plot_draws_them_later(paper_without_figures, paper_run, tmp_path):
    out, _ = paper_without_figures
    manifest = json.loads((out / "manifest.json").read_text())
    assert not (out / "figures").exists() and manifest["figures_drawn"] is False
    assert not any(name.startswith("figures/") for name in manifest["outputs"])
    assert "## Figures" not in (out / "report.md").read_text()
    copy = Path(shutil.copytree(out, tmp_path / "copy"))
    assert main(["plot", str(copy), "--quiet"]) == 0
    # drawn from the tables alone: the same figures and report as the run that drew them (same config and seed,
    # another config file)
    def drawn(folder):
        config_file = json.loads((folder / "manifest.json").read_text())["config_file"].encode()
        return {name: content.replace(config_file, b"<config>") for name, content in folder_files(folder).items()
                if not name.endswith(".csv")}

    assert drawn(copy) == drawn(paper_run)
    manifest = json.loads((copy / "manifest.json").read_text())
    assert "redrawn_with" in manifest and "unverified_tables" not in manifest and "figures_drawn" not in manifest
    assert sorted(manifest["outputs"]) == sorted(folder_files(copy))


def test_the_manifest_records_when_and_where_a_run_ran(paper_without_figures):
    out, _ = paper_without_figures
    environment = json.loads((out / "manifest.json").read_text())["environment"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)", environment["timestamp"])
    assert environment["cores"] >= 1 and environment["platform"]
    stamp = environment["timestamp"]
    assert f"Produced by robust {robust.__version__} on {stamp[:10]} {stamp[11:16]} UTC" in (out / "report.md").read_text()


def test_compare_says_which_tables_differ(tiny_run, result_copy, capsys):
    assert main(["compare", str(tiny_run), str(result_copy)]) == 0
    assert capsys.readouterr().out.startswith("every table agrees (")
    scores = pd.read_csv(result_copy / "scores.csv")
    scores.loc[2, "capability"] += 1e-9
    scores.to_csv(result_copy / "scores.csv", index=False)
    assert main(["compare", str(tiny_run), str(result_copy)]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("scores.csv") and "capability" in printed[0]
    assert re.fullmatch(r"\d+ of \d+ tables agree \(rtol 1e-12, atol 1e-14\)", printed[-1])
    assert main(["compare", str(tiny_run), str(result_copy), "--atol", "1e-6"]) == 0
    assert main(["compare", str(tiny_run), str(result_copy / "none")]) == 2
    assert "folder not found" in error_line(capsys.readouterr().err)
    assert main(["compare", str(tiny_run), str(result_copy), "--rtol", "-1"]) == 2


def test_progress_in_a_log_is_plain_lines(user_study, tmp_path):
    """Not a terminal: one line per step, no carriage returns (tqdm bars are for people watching)."""
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "robust", "run", str(user_study), "--out", str(out), "--seed", "1"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr
    steps = [line for line in done.stderr.splitlines() if line.startswith("robust: ")]
    assert "robust: figures ..." in steps and any(re.fullmatch(r"robust: report: \d+\.\d s", s) for s in steps)


def test_a_closed_pipe_is_not_a_traceback(user_study):
    """``robust validate config | head -0``: the reader left; exit quietly."""
    process = subprocess.Popen([sys.executable, "-m", "robust", "validate", str(user_study)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipe" not in err
