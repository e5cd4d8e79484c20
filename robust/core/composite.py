"""The two steps of a composite indicator: normalise each indicator, then aggregate them with weights.

Both are vectorised over any leading batch axes and silent (no warnings, no randomness): the
scorer (:func:`robust.core.scoring.score_batch`) calls them on a stack of models at once. Every
formula below is checked against a known answer in ``tests/core/test_composite.py``.

Normalisation (``normalize``), per indicator over the m technologies of the table
------------------------------------------------------------------------------------
``none``
    The raw values (the paper: the patent ratios are shares already).
``minmax``
    ``(x - min) / (max - min)``; 0 for every value when the range is zero.
``zscore``
    ``Phi((x - mean) / sd)``: the z-score (``sd`` with ddof 1, as R's ``sd`` and COINr's
    ``n_zscore``) mapped into (0, 1) by the standard normal distribution function ``Phi``, so that
    a threshold of 0.5 means *the indicator's mean*; with linear aggregation and weights summing
    to 1, capability 0.5 is a weighted average of ``Phi`` at 0. ``Phi`` is monotone, so the order
    of the technologies on each indicator is that of the z-scores; a constant indicator
    (``sd = 0``) gets 0.5 (its z-score is taken as 0).
``rank``
    ``(r - 1) / (m - 1)`` with ``r`` the rank from 1 (smallest) to m (largest), ties sharing
    their average rank (``scipy.stats.rankdata``, method ``average``): 0 for the lowest, 1 for the
    highest technology, and 0.5 the median one, so a threshold of 0.5 means *above the median*.
    A constant indicator gets 0.5 for every technology.

Aggregation (``aggregation``), per technology over the k indicators (weights ``w >= 0``, sum 1)
------------------------------------------------------------------------------------------------
``linear``
    ``sum_j w_j y_j``, the weighted arithmetic mean (the paper). OECD/JRC (2008), *Handbook on
    Constructing Composite Indicators*, section 6.1, doi:10.1787/9789264043466-en.
``geometric``
    ``prod_j y_j ** w_j``, the weighted geometric mean, computed as ``exp(sum_j w_j ln y_j)``
    (OECD/JRC 2008, section 6.2): a low value is compensated less than under the arithmetic mean.
    **Zeros**: the exact limit is used, ``0 ** w = 0`` for ``w > 0`` and ``0 ** 0 = 1``, so a
    technology with a zero on any indicator of positive weight gets capability 0 (no
    compensation at all); min-max and rank normalisation give the lowest technology of each
    indicator a zero, so combine them with ``geometric`` only when that is meant. Negative values
    are outside its domain (refused before scoring, :func:`robust.core.model.checked_composite`).
``mazziotta_pareto``
    The adjusted Mazziotta-Pareto index (AMPI; Mazziotta & Pareto 2018, Soc. Indic. Res.
    136(3):967-976, doi:10.1007/s11205-017-1577-5), the arithmetic mean with a penalty for
    unbalanced indicators, on values in [0, 1]: the AMPI rescales them to ``r = 70 + 60 y`` (its
    goalposts, 100 the middle), takes the mean ``M_r``, standard deviation ``S_r`` (over the
    indicators, ddof 0) and ``cv = S_r / M_r`` of each technology and gives ``M_r - S_r cv``;
    capability is that mapped back to [0, 1], ``(AMPI - 70) / 60``, which is
    ``M - 60 S^2 / (70 + 60 M)`` with ``M = sum_j w_j y_j`` and ``S^2 = sum_j w_j (y_j - M)^2``
    (the weighted generalisation of the AMPI's equal weights). A technology with equal values on
    every indicator keeps that value; otherwise capability is below the arithmetic mean and above
    the smallest value.

Every aggregation lies between a technology's smallest and largest value, so capability keeps
the range of the normalised values (and a threshold's admissible range does not depend on it).
"""

from __future__ import annotations

import numpy as np

from .options import AGGREGATION_OPTIONS, NORMALIZE_OPTIONS

AMPI_LOW, AMPI_SPAN = 70.0, 60.0  # the AMPI's goalposts: [0, 1] is rescaled to [70, 130]


def minmax(values: np.ndarray, lower, upper) -> np.ndarray:
    """``(values - lower) / (upper - lower)``, and 0 where the range is zero."""
    span = upper - lower
    return np.divide(values - lower, span, out=np.zeros(np.broadcast_shapes(
        np.shape(values), np.shape(span))), where=span != 0)


