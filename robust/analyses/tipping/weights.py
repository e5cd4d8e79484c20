"""How far the weights must move before a technology's capability crosses its threshold.

Capability is linear in the weights: ``c(w) = sum_j w_j y_j`` with ``y`` the technology's
indicator values (raw, or min-max normalised) and ``w`` on the simplex. Its side of the
threshold ``t`` is the sign of ``sum_j w_j (y_j - t)``, so both radii below are exact.

``linf_radius``
    The smallest ``eps`` such that the weights ``w_j (1 + e_j)``, ``|e_j| <= eps``,
    renormalised, put the capability on the threshold: ``|sum_j w_j (y_j - t)| /
    sum_j w_j |y_j - t|`` (the worst case shrinks the weights on the technology's side and
    grows the others). Any larger perturbation can flip it; infinite when every weighted
    indicator lies on the same side of ``t`` (no reweighting flips it).
``l1_radius``
    The smallest L1 distance on the simplex from ``w`` to weights that put the capability on
    the threshold: a linear programme (:func:`scipy.optimize.linprog`), with the tipping
    weights themselves. Moving weight mass from the indicator furthest above ``t`` to the one
    furthest below gives it whenever that mass is available (tested).

At the radius the capability equals the threshold, which counts as strong (``>=``); a
strong technology flips with any larger change, a weak one at the radius itself.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog


def linf_radius(values: np.ndarray, weights: np.ndarray, threshold: float) -> float:
    """The L-infinity relative weight radius of one technology (``inf`` when no reweighting flips it).

    Examples
    --------
    >>> round(linf_radius(np.array([0.6, 0.42]), np.array([0.5, 0.5]), 0.5), 12)  # 1/9
    0.111111111111
    """
    gaps = np.asarray(values, dtype=float) - threshold
    weights = np.asarray(weights, dtype=float)
    margin = float(weights @ gaps)
    opposite = (np.sign(gaps) != np.sign(margin)) & (weights > 0) & (gaps != 0)
    if margin != 0 and not opposite.any():
        return float("inf")
    spread = float(weights @ np.abs(gaps))
    return abs(margin) / spread if spread > 0 else float("inf")


def l1_radius(values: np.ndarray, weights: np.ndarray, threshold: float) -> tuple[float, np.ndarray | None]:
    """The L1 distance on the simplex to the nearest weights on the threshold, and those weights.

    Returns ``(inf, None)`` when no weights on the simplex reach the threshold.
    """
    gaps = np.asarray(values, dtype=float) - threshold
    weights = np.asarray(weights, dtype=float)
    k = len(gaps)
    strong = weights @ gaps >= 0
    # variables: the new weights v (k) and u >= |v - w| (k); minimise sum u
    cost = np.concatenate([np.zeros(k), np.ones(k)])
    identity = np.eye(k)
    upper = np.block([[identity, -identity], [-identity, -identity]])
    bound = np.concatenate([weights, -weights])
    side = np.concatenate([gaps if strong else -gaps, np.zeros(k)])[None, :]  # strong: v.g <= 0
    solution = linprog(cost, A_ub=np.vstack([upper, side]), b_ub=np.concatenate([bound, [0.0]]),
                       A_eq=np.concatenate([np.ones(k), np.zeros(k)])[None, :], b_eq=[1.0],
                       bounds=[(0, None)] * (2 * k), method="highs")
    if solution.status != 0:
        return float("inf"), None
    tipping = np.clip(solution.x[:k], 0.0, None)
    return float(np.abs(tipping - weights).sum()), tipping / tipping.sum()
