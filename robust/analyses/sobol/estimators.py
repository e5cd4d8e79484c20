"""SALib's Sobol' estimators and bootstrap, vectorised over every output at once.

The estimators are SALib's: Saltelli et al. (2010) for the first order, Jansen (1999) for
the total order (Saltelli et al. 2010, doi:10.1016/j.cpc.2009.09.018; Jansen 1999,
doi:10.1016/S0010-4655(98)00154-4), Saltelli (2002), doi:10.1016/S0010-4655(02)00280-1, for
the optional second order, applied to the output standardised as SALib does. The test
suite checks that they and the bootstrap equal :func:`SALib.analyze.sobol.analyze` to 1e-10
on the same samples and the same bootstrap draws.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from threadpoolctl import threadpool_limits

from ...core import rules

MIN_N = 64
DEFAULT_RESAMPLES = 100
_EPS = np.finfo(float).eps  # SALib's threshold for a zero variance
_BOOTSTRAP_ELEMENTS = 1 << 22  # rows x columns per bootstrap product (32 MB)
_SINGLE_THREAD_BLAS = threading.Lock()  # serialises the one BLAS product (threading backend)


def resampled_means(counts: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """``counts @ columns / n``: every resample's mean of every column, in one BLAS product.

    The product runs on one BLAS thread, so its last bits are the same in the main process
    and in any worker (a multi-threaded product adds in another order).
    """
    with _SINGLE_THREAD_BLAS, threadpool_limits(limits=1, user_api="blas"):
        return counts @ columns / columns.shape[0]


def minority_events(values: np.ndarray) -> np.ndarray:
    """Per column of ``values`` ``(rows, O)``: the size of the minority class of a 0/1 column, or -1."""
    ones = (values == 1).sum(axis=0)
    binary = ((values == 0) | (values == 1)).all(axis=0)
    return np.where(binary, np.minimum(ones, values.shape[0] - ones), -1)


def convergence_sizes(n: int) -> tuple[int, ...]:
    """Powers of two from :data:`MIN_N` up to ``n``."""
    return tuple(2**j for j in range(int(math.log2(MIN_N)), int(math.log2(n)) + 1))


def _split(values: np.ndarray, groups: int, second_order: bool):
    """SALib's row layout: for each base point A, AB_1..AB_G, [BA_1..BA_G,] B."""
    step = 2 * groups + 2 if second_order else groups + 2
    blocks = values.reshape(-1, step, values.shape[-1])
    ba = blocks[:, groups + 1:2 * groups + 1] if second_order else None
    return blocks[:, 0], blocks[:, -1], blocks[:, 1:groups + 1], ba


def _ratio(numerator: np.ndarray, variance: np.ndarray, threshold) -> np.ndarray:
    """``numerator / variance``, and 0 where the variance is not above ``threshold`` (SALib)."""
    return np.divide(numerator, variance, out=np.zeros(numerator.shape),
                     where=np.broadcast_to(variance > threshold, numerator.shape))


def bootstrap_counts(n: int, resamples: int, seed: int) -> np.ndarray:
    """How often each of ``n`` base points is drawn in each resample: shape (resamples, n).

    The draws are SALib's: ``np.random.default_rng(seed).integers(n, size=(n, resamples))``,
    column ``b`` holding the points of resample ``b``. A resampled mean is then
    ``counts @ values / n``, which lets all outputs be bootstrapped in one matrix product.
    """
    draws = np.random.default_rng(seed).integers(n, size=(n, resamples))
    offsets = np.arange(resamples) * n
    counts = np.bincount((draws + offsets).ravel(), minlength=n * resamples)
    return counts.reshape(resamples, n).astype(float)


def _bootstrap_sd(counts, a, b, ab, ba, pairs, threshold):
    """Bootstrap standard deviations (ddof 1) of the first, total and second-order indices."""
    n, outputs = a.shape
    groups = ab.shape[1]
    columns = [a, b, a * a, b * b,
               (b[:, None] * (ab - a[:, None])).reshape(n, -1),
               (0.5 * (a[:, None] - ab) ** 2).reshape(n, -1)]
    if ba is not None:
        j, k = pairs
        columns.append((ba[:, j] * ab[:, k] - (a * b)[:, None]).reshape(n, -1))
    sums = resampled_means(counts, np.concatenate(columns, axis=1))
    resamples = counts.shape[0]
    mean_a, mean_b, square_a, square_b = (sums[:, i * outputs:(i + 1) * outputs] for i in range(4))
    rest = sums[:, 4 * outputs:].reshape(resamples, -1, outputs)
    mean = 0.5 * (mean_a + mean_b)
    # A resample whose values are all equal gets a variance of rounding size (the values are
    # centred on the overall mean), below SALib's threshold, so its indices are 0 as in SALib.
    variance = (0.5 * (square_a + square_b) - mean * mean)[:, None]
    first = _ratio(rest[:, :groups], variance, threshold)
    total = _ratio(rest[:, groups:2 * groups], variance, threshold)
    first_sd = first.std(axis=0, ddof=1)
    total_sd = total.std(axis=0, ddof=1)
    if ba is None:
        return first_sd, total_sd, None
    second = _ratio(rest[:, 2 * groups:], variance, threshold) - first[:, j] - first[:, k]
    return first_sd, total_sd, second.std(axis=0, ddof=1)


