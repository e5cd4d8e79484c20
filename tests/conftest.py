"""Fixtures: the paper's table, a small user study in a temporary folder, the three joblib backends;
the number of test workers."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest

import robust
from tests.helpers import USER_CONFIG, random_frame, write_config

MAX_TEST_WORKERS = 4  # each test may start two workers of its own


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one test worker per core this process may use (its CPU affinity and a cgroup
    CPU quota, as in a container), at most :data:`MAX_TEST_WORKERS`."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            cores = min(cores, max(1, math.floor(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, min(cores, MAX_TEST_WORKERS))


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
