"""The command line, in process: outputs, exit codes, one-line errors, option plumbing."""

import json

import pandas as pd
import pytest

import robust
from robust.app.cli import main
from tests.helpers import (
    SMALL_PAPER,
    USER_CONFIG,
    folder_files,
    no_missing,
    quiet_sobol,
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
    # a rerun writes the same bytes
    assert main(["run", str(user_study), "--out", str(tmp_path / "again"), "--seed", "3", "--quiet"]) == 0
    again = json.loads((tmp_path / "again" / "manifest.json").read_text())
    assert again["outputs"] == manifest["outputs"]


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
    assert unstable and all(any(name.startswith(f"sobol_bars_{api.technologies.index(t) + 1:02d}_")
                                for name in figures) for t in unstable)
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
    assert main(["run", str(user_study), "--out", str(tmp_path / "serial"), "--seed", "3", "--quiet"]) == 0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster:
        assert main(["run", str(user_study), "--out", str(tmp_path / "dask"), "--seed", "3", "--quiet",
                     "--backend", "dask", "--scheduler", cluster.scheduler_address]) == 0
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
