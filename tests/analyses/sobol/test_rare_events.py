"""Rare events and ties: indices of a 0/1 output are findings only when the outcome was seen often enough.

Known answer: for Y = 1[U1 > a] 1[U2 > a] with U1, U2 ~ U(0, 1) and p = 1 - a, each factor has
S1 = p / (1 + p) = (1 - a) / (2 - a) and ST = 1 / (1 + p) = 1 / (2 - a).
"""

import numpy as np
import pytest

from robust import sobol_indices
from robust.analyses.sobol.analysis import deciding_factors
from robust.analyses.sobol.estimators import minority_events
from tests.helpers import THRESHOLDS, quiet_sobol


def both_above(a):
    def function(unit):
        return ((unit[:, 0] > a) & (unit[:, 1] > a)).astype(float)
    return function


def indices_of(a, seed, n=2**14):
    import warnings

    from robust import DegenerateWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateWarning)
        return sobol_indices(both_above(a), groups=[("u1", 1), ("u2", 1)], n=n, scrambles=5, resamples=2,
                             rng=seed)


def test_minority_events_count_the_rarer_outcome_of_0_1_outputs_only():
    values = np.array([[0, 1.0, 0.5], [1, 1.0, 0.2], [0, 0.0, 0.1], [0, 1.0, 0.3]])
    assert minority_events(values).tolist() == [1, 1, -1]


def test_a_rare_outcome_is_not_estimable():
    result = indices_of(0.99, seed=1)
    events = result.events[:, 0]
    assert events.max() < 100  # about 16384 * 4 * 1e-4 = 6.6 ones per scramble
    assert result.applicable[0] and not result.findings(min_events=100)[0]
    assert result.findings(min_events=1)[0] == (result.estimable[:, 0].sum() >= 2)


def test_equal_factors_are_tied_and_their_intervals_cover_the_truth():
    a = 0.9
    first_true, total_true = (1 - a) / (2 - a), 1 / (2 - a)
    covered_first = covered_total = 0
    seeds = range(1, 31)
    for seed in seeds:
        result = indices_of(a, seed)
        assert result.findings(min_events=100)[0]
        first, total = result.first_order(), result.total_order()
        names, alone = deciding_factors(("u1", "u2"), first.low[0], total.estimate[0], total.low[0], total.high[0])
        assert set(names) == {"u1", "u2"} and not alone
        covered_first += np.all((first.low[0] <= first_true) & (first_true <= first.high[0]))
        covered_total += np.all((total.low[0] <= total_true) & (total_true <= total.high[0]))
    # both factors' 95% intervals at once: expected about 0.90 of the seeds
    assert covered_first >= 0.75 * len(seeds) and covered_total >= 0.75 * len(seeds)


def test_one_factor_decides_only_when_it_alone_explains_more_than_any_other_can():
    # first-order lower ends, ST, ST lower and upper ends
    assert deciding_factors(("a", "b", "c"), [0.85, 0.1, np.nan], [0.9, 0.2, np.nan], [0.8, 0.1, np.nan],
                            [1.0, 0.3, np.nan]) == (("a",), True)
    # overlapping ST intervals (mobile RF in the old report): tied
    assert deciding_factors(("a", "b"), [0.3, 0.2], [0.91, 0.86], [0.75, 0.61], [1.07, 1.12]) == (("a", "b"), False)
    # ST wholly above, but the effect is an interaction (aviation steel: S1 0.11, ST 0.80 vs 0.70, 0.61)
    assert deciding_factors(("threshold", "weighting", "weights"), [0.09, 0.05, 0.03], [0.80, 0.70, 0.61],
                            [0.78, 0.68, 0.59], [0.82, 0.72, 0.63]) == (("threshold", "weighting", "weights"), False)
    assert deciding_factors(("a", "b"), [np.nan] * 2, [np.nan, np.nan], [np.nan] * 2, [np.nan] * 2) == ((), False)


def test_the_frame_flags_rare_and_out_of_range_estimates(paper_table):
    result = quiet_sobol(paper_table, factors=THRESHOLDS | {"weights": 0.2}, n=256, scrambles=2, rng=5)
    frame = result.to_frame()
    retained = frame[frame["output"] == "retained"]
    assert retained["events"].notna().all() and frame.loc[frame["output"] != "retained", "events"].isna().all()
    rare = retained["events"] < 100
    assert not retained.loc[rare, "estimable"].any()
    assert (~retained["applicable"] <= ~retained["estimable"]).all()
    outside = (frame["S1"] < 0) | (frame["S1"] > 1) | (frame["ST"] < 0) | (frame["ST"] > 1)
    assert (frame["out_of_range"] == outside.fillna(False)).all()


@pytest.mark.parametrize("bad", [0, -3, 1.5])
def test_min_events_is_a_positive_integer(paper_table, bad):
    from robust import InputError

    with pytest.raises(InputError, match="min_events must"):
        quiet_sobol(paper_table, factors=THRESHOLDS, n=64, scrambles=2, min_events=bad)
