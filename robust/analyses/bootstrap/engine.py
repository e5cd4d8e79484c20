"""The replicate engine of the bootstrap: draw, score and tally replicates.

Layout: :class:`Replicates` arrays have the replicate axis first (``(b, m)``), but the
engine computes them with the replicate axis last in memory (``(m, b)`` contiguous: one row
per technology) and hands out transposed views, so the per-technology reductions of the
tally (:mod:`~robust.analyses.bootstrap.tally`) run over contiguous memory. Scores are
computed with the core's primitives (:func:`robust.core.scoring.minmax`,
:func:`robust.core.scoring.quadrant_codes`) and the same order of operations as
:func:`robust.core.scoring.score_batch`, so they are bit-identical to it.

Resamples of technologies are represented by row counts ``(b, m)``; the paper's entropy
weights are computed from the counts without materialising the resampled tables
(:func:`entropy_weights_from_counts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...compute.seeds import STREAM_BLOCK, stream
from ...core.composite import aggregate, normalized
from ...core.options import WEIGHTING_METHODS
from ...core.scoring import minmax, quadrant_codes, score_batch, weighted_sum
from ...core.weighting import compute_weights, scores_to_weights
from .noise import lognormal_noise, perturbed_counts
from .tally import Tally

_STEP_ELEMENTS = 2**20  # replicates x technologies x indicators scored at once
_STEP_RECORDS = 2**21  # patents: replicates x (records, cells or slots of a technology) held at once
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
    aggregation: str
    capability_threshold: float
    dynamism_threshold: float
    normalizer: str               # "resample_with_self" | "resample" | "fixed" (resampling schemes)
    noise: float                  # log-sd of the indicator (and raw score) noise
    top_k: int                    # length of the IPC lists: the cap of the cumulative counts
    base_quadrant: np.ndarray     # (m,) int8
    base_capability: np.ndarray
    base_dynamism: np.ndarray
    base_weights: np.ndarray
    seed: np.random.SeedSequence
    ranges: dict | None = None    # histogram ranges, set after the pilot
    resampler: object | None = None   # patents: a robust.records.resample.RecordResampler
    columns: tuple | None = None      # patents: the table's (share, IPC count) columns among the derived ones
    orders: np.ndarray = field(init=False)        # (k, m) technologies sorted by each indicator
    raw_order: np.ndarray = field(init=False)     # (m,) sorted by raw dynamism
    entropy_table: tuple[np.ndarray, np.ndarray] | None = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "orders", np.argsort(self.values, axis=0, kind="stable").T.copy())
        object.__setattr__(self, "raw_order", np.argsort(self.raw, kind="stable"))
        use_table = self.weighting == "entropy" and self.scheme in ("technologies", "jackknife")
        object.__setattr__(self, "entropy_table", entropy_table(self.values) if use_table else None)

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape

    @property
    def perturbs_indicators(self) -> bool:
        return self.scheme in ("noise", "indicator_noise")

    @property
    def perturbs_dynamism(self) -> bool:
        return self.scheme in ("noise", "count_noise")

    @property
    def step_size(self) -> int:
        """Replicates scored at once: bounded memory, and a function of (m, k) only."""
        m, k = self.shape
        if self.resampler is not None:  # positions, cells and slots held per replicate
            return max(1, min(STREAM_BLOCK, _STEP_RECORDS // self.resampler.largest_step))
        return max(1, min(STREAM_BLOCK, _STEP_ELEMENTS // (m * max(k, 1))))


@dataclass(frozen=True)
class Replicates:
    """The scores of B replicates (or variants) of one scheme.

    capability, dynamism, quadrant: ``(B, m)``; weights: ``(B, k)``; degenerate: ``(B,)``
    (a constant indicator or dynamism in the replicate's estimation sample).
    """

    capability: np.ndarray
    dynamism: np.ndarray
    quadrant: np.ndarray
    weights: np.ndarray
    degenerate: np.ndarray

    @classmethod
    def concatenate(cls, parts) -> "Replicates":
        """The replicates of several parts, in order."""
        parts = list(parts)
        return cls(*(np.concatenate([getattr(part, name) for part in parts], axis=0)
                     for name in ("capability", "dynamism", "quadrant", "weights", "degenerate")))


def _from_columns(capability, dynamism, quadrant, weights, degenerate) -> Replicates:
    """Replicates from ``(m, b)`` and ``(k, b)`` arrays (replicate axis last), as views."""
    return Replicates(capability.T, dynamism.T, quadrant.T, weights.T, degenerate)


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
    return scores_to_weights(divergence, constant)[0], constant


def _constant_columns(values: np.ndarray) -> np.ndarray:
    """``(b,)``: is some indicator constant over the rows of each table ``(b, n, k)``?"""
    return (values.min(axis=-2) == values.max(axis=-2)).any(axis=-1)


# ------------------------------------------------------------------ scoring


def _bounds(own, lower, upper, with_self: bool):
    """Min-max bounds for scoring ``own`` ``(m, 1)``: the resample's ``(b,)``, or with the scored value itself.

    With ``with_self`` each technology is scaled by the range of the resample together with
    itself, so its score stays in [0, 1]; on which side of a threshold in (0, 1] it falls is
    the same as with the resample's range alone, except in a resample whose range is zero.
    """
    if not with_self:
        return lower, upper
    return np.minimum(lower, own), np.maximum(upper, own)


def _capability_columns(values, weights, normalize, lower=None, upper=None, with_self=False,
                        aggregation="linear") -> np.ndarray:
    """Capability ``(m, b)`` of every technology under b weight vectors ``(b, k)``.

    Same operations in the same order as :func:`robust.core.scoring.capability_scores`.
    ``lower``/``upper`` are per-resample bounds ``(b, k)`` or shared ``(k,)``; ``with_self``
    as in :func:`_bounds`. Z-score and rank normalisation use the full sample's (the
    ``fixed`` normaliser; :func:`~robust.analyses.bootstrap.spec.check_bootstrap` refuses the others).
    """
    k = values.shape[1]
    if normalize in ("zscore", "rank"):
        values, normalize = normalized(values, normalize), "none"
    columns = []
    for j in range(k):
        column = values[:, j, None]
        if normalize == "minmax":
            column = minmax(column, *_bounds(column, np.asarray(lower)[..., j], np.asarray(upper)[..., j],
                                             with_self and np.ndim(lower) == 2))
        columns.append(column)
    if aggregation != "linear":
        return aggregate(columns, [weights[:, j] for j in range(k)], aggregation)
    total = None
    for j, column in enumerate(columns):
        term = weights[:, j] * column
        total = term if total is None else total.__iadd__(term)
    return total


def score_resamples(problem: Problem, counts: np.ndarray, rows: np.ndarray) -> Replicates:
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

    with_self = problem.normalizer == "resample_with_self"
    if problem.normalizer != "fixed":
        raw_low, raw_high = present_range(problem.raw_order, problem.raw, present)
        degenerate |= raw_low == raw_high
        dynamism = minmax(problem.raw[:, None], *_bounds(problem.raw[:, None], raw_low, raw_high, with_self))
    else:
        dynamism = minmax(problem.raw[:, None], problem.raw.min(), problem.raw.max())
        dynamism = np.broadcast_to(dynamism, (m, b))
    lower = upper = None
    if problem.normalize == "minmax":
        if problem.normalizer != "fixed":
            bounds = [present_range(problem.orders[j], values[:, j], present) for j in range(k)]
            lower, upper = (np.column_stack(side) for side in zip(*bounds))
            degenerate |= (lower == upper).any(axis=1)
        else:
            lower, upper = values.min(axis=0), values.max(axis=0)
    capability = _capability_columns(values, weights, problem.normalize, lower, upper, with_self,
                                     problem.aggregation)
    quadrant = quadrant_codes(capability, dynamism, problem.capability_threshold,
                              problem.dynamism_threshold)
    return _from_columns(capability, dynamism, quadrant, np.ascontiguousarray(weights.T), degenerate)


def technology_resamples(rng: np.random.Generator, count: int, m: int) -> np.ndarray:
    """Row indices ``(count, m)``: ``count`` resamples of m technologies with replacement."""
    return rng.integers(0, m, size=(count, m))


def resample_counts(rows: np.ndarray, m: int) -> np.ndarray:
    """How often each of m technologies appears in each resample ``rows (b, n)``."""
    b = rows.shape[0]
    offsets = (np.arange(b) * m)[:, None]
    return np.bincount((rows + offsets).ravel(), minlength=b * m).reshape(b, m)


def _technologies_step(problem: Problem, rngs, count: int) -> Replicates:
    rows = technology_resamples(rngs[0], count, problem.shape[0])
    return score_resamples(problem, resample_counts(rows, problem.shape[0]), rows)


def noisy_data(problem: Problem, rngs, count: int):
    """``count`` perturbed copies of the data: values ``(count, m, k)``, raw dynamism ``(count, m)``.

    The capability cells draw from ``rngs[0]`` and the dynamism inputs from ``rngs[1]`` (one
    draw per step each), so each replicate's draws are the same whatever the number of
    replicates. What is perturbed depends on the scheme (see :mod:`robust.analyses.bootstrap.noise`).
    """
    shape = problem.shape
    if problem.perturbs_indicators:
        values = lognormal_noise(rngs[0], problem.values, problem.noise, count)
    else:
        values = np.broadcast_to(problem.values, (count, *shape))
    if not problem.perturbs_dynamism:
        raw = np.broadcast_to(problem.raw, (count, shape[0]))
    elif problem.ipc_counts:
        counts = perturbed_counts(rngs[1], problem.dynamism_inputs, count, problem.top_k)
        raw = weighted_sum(counts, problem.amplitudes)
    else:
        raw = lognormal_noise(rngs[1], problem.dynamism_inputs[:, 0], problem.noise, count)
    return values, raw


def _noise_step(problem: Problem, rngs, count: int) -> Replicates:
    values, raw = noisy_data(problem, rngs, count)
    if isinstance(problem.weighting, str) and problem.perturbs_indicators:
        weights = compute_weights(values, problem.weighting)
    elif isinstance(problem.weighting, str):
        weights = np.broadcast_to(problem.base_weights, (count, problem.shape[1]))
    else:
        weights = np.broadcast_to(np.asarray(problem.weighting, dtype=float), (count, problem.shape[1]))
    return _score_tables(problem, values if problem.perturbs_indicators else problem.values, raw, weights,
                         np.zeros(count, dtype=bool), varied=problem.perturbs_indicators)


def _patents_step(problem: Problem, rngs, count: int) -> Replicates:
    shares, changes, degenerate = problem.resampler.draw(rngs[0], count)
    share_columns, ipc_columns = problem.columns
    values = np.ascontiguousarray(shares[:, :, share_columns])
    raw = weighted_sum(changes[:, :, ipc_columns].astype(float), problem.amplitudes)
    if isinstance(problem.weighting, str):
        weights = compute_weights(values, problem.weighting)
    else:
        weights = np.broadcast_to(np.asarray(problem.weighting, dtype=float), (count, problem.shape[1]))
    return _score_tables(problem, values, raw, weights, degenerate, varied=True)


def _score_tables(problem: Problem, values, raw, weights, degenerate, *, varied: bool) -> Replicates:
    """Score tables ``values`` (``(count, m, k)``, or the data ``(m, k)``) with raw dynamism
    ``raw (count, m)`` under ``weights (count, k)``; ``varied``: the values differ by replicate
    (a constant indicator among them is then degenerate)."""
    degenerate = degenerate | (raw.min(axis=1) == raw.max(axis=1))
    estimated_on_indicators = problem.weighting in WEIGHTING_METHODS and problem.weighting != "equal"
    if varied and (estimated_on_indicators or problem.normalize == "minmax"):
        degenerate = degenerate | _constant_columns(values)
    scores = score_batch(values, weights, raw, normalize=problem.normalize, aggregation=problem.aggregation,
                         capability_threshold=problem.capability_threshold,
                         dynamism_threshold=problem.dynamism_threshold)
    return _from_columns(np.ascontiguousarray(scores.capability.T), np.ascontiguousarray(scores.dynamism.T),
                         np.ascontiguousarray(scores.quadrant.T), np.ascontiguousarray(weights.T), degenerate)


_STEPS = {"technologies": _technologies_step, "noise": _noise_step, "indicator_noise": _noise_step,
          "count_noise": _noise_step, "patents": _patents_step}


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


def run_chunk(problem: Problem, bounds: tuple[int, int]) -> Tally:
    """Score and tally the replicates ``[start, stop)`` of one chunk."""
    start, stop = bounds
    tally = Tally.empty(problem)
    for block in range(start // STREAM_BLOCK, -(-stop // STREAM_BLOCK)):
        for step in block_steps(problem, block, stop):
            tally.add(step, block, problem.base_quadrant)
    return tally
