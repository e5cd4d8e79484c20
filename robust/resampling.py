"""The replicate engine behind :mod:`robust.bootstrap`: draw, score and tally replicates.

Layout: inside the engine, per-replicate arrays keep the replicate axis LAST
(``(m, b)``: one row per technology), so the per-technology reductions of the tally run
over contiguous memory. Scores are computed with the core's primitives
(:func:`robust.scoring.minmax`, :func:`robust.scoring.quadrant_codes`) and the same
order of operations as :func:`robust.scoring.score_batch`, so they are bit-identical to it.

Resamples of technologies are represented by row counts ``(b, m)``; the paper's entropy
weights are computed from the counts without materialising the resampled tables
(:func:`entropy_weights_from_counts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .parallel import STREAM_BLOCK, stream
from .scoring import minmax, quadrant_codes, score_batch, weighted_sum
from .weighting import WEIGHTING_METHODS, compute_weights

HISTOGRAM_BINS = 1024        # bins per technology, up to _HISTOGRAM_CELLS in all
_HISTOGRAM_CELLS = 2**20     # bounds the histograms' memory (and transfer) for large tables
_MIN_HISTOGRAM_BINS = 128
WEIGHT_BINS = 4096
_STEP_ELEMENTS = 2**20  # replicates x technologies x indicators scored at once
_ENTROPY_TABLE_LIMIT = 2**21  # entries of the precomputed entropy table (k x m x m x 2)


@dataclass(frozen=True)
class Problem:
    """Everything a worker needs to score replicates of one scheme (picklable)."""

    scheme: str
    values: np.ndarray            # (m, k)
    raw: np.ndarray               # (m,) raw dynamism of the original data
    dynamism_inputs: np.ndarray   # (m, p) IPC counts, or (m, 1) raw score
    ipc_counts: bool
    amplitudes: np.ndarray | None
    weighting: str | tuple[float, ...]
    normalize: str
    capability_threshold: float
    dynamism_threshold: float
    renormalize: bool
    noise: float
    count_noise: bool
    base_quadrant: np.ndarray     # (m,) int8
    base_capability: np.ndarray
    base_dynamism: np.ndarray
    base_weights: np.ndarray
    seed: np.random.SeedSequence
    ranges: dict | None = None    # histogram ranges, set after the pilot
    orders: np.ndarray = field(init=False)        # (k, m) technologies sorted by each indicator
    raw_order: np.ndarray = field(init=False)     # (m,) sorted by raw dynamism
    entropy_table: tuple[np.ndarray, np.ndarray] | None = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "orders", np.argsort(self.values, axis=0, kind="stable").T.copy())
        object.__setattr__(self, "raw_order", np.argsort(self.raw, kind="stable"))
        use_table = self.weighting == "entropy" and self.scheme != "noise"
        object.__setattr__(self, "entropy_table", entropy_table(self.values) if use_table else None)

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape

    @property
    def step_size(self) -> int:
        """Replicates scored at once: bounded memory, and a function of (m, k) only."""
        m, k = self.shape
        return max(1, min(STREAM_BLOCK, _STEP_ELEMENTS // (m * max(k, 1))))


@dataclass(frozen=True)
class Step:
    """Scores of b replicates, replicate axis last.

    capability, dynamism, quadrant: (m, b); weights: (k, b); degenerate: (b,).
    """

    capability: np.ndarray
    dynamism: np.ndarray
    quadrant: np.ndarray
    weights: np.ndarray
    degenerate: np.ndarray


# ------------------------------------------------------------------ weights


def _xlogx(u: np.ndarray) -> np.ndarray:
    """``u ln u`` with ``0 ln 0 = 0`` (u >= 0)."""
    return u * np.log(u, out=np.zeros_like(u), where=u > 0)


def entropy_table(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(U, G)`` with ``U[j, r, i] = u = max(x_ij - x_rj, 0)`` and ``G = u ln u``; None if too big."""
    m, k = values.shape
    if 2 * k * m * m > _ENTROPY_TABLE_LIMIT:
        return None
    shifts = np.maximum(values.T[:, None, :] - values.T[:, :, None], 0.0)   # (k, r, i)
    return shifts, _xlogx(shifts)


