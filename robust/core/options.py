"""Every option string of the model and its allowed values: one Literal type, one tuple each.

Conventions used everywhere in the package: ``score >= threshold`` is *strong*, and the
quadrant codes index :data:`QUADRANTS`:

============  ==========  =========  ==========================
capability    dynamism    code       strategy
============  ==========  =========  ==========================
strong        weak        0          assault (攻坚)
weak          weak        1          entrench (挖壕)
weak          strong      2          position (卡位)
strong        strong      3          disrupt (颠覆)
============  ==========  =========  ==========================
"""

from __future__ import annotations

from typing import Literal, get_args

Quadrant = Literal["assault", "entrench", "position", "disrupt"]
QUADRANTS: tuple[str, ...] = get_args(Quadrant)
QUADRANT_NAMES_ZH: dict[str, str] = {
    "assault": "攻坚",
    "entrench": "挖壕",
    "position": "卡位",
    "disrupt": "颠覆",
}

Normalize = Literal["none", "minmax", "zscore", "rank"]
NORMALIZE_OPTIONS: tuple[str, ...] = get_args(Normalize)

Aggregation = Literal["linear", "geometric", "mazziotta_pareto"]
AGGREGATION_OPTIONS: tuple[str, ...] = get_args(Aggregation)

WeightingMethod = Literal[
    "entropy", "entropy_sum", "critic", "critic_spearman", "equal", "std", "merec", "gini"
]
WEIGHTING_METHODS: tuple[str, ...] = get_args(WeightingMethod)

IpcCounting = Literal["cumulative", "distinct"]
IPC_COUNTING: tuple[str, ...] = get_args(IpcCounting)

RatioReading = Literal["share", "per_record"]
RATIO_READINGS: tuple[str, ...] = get_args(RatioReading)
