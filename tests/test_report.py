"""Figures and the reviewer report are drawn from the saved tables alone."""

import json

import numpy as np
import pandas as pd
import pytest

from robust import plots
from robust.cli import main
from robust.report import FRAGILE_RETENTION, ROBUST_RETENTION, _verdicts
from tests.conftest import USER_CONFIG

SMALL_PAPER = """
[data]
path = "builtin:paper2023"
id = "name_en"
label = "name_zh"

[capability]
indicators = ["app_share", "cite_share", "claim_share", "pct_share"]

[dynamism]
ipc_changes = ["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]

[weighting]
methods = ["critic", "equal"]

[bootstrap]
replicates = 2048
"""


@pytest.fixture(scope="module")
def paper_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paper")
    config = folder / "paper_small.toml"
    config.write_text(SMALL_PAPER)
    assert main(["run", str(config), "--out", str(folder / "out"), "--seed", "1", "--quiet"]) == 0
    return folder / "out"


def test_run_writes_figures_and_report(paper_run):
    figures = {p.name for p in (paper_run / "figures").iterdir()}
    for stem in ("quadrant_map", "quadrant_probabilities_technologies", "quadrant_probabilities_jackknife",
                 "retention_convergence_noise", "weighting_heatmap", "weighting_dots"):
        assert {f"{stem}.png", f"{stem}.pdf"} <= figures
    report = (paper_run / "report.md").read_text()
    assert "## Is the paper reproduced?\n\n**Yes.**" in report
    assert "20 of 20 quadrants" in report
    assert "| chip | 芯片 | assault |" in report and "## The paper's statements" in report
    html = (paper_run / "report.html").read_text()
    assert html.count("data:image/png;base64,") == report.count("![")
    assert 'src="figures' not in html and "http" not in html.split("<body>")[1].split("doi")[0]
    manifest = json.loads((paper_run / "manifest.json").read_text())
    assert "report.html" in manifest["outputs"] and "figures/quadrant_map.pdf" in manifest["outputs"]


def test_plot_redraws_identical_figures_from_the_tables(paper_run, capsys):
    before = {p.name: p.read_bytes() for p in (paper_run / "figures").iterdir()}
    report = (paper_run / "report.md").read_bytes()
    assert main(["plot", str(paper_run)]) == 0
    after = {p.name: p.read_bytes() for p in (paper_run / "figures").iterdir()}
    assert after == before and (paper_run / "report.md").read_bytes() == report
    manifest = json.loads((paper_run / "manifest.json").read_text())
    assert "redrawn_with" in manifest


def test_plot_rejects_a_folder_without_manifest(tmp_path, capsys):
    assert main(["plot", str(tmp_path)]) == 2
    assert "not a result folder (no manifest.json)" in capsys.readouterr().err


def test_user_table_report_says_there_is_nothing_to_reproduce(user_study, tmp_path):
    user_study.write_text(USER_CONFIG + "\n[bootstrap]\nreplicates = 1024\nschemes = [\"jackknife\"]\n")
    assert main(["run", str(user_study), "--out", str(tmp_path / "o"), "--seed", "1", "--quiet"]) == 0
    report = (tmp_path / "o" / "report.md").read_text()
    assert "not the paper's, so there is nothing to reproduce" in report
    assert "The paper's statements" not in report
    assert "| T000 |" in report


def test_verdict_rule_and_borderline_marks():
    # rows: schemes; columns: technologies
    retention = np.array([[0.99, 0.97, 0.80, 0.40, 0.501], [1.0, 0.99, 0.90, 0.60, 0.95]])
    low = retention - np.array([[0.005, 0.03, 0.01, 0.01, 0.01], [0, 0, 0, 0, 0]])
    high = retention + 0.005
    agree = np.array([True, True, True, True, True])
    assert _verdicts(retention, low, high, agree) == [
        "robust", "robust (borderline)", "sensitive", "fragile", "sensitive (borderline)"]
    assert _verdicts(retention[:, :1], low[:, :1], high[:, :1], np.array([False])) == ["sensitive"]
    assert (FRAGILE_RETENTION, ROBUST_RETENTION) == (0.5, 0.95)


def test_chinese_labels_need_a_cjk_font(monkeypatch):
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    assert plots.technology_labels(["chip"], ["芯片"]) == (["chip"], {})
    monkeypatch.setattr(plots, "cjk_font", lambda: "Noto Sans CJK SC")
    labels, font = plots.technology_labels(["chip"], ["芯片"])
    assert labels == ["芯片"] and font["fontfamily"][0] == "Noto Sans CJK SC"
    assert plots.technology_labels(["a"], ["Alpha"]) == (["Alpha"], {})


def test_quadrant_map_colours_points_by_retention(paper_run):
    from robust.plots import new_figure, plot_quadrant_map

    scores = pd.read_csv(paper_run / "scores.csv")
    stability = pd.read_csv(paper_run / "stability.csv", keep_default_na=False, na_values=[""])
    figure, ax = new_figure()
    plot_quadrant_map(scores, capability_threshold=0.5, dynamism_threshold=0.5, stability=stability, ax=ax)
    coloured = [c for c in ax.collections if c.get_array() is not None]
    assert sum(len(c.get_offsets()) for c in coloured) == 20
    assert len(figure.axes) == 2  # the retention colour bar
