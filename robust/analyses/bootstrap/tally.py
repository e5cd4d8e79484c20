"""Accumulating replicates chunk by chunk: quadrant counts, ordered float sums, streaming histograms.

A :class:`Tally` is what one chunk of replicates leaves behind; tallies of chunks merge
into the tally of the scheme, in block order, so no result depends on the chunking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .engine import Problem, Replicates

HISTOGRAM_BINS = 1024        # bins per technology, up to HISTOGRAM_CELLS in all
HISTOGRAM_CELLS = 2**20      # bounds the histograms' memory (and transfer) for large tables
MIN_HISTOGRAM_BINS = 128
WEIGHT_BINS = 4096


def histogram_bins(n_rows: int) -> int:
    """Bins per row: :data:`HISTOGRAM_BINS`, fewer for very large tables (bounded memory)."""
    return int(min(HISTOGRAM_BINS, max(MIN_HISTOGRAM_BINS, HISTOGRAM_CELLS // n_rows)))


def histogram_range(values: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray, int]:
    """``(lower, inverse_width, bins)`` per row of ``values (n, b)``: its range padded by half."""
    low, high = values.min(axis=1), values.max(axis=1)
    span = high - low
    pad = np.where(span > 0, 0.5 * span, np.maximum(1e-6 * np.abs(low), 1e-9))
    lower = low - pad
    return lower, bins / (high + pad - lower), bins


class OrderedSums:
    """Float sums kept per stream block and added up in block order.

    Floating-point addition is not associative, so sums merged chunk by chunk would
    depend on how blocks were grouped into chunks; folding block by block in block order
    makes them independent of the chunk size, the workers and the backend.
    """

    def __init__(self, size: int):
        self.total = np.zeros(size)
        self.pending: dict[int, np.ndarray] = {}
        self.next_block = 0

    def add(self, block: int, values: np.ndarray) -> None:
        held = self.pending.get(block)
        self.pending[block] = values.copy() if held is None else held + values

    def merge(self, other: "OrderedSums") -> None:
        for block, values in other.pending.items():
            held = self.pending.get(block)
            self.pending[block] = values if held is None else held + values
        self.fold()

    def fold(self) -> None:
        """Add the pending blocks ``next_block, next_block + 1, ...`` that are complete.

        Call only when no more steps of those blocks will come (after a merge of whole
        chunks, or at the end).
        """
        while self.next_block in self.pending:
            self.total += self.pending.pop(self.next_block)
            self.next_block += 1

    def done(self) -> np.ndarray:
        self.fold()
        if self.pending:
            raise RuntimeError(f"blocks {sorted(self.pending)} were never folded")
        return self.total


@dataclass
class Moments:
    """Streaming count, sums and histogram of a quantity ``(n, b)``, row by row.

    Sums are of the values minus ``shift`` (the base value: no cancellation in the
    variance). Row i is binned on ``[lower_i, lower_i + bins / inverse_width_i)``; bin 0
    and bin ``bins + 1`` collect what falls below and above. Each bin also keeps the
    smallest and largest value it received: a quantile is read between the extremes of
    its bin, so it is exact when the bin holds one distinct value and otherwise off by
    less than the spread of that bin (reported by :meth:`quantile`).
    """

    shift: np.ndarray
    lower: np.ndarray
    inverse_width: np.ndarray
    bins: int
    n: int = 0

    def __post_init__(self):
        size = self.shift.shape[0]
        self.sums = OrderedSums(size)
        self.squares = OrderedSums(size)
        self.histogram = np.zeros((size, self.bins + 2), dtype=np.int64)
        self.bin_min = np.full((size, self.bins + 2), np.inf)
        self.bin_max = np.full((size, self.bins + 2), -np.inf)
        self._offset = (1.0 - self.lower * self.inverse_width)[:, None]
        self._row_base = ((self.bins + 2) * np.arange(size))[:, None]

    def add(self, values: np.ndarray, block: int) -> None:
        """Add the columns of ``values (n, b)`` of one block."""
        shifted = values - self.shift[:, None]
        self.n += values.shape[1]
        self.sums.add(block, shifted.sum(axis=1))
        self.squares.add(block, np.einsum("ib,ib->i", shifted, shifted))
        position = values * self.inverse_width[:, None]
        position += self._offset
        np.clip(position, 0, self.bins + 1, out=position)
        index = position.astype(np.intp)
        index += self._row_base
        index = index.reshape(-1)
        flat = values.reshape(-1)
        np.add.at(self.histogram.reshape(-1), index, 1)
        np.minimum.at(self.bin_min.reshape(-1), index, flat)
        np.maximum.at(self.bin_max.reshape(-1), index, flat)

    def merge(self, other: "Moments") -> None:
        self.n += other.n
        self.sums.merge(other.sums)
        self.squares.merge(other.squares)
        self.histogram += other.histogram
        np.minimum(self.bin_min, other.bin_min, out=self.bin_min)
        np.maximum(self.bin_max, other.bin_max, out=self.bin_max)

    @property
    def mean(self) -> np.ndarray:
        return self.shift + self.sums.done() / self.n

    @property
    def sd(self) -> np.ndarray:
        if self.n < 2:
            return np.zeros_like(self.shift)
        total = self.sums.done()
        variance = (self.squares.done() - total**2 / self.n) / (self.n - 1)
        spread = self.maximum - self.minimum
        return np.where(spread > 0, np.sqrt(np.maximum(variance, 0.0)), 0.0)

    @property
    def minimum(self) -> np.ndarray:
        return self.bin_min.min(axis=1)

    @property
    def maximum(self) -> np.ndarray:
        return self.bin_max.max(axis=1)

    def quantile(self, q: float) -> tuple[np.ndarray, np.ndarray]:
        """The value at rank ``q * n`` per row, and a bound on its error.

        The value is interpolated between the extremes of the bin holding that rank; the
        bound is that bin's spread (0 when it holds one distinct value).
        """
        cumulative = np.cumsum(self.histogram, axis=1)
        target = q * self.n
        if abs(target - round(target)) <= 1e-9 * max(self.n, 1):
            target = round(target)  # 0.025 * 6000 is 150 + 3e-14 in floating point
        index = np.argmax(cumulative >= target, axis=1)
        rows = np.arange(len(index))
        before = np.where(index > 0, cumulative[rows, np.maximum(index - 1, 0)], 0)
        inside = self.histogram[rows, index]
        fraction = np.clip(np.divide(target - before, inside, out=np.zeros(len(index)),
                                     where=inside > 0), 0, 1)
        low, high = self.bin_min[rows, index], self.bin_max[rows, index]
        return low + fraction * (high - low), high - low


def joint_hits(quadrant: np.ndarray, base_quadrant: np.ndarray) -> np.ndarray:
    """``(9, b)``: in each replicate of ``quadrant`` ``(m, b)``, does every technology keep its base
    quadrant (row 0), does quadrant q hold exactly its base members (row 1 + q), and do all of
    q's base members keep it (row 5 + q)?"""
    kept = quadrant == base_quadrant[:, None]
    exact = [((quadrant == q) == (base_quadrant == q)[:, None]).all(axis=0) for q in range(4)]
    members = [kept[base_quadrant == q].all(axis=0) for q in range(4)]
    return np.stack([kept.all(axis=0), *exact, *members])


