"""The command line, in process: outputs, exit codes, one-line errors, option plumbing."""

import json

import pandas as pd
import pytest

import robust
from robust.cli import main
from tests.conftest import USER_CONFIG, write_config


def test_reproduce_prints_the_comparison_and_exits_zero(capsys, tmp_path):
    assert main(["reproduce", "--out", str(tmp_path / "rep")]) == 0
    out = capsys.readouterr().out
    assert "REPRODUCED" in out and "quadrants matching section 3: 20/20" in out
    assert "0.249320" in out and "0.25" in out
    frame = pd.read_csv(tmp_path / "rep" / "reproduction.csv")
    assert frame["quadrant_match"].all() and len(frame) == 20


def test_reproduce_fails_when_the_tolerance_is_missed(monkeypatch, capsys):
    original = robust.reproduce.reproduce_paper
    monkeypatch.setattr(robust.reproduce, "reproduce_paper", lambda: original(tolerance=1e-9))
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


def test_run_default_output_folder_and_paper_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from pathlib import Path

    config = Path(robust.__file__).parents[1] / "experiments" / "paper.toml"
    assert main(["run", str(config)]) == 0
    scores = pd.read_csv(tmp_path / "results" / "paper" / "scores.csv")
    published = robust.load_paper2023_published()
    assert (scores["quadrant"] == published["quadrant"]).all()
    assert (scores["capability"] - published["capability"]).abs().max() < 1e-6


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