def first_present(order: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Per resample, the first technology in ``order`` that is present.

    ``present`` is ``(m, b)``: technology i is in resample b.
    """
    return order[present.take(order, axis=0).argmax(axis=0)]


def present_range(order: np.ndarray, column: np.ndarray, present: np.ndarray):
    """Per resample, the smallest and largest value of ``column`` (sorted by ``order``) present."""
    return column[first_present(order, present)], column[first_present(order[::-1], present)]


def presence(counts: np.ndarray) -> np.ndarray:
    """``(m, b)`` mask of the technologies present in each resample of ``counts (b, m)``."""
    return np.ascontiguousarray(counts.T) > 0


def entropy_weights_from_counts(values, counts, *, orders=None, table=None):
    """Entropy weights (min-max, Appendix 2) of resamples given as row counts.

    Equal to ``compute_weights(values[rows], "entropy")`` for the resample in which row i
    of ``values`` appears ``counts[b, i]`` times, without materialising it: with
    ``u_i = x_i - min`` over the rows present, ``S = sum c_i u_i`` and
    ``T = sum c_i u_i ln u_i``, the entropy is ``-(T / S - ln S) / ln n`` (n rows).

    Parameters
    ----------
    values : ndarray (m, k)
    counts : ndarray (b, m)
        Non-negative integer counts, each row summing to the same n >= 2.
    orders : ndarray (k, m), optional
        ``argsort`` of each column (computed if not given).
    table : ndarray, optional
        :func:`entropy_table` of ``values``, to read ``u`` and ``u ln u`` instead of
        computing logarithms.

    Returns
    -------
    weights : ndarray (b, k)
    constant : ndarray (b, k) of bool
        Indicators constant over the resample (they get weight 0).
    """
    values = np.asarray(values, dtype=float)
    present = presence(counts)
    counts = counts.astype(float)
    n_rows = counts[0].sum()
    orders = np.argsort(values, axis=0, kind="stable").T if orders is None else orders
    b, k = counts.shape[0], values.shape[1]
    divergence = np.empty((b, k))
    constant = np.empty((b, k), dtype=bool)
    for j in range(k):
        column = values[:, j]
        lowest = first_present(orders[j], present)
        lower = column[lowest]
        if table is not None:
            spread = np.einsum("bi,bi->b", counts, table[0][j].take(lowest, axis=0))
            total = np.einsum("bi,bi->b", counts, table[1][j].take(lowest, axis=0))
        else:
            shifted = np.maximum(column - lower[:, None], 0.0)
            spread = np.einsum("bi,bi->b", counts, shifted)
            total = np.einsum("bi,bi->b", counts, _xlogx(shifted))
        is_constant = spread <= 0   # exactly 0 when every row present equals the minimum
        safe = np.where(is_constant, 1.0, spread)
        divergence[:, j] = np.where(is_constant, 0.0, 1.0 + (total / safe - np.log(safe)) / np.log(n_rows))
        constant[:, j] = is_constant
    return weights_with_fallback(divergence, constant), constant


def weights_with_fallback(scores: np.ndarray, constant: np.ndarray) -> np.ndarray:
    """Scores ``(b, k)`` to weights; equal over non-constant indicators where none is positive."""
    total = scores.sum(axis=1, keepdims=True)
    weights = scores / np.where(total > 0, total, 1.0)
    fallback = total[:, 0] <= 0
    if fallback.any():
        share = np.where(constant.all(axis=1, keepdims=True), True, ~constant).astype(float)
        weights[fallback] = (share / share.sum(axis=1, keepdims=True))[fallback]
    return weights


def _constant_columns(values: np.ndarray) -> np.ndarray:
    """``(b,)``: is some indicator constant over the rows of each table ``(b, n, k)``?"""
    return (values.min(axis=-2) == values.max(axis=-2)).any(axis=-1)


# ------------------------------------------------------------------ scoring


def _capability_columns(values, weights, normalize, lower=None, upper=None) -> np.ndarray:
    """Capability ``(m, b)`` of every technology under b weight vectors ``(b, k)``.

    Same operations in the same order as :func:`robust.scoring.capability_scores`.
    ``lower``/``upper`` are per-resample bounds ``(b, k)`` or shared ``(k,)``.
    """
    k = values.shape[1]
    total = None
    for j in range(k):
        column = values[:, j, None]
        if normalize == "minmax":
            column = minmax(column, np.asarray(lower)[..., j], np.asarray(upper)[..., j])
        term = weights[:, j] * column
        total = term if total is None else total.__iadd__(term)
    return total


def score_resamples(problem: Problem, counts: np.ndarray, rows: np.ndarray) -> Step:
    """Score all original technologies with weights/normalisers estimated on resamples.

    ``counts (b, m)`` gives how often each technology is in each resample; ``rows (b, n)``
    lists the rows of each resample (used by methods other than entropy).
    """
    present = presence(counts)
    values = problem.values
    b, (m, k) = counts.shape[0], problem.shape
    degenerate = np.zeros(b, dtype=bool)
    if not isinstance(problem.weighting, str) or problem.weighting == "equal":
        weights = np.broadcast_to(compute_weights(values, "equal") if problem.weighting == "equal"
                                  else np.asarray(problem.weighting, dtype=float), (b, k))
    elif problem.weighting == "entropy":
        weights, constant = entropy_weights_from_counts(
            values, counts, orders=problem.orders, table=problem.entropy_table)
        degenerate |= constant.any(axis=1)
    else:
        resampled = values[rows]
        weights = compute_weights(resampled, problem.weighting)
        degenerate |= _constant_columns(resampled)

    if problem.renormalize:
        raw_low, raw_high = present_range(problem.raw_order, problem.raw, present)
        degenerate |= raw_low == raw_high
        dynamism = minmax(problem.raw[:, None], raw_low, raw_high)
    else:
        dynamism = minmax(problem.raw[:, None], problem.raw.min(), problem.raw.max())
        dynamism = np.broadcast_to(dynamism, (m, b))
    lower = upper = None
    if problem.normalize == "minmax":
        if problem.renormalize:
            bounds = [present_range(problem.orders[j], values[:, j], present) for j in range(k)]
            lower, upper = (np.column_stack(side) for side in zip(*bounds))
            degenerate |= (lower == upper).any(axis=1)
        else:
            lower, upper = values.min(axis=0), values.max(axis=0)
    capability = _capability_columns(values, weights, problem.normalize, lower, upper)
    quadrant = quadrant_codes(capability, dynamism, problem.capability_threshold,
                              problem.dynamism_threshold)
    return Step(capability, dynamism, quadrant, np.ascontiguousarray(weights.T), degenerate)


def technology_resamples(rng: np.random.Generator, count: int, m: int) -> np.ndarray:
    """Row indices ``(count, m)``: ``count`` resamples of m technologies with replacement."""
    return rng.integers(0, m, size=(count, m))


def resample_counts(rows: np.ndarray, m: int) -> np.ndarray:
    """How often each of m technologies appears in each resample ``rows (b, n)``."""
    b = rows.shape[0]
    offsets = (np.arange(b) * m)[:, None]
    return np.bincount((rows + offsets).ravel(), minlength=b * m).reshape(b, m)


def _technologies_step(problem: Problem, rngs, count: int) -> Step:
    rows = technology_resamples(rngs[0], count, problem.shape[0])
    return score_resamples(problem, resample_counts(rows, problem.shape[0]), rows)


def noisy_data(problem: Problem, rngs, count: int):
    """``count`` perturbed copies of the data: values ``(count, m, k)``, raw dynamism ``(count, m)``.

    The capability cells draw from ``rngs[0]`` and the dynamism inputs from ``rngs[1]``, so
    each replicate's draws are the same whatever the number of replicates.
    """
    s = problem.noise
    values = problem.values * np.exp(s * rngs[0].standard_normal((count, *problem.shape)) - s * s / 2)
    if not problem.count_noise:
        raw = np.broadcast_to(problem.raw, (count, problem.shape[0]))
    elif problem.ipc_counts:
        ipc = rngs[1].poisson(problem.dynamism_inputs, size=(count, *problem.dynamism_inputs.shape))
        raw = weighted_sum(ipc.astype(float), problem.amplitudes)
    else:
        factor = np.exp(s * rngs[1].standard_normal((count, problem.shape[0])) - s * s / 2)
        raw = problem.dynamism_inputs[:, 0] * factor
    return values, raw


def _noise_step(problem: Problem, rngs, count: int) -> Step:
    values, raw = noisy_data(problem, rngs, count)
    if isinstance(problem.weighting, str):
        weights = compute_weights(values, problem.weighting)
    else:
        weights = np.broadcast_to(np.asarray(problem.weighting, dtype=float), (count, problem.shape[1]))
    degenerate = raw.min(axis=1) == raw.max(axis=1)
    estimated_on_indicators = problem.weighting in WEIGHTING_METHODS and problem.weighting != "equal"
    if estimated_on_indicators or problem.normalize == "minmax":
        degenerate = degenerate | _constant_columns(values)
    scores = score_batch(values, weights, raw, normalize=problem.normalize,
                         capability_threshold=problem.capability_threshold,
                         dynamism_threshold=problem.dynamism_threshold)
    return Step(np.ascontiguousarray(scores.capability.T), np.ascontiguousarray(scores.dynamism.T),
                np.ascontiguousarray(scores.quadrant.T), np.ascontiguousarray(weights.T), degenerate)


_STEPS = {"technologies": _technologies_step, "noise": _noise_step}


def block_steps(problem: Problem, block: int, stop: int):
    """Yield the scored replicates of stream block ``block`` (those below ``stop``).

    The random numbers of a block come from its own streams (one per kind of draw), drawn
    in steps whose size depends only on the table's shape; every draw is a prefix of the
    full block's, so a replicate is the same in any chunking and for any total count.
    """
    rngs = (stream(problem.seed, block, 0), stream(problem.seed, block, 1))
    start = block * STREAM_BLOCK
    end = min(start + STREAM_BLOCK, stop)
    step = problem.step_size
    for first in range(start, end, step):
        yield _STEPS[problem.scheme](problem, rngs, min(step, end - first))


# -------------------------------------------------------------- accumulation


def histogram_bins(n_rows: int) -> int:
    """Bins per row: :data:`HISTOGRAM_BINS`, fewer for very large tables (bounded memory)."""
    return int(min(HISTOGRAM_BINS, max(_MIN_HISTOGRAM_BINS, _HISTOGRAM_CELLS // n_rows)))


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


@dataclass
class Tally:
    """Everything accumulated over the replicates of one scheme (mergeable across chunks)."""

    counts: np.ndarray              # (m, 4) quadrant counts
    capability: Moments
    dynamism: Moments
    weights: Moments
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
        )

    def add(self, step: Step, block: int, base_quadrant: np.ndarray) -> None:
        m = step.quadrant.shape[0]
        codes = step.quadrant.astype(np.intp)
        codes += (4 * np.arange(m))[:, None]
        counts = np.bincount(codes.reshape(-1), minlength=4 * m).reshape(m, 4)
        self.counts += counts
        retained = counts[np.arange(m), base_quadrant]
        self.retained_by_block[block] = self.retained_by_block.get(block, 0) + retained
        self.capability.add(step.capability, block)
        self.dynamism.add(step.dynamism, block)
        self.weights.add(step.weights, block)
        self.degenerate += int(step.degenerate.sum())

    def merge(self, other: "Tally") -> "Tally":
        self.counts += other.counts
        self.capability.merge(other.capability)
        self.dynamism.merge(other.dynamism)
        self.weights.merge(other.weights)
        self.degenerate += other.degenerate
        for block, retained in other.retained_by_block.items():
            self.retained_by_block[block] = self.retained_by_block.get(block, 0) + retained
        return self


def run_chunk(problem: Problem, bounds: tuple[int, int]) -> Tally:
    """Score and tally the replicates ``[start, stop)`` of one chunk."""
    start, stop = bounds
    tally = Tally.empty(problem)
    for block in range(start // STREAM_BLOCK, -(-stop // STREAM_BLOCK)):
        for step in block_steps(problem, block, stop):
            tally.add(step, block, problem.base_quadrant)
    return tally