def zscore_unit(values: np.ndarray) -> np.ndarray:
    """``Phi(z)`` of each column of ``values (..., m, k)`` over its m rows (0.5 where constant)."""
    from scipy.special import ndtr

    values = np.ascontiguousarray(values, dtype=float)  # sums over the rows in row order
    m = values.shape[-2]
    mean = values.sum(axis=-2, keepdims=True) / m
    deviation = values - mean
    sd = np.sqrt((deviation * deviation).sum(axis=-2, keepdims=True) / (m - 1))
    z = np.divide(deviation, sd, out=np.zeros(deviation.shape), where=sd > 0)
    return ndtr(z)


def rank_unit(values: np.ndarray) -> np.ndarray:
    """``(r - 1) / (m - 1)`` of each column of ``values (..., m, k)``, ``r`` the average rank (1 = smallest)."""
    from scipy.stats import rankdata

    m = np.shape(values)[-2]
    return (rankdata(values, method="average", axis=-2) - 1.0) / (m - 1)


def normalized(values, normalize: str) -> np.ndarray:
    """The table ``(..., m, k)`` normalised per indicator over its technologies (module notes)."""
    values = np.asarray(values, dtype=float)
    if normalize == "none":
        return values
    if normalize == "minmax":
        return minmax(values, values.min(axis=-2, keepdims=True), values.max(axis=-2, keepdims=True))
    if normalize == "zscore":
        return zscore_unit(values)
    if normalize == "rank":
        return rank_unit(values)
    raise ValueError(f"normalize must be one of {', '.join(NORMALIZE_OPTIONS)}; got {normalize!r}")


def aggregate(columns, weights, aggregation: str) -> np.ndarray:
    """Capability from per-indicator columns and weights (module notes), accumulated in column order.

    Parameters
    ----------
    columns : sequence of k arrays
        The normalised values of indicator j, any shape.
    weights : sequence of k arrays
        The weight of indicator j, broadcastable against ``columns[j]``.
    aggregation : {"linear", "geometric", "mazziotta_pareto"}

    Returns
    -------
    ndarray
        Element-wise operations only, so a model's capability has the same bits alone or in a batch.

    Examples
    --------
    >>> columns, weights = [np.array([1.0, 0.25]), np.array([0.0, 1.0])], [0.5, 0.5]
    >>> aggregate(columns, weights, "linear"), aggregate(columns, weights, "geometric")
    (array([0.5  , 0.625]), array([0. , 0.5]))
    >>> float(aggregate(columns, weights, "mazziotta_pareto")[0])   # AMPI of (130, 70): 91
    0.35
    """
    if aggregation not in AGGREGATION_OPTIONS:
        raise ValueError(f"aggregation must be one of {', '.join(AGGREGATION_OPTIONS)}; got {aggregation!r}")
    if aggregation == "geometric":
        return _geometric(columns, weights)
    mean = weights[0] * columns[0]
    for weight, column in zip(weights[1:], columns[1:]):
        mean += weight * column
    if aggregation == "linear":
        return mean
    spread = np.zeros(np.shape(mean))
    for weight, column in zip(weights, columns):
        spread += weight * (column - mean) ** 2
    return mean - AMPI_SPAN * spread / (AMPI_LOW + AMPI_SPAN * mean)


def _geometric(columns, weights) -> np.ndarray:
    """``exp(sum_j w_j ln y_j)``, 0 where some ``y_j = 0`` has ``w_j > 0`` (``0 ** 0 = 1``)."""
    shape = np.broadcast_shapes(*(np.shape(w) for w in weights), *(np.shape(c) for c in columns))
    total, zero = np.zeros(shape), np.zeros(shape, dtype=bool)
    for weight, column in zip(weights, columns):
        weight = np.asarray(weight, dtype=float)
        column = np.asarray(column, dtype=float)
        used, positive = weight > 0, column > 0
        logarithm = np.log(column, out=np.zeros(column.shape), where=positive)
        total += np.where(used & positive, weight * logarithm, 0.0)
        zero |= used & ~positive
    return np.where(zero, 0.0, np.exp(total))


def capability_ranks(capability) -> np.ndarray:
    """Rank of each technology's capability among the m on the last axis: 1 the highest.

    Ties share the best rank (``scipy.stats.rankdata(-capability, method="min")``): a rank is one
    plus the number of technologies with a strictly higher capability.
    """
    from scipy.stats import rankdata

    return rankdata(-np.asarray(capability, dtype=float), method="min", axis=-1).astype(np.int64)
