"""The paper's data and model: Yu, Wang, Zhao & Bai (2023), see ``data/PROVENANCE.md``.

``paper2023.csv`` is Table 2 (the inputs); ``paper2023_published.csv`` holds Table 3 and
the quadrants of section 3 / Figure 3 (the published outputs, used only to check that
the scorer reproduces them). The facts of the paper's model (its indicators, amplitudes,
thresholds and printed weights) are here, once.
"""

from __future__ import annotations

import re

import pandas as pd

from ..core.table import IndicatorTable
from ..io.tables import read_table
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

_TERM = re.compile(r"\s*(\d+)\s*[×xX*]\s*(\d+)\s*")


def is_paper_model(config: dict) -> bool:
    """Whether a resolved config is the packaged paper data under the paper's own model."""
    capability, dynamism = config["capability"], config["dynamism"]
    return (
        config["data"]["path"] == PAPER_TABLE
        and capability["weighting"] == PAPER_WEIGHTING and capability["normalize"] == PAPER_NORMALIZE
        and capability.get("aggregation", PAPER_AGGREGATION) == PAPER_AGGREGATION
        and capability["threshold"] == PAPER_THRESHOLD and dynamism.get("threshold") == PAPER_THRESHOLD
        and dynamism.get("amplitudes") in (None, list(PAPER_AMPLITUDES))
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
