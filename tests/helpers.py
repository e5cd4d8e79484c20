"""Helpers shared by the tests: small user tables, config files, result-folder comparisons."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from robust.io.compare import compare_tables

ROOT = Path(__file__).resolve().parents[1]
PAPER_INDICATORS = ["app_share", "cite_share", "claim_share", "pct_share"]
PAPER_IPC = ["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]


def random_frame(rng: np.random.Generator, m: int = 8, k: int = 3, p: int = 4) -> pd.DataFrame:
    """A user-style table: ids, k indicators in (0, 1), p cumulative IPC count columns (at most 20)."""
    frame = pd.DataFrame({"tech": [f"T{i:03d}" for i in range(m)]})
    for j in range(k):
        frame[f"x{j}"] = rng.uniform(0.05, 0.95, m)
    codes = rng.integers(0, 4, (m, p))
    codes[0] = 0  # dynamism varies: a technology with no new code
    codes[1, 0] = 5
    counts = np.minimum(codes.cumsum(axis=1), 20)
    for j in range(p):
        frame[f"ipc{j}"] = counts[:, j]
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

SMALL_PAPER = """
[data]
path = "builtin:paper2023"
id = "name_en"
label = "name_zh"

[capability]
indicators = ["app_share", "cite_share", "claim_share", "pct_share"]

[dynamism]
ipc_changes = ["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]

[weighting]
methods = ["critic", "equal"]

[bootstrap]
replicates = 2048

[tipping]

[acceptability]
samples = 20000

[figures]
formats = ["png"]              # PDF is tested on its own: this keeps the suite fast
"""


RUN_DATE = re.compile(rb" on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")


def folder_files(folder: Path, *, manifest: bool = False) -> dict[str, bytes]:
    """Every file of a result folder (relative path -> bytes), the manifest left out unless asked;
    the run date the report states is blanked, so two runs compare equal."""
    return {path.relative_to(folder).as_posix(): _undated(path) for path in sorted(folder.rglob("*"))
            if path.is_file() and (manifest or path.name != "manifest.json")}


def _undated(path: Path) -> bytes:
    content = path.read_bytes()
    return RUN_DATE.sub(b" on <date>", content, count=1) if path.name in ("report.md", "report.html") else content


def assert_tables_agree(fresh: Path, committed: Path) -> None:
    """Every computed table (the CSVs of ``fresh``) is in ``committed`` and agrees within the
    cross-machine tolerance (the report's own tables are derived from these, and checked apart)."""
    differences = compare_tables(fresh, committed, names=[path.name for path in Path(fresh).glob("*.csv")])
    assert not differences, f"{committed}: " + "; ".join(str(d) for d in differences)


def no_missing(frame: pd.DataFrame) -> bool:
    """No empty cell anywhere in the table."""
    return not frame.isna().any().any()


THRESHOLDS = {"capability_threshold": [0.45, 0.55], "dynamism_threshold": [0.45, 0.55]}


def quiet_sobol(table, **options):
    """sobol_analysis without the rare-event warning, which small test designs trigger as
    expected (that warning has its own test)."""
    import warnings

    from robust import DegenerateWarning, sobol_analysis

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateWarning)
        return sobol_analysis(table, **options)


def error_line(stderr: str) -> str:
    """The one ``robust: error:`` line of a command's stderr (asserting there is one and no traceback)."""
    errors = [line for line in stderr.splitlines() if line.startswith("robust: error:")]
    assert len(errors) == 1 and "Traceback" not in stderr, stderr
    return errors[0]


def hidden_entries(folder: Path) -> list[str]:
    """Hidden entries of a folder (staging folders left behind would be these)."""
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("."))
