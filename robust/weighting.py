"""Objective weighting of capability indicators, vectorised over a batch axis.

Every method takes a table ``values`` of shape ``(..., m, k)`` (m technologies, k
benefit-type indicators, any leading batch axes) and returns weights of shape
``(..., k)`` that are non-negative and sum to one. The functions are pure and silent:
the conventions for degenerate input are documented below and reported for a single
table by :func:`weighting_notes`, which the callers turn into warnings.

Methods
-------
``entropy``
    The paper's Appendix 2 (Shannon entropy after min-max normalisation):
    ``Y = (X - min) / (max - min)`` per indicator, ``P = Y / sum_i Y``,
    ``E_j = -sum_i P_ij ln P_ij / ln m`` with ``0 ln 0 = 0``, ``w_j = (1 - E_j) / sum (1 - E)``.
    Shannon (1948); Zeleny (1982), *Multiple Criteria Decision Making*, ch. 7.
``critic``
    CRITIC, Diakoulaki, Mavrotas & Papayannakis (1995), Comput. Oper. Res. 22(7):763-770,
    doi:10.1016/0305-0548(94)00059-H: min-max normalisation, ``C_j = s_j sum_l (1 - r_jl)``
    with ``s_j`` the standard deviation and ``r`` the Pearson correlation of the normalised
    columns, ``w = C / sum C``. The ddof of ``s`` cancels in the ratio.
``equal``
    ``w_j = 1 / k``.

Degenerate input
----------------
- An indicator that is constant over the technologies carries no information: it gets
  weight 0 under ``entropy`` and ``critic`` (for ``critic`` it is left out of the
  correlation sums, as if it were not there).
- When no indicator gets a positive score (all constant; or, for ``critic``, all perfectly
  correlated with one another) the method is undefined; the fallback is equal weights over
  the non-constant indicators (over all indicators if every one is constant).
- A single indicator always gets weight 1.
"""

from __future__ import annotations

from typing import Callable, Literal

import numpy as np

WeightingMethod = Literal["entropy", "critic", "equal"]
WEIGHTING_METHODS: tuple[str, ...] = ("entropy", "critic", "equal")


def minmax_columns(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Min-max normalise each indicator over the technologies axis (-2).

    Returns the normalised table and a ``(..., k)`` mask of constant indicators, whose
    normalised values are set to 0 (the scikit-learn convention for zero range).
    """
    lower = values.min(axis=-2, keepdims=True)
    span = values.max(axis=-2, keepdims=True) - lower
    constant = span[..., 0, :] == 0
    normalised = (values - lower) / np.where(span > 0, span, 1.0)
    return normalised, constant


def _normalise_scores(scores: np.ndarray, constant: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale non-negative scores ``(..., k)`` to sum to one; fall back to equal weights.

    Returns the weights and a ``(...)`` mask of the tables that used the fallback.
    """
    total = scores.sum(axis=-1, keepdims=True)
    fallback = total[..., 0] <= 0
    weights = scores / np.where(total > 0, total, 1.0)
    if fallback.any():
        informative = ~constant
        none_informative = ~informative.any(axis=-1, keepdims=True)
        equal_share = np.where(none_informative, True, informative).astype(float)
        equal_share /= equal_share.sum(axis=-1, keepdims=True)
        weights = np.where(fallback[..., None], equal_share, weights)
    return weights, fallback


def _entropy(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    normalised, constant = minmax_columns(values)
    m = values.shape[-2]
    column_sum = normalised.sum(axis=-2, keepdims=True)
    shares = normalised / np.where(column_sum > 0, column_sum, 1.0)
    log_shares = np.log(shares, out=np.zeros_like(shares), where=shares > 0)
    entropy = -(shares * log_shares).sum(axis=-2) / np.log(m)
    divergence = np.where(constant, 0.0, 1.0 - entropy)
    return _normalise_scores(divergence, constant)


def _critic(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    normalised, constant = minmax_columns(values)
    centred = normalised - normalised.mean(axis=-2, keepdims=True)
    sum_squares = np.einsum("...ij,...ij->...j", centred, centred)
    std = np.sqrt(sum_squares / (values.shape[-2] - 1))
    cross = np.einsum("...ij,...il->...jl", centred, centred)
    scale = np.sqrt(sum_squares[..., :, None] * sum_squares[..., None, :])
    correlation = np.clip(cross / np.where(scale > 0, scale, 1.0), -1.0, 1.0)
    involves_constant = constant[..., :, None] | constant[..., None, :]
    conflict = np.where(involves_constant, 0.0, 1.0 - correlation).sum(axis=-1)
    information = np.where(constant, 0.0, std * conflict)
    return _normalise_scores(information, constant)


def _equal(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    k = values.shape[-1]
    weights = np.full(values.shape[:-2] + (k,), 1.0 / k)
    return weights, np.zeros(values.shape[:-2], dtype=bool)


_METHODS: dict[str, Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]] = {
    "entropy": _entropy,
    "critic": _critic,
    "equal": _equal,
}


def _check_method(method: str) -> None:
    if method not in _METHODS:
        raise ValueError(
            f"unknown weighting method {method!r}; allowed: {', '.join(WEIGHTING_METHODS)}"
        )


def compute_weights(values: np.ndarray, method: str) -> np.ndarray:
    """Objective weights of the indicators, for one table or a batch of tables.

    Parameters
    ----------
    values : array_like, shape (..., m, k)
        Indicator values, technologies along axis -2, indicators along axis -1.
    method : str
        One of :data:`WEIGHTING_METHODS`.

    Returns
    -------
    ndarray, shape (..., k)
        Non-negative weights summing to one (see the module notes for degenerate input).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[0.1, 0.5], [0.2, 0.4], [0.4, 0.45]])
    >>> compute_weights(x, "equal")
    array([0.5, 0.5])
    """
    _check_method(method)
    values = np.asarray(values, dtype=float)
    if values.ndim < 2 or values.shape[-2] < 2 or values.shape[-1] < 1:
        raise ValueError(
            f"values must have shape (..., m, k) with m >= 2 and k >= 1, got {values.shape}"
        )
    if values.shape[-1] == 1:
        return np.ones(values.shape[:-2] + (1,))
    return _METHODS[method](values)[0]


def weighting_notes(values: np.ndarray, method: str, indicators: tuple[str, ...]) -> list[str]:
    """Describe, for one ``(m, k)`` table, the degenerate conventions the method applies.

    Returns one sentence per convention used (empty when the input is regular).
    """
    _check_method(method)
    values = np.asarray(values, dtype=float)
    if values.shape[-1] == 1 or method == "equal":
        return []
    _, constant = minmax_columns(values)
    _, fallback = _METHODS[method](values)
    notes = [
        f"indicator {name!r} is constant, so {method} gives it weight 0"
        for name, is_constant in zip(indicators, constant)
        if is_constant
    ]
    if fallback:
        notes.append(
            f"{method} weights are undefined for this table (no indicator varies"
            + (" independently of the others" if method == "critic" else "")
            + "); using equal weights over the non-constant indicators"
        )
    return notes
