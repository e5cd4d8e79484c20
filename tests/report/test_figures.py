"""A folder's figures are drawn from the tables it holds, PNG and PDF, and only for those tables."""

import json
import shutil

from robust.report.figures import draw_figures


def test_every_table_gets_its_figures(paper_run, tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    for table in paper_run.glob("*.csv"):
        shutil.copy(table, folder)
    config = json.loads((paper_run / "manifest.json").read_text())["config"]
    written = draw_figures(folder, config)
    stems = {name.removeprefix("figures/").rsplit(".", 1)[0] for name in written}
    assert stems == {"quadrant_map", "quadrant_probabilities", "retention_convergence", "weighting_heatmap",
                     "weighting_dots", "weight_space_02_chip"}
    assert sorted(written) == sorted(f"figures/{stem}.{suffix}" for stem in stems for suffix in ("png", "pdf"))
    assert sorted(written) == sorted(f"figures/{p.name}" for p in (folder / "figures").iterdir())


def test_a_folder_with_scores_only_gets_the_quadrant_map(paper_run, tmp_path):
    shutil.copy(paper_run / "scores.csv", tmp_path)
    written = draw_figures(tmp_path, {"capability": {"threshold": 0.5}, "dynamism": {"threshold": 0.5}})
    assert written == ["figures/quadrant_map.png", "figures/quadrant_map.pdf"]
