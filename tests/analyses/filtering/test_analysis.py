"""Monte Carlo filtering of the paper: a known threshold, rare events, rules, seeds, backends, errors."""

import numpy as np
import pandas as pd
import pytest

import robust
from robust.analyses.filtering.analysis import FILTER_OUTPUTS, FilteringSpec
from robust.analyses.filtering.result import FILTERING_COLUMNS, RULE_COLUMNS
from robust.core.errors import InputError, SpecError

THRESHOLDS = {"capability_threshold": [0.45, 0.55], "dynamism_threshold": [0.45, 0.55]}


@pytest.fixture(scope="module")
def thresholds(paper_table):
    return robust.monte_carlo_filtering(paper_table, n=2048, rng=3, factors=THRESHOLDS)


def test_the_chip_is_decided_by_the_capability_threshold_at_its_capability(thresholds, paper_table):
    frame = thresholds.to_frame().set_index(["technology", "output", "factor"])
    assert frame.loc[("chip", "retained", "capability_threshold"), "ks"] == 1.0
    assert frame.loc[("chip", "retained", "capability_threshold"), "p_value"] < 1e-100
    assert frame.loc[("chip", "retained", "dynamism_threshold"), "ks"] < 0.06
    assert frame.loc[("chip", "retained", "dynamism_threshold"), "p_value"] > 0.01
    rules = thresholds.rules_frame().set_index("technology").loc[["chip"]]
    capability = robust.score(paper_table).to_frame().set_index("technology").loc["chip", "capability"]
    assert list(rules["factor"]) == ["capability_threshold"]
    assert rules["high"].iloc[0] == pytest.approx(capability, abs=2e-4)
    assert (rules["coverage"].iloc[0], rules["density"].iloc[0]) == (1.0, 1.0)
    assert thresholds.rule_sentences()["chip"] == (
        f"keeps assault while capability_threshold <= {rules['high'].iloc[0]:.4g} (density 1.000, coverage 1.000)")


def test_the_tables_have_their_documented_columns(thresholds):
    assert list(thresholds.to_frame().columns) == FILTERING_COLUMNS
    assert list(thresholds.rules_frame().columns) == RULE_COLUMNS
    m, outputs, variables = 20, len(FILTER_OUTPUTS), 2
    assert len(thresholds.to_frame()) == m * outputs * variables
    quadrants = thresholds.quadrants_frame()
    assert np.allclose(quadrants.groupby("technology")["probability"].sum(), 1.0)
    assert (quadrants["low"] <= quadrants["probability"]).all() and (quadrants["probability"] <= quadrants["high"]).all()


def test_retained_is_the_output_of_the_base_quadrant(thresholds, paper_table):
    frame = thresholds.to_frame()
    base = robust.score(paper_table).to_frame().set_index("technology")["quadrant"]
    for technology in ("chip", "vacuum evaporator"):
        own = frame[frame["technology"] == technology].set_index(["output", "factor"])
        pd.testing.assert_frame_equal(own.loc["retained"], own.loc[f"in_{base[technology]}"])


def test_a_technology_that_never_moves_has_empty_cells_and_no_rule(thresholds):
    frame = thresholds.to_frame()
    still = frame[frame["technology"] == "lithography machine"]
    assert still["ks"].isna().all() and not still["estimable"].any()
    assert "lithography machine" not in set(thresholds.rules_frame()["technology"])


def test_rare_flips_are_flagged_not_estimable_and_get_no_rule(paper_table):
    result = robust.monte_carlo_filtering(paper_table, n=1024, rng=3, factors=THRESHOLDS, min_events=300,
                                          rule_share=0.3)
    frame = result.to_frame()
    events = {technology: found.events[0] for technology, found in zip(result.technologies, result.findings)}
    retained = frame[frame["output"] == "retained"].drop_duplicates("technology").set_index("technology")
    for technology, count in events.items():
        assert retained.loc[technology, "estimable"] == (count >= 300)
    rules = set(result.rules_frame()["technology"])
    assert any(count < 0.3 * 1024 for count in events.values()) and rules
    for technology, count in events.items():
        assert (technology in rules) == (count >= 0.3 * 1024)