@dataclass(frozen=True)
class ScrambleEstimates:
    """The estimates of one scrambled design, for O outputs and G factors.

    Index arrays hold NaN for outputs that are not estimable in this design.

    Attributes
    ----------
    first, total, first_sd, total_sd : ndarray, shape (O, G)
        Indices and their bootstrap standard deviations.
    second, second_sd : ndarray, shape (O, P), or None
        Second-order indices of the P factor pairs (``itertools.combinations`` order).
    mean, variance : ndarray, shape (O,)
        Of the raw output over every model evaluation.
    varies : ndarray of bool, shape (O,)
        The output takes more than one value.
    estimable : ndarray of bool, shape (O,)
        The estimators are defined: the output varies over the A and B points (SALib's
        denominator, on the standardised output, is above machine epsilon).
    sizes : tuple of int
        Base sample sizes of the convergence estimates: :func:`convergence_sizes`.
    first_by_size, total_by_size : ndarray, shape (L, O, G)
        Point estimates on the first ``sizes[l]`` base points (no bootstrap); the last
        size is the whole design.
    estimable_by_size : ndarray of bool, shape (L, O)
    events : ndarray of int, shape (O,)
        For a 0/1 output, the number of design rows in its minority class (how often the rare
        outcome was seen); -1 for an output that is not 0/1.
    bootstrap_seed : int
        The seed of SALib's bootstrap draws.
    """

    first: np.ndarray
    total: np.ndarray
    first_sd: np.ndarray
    total_sd: np.ndarray
    second: np.ndarray | None
    second_sd: np.ndarray | None
    mean: np.ndarray
    variance: np.ndarray
    varies: np.ndarray
    estimable: np.ndarray
    sizes: tuple[int, ...]
    first_by_size: np.ndarray
    total_by_size: np.ndarray
    estimable_by_size: np.ndarray
    events: np.ndarray
    bootstrap_seed: int


def _prefix_estimates(centred, groups, second_order, sizes):
    """First and total indices on the first ``sizes[l]`` base points, all sizes in one pass.

    ``centred`` is the output minus its overall mean. These are the estimates SALib gives
    for the prefix design: the indices do not change when the output is scaled, and the
    first-order numerator on the output centred by the prefix mean ``c`` is
    ``mean(B (AB - A)) - c * mean(AB - A)``. Sums over base points are accumulated per
    segment between consecutive sizes. Returns first and total indices (L, O, G) (NaN where
    not estimable), and ``varies``, ``estimable`` (L, O).
    """
    a, b, ab, _ = _split(centred, groups, second_order)
    blocks = centred.reshape(a.shape[0], -1, centred.shape[1])
    starts = np.array((0,) + tuple(sizes[:-1]))
    counts = np.array(sizes, dtype=float)[:, None]

    def prefix_sum(quantity):
        return np.cumsum(np.add.reduceat(quantity, starts, axis=0), axis=0)

    lowest = np.minimum.accumulate(np.minimum.reduceat(blocks.min(axis=1), starts, axis=0))
    highest = np.maximum.accumulate(np.maximum.reduceat(blocks.max(axis=1), starts, axis=0))
    varies = highest > lowest
    rows = counts * blocks.shape[1]
    mean_all = prefix_sum(blocks.sum(axis=1)) / rows
    variance_all = prefix_sum((blocks * blocks).sum(axis=1)) / rows - mean_all**2
    mean_ab = prefix_sum(a + b) / (2 * counts)
    variance_ab = prefix_sum(a * a + b * b) / (2 * counts) - mean_ab**2
    difference = ab - a[:, None]
    first_numerator = (prefix_sum(b[:, None] * difference)
                       - mean_all[:, None] * prefix_sum(difference)) / counts[:, None]
    total_numerator = 0.5 * prefix_sum(difference * difference) / counts[:, None]
    # SALib's test: the variance of A and B of the standardised output above machine epsilon
    estimable = varies & (variance_ab > _EPS * np.where(varies, variance_all, 0.0))
    denominator = np.where(estimable, variance_ab, 1.0)[:, None]
    first = np.where(estimable[:, None], first_numerator / denominator, np.nan)
    total = np.where(estimable[:, None], total_numerator / denominator, np.nan)
    return first.swapaxes(1, 2), total.swapaxes(1, 2), varies, estimable


