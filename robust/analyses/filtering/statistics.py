"""The distances of Monte Carlo filtering and of PAWN between the draws that keep and that leave a quadrant.

All take a 0/1 output ``labels (n,)`` over n draws and one input variable ``x (n,)``:

- :func:`ks_distance` and :func:`ks_pvalue`: the two-sample Kolmogorov-Smirnov distance between the
  values of ``x`` in the draws with label 1 and with label 0, and its permutation p-value (the
  probability, over random relabellings of the draws with the same number of ones, of a distance at
  least as large). For values without ties the permutation distribution is the exact null
  distribution of the statistic, which :func:`scipy.stats.ks_2samp` computes (``method="exact"``):
  that p-value has no Monte Carlo error. With ties it is estimated from ``permutations`` random
  relabellings (each draws the ones of every group of tied values from the multivariate
  hypergeometric law), ``(1 + hits) / (1 + permutations)``, with its Monte Carlo standard error
  ``sqrt(p (1 - p) / permutations)`` (0 for the exact value). Both return ``(p_value, error)``.
- :func:`tv_distance` and :func:`tv_pvalue`: for a discrete factor (levels without an order), the
  total-variation distance between the level frequencies, ``max_A |P_1(A) - P_0(A)|``: the KS
  distance maximised over every order of the levels (it equals the KS distance for two levels).
- :func:`bootstrap_ks` and :func:`bootstrap_tv`: the distance on bootstrap resamples of the draws
  (drawn with replacement; the counts of :func:`robust.analyses.sobol.estimators.bootstrap_counts`),
  for a percentile interval.
- :func:`pawn_binary`: PAWN (Pianosi & Wagener 2015, Environ. Model. Softw. 67:1-11,
  doi:10.1016/j.envsoft.2015.01.004) for a 0/1 output, with SALib's conditioning intervals
  (:func:`SALib.analyze.pawn.analyze`: ``slides`` intervals between empirical quantiles of ``x``,
  each ``[q_s, q_(s+1))``); for a 0/1 output the KS distance between the output's conditional and
  unconditional distribution is ``|mean(y | slide) - mean(y)|``. A discrete factor is conditioned
  on each of its levels instead (quantile intervals of a few levels would be empty or mixed).
"""

from __future__ import annotations

import warnings

import numpy as np


def _group_ends(sorted_values: np.ndarray) -> np.ndarray:
    """Positions (in sorted order) of the last of each run of equal values."""
    ends = np.ones(sorted_values.shape[-1], dtype=bool)
    ends[:-1] = sorted_values[1:] != sorted_values[:-1]
    return ends


