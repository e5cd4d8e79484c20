"""The exact probability that a weighted sum is strong when the weights are uniform on the simplex.

For weights ``w`` uniform on the (k-1)-simplex (Dirichlet(1, ..., 1)) and a technology's
indicator values ``y_1..y_k``, the weighted sum ``S = sum_j w_j y_j`` has the normalised
B-spline of degree k - 2 with knots ``y_1..y_k`` as its density (Curry & Schoenberg 1966,
J. Analyse Math. 17:71-107, doi:10.1007/BF02788652). So ``P(S >= t)``, the volume of the
part of the simplex beyond the hyperplane ``w . y = t``, is one minus the integral of that
B-spline up to ``t``: computed with :meth:`scipy.interpolate.BSpline.integrate`, which handles
repeated knots (equal indicator values) as the limit of distinct ones, divided by the
B-spline's total mass ``(y_max - y_min) / (k - 1)``.
"""

from __future__ import annotations

import numpy as np
from scipy.interpolate import BSpline


def probability_strong(values: np.ndarray, threshold: float) -> float:
    """``P(sum_j w_j y_j >= t)`` for ``w`` uniform on the simplex.

    Examples
    --------
    >>> round(probability_strong(np.array([0.7, 0.4]), 0.5), 12)   # w_1 >= 1/3
    0.666666666667
    """
    knots = np.sort(np.asarray(values, dtype=float))
    if knots[0] == knots[-1]:  # every indicator equal (or a single one): the sum is that value
        return float(knots[0] >= threshold)
    if threshold <= knots[0]:
        return 1.0
    if threshold >= knots[-1]:  # at the largest value: a set of weights of volume zero
        return 0.0
    spline = BSpline.basis_element(knots, extrapolate=False)
    below = spline.integrate(knots[0], threshold) * (len(knots) - 1) / (knots[-1] - knots[0])
    return float(np.clip(1.0 - below, 0.0, 1.0))
