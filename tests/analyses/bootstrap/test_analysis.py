"""Bootstrap and perturbation schemes: statistics, known answers, reproducibility, spec checks."""

import numpy as np
import pandas as pd
import pytest

from robust import InputError, ScoringModel, bootstrap, table_from_frame
from robust.analyses.bootstrap.spec import BootstrapSpec
from robust.compute.seeds import STREAM_BLOCK
from robust.core.options import QUADRANTS


def test_far_from_both_thresholds_is_always_retained():
    rng = np.random.default_rng(3)
    m = 12
    frame = pd.DataFrame({"id": [f"t{i}" for i in range(m)]})
    for j in range(3):
        frame[f"x{j}"] = rng.uniform(0.1, 0.4, m)
    frame.loc[0, ["x0", "x1", "x2"]] = [0.95, 0.96, 0.97]          # capability ~0.96
    frame["d"] = rng.uniform(0.2, 0.4, m)
    frame.loc[0, "d"], frame.loc[1, "d"], frame.loc[2, "d"] = 0.0, 10.0, 0.1  # tech 0: dynamism 0
    table = table_from_frame(frame, id_column="id", indicators=["x0", "x1", "x2"], dynamism_score="d")
    schemes = ["technologies", "indicator_noise", "noise", "jackknife", "drop_indicator"]
    result = bootstrap(table, schemes=schemes, replicates=3000, normalizer="fixed", rng=4)
    stability = result.to_frame().set_index(["scheme", "technology"])
    for scheme in schemes:
        row = stability.loc[(scheme, "t0")]
        assert row["base_quadrant"] == "assault" and row["retention"] == 1.0


def test_deterministic_schemes_have_m_and_k_replicates_and_name_the_culprits(paper_table):
    result = bootstrap(paper_table, schemes=["jackknife", "drop_indicator"], rng=1)
    stability = result.to_frame().set_index(["scheme", "technology"])
    assert set(stability.loc["jackknife", "replicates"]) == {20}
    assert set(stability.loc["drop_indicator", "replicates"]) == {4}
    assert set(stability["interval"]) == {"exact"}
    chip = stability.loc[("drop_indicator", "chip")]
    assert chip["retention"] == 0.5 and chip["changed_by"] == "app_share; cite_share"
    assert chip["retention_low"] == chip["retention_high"] == 0.5
    lithography = stability.loc[("jackknife", "lithography machine")]
    assert lithography["changed_by"] == "high-pressure common-rail system"
    assert lithography["retention"] == pytest.approx(19 / 20)


def test_scores_that_never_move_have_zero_se_and_infinite_margins(paper_table):
    stability = bootstrap(paper_table, schemes=["jackknife"], normalizer="fixed", rng=1).to_frame()
    assert np.isinf(stability["dynamism_margin_se"]).all()
    assert np.isfinite(stability["capability_margin_se"]).all()


