"""The exact law of dynamism under the ``technologies`` scheme.

When the normalisers are re-estimated on each resample, a technology's dynamism depends on
the resample only through the smallest and largest raw dynamism drawn. For a resample of n
draws with replacement from m technologies whose raw scores take the distinct values
``v_1 < ... < v_K`` with shares ``q_k`` (the share of technologies at ``v_k``), the chance
that every draw lies in ``[v_i, v_j]`` is ``F(i, j) = (q_i + ... + q_j)^n``, and by
inclusion-exclusion

    P(min = v_i, max = v_j) = F(i, j) - F(i + 1, j) - F(i, j - 1) + F(i + 1, j - 1)

(``F = 0`` for an empty range). Summing it over the (min, max) cells where a technology's
dynamism is strong gives that probability exactly, with no Monte Carlo error; the cells
where its side differs from the base model's are the *event* that moves it, which several
technologies may share.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.scoring import minmax


@dataclass(frozen=True)
class ExtremesLaw:
    """The joint law of a resample's smallest and largest raw dynamism.

    ``values`` are the K distinct raw scores, ascending; ``probability[i, j]`` is
    ``P(min = values[i], max = values[j])`` (0 below the diagonal).
    """

    values: np.ndarray
    probability: np.ndarray

    @classmethod
    def of(cls, raw: np.ndarray, draws: int | None = None) -> "ExtremesLaw":
        """The law for resamples of ``draws`` (default: as many as there are technologies)."""
        raw = np.asarray(raw, dtype=float)
        draws = len(raw) if draws is None else draws
        values, counts = np.unique(raw, return_counts=True)
        cumulative = np.concatenate([[0.0], np.cumsum(counts / len(raw))])

        def inside(low, high):  # F over index arrays; 0 where the range is empty
            share = cumulative[high + 1] - cumulative[low]
            return np.where(low <= high, np.clip(share, 0.0, 1.0) ** draws, 0.0)

        i, j = np.meshgrid(np.arange(len(values)), np.arange(len(values)), indexing="ij")
        probability = inside(i, j) - inside(i + 1, j) - inside(i, j - 1) + inside(i + 1, j - 1)
        probability = np.where(i <= j, np.maximum(probability, 0.0), 0.0)
        return cls(values=values, probability=probability)

    def dynamism(self, raw: np.ndarray, with_self: bool) -> np.ndarray:
        """Dynamism ``(m, K, K)`` of each technology for each (min, max) cell.

        The same operations as the engine: ``(raw - low) / (high - low)``, 0 for a zero range;
        ``with_self`` widens the range to include the technology's own raw score.
        """
        raw = np.asarray(raw, dtype=float)[:, None, None]
        low = np.broadcast_to(self.values[:, None], self.probability.shape)[None]
        high = np.broadcast_to(self.values[None, :], self.probability.shape)[None]
        if with_self:
            low, high = np.minimum(low, raw), np.maximum(high, raw)
        return minmax(raw, low, high)

    def strong(self, raw: np.ndarray, threshold: float, with_self: bool) -> np.ndarray:
        """``(m, K, K)``: is each technology's dynamism strong in each cell?"""
        return self.dynamism(raw, with_self) >= threshold

    def probability_strong(self, raw: np.ndarray, threshold: float, with_self: bool) -> np.ndarray:
        """The exact probability ``(m,)`` that each technology's dynamism is strong."""
        return (self.strong(raw, threshold, with_self) * self.probability).sum(axis=(1, 2))

    def flip_cells(self, raw: np.ndarray, threshold: float, with_self: bool, base_strong: np.ndarray) -> np.ndarray:
        """``(m, K, K)``: the possible cells where each technology's dynamism side differs from the base.

        The diagonal (a resample whose raw scores are all equal: degenerate, scored 0 by the
        zero-range convention) is left out of the events; it stays in the exact probabilities.
        """
        proper = (self.probability > 0) & ~np.eye(len(self.values), dtype=bool)
        return (self.strong(raw, threshold, with_self) != np.asarray(base_strong)[:, None, None]) & proper

    def describe(self, cells: np.ndarray, raw: float, base_strong: bool, threshold: float, names_at) -> str:
        """The event ``cells`` ``(K, K)`` of one technology (raw score ``raw``) in words.

        Dynamism is strong when ``raw >= a + threshold (b - a)`` for the smallest ``a`` and the
        largest ``b`` raw dynamism of the resample; the side changes where that inequality turns. When every such cell needs
        the overall largest (or smallest) value to be missing, that is said with the names of
        the technologies holding it (``names_at(value)``).
        """
        if not cells.any():
            return ""
        turn = ">" if base_strong else "<="
        words = (f"a + {threshold:g} (b - a) {turn} {raw:g} for the smallest a and largest b raw dynamism "
                 f"of the resample")
        k = len(self.values)
        lows, highs = np.nonzero(cells)
        needs = []
        if (highs < k - 1).all():
            needs.append(f"{names_at(self.values[-1])} ({self.values[-1]:g}) not drawn")
        if (lows > 0).all():
            needs.append(f"{names_at(self.values[0])} ({self.values[0]:g}) not drawn")
        return words + ("; only with " + " and ".join(needs) if needs else "")


def event_groups(cells: np.ndarray) -> np.ndarray:
    """``(m,)`` group numbers: technologies with the same non-empty flip event share one (1, 2, ...; 0: none)."""
    groups, seen = np.zeros(len(cells), dtype=int), {}
    for i, event in enumerate(cells):
        if event.any():
            groups[i] = seen.setdefault(event.tobytes(), len(seen) + 1)
    return groups
