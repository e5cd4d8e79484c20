"""The measurement-error models: counts stay cumulative, zeros move, the predictive law is Jeffreys'."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from robust import InputError, bootstrap, table_from_frame
from robust.analyses.bootstrap.noise import lognormal_noise, perturbed_counts
from robust.core.ipc import cumulated, first_non_cumulative, new_codes


def test_new_codes_and_cumulation_invert_each_other():
    counts = np.array([[0, 1, 3, 4], [3, 9, 10, 10], [0, 0, 0, 0]])  # Table 2 rows: chip-like, common-rail, steel
    assert new_codes(counts).tolist() == [[0, 1, 2, 1], [3, 6, 1, 0], [0, 0, 0, 0]]
    assert cumulated(new_codes(counts)).tolist() == counts.tolist()
    assert cumulated(np.array([[5, 10, 10, 0]]), top_k=20).tolist() == [[5, 15, 20, 20]]
    assert first_non_cumulative(counts, 20) is None
    assert first_non_cumulative(np.array([[1, 2, 1, 3]])) == (0, 2)
    assert first_non_cumulative(np.array([[1, 2, 3, 21]]), 20) == (0, 3)


def test_replicates_are_cumulative_capped_and_move_zeros():
    rng = np.random.default_rng(0)
    counts = np.array([[0, 0, 0, 0], [0, 1, 3, 4], [3, 9, 10, 19]], dtype=float)
    replicates = perturbed_counts(rng, counts, 20_000, top_k=20)
    assert replicates.shape == (20_000, 3, 4)
    assert (np.diff(replicates, axis=-1) >= 0).all() and replicates.max() <= 20
    assert (replicates == np.floor(replicates)).all()
    # an all-zero row is perturbed too: each new-code count stays 0 with probability 2^(-1/2)
    assert abs((replicates[:, 0, 0] > 0).mean() - (1 - 2 ** -0.5)) < 0.01
    assert abs((replicates[:, 0, 3] > 0).mean() - (1 - 2 ** -2)) < 0.01


def test_each_new_code_count_is_drawn_from_the_jeffreys_posterior_predictive():
    codes = np.array([[0.0, 1.0, 2.0, 5.0]])
    draws = new_codes(perturbed_counts(np.random.default_rng(1), cumulated(codes), 200_000, top_k=10**6))[:, 0]
    for position, d in enumerate(codes[0]):
        sample = draws[:, position]
        # Gamma(d + 1/2, 1) mixed with Poisson: mean d + 1/2, variance 2 d + 1
        assert abs(sample.mean() - (d + 0.5)) < 4 * np.sqrt((2 * d + 1) / len(sample))
        assert abs(sample.var() / (2 * d + 1) - 1) < 0.03
        observed = np.bincount(sample.astype(int), minlength=4)[:4] / len(sample)
        np.testing.assert_allclose(observed, stats.nbinom.pmf(np.arange(4), d + 0.5, 0.5), atol=0.004)
    zero = draws[:, 0]
    assert abs((zero == 0).mean() - 2 ** -0.5) < 0.004


def test_lognormal_noise_has_mean_one():
    noisy = lognormal_noise(np.random.default_rng(2), np.array([[2.0, 4.0]]), 0.1, 100_000)
    np.testing.assert_allclose(noisy.mean(axis=0), [[2.0, 4.0]], rtol=3e-3)
    np.testing.assert_allclose(np.log(noisy).std(axis=0), [[0.1, 0.1]], rtol=0.02)


def test_schemes_perturb_what_they_say(paper_table):
    result = bootstrap(paper_table, schemes=["indicator_noise", "count_noise", "noise"], replicates=2048,
                       rng=3, keep_replicates=True)
    indicators, counts, both = (result.scheme_summary(s).replicate_scores for s in ("indicator_noise", "count_noise", "noise"))
    base = result.base
    assert np.ptp(indicators.dynamism, axis=0).max() == 0 and np.ptp(indicators.capability, axis=0).min() > 0
    assert np.ptp(counts.capability, axis=0).max() == 0 and np.ptp(counts.dynamism, axis=0).min() > 0
    assert (counts.weights == base.weights).all()
    assert np.ptp(both.capability, axis=0).min() > 0 and np.ptp(both.dynamism, axis=0).min() > 0
    steel = paper_table.technologies.index("high-strength stainless steel")
    assert (counts.dynamism[:, steel] > 0).mean() > 0.3  # the zero row is no longer the fixed anchor


def test_count_noise_needs_cumulative_counts_and_counts_at_all():
    frame = pd.DataFrame({"id": list("abcd"), "x": [0.1, 0.5, 0.9, 0.3], "p1": [1, 2, 0, 1], "p2": [2, 1, 3, 1]})
    table = table_from_frame(frame, id_column="id", indicators=["x"], ipc_changes=["p1", "p2"], label="t.csv")
    with pytest.raises(InputError, match=r"count_noise needs cumulative IPC counts .* t.csv column 'p2', "
                                         r"row 2 \(id 'b'\): 1 is below the count before it \(2\)"):
        bootstrap(table, schemes=["count_noise"], replicates=10)
    cumulative = frame.assign(p2=[2, 2, 3, 1])
    table = table_from_frame(cumulative, id_column="id", indicators=["x"], ipc_changes=["p1", "p2"], label="t.csv")
    with pytest.raises(InputError, match=r"'p2', row 3 \(id 'c'\): 3 is above top_k = 2"):
        bootstrap(table, schemes=["noise"], replicates=10, top_k=2)
    scored = table_from_frame(frame.assign(d=[1.0, 2, 3, 4]), id_column="id", indicators=["x"], dynamism_score="d")
    with pytest.raises(InputError, match="count_noise perturbs IPC change counts, but <DataFrame> gives a "
                                         "precomputed dynamism score"):
        bootstrap(scored, schemes=["count_noise"], replicates=10)
