"""Normalisation and aggregation: known answers, independent implementations and the documented edge cases."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm, rankdata, zscore

from robust import InputError, ScoringModel, score, table_from_frame
from robust.core.composite import aggregate, capability_ranks, normalized
from robust.core.options import AGGREGATION_OPTIONS


def test_zscore_is_the_normal_cdf_of_the_sample_zscore():
    values = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    result = normalized(values, "zscore")
    np.testing.assert_allclose(result[:, 0], norm.cdf([-1.0, 0.0, 1.0]), rtol=0, atol=1e-15)
    assert result[:, 1].tolist() == [0.5, 0.5, 0.5]  # a constant indicator sits at the mean
    rng = np.random.default_rng(3)
    table = rng.lognormal(size=(2, 9, 4))
    np.testing.assert_allclose(normalized(table, "zscore"), norm.cdf(zscore(table, axis=1, ddof=1)),
                               rtol=0, atol=1e-14)


def test_rank_is_the_average_rank_rescaled_to_the_unit_interval():
    values = np.array([[3.0, 1.0], [1.0, 1.0], [2.0, 1.0], [2.0, 1.0], [7.0, 1.0]])
    result = normalized(values, "rank")
    assert result[:, 0].tolist() == [0.75, 0.0, 0.375, 0.375, 1.0]  # ties share rank 2.5 of 1..5
    assert result[:, 1].tolist() == [0.5] * 5
    table = np.random.default_rng(4).integers(0, 4, (3, 8, 2)).astype(float)
    np.testing.assert_array_equal(normalized(table, "rank"), (rankdata(table, axis=1) - 1) / 7)


def test_the_median_technology_is_at_half_under_rank_and_the_mean_under_zscore():
    values = np.array([[0.1], [0.2], [0.3], [0.9], [0.5]])
    assert normalized(values, "rank")[2, 0] == 0.5
    assert normalized(np.array([[0.1], [0.4], [0.7]]), "zscore")[1, 0] == pytest.approx(0.5, abs=1e-15)


def _one(row, weights, aggregation):
    return float(aggregate([np.array(v) for v in row], list(weights), aggregation))


def test_geometric_mean_known_answers_and_zeros():
    assert _one([0.25, 1.0], [0.5, 0.5], "geometric") == pytest.approx(0.5, abs=1e-15)
    assert _one([0.8, 0.1], [0.75, 0.25], "geometric") == pytest.approx(0.8**0.75 * 0.1**0.25, rel=1e-15)
    assert _one([0.0, 1.0], [0.5, 0.5], "geometric") == 0.0          # 0 ** w = 0: no compensation
    assert _one([0.0, 0.64], [0.0, 1.0], "geometric") == 0.64        # 0 ** 0 = 1
    assert _one([0.3, 0.3, 0.3], [0.2, 0.3, 0.5], "geometric") == pytest.approx(0.3, rel=1e-15)


def test_mazziotta_pareto_known_answers():
    # (1, 0) is (130, 70) on the AMPI scale: mean 100, sd 30, cv 0.3, AMPI 100 - 30 x 0.3 = 91
    assert _one([1.0, 0.0], [0.5, 0.5], "mazziotta_pareto") == pytest.approx(21 / 60, abs=1e-15)
    # (0.5, 1.0, 0.0): 100, 130, 70 with weights 1/2, 1/4, 1/4: mean 100, variance 450
    assert _one([0.5, 1.0, 0.0], [0.5, 0.25, 0.25], "mazziotta_pareto") == pytest.approx(
        (100 - 450 / 100 - 70) / 60, abs=1e-15)
    assert _one([0.42, 0.42], [0.3, 0.7], "mazziotta_pareto") == pytest.approx(0.42, abs=1e-15)


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 6), aggregation=st.sampled_from(AGGREGATION_OPTIONS))
def test_every_aggregation_is_a_mean_between_the_smallest_and_largest_value(seed, k, aggregation):
    rng = np.random.default_rng(seed)
    row, weights = rng.uniform(0, 1, k), rng.dirichlet(np.ones(k))
    value = _one(row, weights, aggregation)
    assert row.min() - 1e-12 <= value <= row.max() + 1e-12
    linear = _one(row, weights, "linear")
    assert value <= linear + 1e-12  # the geometric mean and the AMPI never exceed the arithmetic mean


def test_capability_ranks_give_ties_the_best_rank():
    capability = np.array([[0.3, 0.9, 0.3, 0.1], [0.5, 0.4, 0.6, 0.7]])
    assert capability_ranks(capability).tolist() == [[2, 1, 2, 4], [3, 4, 2, 1]]


def _table(values):
    import pandas as pd

    frame = pd.DataFrame({"id": ["a", "b", "c"], "x": values[0], "y": values[1], "raw": [0.0, 1.0, 2.0]})
    return table_from_frame(frame, id_column="id", indicators=["x", "y"], dynamism_score="raw")


def test_raw_values_outside_an_aggregations_domain_are_refused_with_the_cell():
    table = _table(([0.2, -0.1, 0.5], [0.3, 0.4, 0.5]))
    with pytest.raises(InputError, match=r"aggregation: 'geometric' with normalize = \"none\" needs non-negative "
                                         r"values, but <DataFrame> has -0.1 in column 'x', row 2 \(id 'b'\)"):
        score(table, ScoringModel(aggregation="geometric", weighting=(0.5, 0.5), capability_threshold=0.2))
    wide = _table(([0.2, 0.1, 0.5], [0.3, 1.4, 0.5]))
    with pytest.raises(InputError, match=r"'mazziotta_pareto' .* needs values in \[0, 1\], .* 1.4 in column 'y'"):
        score(wide, ScoringModel(aggregation="mazziotta_pareto", weighting=(0.5, 0.5)))
    # normalised values are always in the domain
    result = score(table, ScoringModel(aggregation="geometric", normalize="zscore", weighting=(0.5, 0.5)))
    assert np.all(result.capability > 0)


def test_the_papers_base_model_is_unchanged_by_the_new_options(paper_table):
    base = score(paper_table)
    explicit = score(paper_table, ScoringModel(normalize="none", aggregation="linear"))
    assert np.array_equal(base.capability, explicit.capability)
    assert base.quadrant == explicit.quadrant
    assert math.isclose(float(base.capability[1]), 0.501087, abs_tol=5e-7)
