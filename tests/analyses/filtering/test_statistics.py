"""Filtering and PAWN statistics: known answers, agreement with scipy and SALib, SALib's failures on 0/1 outputs."""

import warnings

import numpy as np
import pytest
from scipy import stats

from robust.analyses.filtering.statistics import (
    PAWN_STATISTICS,
    bootstrap_ks,
    bootstrap_tv,
    ks_distance,
    ks_pvalue,
    pawn_binary,
    sorted_counts,
    tv_distance,
    tv_pvalue,
)
from robust.analyses.sobol.estimators import bootstrap_counts


def threshold_model(seed: int, n: int = 2000, d: int = 4, cut: float = 0.3):
    """A Latin hypercube of d inputs on [0, 1) and the 0/1 output ``x0 < cut``: one decisive factor."""
    from scipy.stats import qmc

    x = qmc.LatinHypercube(d=d, seed=np.random.default_rng(seed)).random(n)
    return x, (x[:, 0] < cut)


def test_the_decisive_factor_has_distance_one_and_the_others_near_zero():
    x, labels = threshold_model(1)
    distances = [ks_distance(x[:, j], labels) for j in range(x.shape[1])]
    assert distances[0] == 1.0
    assert max(distances[1:]) < 0.08


def test_ks_distance_and_exact_pvalue_are_scipys():
    x, labels = threshold_model(2, n=600)
    for j in range(1, 4):
        expected = stats.ks_2samp(x[labels, j], x[~labels, j], method="exact")
        distance = ks_distance(x[:, j], labels)
        assert distance == pytest.approx(expected.statistic, abs=1e-15)
        p_value, error = ks_pvalue(x[:, j], labels, distance, permutations=99, rng=np.random.default_rng(0))
        assert (p_value, error) == (pytest.approx(expected.pvalue, rel=1e-12), 0.0)


def test_pvalues_of_irrelevant_factors_are_uniform_over_seeds():
    pvalues = []
    for seed in range(60):
        x, labels = threshold_model(seed, n=400, d=3)
        for j in (1, 2):
            pvalues.append(ks_pvalue(x[:, j], labels, ks_distance(x[:, j], labels), permutations=99,
                                     rng=np.random.default_rng(seed))[0])
    assert stats.kstest(pvalues, "uniform").pvalue > 0.01
    assert 0.02 <= np.mean(np.array(pvalues) < 0.1) <= 0.2


def test_tied_values_get_a_permutation_pvalue_with_its_error():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 5, 500).astype(float)
    labels = rng.random(500) < 0.3
    distance = ks_distance(x, labels)
    p_value, error = ks_pvalue(x, labels, distance, permutations=999, rng=np.random.default_rng(1))
    null = [ks_distance(x, rng.permutation(labels)) for _ in range(2000)]
    assert p_value == pytest.approx(np.mean(np.array(null) >= distance - 1e-12), abs=4 * error + 0.02)
    assert error == pytest.approx(np.sqrt(p_value * (1 - p_value) / 999))


def test_total_variation_of_levels_and_its_pvalue():
    levels = np.repeat([0, 1, 2], 200)
    labels = np.concatenate([np.ones(200), np.zeros(400)]).astype(bool)  # level 0 always 1
    assert tv_distance(levels, labels, 3) == 1.0
    assert tv_pvalue(levels, labels, 1.0, 3, permutations=199, rng=np.random.default_rng(0))[0] == 1 / 200
    shuffled = np.random.default_rng(4).permutation(labels)
    p_values = [tv_pvalue(levels, shuffled, tv_distance(levels, shuffled, 3), 3, permutations=199,
                          rng=np.random.default_rng(seed))[0] for seed in range(3)]
    assert min(p_values) > 0.05
    assert np.isnan(tv_distance(levels, np.zeros(600, dtype=bool), 3))


def test_bootstrap_distances_are_the_distances_of_the_resampled_draws():
    x, labels = threshold_model(5, n=300, d=2, cut=0.5)
    counts = bootstrap_counts(300, 7, seed=11)
    levels = (x[:, 1] * 3).astype(np.intp)
    ks = bootstrap_ks(labels, sorted_counts(x[:, 1], counts))
    tv = bootstrap_tv(levels, labels, counts, 3)
    for b in range(7):
        resample = np.repeat(np.arange(300), counts[b].astype(int))
        assert ks[b] == pytest.approx(ks_distance(x[resample, 1], labels[resample]), abs=1e-14)
        assert tv[b] == pytest.approx(tv_distance(levels[resample], labels[resample], 3), abs=1e-14)


def test_pawn_of_a_binary_output_is_salibs():
    from SALib.analyze import pawn

    x, labels = threshold_model(6, n=3000, d=3)
    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0, 1]] * 3}
    expected = pawn.analyze(problem, x, labels.astype(float), S=10, seed=1)
    for j, name in enumerate(problem["names"]):
        found = pawn_binary(x[:, j], labels, slides=10)
        for statistic in PAWN_STATISTICS:
            key = "CV" if statistic == "cv" else statistic
            assert found[statistic] == pytest.approx(expected[key][j], abs=1e-12), (name, statistic)


def test_salib_rsa_gives_nan_for_every_factor_of_a_binary_output():
    """Regression: why robust filters by hand (SALib 1.6's RSA bins the output and fails on 0/1)."""
    from SALib.analyze import rsa

    x, labels = threshold_model(7, n=5000, d=5)
    problem = {"num_vars": 5, "names": list("abcde"), "bounds": [[0, 1]] * 5}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = rsa.analyze(problem, x, labels.astype(float))
    assert all(np.isnan(found[name]).all() for name in problem["names"])
    assert ks_distance(x[:, 0], labels) == 1.0


def test_salib_delta_has_too_few_samples_and_misranks_the_decisive_factor():
    """Regression: SALib 1.6's delta on a 0/1 output notes "too few samples" and leaves its step estimate
    empty, and its delta ranks the one decisive factor below the irrelevant ones."""
    from SALib.analyze import delta

    x, labels = threshold_model(8, n=1000, d=3)
    problem = {"num_vars": 3, "names": list("abc"), "bounds": [[0, 1]] * 3}
    with pytest.warns(UserWarning, match="bins skipped"):
        found = delta.analyze(problem, x, labels.astype(float), num_resamples=2, seed=1)
    assert all("too few samples" in note for note in found["notes"])
    assert np.isnan(found["delta_step"]).all()
    assert found["delta_raw"][0] < found["delta_raw"][1:].min()