def _ks_from_sorted(ones_sorted: np.ndarray, weights_sorted: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """KS distances from weights ``(..., n)`` and their label-1 parts in sorted order, at the group ends."""
    ones = np.cumsum(ones_sorted, axis=-1)
    every = np.cumsum(weights_sorted, axis=-1)
    zeros = every - ones
    n1, n0 = ones[..., -1:], zeros[..., -1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.abs(ones[..., ends] * n0 - zeros[..., ends] * n1).max(axis=-1) / (n1[..., 0] * n0[..., 0])
    return np.where((n1[..., 0] > 0) & (n0[..., 0] > 0), gap, np.nan)


def ks_distance(x: np.ndarray, labels: np.ndarray) -> float:
    """``sup_t |F_1(t) - F_0(t)|`` of the values of ``x`` with label 1 and label 0 (NaN if one is empty)."""
    order = np.argsort(x, kind="stable")
    labels = np.asarray(labels, dtype=float)[order]
    return float(_ks_from_sorted(labels, np.ones_like(labels), _group_ends(np.asarray(x)[order])))


def _permutation_pvalue(null: np.ndarray, distance: float) -> tuple[float, float]:
    """``(1 + hits) / (1 + B)`` over the ``B`` null distances, and its Monte Carlo standard error."""
    p_value = (1 + np.count_nonzero(null >= distance * (1 - 1e-12))) / (1 + null.size)
    return float(p_value), float(np.sqrt(p_value * (1 - p_value) / null.size))


def ks_pvalue(x: np.ndarray, labels: np.ndarray, distance: float, *, permutations: int,
              rng: np.random.Generator) -> tuple[float, float]:
    """The permutation p-value of the KS ``distance`` and its Monte Carlo error (exact without ties)."""
    labels = np.asarray(labels, dtype=bool)
    x = np.asarray(x, dtype=float)
    if np.unique(x).size == x.size:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # scipy's switch to the asymptotic formula
            try:
                from scipy.stats import ks_2samp

                return float(ks_2samp(x[labels], x[~labels], method="exact").pvalue), 0.0
            except RuntimeWarning:
                pass
    values, groups = np.unique(x, return_inverse=True)
    sizes = np.bincount(groups, minlength=values.size)
    ends = np.ones(values.size, dtype=bool)
    ones = rng.multivariate_hypergeometric(sizes, int(labels.sum()), size=permutations)
    null = _ks_from_sorted(ones.astype(float), np.broadcast_to(sizes.astype(float), ones.shape), ends)
    return _permutation_pvalue(null, distance)


def tv_distance(levels: np.ndarray, labels: np.ndarray, count: int) -> float:
    """``0.5 sum_l |P_1(l) - P_0(l)|`` of level indices ``0..count-1`` (NaN if a label is absent)."""
    labels = np.asarray(labels, dtype=bool)
    ones = np.bincount(levels[labels], minlength=count)
    zeros = np.bincount(levels[~labels], minlength=count)
    if not ones.sum() or not zeros.sum():
        return float("nan")
    return float(0.5 * np.abs(ones / ones.sum() - zeros / zeros.sum()).sum())


def tv_pvalue(levels: np.ndarray, labels: np.ndarray, distance: float, count: int, *, permutations: int,
              rng: np.random.Generator) -> tuple[float, float]:
    """The permutation p-value of the total-variation ``distance`` and its Monte Carlo error."""
    labels = np.asarray(labels, dtype=bool)
    sizes = np.bincount(levels, minlength=count)
    n1 = int(labels.sum())
    ones = rng.multivariate_hypergeometric(sizes, n1, size=permutations)
    zeros = sizes - ones
    null = 0.5 * np.abs(ones / n1 - zeros / (labels.size - n1)).sum(axis=1)
    return _permutation_pvalue(null, distance)


def _at_ends(running: np.ndarray, ends: np.ndarray) -> np.ndarray:
    return running if ends.all() else running[:, ends]


def sorted_counts(x: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The bootstrap ``counts (B, n)`` (draw ``t`` in resample ``b`` ``counts[b, t]`` times) in the order of
    ``x``, their running sums at the ends of the runs of tied values, that order and those ends."""
    order = np.argsort(x, kind="stable")
    weights = np.take(counts, order, axis=1)
    ends = _group_ends(np.asarray(x)[order])
    return weights, _at_ends(np.cumsum(weights, axis=1), ends), order, ends


def bootstrap_ks(labels: np.ndarray, sorted_: tuple) -> np.ndarray:
    """The KS distance of each bootstrap resample, from ``sorted_`` (:func:`sorted_counts` of the variable).

    With the resample's counts ``w``, ``n1 = sum w l`` and the resample size ``n``,
    ``F_1 - F_0 = (C_1 n - C n_1) / (n_1 (n - n_1))`` at each value, ``C_1`` and ``C`` the running
    sums of ``w l`` and ``w``: whole numbers, so the numerators are exact.
    """
    weights, running, order, ends = sorted_
    ones = _at_ends(np.cumsum(weights * np.asarray(labels, dtype=float)[order][None, :], axis=1), ends)
    n1, n = ones[:, -1:], running[:, -1:]
    gap = np.abs(ones * n - running * n1).max(axis=1)
    n1, n = n1[:, 0], n[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((n1 > 0) & (n1 < n), gap / (n1 * (n - n1)), np.nan)


def bootstrap_tv(levels: np.ndarray, labels: np.ndarray, counts: np.ndarray, count: int) -> np.ndarray:
    """The total-variation distance of each resample ``counts (B, n)`` of level indices ``0..count-1``."""
    order = np.argsort(levels, kind="stable")
    present = np.unique(levels)
    starts = np.searchsorted(levels[order], present)
    weights = np.take(counts, order, axis=1)
    every = np.add.reduceat(weights, starts, axis=1)
    ones = np.add.reduceat(weights * np.asarray(labels, dtype=float)[order][None, :], starts, axis=1)
    zeros = every - ones
    n1, n0 = ones.sum(axis=1, keepdims=True), zeros.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        distance = 0.5 * np.abs(ones / n1 - zeros / n0).sum(axis=1)
    return np.where((n1[:, 0] > 0) & (n0[:, 0] > 0), distance, np.nan)


PAWN_STATISTICS = ("minimum", "mean", "median", "maximum", "cv", "stdev")


def pawn_binary(x: np.ndarray, labels: np.ndarray, *, slides: int = 10, levels: int | None = None) -> dict:
    """PAWN indices of a 0/1 output for one input: the statistics over the conditioning intervals.

    Returns ``{statistic: value}`` for :data:`PAWN_STATISTICS` (SALib's ``minimum, mean, median,
    maximum, CV, stdev``; the CV and the standard deviation with ddof 0, as in SALib); empty
    intervals are left out.
    """
    labels = np.asarray(labels, dtype=float)
    overall = labels.mean()
    if levels is not None:
        members = [x == level for level in range(levels)]
    else:
        edges = np.quantile(x, np.arange(0, 1 + 1 / slides, 1 / slides))
        members = [(x >= edges[s]) & (x < edges[s + 1]) for s in range(slides)]
    distances = np.array([abs(labels[inside].mean() - overall) for inside in members if inside.any()])
    mean = distances.mean()
    stdev = distances.std()
    return {"minimum": distances.min(), "mean": mean, "median": float(np.median(distances)),
            "maximum": distances.max(), "cv": stdev / mean if mean > 0 else np.nan, "stdev": stdev}
