"""The paper's data and model: Yu, Wang, Zhao & Bai (2023), see ``data/PROVENANCE.md``.

``paper2023.csv`` is Table 2 (the inputs); ``paper2023_published.csv`` holds Table 3 and
the quadrants of section 3 / Figure 3 (the published outputs, used only to check that
the scorer reproduces them). The facts of the paper's model (its indicators, amplitudes,
thresholds and printed weights) are here, once.
"""

from __future__ import annotations

import datetime
import re

import pandas as pd

from ..core.table import IndicatorTable
from ..io.tables import read_table
from ..records.spec import RecordsSpec
from .builtin import builtin_path, data_path

PAPER_DOI = "10.16418/j.issn.1000-3045.20221020003"
PAPER_TABLE = "builtin:paper2023"
PAPER_INDICATORS: tuple[str, ...] = ("app_share", "cite_share", "claim_share", "pct_share")
PAPER_IPC_CHANGES: tuple[str, ...] = ("ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4")
PAPER_AMPLITUDES: tuple[float, ...] = (4.0, 3.0, 2.0, 1.0)
PAPER_THRESHOLD = 0.5  # both axes
PAPER_WEIGHTING = "entropy"
PAPER_NORMALIZE = "none"
PAPER_AGGREGATION = "linear"
PAPER_PRINTED_WEIGHTS: tuple[float, ...] = (0.25, 0.23, 0.22, 0.30)

# How the paper built Table 2 from its patents (section 2.2 and Appendix 1)
PAPER_FOCAL_COUNTRY = "CN"                              # 中国值与全球值之比
PAPER_PUBLISHED_BEFORE = datetime.date(2021, 6, 1)      # 公告日 2021 年 6 月 1 日以前
PAPER_MIN_CITATIONS = 1                                 # 被引次数大于等于 1
PAPER_MERGE_FAMILIES = True                             # 简单同族专利合并
PAPER_WINDOWS: tuple[tuple[int, int], ...] = ((2001, 2010), (2011, 2021))   # 2001—2010 年和 2011—2021 年
PAPER_TOP_K = 20                                        # 选取排名前 20 的 IPC 分类号
PAPER_RECORDS_SPEC = RecordsSpec(
    windows=PAPER_WINDOWS, focal_country=PAPER_FOCAL_COUNTRY, published_before=PAPER_PUBLISHED_BEFORE,
    min_citations=PAPER_MIN_CITATIONS, merge_families=PAPER_MERGE_FAMILIES, top_k=PAPER_TOP_K,
    ipc_counting="cumulative",  # Table 2 cannot tell cumulative from distinct (see robust.records.ipc)
)
PAPER_RECORDS = "builtin:paper2023_records"             # SYNTHETIC records calibrated to Table 2

_TERM = re.compile(r"\s*(\d+)\s*[×xX*]\s*(\d+)\s*")


def is_paper_records(config: dict) -> bool:
    """Whether a resolved config derives its table from the synthetic paper records, the paper's way."""
    records = config.get("records")
    return (records is not None and records["path"] == PAPER_RECORDS
            and {key: records[key] for key in PAPER_RECORDS_SPEC.resolved()} == PAPER_RECORDS_SPEC.resolved())


def is_paper_model(config: dict) -> bool:
    """Whether a resolved config is the paper's data under the paper's own model.

    The paper's data: the packaged Table 2, or the synthetic records derived the paper's way
    (which give Table 2 exactly).
    """
    capability, dynamism = config["capability"], config["dynamism"]
    return (
        (config.get("data", {}).get("path") == PAPER_TABLE or is_paper_records(config))
        and capability["weighting"] == PAPER_WEIGHTING and capability["normalize"] == PAPER_NORMALIZE
        and capability.get("aggregation", PAPER_AGGREGATION) == PAPER_AGGREGATION
        and capability["threshold"] == PAPER_THRESHOLD and dynamism.get("threshold") == PAPER_THRESHOLD
        and dynamism.get("amplitudes") in (None, list(PAPER_AMPLITUDES)) and "ipc_lists" not in dynamism
        and capability["indicators"] == list(PAPER_INDICATORS)
    )


def parse_ipc_terms(terms: str, amplitudes=PAPER_AMPLITUDES) -> tuple[int, ...]:
    """IPC change counts by character position from Table 2's ``"a×f"`` notation.

    Each term ``a×f`` is f new codes at the position whose amplitude is a; ``"0"`` is no
    change. Raises ValueError for a malformed term, an unknown amplitude or a repeated one.

    Examples
    --------
    >>> parse_ipc_terms("3×1+2×3+1×4")
    (0, 1, 3, 4)
    >>> parse_ipc_terms("0")
    (0, 0, 0, 0)
    """
    counts = [0] * len(amplitudes)
    if terms.strip() == "0":
        return tuple(counts)
    seen = set()
    for term in terms.split("+"):
        match = _TERM.fullmatch(term)
        if not match:
            raise ValueError(f"malformed IPC term {term!r} in {terms!r}")
        amplitude, frequency = int(match.group(1)), int(match.group(2))
        if amplitude not in amplitudes or amplitude in seen:
            raise ValueError(f"unexpected or repeated amplitude {amplitude} in {terms!r}")
        seen.add(amplitude)
        counts[list(amplitudes).index(amplitude)] = frequency
    return tuple(counts)


def load_paper2023() -> IndicatorTable:
    """Table 2 of the paper as an :class:`IndicatorTable` (ids are the English names).

    Examples
    --------
    >>> table = load_paper2023()
    >>> table.n_technologies, table.indicators[0]
    (20, 'app_share')
    """
    return read_table(
        builtin_path("paper2023"),
        id_column="name_en",
        indicators=PAPER_INDICATORS,
        ipc_changes=PAPER_IPC_CHANGES,
        source="builtin:paper2023",
    )


def load_paper2023_published() -> pd.DataFrame:
    """Table 3 (capability, dynamism) and the section-3 quadrant of each technology."""
    published = pd.read_csv(data_path("paper2023_published.csv"), dtype={"quadrant": str})
    names = pd.read_csv(builtin_path("paper2023"), usecols=["id", "name_en"])
    return names.merge(published, on="id", validate="one_to_one")
