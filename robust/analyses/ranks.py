"""Capability ranks in the OECD/JRC form: the base rank and the rank's distribution under each uncertainty analysis.

Saisana, Saltelli & Tarantola (2005), J. R. Stat. Soc. A 168(2):307-323,
doi:10.1111/j.1467-985X.2005.00350.x: per technology the rank of its capability under the base
model (1 the highest; ties share the best rank, :func:`robust.core.composite.capability_ranks`),
and over every model evaluation of an uncertainty analysis the median rank and the 5% and 95%
rank quantiles, and the mean absolute shift from the base rank. The average over the technologies
of that shift is the *average shift in ranks* of the analysis.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from ..core.composite import capability_ranks

RANK_QUANTILES = (0.05, 0.5, 0.95)
RANK_COLUMNS = ["technology", "analysis", "evaluations", "base_rank", "median", "low", "high", "mean_shift"]


def rank_quantile(counts: np.ndarray, q: float) -> np.ndarray:
    """The ``q`` quantile of ranks 1..m from their counts ``(technologies, m)``: the smallest rank whose
    cumulative share reaches ``q`` (the inverse of the empirical distribution)."""
    cumulative = np.cumsum(counts, axis=1) / counts.sum(axis=1, keepdims=True)
    return (cumulative < q * (1 - 1e-12)).sum(axis=1) + 1


def rank_frame(technologies, base_capability, counts: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """``ranks.csv``: one row per technology and analysis (analyses in the given order), columns
    :data:`RANK_COLUMNS`; ``counts[name]`` is ``(m, m)``: how many evaluations gave technology ``i`` rank ``r + 1``."""
    base = capability_ranks(base_capability)
    ranks = np.arange(1, len(base) + 1)
    frames = []
    for name, table in counts.items():
        table = np.asarray(table, dtype=float)
        low, median, high = (rank_quantile(table, q) for q in RANK_QUANTILES)
        shift = (table * np.abs(ranks[None, :] - base[:, None])).sum(axis=1) / table.sum(axis=1)
        frames.append(pd.DataFrame({
            "technology": list(technologies), "analysis": name, "evaluations": table.sum(axis=1).astype(np.int64),
            "base_rank": base, "median": median, "low": low, "high": high, "mean_shift": shift,
        }))
    return pd.concat(frames, ignore_index=True)[RANK_COLUMNS] if frames else pd.DataFrame(columns=RANK_COLUMNS)


def average_shift(ranks: pd.DataFrame) -> dict[str, float]:
    """The average shift in ranks of each analysis of a ``ranks.csv`` table."""
    return {name: float(rows["mean_shift"].mean()) for name, rows in ranks.groupby("analysis", sort=False)}
