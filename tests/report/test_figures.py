"""A folder's figures are drawn from the tables it holds, PNG and PDF, and only for those tables."""

import json
import shutil

from robust.report.figures import draw_figures, figure_jobs


def test_every_table_gets_its_figures(paper_run, tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    for table in paper_run.glob("*.csv"):
        shutil.copy(table, folder)
    config = json.loads((paper_run / "manifest.json").read_text())["config"]
    stems = {job.stem for job in figure_jobs(folder, config)}  # from the tables alone
    assert stems == {"quadrant_map", "quadrant_probabilities", "retention_convergence", "weighting_heatmap",
                     "weighting_dots", "weight_space_02_chip"}
    drawn = sorted(p.name for p in (paper_run / "figures").iterdir())  # what the run drew from the same tables
    assert drawn == sorted(f"{stem}.png" for stem in stems)  # [figures] formats = ["png"]


def test_a_folder_with_scores_only_gets_the_quadrant_map(paper_run, tmp_path):
    shutil.copy(paper_run / "scores.csv", tmp_path)
    written = draw_figures(tmp_path, {"capability": {"threshold": 0.5}, "dynamism": {"threshold": 0.5}})
    assert written == ["figures/quadrant_map.png", "figures/quadrant_map.pdf"]
