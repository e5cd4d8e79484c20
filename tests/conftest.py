"""Fixtures: the paper's table, a small user study in a temporary folder, the three joblib backends."""

from __future__ import annotations

import numpy as np
import pytest

import robust
from tests.helpers import USER_CONFIG, random_frame, write_config


@pytest.fixture(scope="session")
def paper_table():
    return robust.load_paper2023()


@pytest.fixture
def user_study(tmp_path):
    """A valid user table and config in a temporary folder; returns the config path."""
    frame = random_frame(np.random.default_rng(7))
    frame.to_csv(tmp_path / "table.csv", index=False)
    return write_config(tmp_path, USER_CONFIG)


@pytest.fixture(params=["loky", "threading", "dask"])
def parallel_execution(request):
    """Two workers on each joblib backend (dask: a local cluster on loopback)."""
    return robust.Execution(n_jobs=2, backend=request.param)


@pytest.fixture(scope="session")
def paper_run(tmp_path_factory):
    """A finished result folder of a small analysis of the paper (seed 1); do not modify it."""
    from robust.app.config import load_config
    from robust.app.experiment import run_experiment
    from tests.helpers import SMALL_PAPER

    folder = tmp_path_factory.mktemp("paper")
    config = write_config(folder, SMALL_PAPER, "paper_small.toml")
    run_experiment(load_config(config), out=folder / "out", seed=1)
    return folder / "out"
