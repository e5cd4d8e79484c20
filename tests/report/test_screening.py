"""The report's filtering, Morris and rank blocks: each sentence read from the folder's tables."""

import json

import pandas as pd
import pytest

from robust.analyses.filtering.result import rule_sentence
from robust.app.config import load_config
from robust.app.experiment import run_experiment
from robust.report.figures import draw_figures
from tests.helpers import write_config

SCREENING = """
[data]
path = "builtin:paper2023"
id = "name_en"

[capability]
indicators = ["app_share", "cite_share", "claim_share", "pct_share"]

[dynamism]
ipc_changes = ["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]

[sobol]
n = 256
scrambles = 2
outputs = ["retained", "in_assault", "in_entrench", "in_position", "in_disrupt", "rank", "rank_shift"]

[filtering]
n = 2048
resamples = 40

[morris]
trajectories = 6
[morris.factors]
noise = 0.05
capability_threshold = [0.45, 0.55]

[figures]
formats = ["png"]
"""


@pytest.fixture(scope="module")
def screening_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screening")
    config = load_config(write_config(folder, SCREENING, "screening.toml"))
    run_experiment(config, out=folder / "out", seed=2, figures=False)  # drawn below, from the tables alone
    return folder / "out"


def read(folder, name):
    return pd.read_csv(folder / name, keep_default_na=True)


def test_the_folder_has_the_tables(screening_run):
    for name in ("filtering.csv", "pawn.csv", "rules.csv", "filtering_quadrants.csv", "morris.csv", "ranks.csv"):
        assert (screening_run / name).is_file(), name
    assert list(read(screening_run, "filtering.csv").columns)[:8] == [
        "technology", "output", "factor", "ks", "p_value", "low", "high", "estimable"]
    assert set(read(screening_run, "sobol.csv")["output"]) >= {"in_assault", "in_disrupt", "rank", "rank_shift"}
    assert list(dict.fromkeys(read(screening_run, "ranks.csv")["analysis"])) == ["sobol", "filtering"]


def test_every_technology_that_leaves_its_quadrant_is_named_with_its_rule(screening_run):
    report = (screening_run / "report.md").read_text()
    section = report.split("## Why quadrants flip", 1)[1].split("\n## ", 1)[0]
    scores = read(screening_run, "scores.csv").set_index("technology")
    quadrants = read(screening_run, "filtering_quadrants.csv")
    rules = read(screening_run, "rules.csv")
    kept = quadrants[quadrants["quadrant"] == quadrants["technology"].map(scores["quadrant"])]
    moving = list(kept.loc[kept["probability"] < 1, "technology"])
    assert moving and "chip" in moving
    for technology in scores.index:
        line = next((row for row in section.splitlines() if row.startswith(f"| {technology} |")), None)
        assert (line is not None) == (technology in moving), technology
        own = rules[rules["technology"] == technology]
        if line is not None and len(own):
            levels = {"weighting": ("entropy", "critic", "equal")}
            assert rule_sentence(scores.loc[technology, "quadrant"], own, levels) in line
    assert "keeps assault while capability_threshold <= 0.50" in section


def test_the_rank_sentence_is_the_mean_of_the_table(screening_run):
    report = (screening_run / "report.md").read_text()
    ranks = read(screening_run, "ranks.csv")
    for analysis, rows in ranks.groupby("analysis"):
        assert f"{rows['mean_shift'].mean():.3f} under `{analysis}`" in report


def test_the_morris_block_names_the_variables_without_effect(screening_run):
    report = (screening_run / "report.md").read_text()
    block = report.split("## Screening: Morris", 1)[1].split("\n## ", 1)[0]
    morris = read(screening_run, "morris.csv")
    assert f"over {morris['factor'].nunique()} input variables" in block
    varying = morris[morris["varies"]]
    largest = varying.groupby(["technology", "output"])["mu_star"].transform("max")
    negligible = (varying["mu_star"] <= 0.01 * largest).groupby(varying["factor"]).all()
    count = morris["factor"].nunique()
    assert (f"{int(negligible.sum())} of the {count} variables" if negligible.any()
            else f"every one of the {count} variables") in block


def test_the_figures_are_drawn_from_the_tables_alone(screening_run, tmp_path):
    for name in ("scores.csv", "filtering.csv", "filtering_quadrants.csv", "ranks.csv"):
        (tmp_path / name).write_bytes((screening_run / name).read_bytes())
    config = json.loads((screening_run / "manifest.json").read_text())["config"]
    written = draw_figures(tmp_path, config)
    assert {"figures/filtering_heatmap.png", "figures/rank_intervals.png"} <= set(written)


def test_morris_names_a_variable_without_effect_and_the_largest_per_output():
    from robust.report.screening import morris_blocks

    morris = pd.DataFrame({
        "technology": ["a", "a", "b", "b"], "output": "retained", "factor": ["x", "y", "x", "y"],
        "varies": True, "mu": 0.0, "mu_star": [1.0, 0.005, 2.0, 0.0], "mu_star_low": 0.0, "mu_star_high": 0.0,
        "sigma": 0.0})
    _, text, table = morris_blocks(morris, {"trajectories": 5, "levels": 4, "factors": {"noise": 0.1}})
    assert "1 of the 2 variables has an effect (mu*) of at most 1% of the largest" in text.text
    assert "(`y`)" in text.text
    assert table.frame.iloc[0].tolist() == ["retained", 2, "x (2)"]


def test_a_share_just_below_one_keeps_its_digits():
    from robust.report.screening import share_text

    assert share_text(8191 / 8192, 0.9993, 0.999978) == "0.99988 [0.99930, 0.999978]"
    assert share_text(0.5, 0.49, 0.51) == "0.500 [0.490, 0.510]"


def test_a_rule_names_the_levels_kept_when_fewer_than_those_left_out():
    rows = pd.DataFrame({"technology": "t", "factor": ["weighting=entropy", "weighting=critic", "leave_out=none"],
                         "low": 0.0, "high": 0.0, "coverage": 0.5, "density": 0.99})
    levels = {"weighting": ("entropy", "critic", "equal"), "leave_out": ("none", "a", "b")}
    assert rule_sentence("assault", rows, levels) == (
        "keeps assault while weighting is equal and leave_out is not none (no indicator left out) "
        "(density 0.990, coverage 0.500)")
    assert rule_sentence("assault", rows) == (
        "keeps assault while weighting is neither entropy nor critic and leave_out is not none (no indicator left out) "
        "(density 0.990, coverage 0.500)")
