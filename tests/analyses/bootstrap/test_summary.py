"""Scheme summaries: Wilson intervals with their nominal coverage, jackknife standard errors."""

import numpy as np

from robust import bootstrap
from robust.analyses.bootstrap.summary import wilson_interval


def test_wilson_intervals_cover_at_close_to_the_nominal_rate():
    rng = np.random.default_rng(5)
    for p, n in [(0.5, 50), (0.9, 200), (0.97, 1000)]:
        successes = rng.binomial(n, p, size=4000)
        low, high = wilson_interval(successes, n, 0.95)
        coverage = np.mean((low <= p) & (p <= high))
        assert 0.93 <= coverage <= 0.97, (p, n, coverage)


def test_jackknife_standard_error_formula_and_ranges(paper_table):
    summary = bootstrap(paper_table, schemes=["jackknife"], rng=1).scheme_summary("jackknife")
    leave_one_out = summary.replicate_scores.capability
    m = leave_one_out.shape[0]
    expected = np.sqrt((m - 1) / m * ((leave_one_out - leave_one_out.mean(0)) ** 2).sum(0))
    np.testing.assert_allclose(summary.capability_se, expected, rtol=1e-12)
    # intervals of the deterministic schemes are the range over the variants
    assert np.array_equal(summary.dynamism_interval[:, 0], summary.replicate_scores.dynamism.min(0))
    assert np.array_equal(summary.dynamism_interval[:, 1], summary.replicate_scores.dynamism.max(0))
