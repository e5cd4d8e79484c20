"""Weighting methods: known answers, independent implementations, invariances, degenerate input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm.weights import critic_weights as pymcdm_critic
from pyrepo_mcda.weighting_methods import critic_weighting as pyrepo_critic
from pyrepo_mcda.weighting_methods import entropy_weighting as pyrepo_entropy

from robust.weighting import WEIGHTING_METHODS, compute_weights, minmax_columns, weighting_notes


def _minmax(x):
    return (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))


def test_paper_entropy_weights(paper_table):
    weights = compute_weights(paper_table.values, "entropy")
    np.testing.assert_allclose(weights, [0.249320, 0.228245, 0.216055, 0.306380], atol=5e-7)
    # the paper prints 0.25/0.23/0.22/0.30: the first three rounded, the last 1 - their sum
    assert np.round(weights[:3], 2).tolist() == [0.25, 0.23, 0.22]
    assert round(1 - np.round(weights[:3], 2).sum(), 2) == 0.30


def test_entropy_equals_pyrepo_on_minmax_data(paper_table):
    # pyrepo-mcda's entropy normalises by column sums with 0 ln 0 = 0; on min-max data that is
    # exactly the paper's Appendix 2 (pymcdm sets a column's entropy to 0 when it holds a zero,
    # so it cannot serve as the oracle here).
    x = paper_table.values
    np.testing.assert_allclose(compute_weights(x, "entropy"), pyrepo_entropy(_minmax(x)), rtol=0, atol=1e-12)
    rng = np.random.default_rng(3)
    for _ in range(25):
        x = rng.uniform(-3, 10, (rng.integers(3, 30), rng.integers(2, 9)))
        np.testing.assert_allclose(compute_weights(x, "entropy"), pyrepo_entropy(_minmax(x)), rtol=0, atol=1e-12)


def test_critic_equals_pymcdm_and_pyrepo(paper_table):
    rng = np.random.default_rng(4)
    tables = [paper_table.values] + [
        rng.uniform(0, 1, (rng.integers(4, 30), rng.integers(2, 9))) for _ in range(25)
    ]
    for x in tables:
        ours = compute_weights(x, "critic")
        np.testing.assert_allclose(ours, pymcdm_critic(x), rtol=0, atol=1e-12)
        np.testing.assert_allclose(ours, pyrepo_critic(x), rtol=0, atol=1e-12)


def test_batch_of_tables_equals_each_table():
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 1, (7, 12, 4))
    for method in WEIGHTING_METHODS:
        together = compute_weights(x, method)
        assert together.shape == (7, 4)
        for b in range(7):
            np.testing.assert_allclose(together[b], compute_weights(x[b], method), rtol=0, atol=1e-15)


table_strategy = st.tuples(st.integers(3, 25), st.integers(1, 7), st.integers(0, 2**31))


@settings(max_examples=80, deadline=None)
@given(shape_seed=table_strategy, method=st.sampled_from(WEIGHTING_METHODS))
def test_weights_lie_on_the_simplex(shape_seed, method):
    m, k, seed = shape_seed
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (m, k))
    x[:, rng.integers(0, k)] = rng.choice([0.0, 0.5, 1.0], m)  # ties and zeros
    weights = compute_weights(x, method)
    assert weights.shape == (k,)
    assert np.all(weights >= 0)
    assert weights.sum() == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    shape_seed=table_strategy,
    method=st.sampled_from(["entropy", "critic"]),
    scale=st.floats(1e-3, 1e3),
    shift=st.floats(-1e3, 1e3),
)
def test_data_driven_weights_ignore_affine_rescaling_and_row_order(shape_seed, method, scale, shift):
    m, k, seed = shape_seed
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (m, k))
    base = compute_weights(x, method)
    rescaled = x.copy()
    rescaled[:, 0] = scale * rescaled[:, 0] + shift
    np.testing.assert_allclose(compute_weights(rescaled, method), base, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(compute_weights(x[rng.permutation(m)], method), base, rtol=1e-12, atol=1e-14)


def test_constant_indicator_gets_weight_zero_and_is_reported():
    x = np.array([[0.1, 0.5, 0.3], [0.4, 0.5, 0.2], [0.9, 0.5, 0.7], [0.2, 0.5, 0.1]])
    for method in ("entropy", "critic"):
        weights = compute_weights(x, method)
        assert weights[1] == 0.0 and weights.sum() == pytest.approx(1.0)
        # the constant column is left out: same weights as without it
        np.testing.assert_allclose(weights[[0, 2]], compute_weights(x[:, [0, 2]], method), atol=1e-15)
        notes = weighting_notes(x, method, ("a", "b", "c"))
        assert notes == [f"indicator 'b' is constant, so {method} gives it weight 0"]
    assert weighting_notes(x, "equal", ("a", "b", "c")) == []


def test_perfectly_correlated_indicators_fall_back_to_equal_weights_for_critic():
    column = np.array([0.1, 0.4, 0.2, 0.9])
    x = np.column_stack([column, 2 * column + 1, np.full(4, 0.3)])
    np.testing.assert_allclose(compute_weights(x, "critic"), [0.5, 0.5, 0.0])
    notes = weighting_notes(x, "critic", ("a", "b", "c"))
    assert "critic weights are undefined" in notes[-1]


def test_all_constant_falls_back_to_equal_and_single_indicator_is_one():
    np.testing.assert_allclose(compute_weights(np.ones((4, 3)), "entropy"), [1 / 3] * 3)
    assert compute_weights(np.arange(4.0)[:, None], "critic").tolist() == [1.0]


def test_minmax_columns_marks_constants():
    normalised, constant = minmax_columns(np.array([[1.0, 2.0], [3.0, 2.0], [2.0, 2.0]]))
    assert normalised[:, 0].tolist() == [0.0, 1.0, 0.5]
    assert normalised[:, 1].tolist() == [0.0, 0.0, 0.0]
    assert constant.tolist() == [False, True]


def test_unknown_method_and_bad_shape():
    with pytest.raises(ValueError, match="unknown weighting method 'topsis'; allowed: entropy"):
        compute_weights(np.ones((3, 2)), "topsis")
    with pytest.raises(ValueError, match=r"shape \(\.\.\., m, k\)"):
        compute_weights(np.ones(3), "entropy")
