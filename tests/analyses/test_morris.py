"""Morris screening: variables without effect, the noise of a technology's own cells, seeds, errors."""

import numpy as np
import pandas as pd
import pytest

import robust
from robust.analyses.morris.analysis import MORRIS_COLUMNS, MorrisSpec
from robust.core.errors import InputError

FACTORS = {"noise": 0.05, "capability_threshold": [0.45, 0.55], "dynamism_threshold": [0.45, 0.55]}


@pytest.fixture(scope="module")
def screening(paper_table):
    return robust.morris_screening(paper_table, trajectories=12, rng=2, factors=FACTORS,
                                   outputs=["capability_margin", "retained"])


def test_one_row_per_technology_output_and_variable(screening):
    frame = screening.to_frame()
    assert list(frame.columns) == MORRIS_COLUMNS
    assert len(frame) == 20 * 2 * (20 * 4 + 2)
    assert list(frame["factor"].iloc[:3]) == ["capability_threshold", "dynamism_threshold",
                                              "noise[lithography machine, app_share]"]


def test_a_technology_that_never_moves_has_no_effect_on_its_quadrant(screening):
    frame = screening.to_frame()
    retained = frame[frame["output"] == "retained"]
    still = retained[retained["technology"] == "lithography machine"]
    assert not still["varies"].any() and (still["mu_star"] == 0).all()
    chip = retained[retained["technology"] == "chip"].set_index("factor")
    assert chip.loc["capability_threshold", "mu_star"] > 0


def test_a_capability_margin_moves_most_with_the_technologys_own_cells(screening):
    frame = screening.to_frame()
    chip = frame[(frame["technology"] == "chip") & (frame["output"] == "capability_margin")].set_index("factor")
    own = chip.loc[[f"noise[chip, {name}]" for name in ("app_share", "cite_share", "claim_share", "pct_share")],
                   "mu_star"]
    others = chip.loc[chip.index.str.startswith("noise[") & ~chip.index.str.startswith("noise[chip,"), "mu_star"]
    assert own.min() > others.median()
    assert chip.loc["dynamism_threshold", "mu_star"] == 0  # the capability margin does not see it


def test_the_same_seed_gives_the_same_table(paper_table, screening):
    again = robust.morris_screening(paper_table, trajectories=12, rng=2, factors=FACTORS,
                                    outputs=["capability_margin", "retained"])
    pd.testing.assert_frame_equal(again.to_frame(), screening.to_frame(), check_exact=True)
    other = robust.morris_screening(paper_table, trajectories=12, rng=3, factors=FACTORS,
                                    outputs=["capability_margin", "retained"])
    assert not np.array_equal(other.to_frame()["mu_star"], screening.to_frame()["mu_star"])


@pytest.mark.parametrize(("settings", "message"), [
    ({"trajectories": 1}, "trajectories must be >= 2"),
    ({"levels": 5}, "levels must be even"),
    ({"levels": 22}, "levels must be"),
    ({"outputs": ["rank_shift"]}, "outputs: unknown value 'rank_shift'"),
    ({"resamples": 2}, "resamples must be >= 10"),
    ({"confidence": 0}, "confidence must be"),
])
def test_bad_settings_are_refused_with_their_key(settings, message):
    with pytest.raises(InputError, match=message):
        MorrisSpec(**settings)


def test_factors_must_be_sobol_factors():
    with pytest.raises(TypeError, match="factors must be SobolFactors"):
        MorrisSpec(factors={"noise": 0.05})
