"""The exact law of the resample's extremes, against brute-force enumeration and the Monte Carlo tally."""

import itertools

import numpy as np
import pytest

from robust import bootstrap
from robust.analyses.bootstrap.extremes import ExtremesLaw, event_groups

RAW = np.array([0.0, 3.0, 3.0, 7.0, 10.0])  # a tie, so some value has share 2/5


def brute_force_strong(raw, threshold, with_self):
    """P(dynamism strong) per technology, averaging over all m^m ordered resamples."""
    m = len(raw)
    strong = np.zeros(m)
    for draw in itertools.product(range(m), repeat=m):
        low, high = raw[list(draw)].min(), raw[list(draw)].max()
        for i, r in enumerate(raw):
            lo, hi = (min(low, r), max(high, r)) if with_self else (low, high)
            strong[i] += (hi > lo) and (r - lo) / (hi - lo) >= threshold
    return strong / m**m


def test_the_law_sums_to_one_and_matches_a_direct_count():
    law = ExtremesLaw.of(RAW)
    assert law.values.tolist() == [0, 3, 7, 10]
    np.testing.assert_allclose(law.probability.sum(), 1.0, atol=1e-15)
    assert (law.probability[np.tril_indices(4, -1)] == 0).all()
    np.testing.assert_allclose(law.probability[0, 3], 1 - 2 * 0.8**5 + 0.6**5)  # min 0 and max 10 both drawn
    np.testing.assert_allclose(law.probability[1, 1], 0.4**5)                   # only the tied pair drawn


@pytest.mark.parametrize("with_self", [False, True])
@pytest.mark.parametrize("threshold", [0.3, 0.5])
def test_exact_probabilities_equal_brute_force_enumeration(with_self, threshold):
    law = ExtremesLaw.of(RAW)
    np.testing.assert_allclose(law.probability_strong(RAW, threshold, with_self),
                               brute_force_strong(RAW, threshold, with_self), atol=1e-12)


def test_exact_values_lie_within_the_monte_carlo_intervals_on_the_paper(paper_table):
    stability = bootstrap(paper_table, schemes=["technologies"], replicates=20_000, rng=21).to_frame()
    exact = stability["p_dynamism_strong_exact"]
    inside = (stability["p_dynamism_strong_low"] <= exact + 1e-12) & (exact - 1e-12 <= stability["p_dynamism_strong_high"])
    assert inside.sum() >= 18  # 95% intervals: about one in twenty may miss
    assert (abs(exact - stability["p_dynamism_strong"]) < 0.015).all()
    separator = stability.set_index("technology").loc["lithium-battery separator"]
    np.testing.assert_allclose(separator["p_dynamism_strong_exact"], (19 / 20) ** 20 + 2.2e-4, atol=1e-3)


def test_technologies_with_the_same_event_share_a_group(paper_table):
    stability = bootstrap(paper_table, schemes=["technologies"], replicates=1024, rng=1).to_frame()
    rows = stability.set_index("technology")
    assert rows.loc["lithography machine", "dynamism_flip_group"] == rows.loc["electron microscope", "dynamism_flip_group"]
    assert len({rows.loc[t, "dynamism_flip_group"] for t in ("mobile RF front-end", "aviation steel",
                                                            "welding power source")}) == 1
    assert rows.loc["high-strength stainless steel", "dynamism_flip_group"] == 0
    event = rows.loc["lithography machine", "dynamism_flip_event"]
    assert event.startswith("a + 0.5 (b - a) <= 15 ") and "only with high-pressure common-rail system (37) not drawn" in event
    assert event_groups(np.array([[[True]], [[False]], [[True]]])).tolist() == [1, 0, 1]


def test_fixed_normalisers_make_dynamism_exact_zero_or_one(paper_table):
    stability = bootstrap(paper_table, schemes=["technologies"], replicates=1024, normalizer="fixed", rng=1).to_frame()
    assert set(stability["p_dynamism_strong_exact"]) <= {0.0, 1.0}
    assert (stability["p_dynamism_strong"] == stability["p_dynamism_strong_exact"]).all()
