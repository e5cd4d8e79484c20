"""Objective weighting of capability indicators, vectorised over a batch axis.

Every method takes a table ``values`` of shape ``(..., m, k)`` (m technologies, k
benefit-type indicators, any leading batch axes) and returns weights of shape
``(..., k)`` that are non-negative and sum to one. The functions are pure and silent:
the conventions for degenerate input are documented below and reported for a single
table by :func:`weighting_notes`, which the callers turn into warnings. Data outside a
method's domain (see :data:`WEIGHTING_DOMAINS`) is rejected by
:func:`check_weighting_domain` before anything is computed.

Methods
-------
Below, ``Y = (X - min) / (max - min)`` is the min-max normalised table (per indicator,
over the technologies) and ``w = score / sum(score)``.

``entropy``
    The paper's Appendix 2 (Shannon entropy after min-max normalisation):
    ``P = Y / sum_i Y``, ``E_j = -sum_i P_ij ln P_ij / ln m`` with ``0 ln 0 = 0``,
    ``score_j = 1 - E_j``. Shannon (1948), Bell Syst. Tech. J. 27(3):379-423,
    doi:10.1002/j.1538-7305.1948.tb01338.x; Zeleny (1982), *Multiple Criteria Decision
    Making*, ch. 7.
``entropy_sum``
    The same entropy on the raw values, ``P = X / sum_i X`` (column-sum normalisation):
    what pymcdm, pyrepo-mcda and most MCDA texts call the entropy method. Needs
    non-negative values.
``critic``
    CRITIC, Diakoulaki, Mavrotas & Papayannakis (1995), Comput. Oper. Res. 22(7):763-770,
    doi:10.1016/0305-0548(94)00059-H: ``score_j = s_j sum_l (1 - r_jl)`` with ``s_j`` the
    standard deviation of ``Y_j`` and ``r`` the Pearson correlation of the columns of ``Y``.
    The ddof of ``s`` cancels in ``w``.
``critic_spearman``
    CRITIC with ``r`` the Spearman rank correlation (Pearson correlation of the average
    ranks, ties sharing their mean rank; Spearman (1904), Am. J. Psychol. 15(1):72-101,
    doi:10.2307/1412159): robust to outliers and to any monotone transformation of an
    indicator; ``s_j`` is still the standard deviation of ``Y_j``.
``equal``
    ``w_j = 1 / k``.
``std``
    Standard-deviation weights, ``score_j = s_j``, the standard deviation of ``Y_j``
    (Wang & Luo (2010), Math. Comput. Model. 51(1-2):1-12, doi:10.1016/j.mcm.2009.07.016).
    On min-max normalised columns, so the weights do not depend on each indicator's
    unit; the ddof cancels.
``merec``
    MEREC, Keshavarz-Ghorabaee, Amiri, Zavadskas, Turskis & Antucheviciene (2021),
    Symmetry 13(4):525, doi:10.3390/sym13040525, for benefit indicators:
    ``n_ij = min_i X_ij / X_ij``, overall performance ``S_i = ln(1 + (1/k) sum_j |ln n_ij|)``,
    performance without indicator j ``S'_ij = ln(1 + (1/k) sum_{l != j} |ln n_il|)``
    (the same ``1/k``), ``score_j = sum_i |S'_ij - S_i|``. Needs positive values.
``gini``
    Gini-coefficient weights: ``score_j = G_j``, the Gini coefficient of ``X_j``,
    ``G_j = sum_i sum_h |X_ij - X_hj| / (2 m^2 mean_i X_ij)`` (Gini (1912), *Variabilità e
    mutabilità*; see Ceriani & Verme (2012), J. Econ. Inequal. 10(3):421-443,
    doi:10.1007/s10888-011-9188-x), as in pymcdm and pyrepo-mcda. Computed from the
    sorted column, ``G_j = sum_i (2i - m - 1) X_(i)j / (m sum_i X_ij)``. Needs non-negative
    values.

Degenerate input
----------------
- An indicator that is constant over the technologies carries no information: every
  data-driven method gives it weight 0, whatever its value (an all-zero column included,
  so the domain rules below apply to the non-constant indicators only). Under ``critic``
  and ``critic_spearman`` it is left out of the correlation sums, as if it were not
  there; under ``merec`` it still counts in the ``1/k`` of the formula (as in the paper
  and in pymcdm and pyrepo-mcda), so the other weights can change a little with it.
- When no indicator gets a positive score (all constant; or, for ``critic`` and
  ``critic_spearman``, all perfectly correlated with one another, a correlation within
  :data:`PERFECT_CORRELATION_TOLERANCE` of 1 counting as perfect) the method is
  undefined; the fallback is equal weights over the non-constant indicators (over all
  indicators if every one is constant).
- A single indicator always gets weight 1, whatever the method and the data.
- ``entropy_sum`` and ``gini`` need non-negative values and ``merec`` positive values in
  every non-constant indicator; other data raise :class:`robust.core.errors.InputError`
  naming the method and the indicator (:func:`check_weighting_domain`).

Independent implementations (checked in ``tests/test_weighting.py`` to 1e-12)
-------------------------------------------------------------------------------
- ``entropy`` equals pyrepo-mcda's ``entropy_weighting`` of ``Y``. pymcdm's
  ``entropy_weights`` cannot serve: ``Y`` always holds a zero, and pymcdm 1.4 rejects any
  value <= 0 (its sum normalisation raises; past that, its code would set the entropy of
  a column holding a zero to 0, not use ``0 ln 0 = 0``).
- ``entropy_sum`` equals pyrepo-mcda's ``entropy_weighting`` of ``X`` (zeros included,
  ``0 ln 0 = 0``), and pymcdm's ``entropy_weights`` of ``X`` when ``X`` is positive.
  pyrepo-mcda takes the absolute value of negative shares silently; we reject negative
  values.
- ``critic`` equals pymcdm's ``critic_weights`` and pyrepo-mcda's ``critic_weighting``.
  Neither library offers Spearman: ``critic_spearman`` is checked against pymcdm's
  ``standard_deviation_weights`` of ``Y`` times ``sum_l (1 - r_jl)`` from
  ``scipy.stats.spearmanr``.
- ``std`` equals pymcdm's ``standard_deviation_weights`` (ddof 1) and pyrepo-mcda's
  ``std_weighting`` (ddof 0) of ``Y``; both libraries apply them to the raw ``X``, which
  makes the weights depend on each indicator's unit (not what ``std`` does here).
- ``merec`` equals pymcdm's ``merec_weights`` and pyrepo-mcda's ``merec_weighting`` with
  all criteria of benefit type on positive data. On a zero pymcdm raises, and pyrepo-mcda
  returns NaN; pyrepo-mcda also takes the absolute value of negative data silently.
- ``gini`` equals pymcdm's ``gini_weights`` and pyrepo-mcda's ``gini_weighting`` on
  non-negative data. For an all-zero column pymcdm returns NaN and pyrepo-mcda divides by
  ``m^2 - m`` instead of the mean (both give that column no weight here); on negative data
  both return a "Gini coefficient" that can be negative or above 1.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .errors import InputError
from .options import WEIGHTING_METHODS

# method -> (the values its non-constant indicators need, why)
WEIGHTING_DOMAINS: dict[str, tuple[str, str]] = {
    "entropy_sum": ("non-negative", "it treats each indicator as shares of its column sum"),
    "merec": ("positive", "it takes the logarithm of min / value"),
    "gini": ("non-negative", "a Gini coefficient measures the inequality of non-negative amounts"),
}
_CORRELATION_METHODS: tuple[str, ...] = ("critic", "critic_spearman")
PERFECT_CORRELATION_TOLERANCE = 1e-12


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


def scores_to_weights(scores: np.ndarray, constant: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale non-negative scores ``(..., k)`` to sum to one; fall back to equal weights.

    The fallback, where no score is positive, is equal weights over the indicators that are
    not constant (``constant``, ``(..., k)``), or over all of them when every one is.
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


def _shannon_weights(amounts: np.ndarray, constant: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Entropy weights of non-negative ``amounts`` taken as shares of their column sums."""
    m = amounts.shape[-2]
    column_sum = amounts.sum(axis=-2, keepdims=True)
    shares = amounts / np.where(column_sum > 0, column_sum, 1.0)
    log_shares = np.log(shares, out=np.zeros_like(shares), where=shares > 0)
    entropy = -(shares * log_shares).sum(axis=-2) / np.log(m)
    divergence = np.where(constant, 0.0, 1.0 - entropy)
    return scores_to_weights(divergence, constant)


