"""The structure of IPC change counts: cumulative counts and the new codes behind them.

The paper's Table 2 prints, per technology and character position p = 1..P, how many of
the later window's top-K main IPC subclasses are new at position p. Those counts are
*cumulative* (``../shared/docs/method.md``): a new code whose prefix first becomes new at
position p counts at p and at every later position, so ``f_1 <= f_2 <= ... <= f_P <= K``
(in all 20 rows of Table 2, and the common-rail's 3 + 9 + 10 = 22 exceeds the 20 slots of
a top-20 list, which a first-difference count could not).

The number of new codes whose prefix first becomes new at position p is
``d_p = f_p - f_(p-1) >= 0`` (with ``f_0 = 0``); any perturbation of the counts works on
``d`` and re-cumulates, so the structure is kept.
"""

from __future__ import annotations

import numpy as np

DEFAULT_TOP_K = 20  # the length of each window's list of top main IPC subclasses (the paper's)


def new_codes(counts: np.ndarray) -> np.ndarray:
    """``d_p = f_p - f_(p-1)``, with ``f_0 = 0``, along the last axis (positions)."""
    counts = np.asarray(counts, dtype=float)
    return np.diff(counts, axis=-1, prepend=0.0)


def cumulated(codes: np.ndarray, top_k: int | None = None) -> np.ndarray:
    """Cumulative counts ``f_p = d_1 + ... + d_p``, capped at ``top_k`` (the list length) when given."""
    counts = np.cumsum(codes, axis=-1)
    return counts if top_k is None else np.minimum(counts, top_k)


def first_non_cumulative(counts: np.ndarray, top_k: int | None = None) -> tuple[int, int] | None:
    """``(row, position)`` of the first count that breaks the cumulative structure, or None.

    A count breaks it when it is below the count at the position before (``d_p < 0``), or
    above ``top_k``.
    """
    counts = np.asarray(counts, dtype=float)
    broken = new_codes(counts) < 0
    if top_k is not None:
        broken |= counts > top_k
    if not broken.any():
        return None
    row, position = np.argwhere(broken)[0]
    return int(row), int(position)
