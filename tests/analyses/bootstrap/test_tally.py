"""Accumulation: streaming histograms within their error bound, float sums independent of chunking."""

import numpy as np
import pandas as pd

from robust import bootstrap
from robust.analyses.bootstrap.tally import HISTOGRAM_BINS, Moments, histogram_range
from robust.compute.seeds import STREAM_BLOCK


def test_histogram_quantiles_are_within_their_error_bound(paper_table):
    summary = bootstrap(paper_table, schemes=["technologies"], replicates=6000, rng=8,
                        keep_replicates=True).scheme_summary("technologies")
    kept = summary.replicate_scores
    assert kept.capability.shape == (6000, 20) and kept.weights.shape == (6000, 4)
    for scores, interval, key in ((kept.capability, summary.capability_interval, "capability"),
                                  (kept.dynamism, summary.dynamism_interval, "dynamism"),
                                  (kept.weights, summary.weights_interval, "weights")):
        exact = np.quantile(scores, [0.025, 0.975], axis=0, method="inverted_cdf").T
        assert np.abs(interval - exact).max() <= summary.resolution[key] + 1e-12
    assert 0 < summary.resolution["capability"] < 1e-3
    np.testing.assert_allclose(summary.capability_mean, kept.capability.mean(0), rtol=1e-12)
    np.testing.assert_allclose(summary.capability_se, kept.capability.std(0, ddof=1), rtol=1e-9)
    # dynamism takes few distinct values under renormalisation: those quantiles are exact atoms
    exact = np.quantile(kept.dynamism, [0.025, 0.975], axis=0, method="inverted_cdf").T
    assert np.array_equal(summary.dynamism_interval, exact)


def test_moments_quantile_is_exact_for_atoms_and_within_its_bound_otherwise():
    rng = np.random.default_rng(0)
    continuous = rng.normal(0, 1, (1, 50_000))
    atoms = rng.choice([0.25, 0.5, 2.0], size=(1, 50_000), p=[0.2, 0.5, 0.3])
    wider_than_pilot = np.concatenate([rng.normal(0, 0.01, (1, 1024)), rng.normal(0, 5, (1, 20_000))], axis=1)
    for data in (continuous, atoms, wider_than_pilot):
        moments = Moments(np.zeros(1), *histogram_range(data[:, :1024], HISTOGRAM_BINS))
        for block, part in enumerate(np.array_split(data, 7, axis=1)):
            moments.add(part, block)
        for q in (0.001, 0.025, 0.5, 0.975):
            value, bound = moments.quantile(q)
            exact = np.quantile(data[0], q, method="inverted_cdf")
            assert abs(value[0] - exact) <= bound[0] + 1e-12
            if data is atoms:
                assert value[0] == exact and bound[0] == 0
    np.testing.assert_allclose(moments.mean, wider_than_pilot.mean(1), rtol=1e-12)
    np.testing.assert_allclose(moments.sd, wider_than_pilot.std(1, ddof=1), rtol=1e-10)


def test_float_sums_do_not_depend_on_the_chunk_size(paper_table):
    # 16 blocks: sums merged chunk by chunk would be bracketed differently for each chunk size
    kwargs = dict(schemes=["technologies", "noise"], replicates=16 * STREAM_BLOCK, rng=9)
    frames = [bootstrap(paper_table, chunk_size=size * STREAM_BLOCK, **kwargs) for size in (1, 3, 4, 16)]
    for other in frames[1:]:
        pd.testing.assert_frame_equal(frames[0].to_frame(), other.to_frame(), check_exact=True)
        pd.testing.assert_frame_equal(frames[0].weights_frame(), other.weights_frame(), check_exact=True)