def _entropy(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    normalised, constant = minmax_columns(values)
    return _shannon_weights(normalised, constant)


def _entropy_sum(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    _, constant = minmax_columns(values)
    return _shannon_weights(values, constant)


def _column_std(columns: np.ndarray) -> np.ndarray:
    """Standard deviation (ddof 1) of each column over axis -2."""
    centred = columns - columns.mean(axis=-2, keepdims=True)
    return np.sqrt(np.einsum("...ij,...ij->...j", centred, centred) / (columns.shape[-2] - 1))


def _column_correlation(columns: np.ndarray) -> np.ndarray:
    """Pearson correlation ``(..., k, k)`` of the columns (0 where a column is constant)."""
    centred = columns - columns.mean(axis=-2, keepdims=True)
    sum_squares = np.einsum("...ij,...ij->...j", centred, centred)
    cross = np.einsum("...ij,...il->...jl", centred, centred)
    scale = np.sqrt(sum_squares[..., :, None] * sum_squares[..., None, :])
    return np.clip(cross / np.where(scale > 0, scale, 1.0), -1.0, 1.0)


def _critic_weights(
    normalised: np.ndarray, constant: np.ndarray, correlation: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    involves_constant = constant[..., :, None] | constant[..., None, :]
    dissimilarity = 1.0 - correlation
    # a perfect correlation can come out as 1 - 1e-16 after the normalisation; rounding
    # noise must not decide the weights, so within PERFECT_CORRELATION_TOLERANCE it is 1
    dissimilarity[dissimilarity < PERFECT_CORRELATION_TOLERANCE] = 0.0
    conflict = np.where(involves_constant, 0.0, dissimilarity).sum(axis=-1)
    information = np.where(constant, 0.0, _column_std(normalised) * conflict)
    return scores_to_weights(information, constant)


def _critic(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    normalised, constant = minmax_columns(values)
    return _critic_weights(normalised, constant, _column_correlation(normalised))


def _critic_spearman(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from scipy.stats import rankdata

    normalised, constant = minmax_columns(values)
    ranks = rankdata(values, method="average", axis=-2)
    return _critic_weights(normalised, constant, _column_correlation(ranks))


def _equal(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    k = values.shape[-1]
    weights = np.full(values.shape[:-2] + (k,), 1.0 / k)
    return weights, np.zeros(values.shape[:-2], dtype=bool)


def _std(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    normalised, constant = minmax_columns(values)
    return scores_to_weights(_column_std(normalised), constant)


def _merec(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Needs positive values in the non-constant indicators (check_weighting_domain);
    # a constant indicator has n_ij = 1, whatever its value.
    _, constant = minmax_columns(values)
    k = values.shape[-1]
    amounts = np.where(constant[..., None, :], 1.0, values)
    log_ratio = np.log(amounts / amounts.min(axis=-2, keepdims=True))  # |ln n_ij| >= 0
    total = log_ratio.sum(axis=-1, keepdims=True)
    overall = np.log1p(total / k)
    without = np.log1p((total - log_ratio) / k)
    removal_effect = np.abs(without - overall).sum(axis=-2)
    return scores_to_weights(np.where(constant, 0.0, removal_effect), constant)


def _gini(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Needs non-negative values in the non-constant indicators (check_weighting_domain).
    _, constant = minmax_columns(values)
    m = values.shape[-2]
    ordered = np.sort(values, axis=-2)
    position = 2.0 * np.arange(1, m + 1) - m - 1
    spread = np.einsum("i,...ij->...j", position, ordered)
    column_sum = values.sum(axis=-2)
    gini = spread / np.where(column_sum > 0, m * column_sum, 1.0)
    return scores_to_weights(np.where(constant, 0.0, gini), constant)


_METHODS: dict[str, Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]] = {
    "entropy": _entropy,
    "entropy_sum": _entropy_sum,
    "critic": _critic,
    "critic_spearman": _critic_spearman,
    "equal": _equal,
    "std": _std,
    "merec": _merec,
    "gini": _gini,
}


def _check_method(method: str) -> None:
    if method not in _METHODS:
        raise ValueError(
            f"unknown weighting method {method!r}; allowed: {', '.join(WEIGHTING_METHODS)}"
        )


def check_weighting_domain(
    values: np.ndarray, method: str, indicators: tuple[str, ...] | None = None
) -> None:
    """Raise :class:`~robust.core.errors.InputError` if ``method`` is undefined for ``values``.

    ``entropy_sum`` and ``gini`` need non-negative values, ``merec`` positive values, in
    every indicator that is not constant (a constant indicator gets weight 0 whatever its
    value); a single indicator always gets weight 1. The message names the method and the
    first offending indicator (by name when ``indicators`` is given, else by index).

    Examples
    --------
    >>> import numpy as np
    >>> check_weighting_domain(np.array([[1.0, 2.0], [0.0, 3.0]]), "merec", ("a", "b"))
    Traceback (most recent call last):
    ...
    robust.core.errors.InputError: merec weighting needs positive values (it takes the logarithm of min / value), but indicator 'a' is 0 in row 2
    """
    _check_method(method)
    values = np.asarray(values, dtype=float)
    if method not in WEIGHTING_DOMAINS or values.shape[-1] == 1:
        return
    rule, reason = WEIGHTING_DOMAINS[method]
    _, constant = minmax_columns(values)
    outside = (values <= 0) if rule == "positive" else (values < 0)
    outside &= ~constant[..., None, :]
    if not outside.any():
        return
    where = tuple(int(i) for i in np.argwhere(outside)[0])
    value = values[where]
    if indicators is None:
        place = f"values[{', '.join(map(str, where))}] is {value:g}"
    else:
        batch = f" of table {where[:-2]}" if len(where) > 2 else ""
        place = f"indicator {indicators[where[-1]]!r} is {value:g} in row {where[-2] + 1}{batch}"
    raise InputError(f"{method} weighting needs {rule} values ({reason}), but {place}")


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

    Raises
    ------
    InputError
        When the values are outside the method's domain (:func:`check_weighting_domain`).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[0.1, 0.5], [0.2, 0.4], [0.4, 0.45]])
    >>> compute_weights(x, "equal")
    array([0.5, 0.5])
    >>> compute_weights(x, "entropy").round(4)
    array([0.5371, 0.4629])
    >>> compute_weights(x, "gini").round(4)
    array([0.8526, 0.1474])
    """
    _check_method(method)
    values = np.asarray(values, dtype=float)
    if values.ndim < 2 or values.shape[-2] < 2 or values.shape[-1] < 1:
        raise ValueError(
            f"values must have shape (..., m, k) with m >= 2 and k >= 1, got {values.shape}"
        )
    if values.shape[-1] == 1:
        return np.ones(values.shape[:-2] + (1,))
    check_weighting_domain(values, method)
    return _METHODS[method](values)[0]


def weighting_notes(values: np.ndarray, method: str, indicators: tuple[str, ...]) -> list[str]:
    """Describe, for one ``(m, k)`` table, the degenerate conventions the method applies.

    Returns one sentence per convention used (empty when the input is regular). Raises
    :class:`~robust.core.errors.InputError` when the method is undefined for the table
    (:func:`check_weighting_domain`).
    """
    _check_method(method)
    values = np.asarray(values, dtype=float)
    if values.shape[-1] == 1 or method == "equal":
        return []
    check_weighting_domain(values, method, indicators)
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
            + (" independently of the others" if method in _CORRELATION_METHODS else "")
            + "); using equal weights over the non-constant indicators"
        )
    return notes
