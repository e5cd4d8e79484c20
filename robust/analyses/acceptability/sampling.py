"""Weights drawn from a prior on the simplex, under ordinal constraints when asked.

``"uniform"``
    Dirichlet(1, ..., 1): every weight vector equally likely.
a number ``kappa``
    Dirichlet(kappa * base weights): centred on the base model's weights, tighter as kappa
    grows (an indicator with base weight 0 keeps weight 0).

Ordinal constraints (``order``) are either a ranking (indicators from most to least
important: each at least as heavy as the next) or explicit pairs ``[a, ">=", b]``. A full
ranking under the uniform prior is sampled exactly by sorting each draw (the ordered region
is one of the k! equal pieces of the simplex); every other case by rejection, which is exact
too: draws that break a constraint are dropped, and a prior that keeps fewer than
:data:`MIN_ACCEPTANCE` of its draws is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.errors import SpecError

MIN_ACCEPTANCE = 1e-3


@dataclass(frozen=True)
class WeightPrior:
    """A prior over the weights of k indicators: ``concentration`` (k,), or None for uniform;
    constraints as index pairs ``(heavier, lighter)``; ``ranking`` (all k indices) when the
    constraints are a full ranking."""

    k: int
    concentration: np.ndarray | None = None
    pairs: tuple[tuple[int, int], ...] = ()
    ranking: tuple[int, ...] | None = None

    @property
    def sorted_exactly(self) -> bool:
        return self.concentration is None and self.ranking is not None and len(self.ranking) == self.k

    def draw(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """``count`` weight vectors ``(count, k)`` from the prior, constraints kept."""
        if self.sorted_exactly:
            weights = np.sort(rng.dirichlet(np.ones(self.k), count), axis=1)[:, ::-1]
            placed = np.empty_like(weights)
            placed[:, list(self.ranking)] = weights
            return placed
        kept, tried = [], 0
        while sum(len(part) for part in kept) < count:
            batch = self._unconstrained(rng, max(count, 1024))
            tried += len(batch)
            ok = np.ones(len(batch), dtype=bool)
            for heavier, lighter in self.pairs:
                ok &= batch[:, heavier] >= batch[:, lighter]
            kept.append(batch[ok])
            if tried >= 20 * count and sum(len(part) for part in kept) < MIN_ACCEPTANCE * tried:
                raise SpecError(f"order: the constraints keep fewer than {MIN_ACCEPTANCE:g} of the prior's draws; "
                                "loosen them or use a ranking with the uniform prior")
        return np.concatenate(kept)[:count]

    def _unconstrained(self, rng, count):
        if self.concentration is None:
            return rng.dirichlet(np.ones(self.k), count)
        free = self.concentration > 0
        weights = np.zeros((count, self.k))
        weights[:, free] = rng.dirichlet(self.concentration[free], count)
        return weights
