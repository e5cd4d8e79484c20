"""Weighting methods: known answers, independent implementations, invariances, degenerate input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm import weights as pymcdm
from pyrepo_mcda import weighting_methods as pyrepo
from scipy.stats import spearmanr

from robust.core.errors import InputError
from robust.core.options import WEIGHTING_METHODS
from robust.core.weighting import (
    WEIGHTING_DOMAINS,
    check_weighting_domain,
    compute_weights,
    minmax_columns,
    weighting_notes,
)

DATA_DRIVEN = tuple(method for method in WEIGHTING_METHODS if method != "equal")


def _minmax(x):
    return (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))


def _benefit(x):
    return np.ones(x.shape[1])


def _spearman_critic(x):
    """CRITIC from pymcdm's standard deviations of the min-max table and scipy's Spearman rho."""
    k = x.shape[1]
    rho = np.array([[spearmanr(x[:, j], x[:, l]).statistic for l in range(k)] for j in range(k)])
    information = pymcdm.standard_deviation_weights(_minmax(x)) * (1 - rho).sum(axis=0)
    return information / information.sum()


# method -> independent implementations (see the module notes of robust.weighting)
ORACLES = {
    "entropy": {"pyrepo-mcda on min-max data": lambda x: pyrepo.entropy_weighting(_minmax(x))},
    "entropy_sum": {"pyrepo-mcda": pyrepo.entropy_weighting, "pymcdm": pymcdm.entropy_weights},
    "critic": {"pymcdm": pymcdm.critic_weights, "pyrepo-mcda": pyrepo.critic_weighting},
    "critic_spearman": {"pymcdm std x scipy spearmanr": _spearman_critic},
    "equal": {"pymcdm": pymcdm.equal_weights, "pyrepo-mcda": pyrepo.equal_weighting},
    "std": {
        "pymcdm on min-max data (ddof 1)": lambda x: pymcdm.standard_deviation_weights(_minmax(x)),
        "pyrepo-mcda on min-max data (ddof 0)": lambda x: pyrepo.std_weighting(_minmax(x)),
    },
    "merec": {
        "pymcdm": lambda x: pymcdm.merec_weights(x, _benefit(x)),
        "pyrepo-mcda": lambda x: pyrepo.merec_weighting(x, _benefit(x)),
    },
    "gini": {"pymcdm": pymcdm.gini_weights, "pyrepo-mcda": pyrepo.gini_weighting},
}
ORACLE_CASES = [(method, name) for method, oracles in ORACLES.items() for name in oracles]


def oracle_tables(paper_values, method, seed=3, count=25):
    """The paper's table and random tables (with ties; with negative values where allowed)."""
    rng = np.random.default_rng(seed)
    tables = [paper_values]
    for _ in range(count):
        x = rng.uniform(0.05, 1.0, (rng.integers(4, 30), rng.integers(2, 9)))
        x[:, 0] = np.round(x[:, 0], 1)  # ties, for the rank correlation
        if method not in WEIGHTING_DOMAINS:
            x = 13 * x - 3
        tables.append(x)
    return tables


def test_oracle_table_covers_every_method():
    assert set(ORACLES) == set(WEIGHTING_METHODS)


@pytest.mark.parametrize(("method", "library"), ORACLE_CASES)
def test_weights_equal_an_independent_implementation(paper_table, method, library):
    oracle = ORACLES[method][library]
    for x in oracle_tables(paper_table.values, method):
        np.testing.assert_allclose(compute_weights(x, method), oracle(x), rtol=0, atol=1e-12)


def test_paper_entropy_weights(paper_table):
    weights = compute_weights(paper_table.values, "entropy")
    np.testing.assert_allclose(weights, [0.249320, 0.228245, 0.216055, 0.306380], atol=5e-7)
    # the paper prints 0.25/0.23/0.22/0.30: the first three rounded, the last 1 - their sum
    assert np.round(weights[:3], 2).tolist() == [0.25, 0.23, 0.22]
    assert round(1 - np.round(weights[:3], 2).sum(), 2) == 0.30


def test_entropy_sum_treats_zeros_as_pyrepo_while_pymcdm_rejects_them():
    x = np.array([[0.0, 0.3], [0.5, 0.4], [0.9, 0.2], [0.4, 0.8]])
    np.testing.assert_allclose(compute_weights(x, "entropy_sum"), pyrepo.entropy_weighting(x), rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="requires all positive values"):
        pymcdm.entropy_weights(x)


def test_gini_of_an_all_zero_column_is_zero_as_in_pyrepo():
    x = np.array([[0.0, 0.3, 0.1], [0.0, 0.4, 0.7], [0.0, 0.2, 0.2], [0.0, 0.8, 0.5]])
    ours = compute_weights(x, "gini")
    assert ours[0] == 0.0
    np.testing.assert_allclose(ours, pyrepo.gini_weighting(x), rtol=0, atol=1e-12)
    with np.errstate(all="ignore"):
        assert np.isnan(pymcdm.gini_weights(x)).all()  # 0 / 0 in that column spoils every weight


def test_merec_zeros_are_rejected_by_us_and_by_pymcdm():
    x = np.array([[0.0, 0.3], [0.5, 0.4], [0.9, 0.2]])
    with pytest.raises(ValueError, match="cannot handle zero"):
        pymcdm.merec_weights(x, _benefit(x))
    with pytest.raises(InputError, match="merec weighting needs positive values"):
        compute_weights(x, "merec")


