"""The vectorised estimators and bootstrap equal SALib's analyze on the same samples and draws."""

import numpy as np
import pytest
from scipy.stats import norm

import robust
from robust.analyses.sobol.analysis import DEFAULT_OUTPUTS
from robust.analyses.sobol.estimators import estimate_scramble
from robust.analyses.sobol.factors import DEFAULT_FACTORS
from robust.analyses.sobol.indices import evaluate, salib_problem
from robust.analyses.sobol.model import ScoringFunction
from tests.helpers import quiet_sobol


@pytest.mark.parametrize("second_order", [False, True], ids=["first-total", "second-order"])
def test_estimators_and_bootstrap_equal_salib_analyze(paper_table, second_order):
    from SALib.analyze.sobol import analyze
    from SALib.sample.sobol import sample

    # the paper model with two grouped factors (weights, amplitudes), margins and a 0/1 output
    result = quiet_sobol(paper_table, n=256, scrambles=2, second_order=second_order,
                            resamples=50, rng=4)
    function = ScoringFunction.build(paper_table, robust.ScoringModel(), DEFAULT_FACTORS, DEFAULT_OUTPUTS,
                                     robust.score(paper_table).quadrant)
    problem = salib_problem(function.groups)
    scramble = result.indices.scrambles[1]
    design = sample(problem, 256, calc_second_order=second_order, seed=result.indices.sample_seeds[1])
    values = evaluate(function, design)
    z = norm.ppf(0.975)
    upper = np.triu_indices(len(function.groups), 1)
    checked = np.flatnonzero(scramble.estimable)
    retained = np.arange(40, 60)
    assert checked.size > 40 and np.intersect1d(checked, retained).size > 5
    worst = 0.0
    for column in checked:
        salib = analyze(problem, values[:, column], calc_second_order=second_order, num_resamples=50,
                        seed=scramble.bootstrap_seed)
        pairs = [(salib["S1"], scramble.first[column]), (salib["ST"], scramble.total[column]),
                 (salib["S1_conf"], z * scramble.first_sd[column]),
                 (salib["ST_conf"], z * scramble.total_sd[column])]
        if second_order:
            pairs += [(salib["S2"][upper], scramble.second[column]),
                      (salib["S2_conf"][upper], z * scramble.second_sd[column])]
        worst = max(worst, max(np.abs(ours - theirs).max() for theirs, ours in pairs))
    assert worst < 1e-10


def test_convergence_prefixes_equal_salib_on_the_smaller_design(paper_table):
    from SALib.analyze.sobol import analyze
    from SALib.sample.sobol import sample

    function = ScoringFunction.build(paper_table, robust.ScoringModel(), DEFAULT_FACTORS, ("retained",),
                                     robust.score(paper_table).quadrant)
    problem = salib_problem(function.groups)
    values = evaluate(function, sample(problem, 512, calc_second_order=False, seed=8))
    estimates = estimate_scramble(values, groups=5, resamples=10, seed=1)
    assert estimates.sizes == (64, 128, 256, 512)
    small = values[:128 * 7]                        # the N = 128 design is the prefix
    assert np.array_equal(small, evaluate(function, sample(problem, 128, calc_second_order=False, seed=8)))
    columns = np.flatnonzero(estimates.estimable_by_size[1])
    assert columns.size >= 5
    for column in columns:
        salib = analyze(problem, small[:, column], calc_second_order=False, num_resamples=10, seed=1)
        np.testing.assert_allclose(estimates.first_by_size[1, column], salib["S1"], atol=1e-10)
        np.testing.assert_allclose(estimates.total_by_size[1, column], salib["ST"], atol=1e-10)