def test_probabilities_sum_to_one_and_frames_have_the_documented_columns(paper_table):
    result = bootstrap(paper_table, replicates=2048, rng=3)
    stability = result.to_frame()
    assert stability.columns.tolist() == [
        "scheme", "technology", "base_quadrant", "p_assault", "p_entrench", "p_position", "p_disrupt",
        "retention", "retention_low", "retention_high", "interval",
        "p_capability_strong", "p_capability_strong_low", "p_capability_strong_high",
        "p_dynamism_strong", "p_dynamism_strong_low", "p_dynamism_strong_high",
        "p_dynamism_strong_exact", "dynamism_flip_event", "dynamism_flip_group",
        "capability_low", "capability_high",
        "dynamism_low", "dynamism_high", "capability_margin_se", "dynamism_margin_se", "replicates",
        "degenerate_replicates", "changed_by"]
    assert list(dict.fromkeys(stability["scheme"])) == ["technologies", "indicator_noise", "count_noise", "noise",
                                                         "jackknife", "drop_indicator"]
    exact = stability["p_dynamism_strong_exact"].notna()
    assert (stability.loc[exact, "scheme"] == "technologies").all() and exact.sum() == 20
    strong = stability["p_capability_strong"] + stability["p_entrench"] + stability["p_position"]
    np.testing.assert_allclose(strong, 1.0, atol=1e-12)
    np.testing.assert_allclose(stability[[f"p_{q}" for q in QUADRANTS]].sum(axis=1), 1.0, atol=1e-12)
    assert (stability["retention_low"] <= stability["retention"]).all()
    assert (stability["retention"] <= stability["retention_high"]).all()
    assert stability[["capability_low", "dynamism_low"]].notna().all().all()
    probabilities = result.probabilities_frame()
    assert len(probabilities) == 6 * 20 * 4 and (probabilities["low"] <= probabilities["high"]).all()
    weights = result.weights_frame()
    sums = weights.groupby("scheme")["mean"].sum()
    assert sums.drop("drop_indicator").round(12).eq(1).all()
    # drop_indicator: each mean is over the k - 1 variants that keep the indicator
    dropped = weights[weights["scheme"] == "drop_indicator"]
    assert (dropped["mean"] > dropped["base_weight"]).all() and set(dropped["replicates"]) == {3}
    convergence = result.convergence_frame()
    assert convergence["replicates"].max() == 2048
    assert set(convergence["scheme"]) == {"technologies", "indicator_noise", "count_noise", "noise"}
    joint = result.joint_frame()
    assert joint.columns[:5].tolist() == ["scheme", "statement", "probability", "low", "high"]
    assert len(joint) == 6 * 9 and (joint["low"] <= joint["probability"]).all()


def test_same_seed_same_result_other_seed_differs(paper_table):
    def frame(seed):
        return bootstrap(paper_table, schemes=["technologies", "noise"], replicates=3000, rng=seed).to_frame()

    pd.testing.assert_frame_equal(frame(5), frame(5))
    assert not frame(5).equals(frame(6))


def test_results_do_not_depend_on_workers_backend_or_chunk_size(paper_table, parallel_execution):
    kwargs = dict(schemes=["technologies", "noise"], replicates=16 * STREAM_BLOCK + 100, rng=9)
    serial = bootstrap(paper_table, chunk_size=4 * STREAM_BLOCK, **kwargs)
    parallel = bootstrap(paper_table, chunk_size=STREAM_BLOCK, execution=parallel_execution, **kwargs)
    pd.testing.assert_frame_equal(serial.to_frame(), parallel.to_frame(), check_exact=True)
    pd.testing.assert_frame_equal(serial.weights_frame(), parallel.weights_frame(), check_exact=True)


def test_retention_known_in_closed_form(paper_table):
    # Under `technologies` with renormalisation, the separator keeps its quadrant exactly when
    # the common-rail system (the only raw maximum, 37) is drawn: probability 1 - (19/20)^20.
    exact = 1 - (19 / 20) ** 20
    row = bootstrap(paper_table, schemes=["technologies"], replicates=20_000, rng=21).to_frame() \
        .set_index("technology").loc["lithium-battery separator"]
    assert row["retention_low"] <= exact <= row["retention_high"]
    assert abs(row["retention"] - exact) < 0.015


def test_noise_scheme_with_a_precomputed_dynamism_score_and_fixed_weights():
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"id": list("abcdefgh"), "x": rng.uniform(0.1, 0.9, 8),
                          "y": rng.uniform(0.1, 0.9, 8), "d": rng.uniform(1, 5, 8)})
    table = table_from_frame(frame, id_column="id", indicators=["x", "y"], dynamism_score="d")
    model = ScoringModel(weighting=(0.5, 0.5), normalize="minmax")
    result = bootstrap(table, model=model, schemes=["noise"], replicates=2000, noise=0.02, rng=1)
    weights = result.weights_frame()
    assert weights["sd"].max() == 0 and weights["mean"].tolist() == [0.5, 0.5]
    assert result.to_frame()["retention"].between(0, 1).all()
    fixed_dynamism = bootstrap(table, model=model, schemes=["indicator_noise"], replicates=2000, noise=0.02,
                               rng=1, keep_replicates=True).scheme_summary("indicator_noise")
    assert np.ptp(fixed_dynamism.replicate_scores.dynamism, axis=0).max() == 0
    assert fixed_dynamism.degenerate == 0


