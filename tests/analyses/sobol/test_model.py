"""The scoring model as a function of the unit design: the base at the centre, each factor as documented."""

import numpy as np
from scipy.stats import norm

import robust
from robust import SobolFactors, sobol_analysis
from robust.analyses.sobol.analysis import OUTPUTS
from robust.analyses.sobol.model import ScoringFunction
from tests.helpers import THRESHOLDS


def test_a_discrete_factor_that_alone_matters_has_indices_one(paper_table):
    # the capability margin depends on the weighting method only: S1 = ST = 1 for it,
    # exactly 0 for the dynamism threshold
    result = sobol_analysis(paper_table, factors={"weighting": ["entropy", "critic", "equal"],
                                                  "dynamism_threshold": [0.45, 0.55]},
                            n=1024, scrambles=2, outputs=["capability_margin"], rng=3)
    frame = result.to_frame()
    weighting = frame[frame["factor"] == "weighting"]
    assert weighting["applicable"].all()
    np.testing.assert_allclose(weighting["S1"], 1, atol=0.03)
    np.testing.assert_allclose(weighting["ST"], 1, atol=0.03)
    other = frame[frame["factor"] == "dynamism_threshold"]
    assert (other[["S1", "ST", "S1_low", "ST_high"]] == 0).all().all()


def test_discrete_levels_are_equally_likely(paper_table):
    factors = SobolFactors(weighting=("entropy", "critic", "equal"), dynamism_threshold=(0.4, 0.6))
    function = ScoringFunction.build(paper_table, robust.ScoringModel(), factors, ("capability_margin",),
                                     robust.score(paper_table).quadrant)
    unit = np.column_stack([(np.arange(300) + 0.5) / 300, np.full(300, 0.5)])
    margins = function(unit)[:, 0]
    for number, method in enumerate(["entropy", "critic", "equal"]):
        capability = robust.score(paper_table, robust.ScoringModel(weighting=method)).capability[0]
        assert np.allclose(margins[number * 100:(number + 1) * 100], capability - 0.5)


def test_the_design_centre_reproduces_the_base_model_and_each_factor_does_what_it_says(paper_table):
    factors = SobolFactors(weights=0.2, weighting=("entropy", "critic"), amplitudes=0.5, noise=0.3,
                           normalize=("none", "minmax"), leave_out=("none", "app_share"),
                           **THRESHOLDS)
    base = robust.score(paper_table)
    function = ScoringFunction.build(paper_table, robust.ScoringModel(), factors, OUTPUTS, base.quadrant)
    sizes = dict(function.groups)
    assert sizes == {"weights": 4, "weighting": 1, "capability_threshold": 1, "dynamism_threshold": 1,
                     "amplitudes": 4, "noise": 80, "normalize": 1, "leave_out": 1}
    columns = np.cumsum([0] + list(sizes.values()))
    where = {name: slice(columns[i], columns[i + 1]) for i, name in enumerate(sizes)}
    centre = np.full((1, columns[-1]), 0.5)
    for name in ("weighting", "normalize", "leave_out"):
        centre[0, where[name]] = 0.0                                # level 0: the base choice
    out = function(centre).reshape(3, -1)
    np.testing.assert_allclose(out[0], base.capability - 0.5, atol=1e-12)
    np.testing.assert_allclose(out[1], base.dynamism - 0.5, atol=1e-12)
    assert (out[2] == 1).all()

    def capability(row):
        return function(row)[0, :20] + 0.5

    row = centre.copy()
    row[0, where["normalize"]] = 0.9                                # minmax
    minmax = robust.score(paper_table, robust.ScoringModel(normalize="minmax")).capability
    np.testing.assert_allclose(capability(row), minmax, atol=1e-12)
    row = centre.copy()
    row[0, where["leave_out"]] = 0.9                                # drop app_share, re-estimate
    dropped = paper_table.values[:, 1:]
    weights = robust.compute_weights(dropped, "entropy")
    np.testing.assert_allclose(capability(row), dropped @ weights, atol=1e-12)
    row = centre.copy()
    unit_noise = np.random.default_rng(0).uniform(0.05, 0.95, 80)
    row[0, where["noise"]] = unit_noise
    noisy = paper_table.values * np.exp(0.3 * norm.ppf(unit_noise).reshape(20, 4))
    np.testing.assert_allclose(capability(row), noisy @ robust.compute_weights(noisy, "entropy"),
                               atol=1e-12)


def test_amplitudes_keep_their_order_and_ties_in_every_draw():
    from robust.analyses.sobol.model import ordered_amplitudes

    factors = np.random.default_rng(0).uniform(0.5, 1.5, (10_000, 4))
    paper = ordered_amplitudes(np.array([4.0, 3.0, 2.0, 1.0]), factors)
    assert (np.diff(paper, axis=1) < 0).all()  # 4 > 3 > 2 > 1 always
    np.testing.assert_allclose(paper[:, 3], factors[:, 0])                     # the smallest
    np.testing.assert_allclose(paper[:, 0], factors.sum(axis=1))               # unit gaps
    tied = ordered_amplitudes(np.array([1.0, 2.0, 2.0]), factors[:, :3])
    assert (tied[:, 1] == tied[:, 2]).all() and (tied[:, 0] < tied[:, 1]).all()
    np.testing.assert_allclose(ordered_amplitudes(np.array([4.0, 3.0, 2.0, 1.0]), np.ones((1, 4))),
                               [[4.0, 3.0, 2.0, 1.0]])


def test_independent_amplitude_factors_would_break_the_order_in_about_half_the_draws():
    """The README's reason for keeping the order (0.49 of the draws)."""
    draws = np.random.default_rng(1).uniform(0.5, 1.5, (200_000, 4)) * [4.0, 3.0, 2.0, 1.0]
    broken = (np.diff(draws, axis=1) >= 0).any(axis=1).mean()
    assert abs(broken - 0.49) < 0.01