def estimate_scramble(
    values: np.ndarray,
    *,
    groups: int,
    second_order: bool = False,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int,
) -> ScrambleEstimates:
    """SALib's Sobol' estimators and bootstrap, for every output column at once.

    Parameters
    ----------
    values : ndarray, shape (N * (G + 2), O) or (N * (2G + 2), O)
        Model outputs on a design of :func:`SALib.sample.sobol.sample`, one column per
        output; N a power of two >= :data:`MIN_N`.
    groups : int
        Number of factors (groups) G.
    second_order : bool
        Whether the design has the BA blocks (``calc_second_order=True``).
    resamples : int
        Bootstrap resamples (SALib's ``num_resamples``).
    seed : int
        Bootstrap seed >= 1 (SALib ignores ``seed=0``); the same seed gives SALib's draws.

    Returns
    -------
    ScrambleEstimates
        ``first``/``total`` equal SALib's ``S1``/``ST`` and ``z * first_sd``/``z * total_sd``
        its ``S1_conf``/``ST_conf``, for ``z`` the normal quantile of the confidence level.
    """
    if rules.integer(seed, "seed") < 1:
        raise ValueError(f"seed must be >= 1 (SALib treats 0 as no seed), got {seed}")
    values = np.asarray(values, dtype=float)
    values = values[:, None] if values.ndim == 1 else values
    n = values.shape[0] // (2 * groups + 2 if second_order else groups + 2)
    if n < MIN_N or n & (n - 1):
        raise ValueError(f"values must hold N * (G + 2) rows with N a power of two >= {MIN_N}")
    sizes = convergence_sizes(n)
    mean = values.mean(axis=0)
    centred = values - mean
    first_by_size, total_by_size, varies, estimable_by_size = _prefix_estimates(
        centred, groups, second_order, sizes)
    variance = (centred * centred).mean(axis=0)
    estimable = estimable_by_size[-1]
    first, total = first_by_size[-1].copy(), total_by_size[-1].copy()
    first_sd, total_sd = np.full(first.shape, np.nan), np.full(total.shape, np.nan)
    pairs = np.array(list(combinations(range(groups), 2)), dtype=np.intp).reshape(-1, 2).T
    second = second_sd = None
    if second_order:
        second, second_sd = (np.full((values.shape[1], pairs.shape[1]), np.nan) for _ in range(2))
    kept = np.flatnonzero(estimable)
    a, b, ab, ba = _split(centred, groups, second_order)
    counts = bootstrap_counts(n, resamples, seed) if kept.size else None
    width = 4 + 2 * groups + pairs.shape[1]
    block = max(1, _BOOTSTRAP_ELEMENTS // (n * width))
    for start in range(0, kept.size, block):
        part = kept[start:start + block]
        # SALib compares variances of the standardised output with eps
        threshold = _EPS * variance[part]
        pa, pb, pab = a[:, part], b[:, part], ab[:, :, part]
        pba = None if ba is None else ba[:, :, part]
        sds = _bootstrap_sd(counts, pa, pb, pab, pba, pairs, threshold)
        first_sd[part], total_sd[part] = sds[0].T, sds[1].T
        if second_order:
            second_sd[part] = sds[2].T
            j, k = pairs
            variance_ab = np.concatenate([pa, pb]).var(axis=0)
            joint = _ratio((pba[:, j] * pab[:, k] - (pa * pb)[:, None]).mean(axis=0), variance_ab,
                           threshold)
            second[part] = (joint - first[part].T[j] - first[part].T[k]).T
    return ScrambleEstimates(
        first=first, total=total, first_sd=first_sd, total_sd=total_sd,
        second=second, second_sd=second_sd, mean=mean, variance=variance,
        varies=varies[-1], estimable=estimable, sizes=sizes,
        first_by_size=first_by_size, total_by_size=total_by_size,
        estimable_by_size=estimable_by_size, events=minority_events(values), bootstrap_seed=seed,
    )
