"""Acceptability over the weight space: the exact volume, known answers, priors and constraints, the CSVs."""

import math

import numpy as np
import pandas as pd
import pytest

import robust
from robust import ScoringModel, acceptability, table_from_frame
from robust.analyses.acceptability.analysis import AcceptabilitySpec, check_acceptability, prior_for
from robust.analyses.acceptability.exact import probability_strong
from robust.core.errors import SpecError


def _table(rows: dict):
    """A table of technologies -> indicator values; dynamism from an IPC count that rises down the rows."""
    names = list(rows)
    k = len(rows[names[0]])
    frame = pd.DataFrame({"id": names, **{f"x{j}": [rows[n][j] for n in names] for j in range(k)},
                          "p": list(range(len(names)))})
    return table_from_frame(frame, id_column="id", indicators=[f"x{j}" for j in range(k)], ipc_changes=["p"])


def _divided_difference(values, threshold):
    """P(S >= t) for distinct values: sum_j (y_j - t)_+^(k-1) / prod_{i != j} (y_j - y_i)."""
    k = len(values)
    total = 0.0
    for j, y in enumerate(values):
        others = np.delete(values, j)
        total += max(y - threshold, 0.0) ** (k - 1) / np.prod(y - others)
    return total


def test_exact_hand_computed_two_and_three_indicator_cases():
    assert probability_strong(np.array([0.7, 0.4]), 0.5) == pytest.approx(2 / 3, abs=1e-14)   # w1 >= 1/3
    # 0.8 w1 + 0.5 w2 + 0.2 w3 >= 0.6  <=>  2 w1 + w2 >= 4/3: a triangle of area 1/9 of the simplex's 1/2
    assert probability_strong(np.array([0.8, 0.5, 0.2]), 0.6) == pytest.approx(2 / 9, abs=1e-14)
    # ties, the limit of distinct values: 0.7 (w1 + w2) + 0.4 w3 >= 0.5 <=> w3 <= 2/3, w3 ~ Beta(1, 2)
    assert probability_strong(np.array([0.7, 0.7, 0.4]), 0.5) == pytest.approx(8 / 9, abs=1e-14)
    # ties inside: 0.4 w1 + 0.55 (w2 + w3) + 0.7 w4 against Monte Carlo below; all equal: the value itself
    assert probability_strong(np.array([0.5, 0.5, 0.5]), 0.5) == 1.0
    assert probability_strong(np.array([0.5, 0.5, 0.5]), 0.5 + 1e-12) == 0.0
    assert probability_strong(np.array([0.3, 0.4]), 0.3) == 1.0 and probability_strong(np.array([0.3, 0.4]), 0.41) == 0


def test_exact_matches_the_divided_difference_formula_and_monte_carlo():
    rng = np.random.default_rng(4)
    for _ in range(100):
        k = rng.integers(2, 7)
        values, threshold = rng.uniform(0, 1, k), rng.uniform(0.1, 0.9)
        assert probability_strong(values, threshold) == pytest.approx(_divided_difference(values, threshold),
                                                                       abs=1e-9)
    for values in ([0.62, 0.31, 0.55, 0.47, 0.40], [0.4, 0.55, 0.55, 0.7], [0.3, 0.3, 0.6, 0.6, 0.6]):
        values = np.array(values)
        draws = rng.dirichlet(np.ones(len(values)), 400_000)
        for threshold in (0.45, 0.5, 0.55):
            p = (draws @ values >= threshold).mean()
            exact = probability_strong(values, threshold)
            assert abs(p - exact) < 4.5 * math.sqrt(exact * (1 - exact) / len(draws))


def test_two_indicator_known_answer_acceptability_and_central_weight():
    # technology a = (0.7, 0.4): strong capability when w1 >= 1/3 (probability 2/3), central weight E[w1 | w1 >= 1/3]
    table = _table({"a": (0.7, 0.4), "b": (0.2, 0.3), "c": (0.9, 0.8)})
    result = acceptability(table, model=ScoringModel(weighting=(0.5, 0.5)), samples=400_000, rng=7)
    frame = result.to_frame().set_index(["technology", "quadrant"])
    a = frame.loc["a"]
    strong = a.loc[["assault", "disrupt"], "acceptability"].sum()
    assert a.loc[["assault", "disrupt"], "exact"].sum() == pytest.approx(2 / 3, abs=1e-12)
    assert abs(strong - 2 / 3) < 4.5 * math.sqrt(2 / 9 / 400_000)
    quadrant = a.loc[["assault", "disrupt"], "acceptability"].idxmax()   # a's dynamism is fixed: one of the two
    central = result.central_frame().set_index(["technology", "quadrant", "indicator"])["weight"]
    sd = math.sqrt((1 - 1 / 3) ** 2 / 12 / (400_000 * 2 / 3))             # w1 | w1 >= 1/3 is U(1/3, 1)
    assert abs(central.loc[("a", quadrant, "x0")] - 2 / 3) < 4.5 * sd
    assert central.loc[("a", quadrant, "x0")] + central.loc[("a", quadrant, "x1")] == pytest.approx(1, abs=1e-12)
    # the central weights (2/3, 1/3) give 0.6 >= 0.5: confidence factor 1 under fixed thresholds
    assert a.loc[quadrant, "confidence_factor"] == 1.0
    # the Wilson interval holds the estimate; the four quadrants add to one
    assert (frame["low"] <= frame["acceptability"]).all() and (frame["acceptability"] <= frame["high"]).all()
    assert frame.groupby(level="technology")["acceptability"].sum().to_numpy() == pytest.approx(1, abs=1e-12)


