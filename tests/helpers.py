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


def replace_once(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` (which must be in it) replaced by ``new``."""
    assert old in text
    return text.replace(old, new)


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


# Patent records small enough to compute by hand (tests/records); see test_engine.py for the sums.
RECORDS_CSV = """tech,id,family,filed,published,country,ipc,cited,claims,pct
A,P01,F1,2003-05-01,2004-01-01,CN,H01L 21/00,4,10,PCT/CN1
A,P02,F1,2004-01-01,2005-01-01,US,H01L 21/00,2,20,
A,P03,F2,2005-01-01,2006-01-01,CN,H01M 4/00,0,5,
A,P04,F3,2012-01-01,2021-06-01,US,G06F 3/00,5,7,
A,P06,F4,2013-02-02,2014-06-01,JP,G06F 17/00,1,12,
A,P05,F4,2013-02-02,2014-01-01,JP,g06f17/00,3,12,1
A,P07,,1999,2000-01-01,CN,H02J 7/00,6,8,
A,P08,F5,2015-01-01,2016-01-01, cn,H02J 3/00,2,9,true
A,P09,F6,2006-01-01,2007-01-01,US,H01L 5/00,0,6,
A,P10,F6,2007-06-01,2008-01-01,US,H01L 5/00,1,6,0
B,P11,G1,2002-01-01,2003-01-01,CN,A61K 31/00,1,3,
B,P12,G2,2016-01-01,2017-01-01,US,C07D 1/00,2,4,
B,P13,G3,2017-01-01,2018-01-01,CN,C07K 2/00,3,5,WO
C,P21,H1,2001,2002-01-01,CN,B01D 1/00,1,1,
C,P22,H2,2020-12-31,2021-05-31,DE,B01D 2/00,1,1,PCT/DE
"""

RECORDS_SECTION = """
[records]
path = "records.csv"
technology = "tech"
patent = "id"
family = "family"
filed = "filed"
published = "published"
country = "country"
ipc = "ipc"
citations = "cited"
claims = "claims"
pct = "pct"
published_before = "2021-06-01"
windows = [[2001, 2010], [2011, 2021]]
"""

RECORDS_CONFIG = RECORDS_SECTION + """
[capability]
indicators = ["app_share", "cite_share", "claim_share", "pct_share"]

[dynamism]
ipc_changes = ["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]

[bootstrap]
replicates = 1024
schemes = ["technologies", "noise"]
"""


def records_columns():
    from robust.records.spec import RecordColumns

    return RecordColumns(technology="tech", patent="id", family="family", filed="filed", published="published",
                         country="country", ipc="ipc", citations="cited", claims="claims", pct="pct")


def records_spec(**changes):
    import datetime

    from robust.records.spec import RecordsSpec

    settings = {"windows": ((2001, 2010), (2011, 2021)), "published_before": datetime.date(2021, 6, 1)}
    return RecordsSpec(**(settings | changes))


def write_records(folder: Path, text: str = RECORDS_CSV, name: str = "records.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
def error_line(stderr: str) -> str:
    """The one ``robust: error:`` line of a command's stderr (asserting there is one and no traceback)."""
    errors = [line for line in stderr.splitlines() if line.startswith("robust: error:")]
    assert len(errors) == 1 and "Traceback" not in stderr, stderr
    return errors[0]


def hidden_entries(folder: Path) -> list[str]:
    """Hidden entries of a folder (staging folders left behind would be these)."""
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("."))
