"""Result folders are byte-identical for any number of workers and any backend."""

import json
from pathlib import Path

import pytest

from robust.cli import main
from tests.conftest import USER_CONFIG

ANALYSES = """
[weighting]
methods = ["critic", "equal"]

[bootstrap]
replicates = 3000
schemes = ["technologies", "noise", "jackknife", "drop_indicator"]
chunk_size = 1024
"""


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "manifest.json"}


@pytest.fixture
def study(user_study):
    user_study.write_text(USER_CONFIG + ANALYSES)
    return user_study


def _run(config, out, *flags):
    assert main(["run", str(config), "--out", str(out), "--seed", "3", "--quiet", *flags]) == 0
    return _files(out)


def test_jobs_and_backends_give_identical_files(study, tmp_path):
    serial = _run(study, tmp_path / "serial")
    assert {"stability.csv", "quadrant_probabilities.csv", "bootstrap_weights.csv"} <= set(serial)
    assert _run(study, tmp_path / "loky", "--jobs", "2") == serial
    assert _run(study, tmp_path / "threads", "--jobs", "2", "--backend", "threading") == serial


def test_dask_cluster_on_loopback_gives_identical_files(study, tmp_path):
    from dask.distributed import LocalCluster

    serial = _run(study, tmp_path / "serial")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster:
        remote = _run(study, tmp_path / "dask", "--backend", "dask", "--scheduler", cluster.scheduler_address)
    assert remote == serial
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert manifest["execution"]["backend"] == "dask"


def test_seed_changes_random_outputs_only(study, tmp_path):
    first = _run(study, tmp_path / "a")
    assert main(["run", str(study), "--out", str(tmp_path / "b"), "--seed", "4", "--quiet"]) == 0
    second = _files(tmp_path / "b")
    assert first["scores.csv"] == second["scores.csv"]
    assert first["weighting_comparison.csv"] == second["weighting_comparison.csv"]
    assert first["stability.csv"] != second["stability.csv"]


def test_unreachable_scheduler_is_a_clear_error(study, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("robust.parallel.SCHEDULER_TIMEOUT", "1s")
    code = main(["run", str(study), "--out", str(tmp_path / "x"), "--backend", "dask",
                 "--scheduler", "tcp://127.0.0.1:9", "--quiet"])
    assert code == 2
    assert "cannot reach the dask scheduler tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
