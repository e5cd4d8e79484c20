"""The fewest single new-code edits that move a technology's dynamism across its threshold.

An edit adds or removes one new IPC code at one character position p: the number of new
codes first new at p, ``d_p``, changes by one, so every cumulative count from p on changes by
one (:mod:`robust.core.ipc`; the structure of the counts is kept: ``d >= 0`` and the last
count at most ``top_k``). A code first new at p adds ``A_p = a_p + ... + a_P`` to the raw
score. Only the edited technology's raw score changes; dynamism is min-max scaled over all
technologies again, so an edit that makes it the new extreme moves the scale too. Dynamism
never decreases with the raw score, so the search by the number of edits is exhaustive and
returns the first (smallest) number that flips the side, and one such set of edits. The
search stops before a size with more than :data:`MAX_EDIT_VECTORS` candidate edit sets (many
IPC positions): beyond it the result is "no tipping edit within the search".
"""

from __future__ import annotations

import functools
import itertools
from math import comb

import numpy as np

from ...core.ipc import new_codes
from ...core.scoring import minmax

MAX_EDIT_VECTORS = 500_000


def edit_count(positions: int, size: int) -> int:
    """How many integer vectors of ``positions`` entries have absolute values summing to ``size``."""
    return sum(comb(positions, s) * comb(size - 1, s - 1) * 2 ** s for s in range(1, min(positions, size) + 1))


@functools.lru_cache(maxsize=64)
def edit_vectors(positions: int, size: int) -> np.ndarray:
    """Every integer vector of ``positions`` entries whose absolute values sum to ``size``: ``(n, positions)``."""
    vectors = []
    for parts in itertools.combinations_with_replacement(range(positions), size):
        counts = np.bincount(parts, minlength=positions)
        support = np.flatnonzero(counts)
        for signs in itertools.product((1, -1), repeat=len(support)):
            vector = np.zeros(positions, dtype=int)
            vector[support] = counts[support] * np.array(signs)
            vectors.append(vector)
    return np.array(vectors)


def describe_edits(vector: np.ndarray) -> str:
    """``+1 at position 1`` style words: "one more new IPC code at position 4", ..."""
    words = []
    for position in np.flatnonzero(vector):
        n = int(vector[position])
        amount = {1: "one", 2: "two", 3: "three"}.get(abs(n), str(abs(n)))
        noun = "code" if abs(n) == 1 else "codes"
        words.append(f"{amount} {'more' if n > 0 else 'fewer'} new IPC {noun} at position {position + 1}")
    return " and ".join(words)


def fewest_edits(counts: np.ndarray, row: int, amplitudes: np.ndarray, threshold: float, top_k: int,
                 max_edits: int = 12) -> tuple[int | None, np.ndarray | None]:
    """The fewest edits of technology ``row``'s counts that flip its dynamism side, and the edits.

    ``counts`` ``(m, p)`` are the cumulative counts of every technology. Among the flipping
    sets of that size the one that changes the raw score least is returned. Returns
    ``(None, None)`` when no set of up to ``max_edits`` edits flips it.
    """
    counts = np.asarray(counts, dtype=float)
    amplitudes = np.asarray(amplitudes, dtype=float)
    per_code = np.cumsum(amplitudes[::-1])[::-1]          # A_p
    codes = new_codes(counts[row])
    raw = counts @ amplitudes
    others = np.delete(raw, row)

    def strong(own):
        return minmax(own, np.minimum(others.min(), own), np.maximum(others.max(), own)) >= threshold

    base = bool(strong(np.array(raw[row])))
    for size in range(1, max_edits + 1):
        if edit_count(len(codes), size) > MAX_EDIT_VECTORS:
            break
        vectors = edit_vectors(len(codes), size)
        edited = codes + vectors
        feasible = (edited.min(axis=1) >= 0) & (edited.sum(axis=1) <= top_k)
        change = vectors @ per_code
        flips = feasible & (strong(raw[row] + change) != base)
        if flips.any():
            candidates = np.flatnonzero(flips)
            return size, vectors[candidates[np.argmin(np.abs(change[candidates]))]]
    return None, None
