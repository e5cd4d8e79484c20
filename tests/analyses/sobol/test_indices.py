"""Sobol' indices of any function: closed-form test functions, rare events, argument checks."""

import numpy as np
import pytest

from robust import DegenerateWarning, InputError, sobol_indices
from robust.analyses.sobol.estimators import estimate_scramble


def ishigami(unit, a=7.0, b=0.1):
    x = -np.pi + 2 * np.pi * unit
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def linear(unit):
    return unit @ np.array([1.0, 2.0, 3.0, 4.0])


def test_ishigami_closed_form_indices():
    a, b = 7.0, 0.1
    v1, v2, v13 = 0.5 * (1 + b * np.pi**4 / 5) ** 2, a**2 / 8, 8 * b**2 * np.pi**8 / 225
    variance = v1 + v2 + v13
    result = sobol_indices(ishigami, groups=[("x1", 1), ("x2", 1), ("x3", 1)], n=4096,
                           scrambles=4, second_order=True, rng=1)
    first, total = result.first_order(), result.total_order()
    np.testing.assert_allclose(first.estimate[0], [v1 / variance, v2 / variance, 0], atol=0.005)
    np.testing.assert_allclose(total.estimate[0], [(v1 + v13) / variance, v2 / variance, v13 / variance],
                               atol=0.005)
    second = result.second_order_indices().estimate[0]          # pairs (x1,x2), (x1,x3), (x2,x3)
    np.testing.assert_allclose(second, [0, v13 / variance, 0], atol=0.01)
    assert (first.low < first.estimate).all() and (first.estimate < first.high).all()


def test_linear_model_with_a_group_has_closed_form_indices():
    # y = x1 + 2 x2 + 3 x3 + 4 x4, x ~ U(0, 1): S_i = a_i^2 / sum a^2; (x1, x2) is one group
    result = sobol_indices(linear, groups=[("x1x2", 2), ("x3", 1), ("x4", 1)], n=1024,
                           scrambles=3, rng=2)
    expected = [5 / 30, 9 / 30, 16 / 30]
    first, total = result.first_order(), result.total_order()
    np.testing.assert_allclose(first.estimate[0], expected, atol=0.002)
    np.testing.assert_allclose(total.estimate[0], expected, atol=0.002)
    assert (first.low <= expected).all() and (first.high >= expected).all()


def test_a_rare_event_seen_by_some_scrambles_warns_and_counts_them():
    def rare(unit):
        return (unit[:, 0] < 0.004).astype(float)

    with pytest.warns(DegenerateWarning, match=r"1 output\(s\) varied in only some scrambles .*output 0 \(2 of 3\)"):
        result = sobol_indices(rare, groups=[("a", 1), ("b", 1)], n=64, scrambles=3, rng=1)
    pooled = result.first_order()
    assert pooled.used[0, 0] == 2 and np.isfinite(pooled.estimate).all()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: estimate_scramble(np.zeros((64 * 4, 1)), groups=2, seed=0), ValueError, r"seed must be >= 1"),
        (lambda: estimate_scramble(np.zeros((32 * 4, 1)), groups=2, seed=1), ValueError,
         r"values must hold N \* \(G \+ 2\) rows with N a power of two >= 64"),
        (lambda: sobol_indices(linear, groups=[("a", 4)], n=64), InputError,
         r"groups must name at least 2 distinct factors"),
        (lambda: sobol_indices(linear, groups=[("a", 2), ("b", 2)], n=64, rng=-1), TypeError,
         r"rng must be None, a non-negative integer"),
    ],
)
def test_each_mistake_has_its_own_message(call, error, message):
    with pytest.raises(error, match=message):
        call()