def test_the_same_seed_gives_the_same_tables_and_another_seed_others(paper_table, thresholds):
    again = robust.monte_carlo_filtering(paper_table, n=2048, rng=3, factors=THRESHOLDS)
    pd.testing.assert_frame_equal(again.to_frame(), thresholds.to_frame())
    other = robust.monte_carlo_filtering(paper_table, n=2048, rng=4, factors=THRESHOLDS)
    assert not other.to_frame()["ks"].equals(thresholds.to_frame()["ks"])


def test_results_are_bit_identical_for_any_backend(paper_table, parallel_execution):
    factors = {"weighting": ["entropy", "critic", "equal"], **THRESHOLDS}
    serial = robust.monte_carlo_filtering(paper_table, n=512, rng=5, factors=factors)
    parallel = robust.monte_carlo_filtering(paper_table, n=512, rng=5, factors=factors,
                                            execution=parallel_execution)
    for name in ("to_frame", "rules_frame", "pawn_frame", "quadrants_frame"):
        pd.testing.assert_frame_equal(getattr(parallel, name)(), getattr(serial, name)(), check_exact=True)


def test_a_discrete_factor_gets_a_total_variation_distance_and_a_level_in_its_rule(paper_table):
    result = robust.monte_carlo_filtering(paper_table, n=1024, rng=6,
                                          factors={"weighting": ["entropy", "critic"], **THRESHOLDS})
    frame = result.to_frame().set_index(["technology", "output", "factor"])
    row = frame.loc[("aviation steel", "retained", "weighting")]
    assert row["ks"] > 0.5 and row["p_value_se"] > 0
    assert "weighting is not critic" in result.rule_sentences()["aviation steel"]


def test_the_sobol_design_is_a_choice(paper_table):
    result = robust.monte_carlo_filtering(paper_table, n=1024, rng=3, factors=THRESHOLDS, design="sobol")
    assert result.to_frame().set_index(["technology", "output", "factor"]).loc[
        ("chip", "retained", "capability_threshold"), "ks"] == 1.0


def test_rank_counts_cover_every_draw(thresholds):
    counts = thresholds.rank_counts()
    assert counts.shape == (20, 20) and (counts.sum(axis=1) == 2048).all()


@pytest.mark.parametrize(("settings", "message"), [
    ({"n": 100}, "n must be >= 256"),
    ({"design": "grid"}, "design: unknown value 'grid'"),
    ({"design": "sobol", "n": 1000}, "n must be a power of two"),
    ({"outputs": ["rank"]}, "outputs: unknown value 'rank'"),
    ({"permutations": 10}, "permutations must be >= 99"),
    ({"resamples": 5}, "resamples must be >= 20"),
    ({"confidence": 1.0}, "confidence must be"),
    ({"min_events": 0}, "min_events must be >= 1"),
    ({"slides": 1}, "slides must be"),
    ({"rule_share": 0.6}, "rule_share must be"),
    ({"rule_density": 0.4}, "rule_density must be"),
    ({"peel": 0.0}, "peel must be"),
])
def test_bad_settings_are_refused_with_their_key(settings, message):
    with pytest.raises(InputError, match=message):
        FilteringSpec(**settings)


def test_factors_must_be_sobol_factors():
    with pytest.raises(TypeError, match="factors must be SobolFactors"):
        FilteringSpec(factors={"weights": 0.2})


def test_factors_that_do_not_fit_the_table_are_refused(paper_table):
    with pytest.raises(SpecError, match="leave_out: 'patents' is not an indicator"):
        robust.monte_carlo_filtering(paper_table, n=256, factors={"leave_out": ["none", "patents"], **THRESHOLDS})
