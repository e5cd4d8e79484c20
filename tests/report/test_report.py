"""The reviewer report: reproduction, verdicts and the paper's statements, from the saved tables."""

import json

from robust.app.config import load_config
from robust.app.experiment import run_experiment
from tests.helpers import USER_CONFIG


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


def test_user_table_report_says_there_is_nothing_to_reproduce(user_study, tmp_path):
    user_study.write_text(USER_CONFIG + "\n[bootstrap]\nreplicates = 1024\nschemes = [\"jackknife\"]\n")
    run_experiment(load_config(user_study), out_dir=tmp_path / "o", seed=1)
    report = (tmp_path / "o" / "report.md").read_text()
    assert "not the paper's, so there is nothing to reproduce" in report
    assert "The paper's statements" not in report
    assert "| T000 |" in report