def test_spec_and_table_checks():
    with pytest.raises(InputError, match="schemes: unknown value 'technology'; allowed: technologies"):
        BootstrapSpec(schemes=("technology",))
    with pytest.raises(InputError, match="replicates must be >= 1"):
        BootstrapSpec(replicates=0)
    with pytest.raises(InputError, match=r"noise must be a log-sd in \(0, 2\]"):
        BootstrapSpec(noise=0.0)
    with pytest.raises(InputError, match=r"confidence must be in \(0, 1\)"):
        BootstrapSpec(confidence=1.0)
    with pytest.raises(InputError, match="chunk_size must be a positive multiple of 1024"):
        BootstrapSpec(chunk_size=1000)
    frame = pd.DataFrame({"id": list("abc"), "x": [0.1, 0.5, 0.9], "d": [1.0, 2.0, 3.0]})
    one_indicator = table_from_frame(frame, id_column="id", indicators=["x"], dynamism_score="d")
    with pytest.raises(InputError, match="drop_indicator needs at least 2 capability indicators"):
        bootstrap(one_indicator, schemes=["drop_indicator"])
    with pytest.raises(InputError, match="jackknife needs at least 4 technologies"):
        bootstrap(one_indicator, schemes=["jackknife"])


def test_joint_statements_count_whole_replicates(paper_table):
    result = bootstrap(paper_table, schemes=["technologies", "jackknife"], replicates=2048, rng=4,
                       keep_replicates=True)
    joint = result.joint_frame().set_index(["scheme", "statement"])
    base = np.array([QUADRANTS.index(q) for q in result.base.quadrant])
    for scheme in ("technologies", "jackknife"):
        quadrant = result.scheme_summary(scheme).replicate_scores.quadrant
        every = (quadrant == base).all(axis=1).mean()
        assert joint.loc[(scheme, "every technology keeps its base quadrant"), "probability"] == every
        position = ((quadrant == 2) == (base == 2)).all(axis=1).mean()
        assert joint.loc[(scheme, "position holds exactly its base members"), "probability"] == position
    # the common-rail keeps position more often than it alone holds position
    rail = result.to_frame().set_index(["scheme", "technology"]).loc[
        ("technologies", "high-pressure common-rail system"), "retention"]
    assert joint.loc[("technologies", "position holds exactly its base members"), "probability"] < rail


def test_old_option_names_still_work_and_say_what_replaces_them():
    from robust.core.errors import DeprecatedOptionWarning

    with pytest.warns(DeprecatedOptionWarning, match="renormalize is deprecated: use normalizer = 'fixed'"):
        assert BootstrapSpec(renormalize=False).normalizer == "fixed"
    with pytest.warns(DeprecatedOptionWarning, match="use normalizer = 'resample'"):
        assert BootstrapSpec(renormalize=True).normalizer == "resample"
    with pytest.raises(InputError, match="give normalizer or its old name renormalize, not both"):
        BootstrapSpec(renormalize=True, normalizer="fixed")
    with pytest.warns(DeprecatedOptionWarning, match="count_noise is no longer a flag"):
        spec = BootstrapSpec(schemes=("noise", "indicator_noise"), count_noise=False)
    assert spec.schemes == ("indicator_noise",)
    assert "renormalize" not in spec.resolved() and spec.resolved()["normalizer"] == "resample_with_self"
    with pytest.raises(InputError, match="normalizer: unknown value 'resampled'"):
        BootstrapSpec(normalizer="resampled")
