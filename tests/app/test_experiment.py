"""Running an experiment: the same files for any workers and backend, staged folders, reruns, redrawing."""

import json
import shutil

import pytest

from robust import Execution
from robust.app.config import load_config
from robust.app.experiment import compute_tables, prepare, redraw, run_experiment
from tests.helpers import USER_CONFIG, folder_files

ANALYSES = """
[weighting]
methods = ["critic", "equal"]

[bootstrap]
replicates = 3000
schemes = ["technologies", "noise", "jackknife", "drop_indicator"]
chunk_size = 1024

[sobol]
n = 64
scrambles = 2
[sobol.factors]
weights = 0.2
capability_threshold = [0.45, 0.55]
"""
pytestmark = pytest.mark.filterwarnings("ignore:sobol. 1 output:robust.core.errors.DegenerateWarning")


FEW_FIGURES = """
[bootstrap]
replicates = 2048
schemes = ["noise"]
"""


@pytest.fixture
def study(user_study):
    user_study.write_text(USER_CONFIG + ANALYSES)
    return load_config(user_study).with_seed(3)


@pytest.fixture
def small_study(user_study):
    """A study whose folder has few figures (drawing dominates a run's time)."""
    user_study.write_text(USER_CONFIG + FEW_FIGURES)
    return load_config(user_study).with_seed(3)


def tables(config, folder, execution=Execution()):
    folder.mkdir()
    compute_tables(config, prepare(config), folder, execution)
    return folder_files(folder)


def test_every_table_is_byte_identical_for_any_workers_and_backend(study, tmp_path, parallel_execution):
    serial = tables(study, tmp_path / "serial")
    assert {"stability.csv", "weighting_comparison.csv", "sobol.csv"} <= set(serial)
    assert tables(study, tmp_path / "parallel", parallel_execution) == serial


def test_the_whole_folder_is_byte_identical_with_two_workers(small_study, tmp_path):
    run_experiment(small_study, out_dir=tmp_path / "serial")
    run_experiment(small_study, out_dir=tmp_path / "loky", n_jobs=2)
    serial = folder_files(tmp_path / "serial")
    assert "figures/quadrant_map.png" in serial and "report.html" in serial
    assert folder_files(tmp_path / "loky") == serial


def test_the_seed_changes_random_outputs_only(study, tmp_path):
    first = tables(study, tmp_path / "a")
    second = tables(study.with_seed(4), tmp_path / "b")
    assert first["scores.csv"] == second["scores.csv"]
    assert first["weighting_comparison.csv"] == second["weighting_comparison.csv"]
    assert first["stability.csv"] != second["stability.csv"] and first["sobol.csv"] != second["sobol.csv"]


def test_a_rerun_keeps_an_intact_folder_of_the_same_results_and_replaces_a_changed_one(small_study, tmp_path):
    study = small_study
    out = tmp_path / "out"
    first = run_experiment(study, out_dir=out)
    written = folder_files(out, manifest=True)
    again = run_experiment(study, out_dir=out, n_jobs=2)
    assert again.kept and not first.kept and folder_files(out, manifest=True) == written
    assert sorted(again.files) == sorted(written)
    lines = (out / "scores.csv").read_text().splitlines()
    (out / "scores.csv").write_text("\n".join([lines[0], lines[1].replace(",", ",banana", 1), *lines[2:]]) + "\n")
    replaced = run_experiment(study, out_dir=out)
    assert not replaced.kept and "banana" not in (out / "scores.csv").read_text()
    other_seed = run_experiment(study.with_seed(9), out_dir=out)
    assert not other_seed.kept and json.loads((out / "manifest.json").read_text())["seed_entropy"] == 9


def test_redraw_writes_identical_figures_from_the_tables(paper_run, tmp_path):
    paper_run = shutil.copytree(paper_run, tmp_path / "copy")
    before = {p.name: p.read_bytes() for p in (paper_run / "figures").iterdir()}
    report = (paper_run / "report.md").read_bytes()
    assert len(redraw(paper_run)) == len(before) + 3  # the figures, report.md, report.html, verdict_sensitivity.csv
    after = {p.name: p.read_bytes() for p in (paper_run / "figures").iterdir()}
    assert after == before and (paper_run / "report.md").read_bytes() == report
    manifest = json.loads((paper_run / "manifest.json").read_text())
    assert "redrawn_with" in manifest
