"""Shared fixtures: the paper's table and small user tables written to a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import robust

PAPER_INDICATORS = ["app_share", "cite_share", "claim_share", "pct_share"]
PAPER_IPC = ["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]


@pytest.fixture(scope="session")
def paper_table():
    return robust.load_paper2023()


def random_frame(rng: np.random.Generator, m: int = 8, k: int = 3, p: int = 4) -> pd.DataFrame:
    """A user-style table: ids, k indicators in (0, 1), p IPC count columns."""
    frame = pd.DataFrame({"tech": [f"T{i:03d}" for i in range(m)]})
    for j in range(k):
        frame[f"x{j}"] = rng.uniform(0.05, 0.95, m)
    for j in range(p):
        frame[f"ipc{j}"] = rng.integers(0, 8, m)
    frame.loc[0, "ipc0"] = 0
    frame.loc[1, "ipc0"] = 9  # dynamism varies
    return frame


def write_config(folder: Path, body: str, name: str = "study.toml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


USER_CONFIG = """
[data]
path = "table.csv"
id = "tech"

[capability]
indicators = ["x0", "x1", "x2"]
weighting = "entropy"
normalize = "none"
threshold = 0.5

[dynamism]
ipc_changes = ["ipc0", "ipc1", "ipc2", "ipc3"]
amplitudes = [4, 3, 2, 1]
threshold = 0.5
"""


@pytest.fixture
def user_study(tmp_path):
    """A valid user table and config in a temporary folder; returns the config path."""
    frame = random_frame(np.random.default_rng(7))
    frame.to_csv(tmp_path / "table.csv", index=False)
    return write_config(tmp_path, USER_CONFIG)