def test_paper_monte_carlo_agrees_with_the_exact_values(paper_table):
    frame = acceptability(paper_table, samples=100_000, rng=3).to_frame()
    sd = np.sqrt(frame["exact"] * (1 - frame["exact"]) / 100_000)
    assert (np.abs(frame["acceptability"] - frame["exact"]) <= 4.5 * sd + 1e-12).all()
    assert frame["exact"].notna().all()


def test_threshold_ranges_have_no_exact_value_and_a_graded_confidence_factor(paper_table):
    frame = acceptability(paper_table, samples=20_000, rng=3, capability_threshold=[0.45, 0.55]).to_frame()
    assert frame["exact"].isna().all()
    factors = frame["confidence_factor"].dropna()
    assert ((factors > 0) & (factors < 1)).any()     # a central capability inside [0.45, 0.55]
    fixed = acceptability(paper_table, samples=20_000, rng=3, dynamism_threshold=[0.45, 0.55]).to_frame()
    assert fixed["exact"].notna().all()              # dynamism is fixed: a uniform threshold is still exact


def test_a_full_ranking_is_sampled_exactly_by_sorting():
    table = _table({"a": (0.7, 0.4, 0.45), "b": (0.6, 0.2, 0.8), "c": (0.1, 0.5, 0.9)})
    spec = AcceptabilitySpec(samples=1000, order=["x1", "x0", "x2"])
    prior = prior_for(spec, table.indicators, np.full(3, 1 / 3))
    assert prior.sorted_exactly
    draws = prior.draw(np.random.default_rng(0), 50_000)
    assert (draws[:, 1] >= draws[:, 0]).all() and (draws[:, 0] >= draws[:, 2]).all()
    # the same prior by rejection (pairs, not a ranking) gives the same law: compare the means
    pairs = prior_for(AcceptabilitySpec(samples=1000, order=[["x1", ">=", "x0"], ["x0", ">=", "x2"]]),
                      table.indicators, np.full(3, 1 / 3))
    assert not pairs.sorted_exactly
    rejected = pairs.draw(np.random.default_rng(1), 50_000)
    assert np.abs(draws.mean(axis=0) - rejected.mean(axis=0)).max() < 0.005
    # the ordered region's mean is known: the centroid of the ordered simplex, (11, 5, 2) / 18
    assert draws.mean(axis=0)[[1, 0, 2]] == pytest.approx(np.array([11, 5, 2]) / 18, abs=0.004)


def test_pair_constraints_and_the_concentrated_prior():
    table = _table({"a": (0.7, 0.4, 0.45), "b": (0.6, 0.2, 0.8), "c": (0.1, 0.5, 0.9)})
    prior = prior_for(AcceptabilitySpec(samples=1000, order=["x2", "<=", "x0"], weights=50.0), table.indicators,
                      np.array([0.5, 0.3, 0.2]))
    draws = prior.draw(np.random.default_rng(2), 20_000)
    assert (draws[:, 0] >= draws[:, 2]).all()
    assert draws.mean(axis=0) == pytest.approx([0.5, 0.3, 0.2], abs=0.01)   # Dirichlet(50 w): centred on w


def test_constraints_nothing_satisfies_are_refused():
    table = _table({"a": (0.7, 0.4), "b": (0.6, 0.2), "c": (0.1, 0.9)})
    prior = prior_for(AcceptabilitySpec(samples=1000, order=[["x0", ">=", "x1"], ["x1", ">=", "x0"]]),
                      table.indicators, np.full(2, 0.5))
    with pytest.raises(SpecError, match="keep fewer than"):
        prior.draw(np.random.default_rng(0), 1000)


@pytest.mark.parametrize("order, message", [
    (["x0", "x9"], "'x9' is not an indicator"),
    ([["x0", ">", "x1"]], "must be \\[name"),
    (["x0"], "order"),
])
def test_order_errors_name_the_key(order, message):
    table = _table({"a": (0.7, 0.4), "b": (0.6, 0.2), "c": (0.1, 0.9)})
    with pytest.raises((SpecError, robust.InputError), match=message):
        check_acceptability(AcceptabilitySpec(samples=1000, order=order), table, ScoringModel())


@pytest.mark.parametrize("settings, message", [
    ({"weights": "flat"}, "weights"), ({"weights": 0}, "weights"), ({"samples": 10}, "samples"),
    ({"capability_threshold": [0.6, 0.4]}, "low < high"),
])
def test_spec_errors(settings, message):
    with pytest.raises(robust.InputError, match=message):
        AcceptabilitySpec(**settings)


def test_same_seed_same_bits_and_central_weights_columns(paper_table):
    one = acceptability(paper_table, samples=5000, rng=9)
    two = acceptability(paper_table, samples=5000, rng=9)
    pd.testing.assert_frame_equal(one.to_frame(), two.to_frame(), check_exact=True)
    central = one.central_frame()
    assert list(central.columns) == ["technology", "quadrant", "indicator", "weight"]
    sums = central.groupby(["technology", "quadrant"])["weight"].sum()
    assert sums.to_numpy() == pytest.approx(1, abs=1e-12)
    assert list(one.to_frame().columns) == ["technology", "quadrant", "acceptability", "low", "high", "exact",
                                            "confidence_factor"]