@dataclass
class Tally:
    """Everything accumulated over the replicates of one scheme (mergeable across chunks)."""

    counts: np.ndarray              # (m, 4) quadrant counts
    capability: Moments
    dynamism: Moments
    weights: Moments
    joint: np.ndarray               # (9,) replicates in which each joint statement holds
    degenerate: int = 0
    retained_by_block: dict = field(default_factory=dict)   # block -> (m,) retained counts

    @classmethod
    def empty(cls, problem: Problem) -> "Tally":
        m, k = problem.shape
        ranges = problem.ranges
        return cls(
            counts=np.zeros((m, 4), dtype=np.int64),
            capability=Moments(problem.base_capability, *ranges["capability"]),
            dynamism=Moments(problem.base_dynamism, *ranges["dynamism"]),
            weights=Moments(problem.base_weights, np.zeros(k), np.full(k, float(WEIGHT_BINS)), WEIGHT_BINS),
            joint=np.zeros(9, dtype=np.int64),
        )

    def add(self, step: Replicates, block: int, base_quadrant: np.ndarray) -> None:
        """Add the replicates of one step of stream block ``block``."""
        quadrant = step.quadrant.T  # (m, b), contiguous
        m = quadrant.shape[0]
        codes = quadrant.astype(np.intp)
        codes += (4 * np.arange(m))[:, None]
        counts = np.bincount(codes.reshape(-1), minlength=4 * m).reshape(m, 4)
        self.counts += counts
        retained = counts[np.arange(m), base_quadrant]
        self.retained_by_block[block] = self.retained_by_block.get(block, 0) + retained
        self.capability.add(step.capability.T, block)
        self.dynamism.add(step.dynamism.T, block)
        self.weights.add(step.weights.T, block)
        self.joint += joint_hits(quadrant, base_quadrant).sum(axis=1)
        self.degenerate += int(step.degenerate.sum())

    def merge(self, other: "Tally") -> "Tally":
        self.counts += other.counts
        self.capability.merge(other.capability)
        self.dynamism.merge(other.dynamism)
        self.weights.merge(other.weights)
        self.joint += other.joint
        self.degenerate += other.degenerate
        for block, retained in other.retained_by_block.items():
            self.retained_by_block[block] = self.retained_by_block.get(block, 0) + retained
        return self
