"""Running an experiment: the same files for any workers and backend, staged folders, reruns, redrawing."""

import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from robust import Execution, InputError
from robust.app.config import load_config
from robust.app.experiment import compute_tables, figure_runner, prepare, run_experiment
from tests.helpers import (
    USER_CONFIG,
    folder_files,
    hidden_entries,
    random_frame,
    write_config,
)

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
outputs = ["retained", "in_assault", "rank", "rank_shift"]
[sobol.factors]
weights = 0.2
capability_threshold = [0.45, 0.55]

[filtering]
n = 512
resamples = 20

[morris]
trajectories = 4
"""
pytestmark = pytest.mark.filterwarnings("ignore:sobol. [0-9]+ output:robust.core.errors.DegenerateWarning")


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
    assert {"stability.csv", "weighting_comparison.csv", "sobol.csv", "filtering.csv", "rules.csv", "morris.csv",
            "ranks.csv"} <= set(serial)
    assert tables(study, tmp_path / "parallel", parallel_execution) == serial


def test_a_dask_run_draws_its_figures_on_local_workers():
    """Dask workers elsewhere cannot see the staging folder: figures go to local ones (this scheduler
    does not exist, so reaching it would fail)."""
    draw = figure_runner(Execution(n_jobs=2, backend="dask", scheduler="tcp://127.0.0.1:9"))
    assert list(draw(abs, [-3, 2, -1])) == [3, 2, 1]


def test_the_whole_folder_is_byte_identical_with_two_workers(small_study, tmp_path):
    run_experiment(small_study, out=tmp_path / "serial")
    run_experiment(small_study, out=tmp_path / "loky", n_jobs=2)
    serial = folder_files(tmp_path / "serial")
    assert "figures/quadrant_map.png" in serial and "report.html" in serial
    assert folder_files(tmp_path / "loky") == serial


def test_the_seed_changes_random_outputs_only(study, tmp_path):
    first = tables(study, tmp_path / "a")
    second = tables(study.with_seed(4), tmp_path / "b")
    assert first["scores.csv"] == second["scores.csv"]
    assert first["weighting_comparison.csv"] == second["weighting_comparison.csv"]
    assert first["stability.csv"] != second["stability.csv"] and first["sobol.csv"] != second["sobol.csv"]
    assert first["filtering.csv"] != second["filtering.csv"] and first["morris.csv"] != second["morris.csv"]


def test_a_rerun_keeps_an_intact_folder_of_the_same_results_and_replaces_a_changed_one(small_study, tmp_path):
    study = small_study
    out = tmp_path / "out"
    first = run_experiment(study, out=out, figures=False)  # the figures are redrawn from the tables (their tests)
    written = folder_files(out, manifest=True)
    again = run_experiment(study, out=out, n_jobs=2, figures=False)
    assert again.kept and not first.kept and folder_files(out, manifest=True) == written
    assert sorted(again.files) == sorted(written)
    lines = (out / "scores.csv").read_text().splitlines()
    (out / "scores.csv").write_text("\n".join([lines[0], lines[1].replace(",", ",banana", 1), *lines[2:]]) + "\n")
    replaced = run_experiment(study, out=out, figures=False)
    assert not replaced.kept and "banana" not in (out / "scores.csv").read_text()
    other_seed = run_experiment(study.with_seed(9), out=out, figures=False)
    assert not other_seed.kept and json.loads((out / "manifest.json").read_text())["seed_entropy"] == 9
    assert run_experiment(study.with_seed(9), out=out, figures=False).kept
    with_figures = run_experiment(study.with_seed(9), out=out)  # the figures were not drawn: run again
    assert not with_figures.kept and (out / "figures" / "quadrant_map.png").is_file()
    assert run_experiment(study.with_seed(9), out=out, figures=False).kept  # figures present, not asked for


@pytest.fixture(scope="module")
def earlier_run(tmp_path_factory):
    """A finished folder of the small user study (seed 1), and the study's configs without and with a
    weighting comparison (which writes tables and figures the earlier folder does not have)."""
    folder = tmp_path_factory.mktemp("earlier")
    random_frame(np.random.default_rng(7)).to_csv(folder / "table.csv", index=False)
    plain = write_config(folder, USER_CONFIG)
    weighting = write_config(folder, USER_CONFIG + '\n[weighting]\nmethods = ["equal"]\n', "weighting.toml")
    run_experiment(load_config(plain).with_seed(1), out=folder / "out")
    return folder / "out", {False: plain, True: weighting}


def _quick_figures(folder, config, run_jobs=None):
    """Stands in for the figures (same names, no drawing), so that each example takes milliseconds."""
    names = ["quadrant_map"] + (["weighting_heatmap", "weighting_dots"]
                                if (folder / "weighting_comparison.csv").exists() else [])
    (folder / "figures").mkdir()
    for name in names:
        for suffix in (".png", ".pdf"):
            (folder / "figures" / f"{name}{suffix}").write_bytes(b"figure")
    return [f"figures/{name}{suffix}" for name in names for suffix in (".png", ".pdf")]


def _quick_report(folder, manifest):
    for name in ("report.md", "report.html"):
        (folder / name).write_text("report")
    return ["report.md", "report.html"]


NAMES = st.sampled_from(["notes.md", "scores.csv", "weights.csv", "figures", "quadrant_map.png", "report.md",
                         "weighting_pairs.csv", "weighting_heatmap.png", "data", ".hidden", "manifest.json"])


@settings(max_examples=40, deadline=None)
@given(paths=st.lists(st.lists(NAMES, min_size=1, max_size=3).map("/".join), min_size=1, max_size=6, unique=True),
       seed=st.sampled_from([1, 2]), weighting=st.booleans())
def test_a_run_into_an_existing_folder_never_deletes_a_file_it_did_not_write(earlier_run, paths, seed, weighting):
    folder, configs = earlier_run
    listed = set(json.loads((folder / "manifest.json").read_text())["outputs"]) | {"manifest.json"}
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(shutil.copytree(folder, Path(scratch) / "out"))
        theirs = {}
        for number, path in enumerate(paths):
            target = out / path
            if path in listed or target.exists() or any(parent.is_file() for parent in target.parents):
                continue  # robust's own file, or a place where no file can be
            target.parent.mkdir(parents=True, exist_ok=True)
            theirs[path] = f"the user's file {number}".encode()
            target.write_bytes(theirs[path])
        before = folder_files(out, manifest=True)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("robust.app.experiment.draw_figures", _quick_figures)
            patch.setattr("robust.app.experiment.write_report", _quick_report)
            try:
                summary = run_experiment(load_config(configs[weighting]).with_seed(seed), out=out)
            except InputError as error:  # a file of the user's is where the new folder writes
                assert "that robust did not write are where this run writes its own" in str(error)
                assert folder_files(out, manifest=True) == before
                summary = None
        event("refused" if summary is None else "kept" if summary.kept else "replaced")
        assert {path: (out / path).read_bytes() for path in theirs} == theirs
        if summary is not None:
            assert not set(theirs) & set(summary.files)
        assert hidden_entries(Path(scratch)) == []


def test_run_experiment_takes_a_config_path_and_returns_what_it_ran(user_study, tmp_path):
    summary = run_experiment(user_study, out=tmp_path / "o", seed=3)
    assert summary.out_dir == tmp_path / "o" and summary.seed == 3 and not summary.kept
    assert summary.report == (tmp_path / "o" / "report.html").resolve() and summary.report.is_file()
    assert summary.scores.technologies == tuple(f"T{i:03d}" for i in range(8))
    assert repr(summary).startswith(f"<RunSummary: wrote {(tmp_path / 'o').resolve()} (")
    assert summary.to_frame()["technology"].tolist() == list(summary.scores.technologies)
    assert "<table" in summary._repr_html_()