@pytest.mark.parametrize(
    ("method", "column", "message"),
    [
        ("merec", [0.0, 0.2, 0.5], "merec weighting needs positive values (it takes the logarithm "
         "of min / value), but indicator 'pct' is 0 in row 1"),
        ("entropy_sum", [0.1, -0.2, 0.5], "entropy_sum weighting needs non-negative values (it treats "
         "each indicator as shares of its column sum), but indicator 'pct' is -0.2 in row 2"),
        ("gini", [0.1, 0.2, -0.5], "gini weighting needs non-negative values (a Gini coefficient "
         "measures the inequality of non-negative amounts), but indicator 'pct' is -0.5 in row 3"),
    ],
)
def test_values_outside_a_methods_domain_are_one_line_errors(method, column, message):
    x = np.column_stack([[0.3, 0.1, 0.2], column])
    with pytest.raises(InputError) as caught:
        weighting_notes(x, method, ("app", "pct"))
    assert str(caught.value) == message
    with pytest.raises(InputError, match=r"but values\[\d, 1\] is"):
        compute_weights(x, method)


def test_domain_errors_locate_the_table_in_a_batch():
    x = np.full((3, 4, 2), 0.5)
    x[..., 0] = [0.1, 0.2, 0.3, 0.4]
    x[2, 1, 0] = 0.0
    with pytest.raises(InputError, match=r"indicator 'a' is 0 in row 2 of table \(2,\)$"):
        check_weighting_domain(x, "merec", ("a", "b"))


def test_constant_columns_and_single_indicators_never_break_a_domain():
    x = np.column_stack([[0.3, 0.1, 0.2], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]])
    for method in WEIGHTING_DOMAINS:
        assert compute_weights(x, method)[1:].tolist() == [0.0, 0.0]
        assert compute_weights(x[:, 1:2] - 5, method).tolist() == [1.0]


def test_batch_of_tables_equals_each_table():
    rng = np.random.default_rng(5)
    x = rng.uniform(0.05, 1, (7, 12, 4))
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
    if WEIGHTING_DOMAINS.get(method, ("",))[0] == "positive":
        x += 0.01
    weights = compute_weights(x, method)
    assert weights.shape == (k,)
    assert np.all(weights >= 0)
    assert weights.sum() == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    shape_seed=table_strategy,
    method=st.sampled_from(DATA_DRIVEN),
    scale=st.floats(1e-3, 1e3),
    shift=st.floats(-1e3, 1e3),
)
def test_weights_ignore_rescaling_and_row_order(shape_seed, method, scale, shift):
    # every method ignores the unit of an indicator; those on min-max data also its origin
    m, k, seed = shape_seed
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.05, 1, (m, k))
    base = compute_weights(x, method)
    rescaled = x.copy()
    rescaled[:, 0] = scale * rescaled[:, 0] + (0 if method in WEIGHTING_DOMAINS else shift)
    np.testing.assert_allclose(compute_weights(rescaled, method), base, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(compute_weights(x[rng.permutation(m)], method), base, rtol=1e-12, atol=1e-14)


def test_constant_indicator_gets_weight_zero_and_is_reported():
    x = np.array([[0.1, 0.5, 0.3], [0.4, 0.5, 0.2], [0.9, 0.5, 0.7], [0.2, 0.5, 0.1]])
    for method in DATA_DRIVEN:
        weights = compute_weights(x, method)
        assert weights[1] == 0.0 and weights.sum() == pytest.approx(1.0)
        if method != "merec":  # merec keeps it in the 1/k of its formula
            # the constant column is left out: same weights as without it
            np.testing.assert_allclose(weights[[0, 2]], compute_weights(x[:, [0, 2]], method), atol=1e-15)
        notes = weighting_notes(x, method, ("a", "b", "c"))
        assert notes == [f"indicator 'b' is constant, so {method} gives it weight 0"]
    assert weighting_notes(x, "equal", ("a", "b", "c")) == []
    np.testing.assert_allclose(compute_weights(x, "merec"), pymcdm.merec_weights(x, _benefit(x)), atol=1e-12)


@pytest.mark.parametrize("column", [[0.1, 0.4, 0.2, 0.9], [0.1, 0.2, 0.4, 0.6, 0.8]])
@pytest.mark.parametrize("method", ["critic", "critic_spearman"])
def test_perfectly_correlated_indicators_fall_back_to_equal_weights_for_critic(column, method):
    # in the second column min-max rounding makes the Pearson correlation 1 - 1.1e-16
    column = np.array(column)
    x = np.column_stack([column, 2 * column + 1, np.full(len(column), 0.3)])
    np.testing.assert_allclose(compute_weights(x, method), [0.5, 0.5, 0.0])
    assert weighting_notes(x, method, ("a", "b", "c"))[-1] == (
        f"{method} weights are undefined for this table (no indicator varies independently "
        "of the others); using equal weights over the non-constant indicators"
    )


def test_monotone_but_nonlinear_indicators_fall_back_only_under_spearman():
    column = np.array([0.1, 0.4, 0.2, 0.9, 0.6])
    x = np.column_stack([column, column**3])
    assert weighting_notes(x, "critic", ("a", "b")) == []
    assert "undefined" in weighting_notes(x, "critic_spearman", ("a", "b"))[-1]
    np.testing.assert_allclose(compute_weights(x, "critic_spearman"), [0.5, 0.5])


@pytest.mark.parametrize("method", DATA_DRIVEN)
def test_all_constant_falls_back_to_equal_and_single_indicator_is_one(method):
    x = np.ones((4, 3))
    np.testing.assert_allclose(compute_weights(x, method), [1 / 3] * 3)
    assert weighting_notes(x, method, ("a", "b", "c"))[-1].startswith(f"{method} weights are undefined")
    assert compute_weights(np.arange(1.0, 5.0)[:, None], method).tolist() == [1.0]


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
