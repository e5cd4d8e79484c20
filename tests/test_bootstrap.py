"""Bootstrap and perturbation schemes: exactness of the fast engine, statistics, reproducibility."""

import numpy as np
import pandas as pd
import pytest
from pyrepo_mcda.weighting_methods import entropy_weighting as pyrepo_entropy

import robust
from robust import InputError, ScoringModel, bootstrap, table_from_frame
from robust.bootstrap import BootstrapSpec, wilson_interval
from robust.parallel import STREAM_BLOCK, Execution, seed_sequence, stream
from robust.resampling import (
    HISTOGRAM_BINS,
    Moments,
    Problem,
    entropy_table,
    entropy_weights_from_counts,
    histogram_range,
    resample_counts,
    score_resamples,
    technology_resamples,
)
from robust.scoring import QUADRANTS, score_batch
from robust.weighting import compute_weights


def _random_resamples(rng, b, m, n):
    rows = rng.integers(0, m, (b, n))
    return rows, resample_counts(rows, m)


@pytest.mark.parametrize("use_table", [True, False])
def test_entropy_from_counts_equals_materialised_resamples(use_table):
    rng = np.random.default_rng(1)
    for m, k in [(20, 4), (7, 3), (12, 6)]:
        values = rng.uniform(0, 1, (m, k))
        values[:, 0] = np.round(values[:, 0], 1)  # ties
        rows, counts = _random_resamples(rng, 300, m, m)
        table = entropy_table(values) if use_table else None
        weights, _ = entropy_weights_from_counts(values, counts, table=table)
        expected = compute_weights(values[rows], "entropy")
        np.testing.assert_allclose(weights, expected, rtol=0, atol=1e-13)


def test_entropy_from_counts_handles_constant_resamples_like_compute_weights():
    values = np.array([[0.1, 0.5], [0.4, 0.5], [0.9, 0.2], [0.3, 0.8]])
    rows = np.array([[0, 1, 0, 1], [2, 2, 2, 2], [0, 0, 0, 3]])  # col 1 constant; all constant; varied
    counts = resample_counts(rows, 4)
    weights, constant = entropy_weights_from_counts(values, counts, table=entropy_table(values))
    np.testing.assert_allclose(weights, compute_weights(values[rows], "entropy"), atol=1e-15)
    assert constant.tolist() == [[False, True], [True, True], [False, False]]


def _problem(table, model=None, *, scheme="technologies", renormalize=True, seed=1):
    model = ScoringModel() if model is None else model
    base = robust.score(table, model)
    return Problem(
        scheme=scheme, values=np.ascontiguousarray(table.values), raw=base.raw_dynamism,
        dynamism_inputs=table.dynamism_inputs, ipc_counts=table.ipc_counts,
        amplitudes=np.asarray(model.amplitudes_for(table), dtype=float),
        weighting=model.weighting, normalize=model.normalize,
        capability_threshold=model.capability_threshold, dynamism_threshold=model.dynamism_threshold,
        renormalize=renormalize, noise=0.05, count_noise=True,
        base_quadrant=np.array([QUADRANTS.index(q) for q in base.quadrant], dtype=np.int8),
        base_capability=base.capability, base_dynamism=base.dynamism, base_weights=base.weights,
        seed=seed_sequence(seed, "bootstrap"),
    )


@pytest.mark.parametrize("normalize", ["none", "minmax"])
@pytest.mark.parametrize("renormalize", [True, False])
@pytest.mark.parametrize("weighting", ["entropy", "critic", (0.1, 0.2, 0.3, 0.4)])
def test_engine_scores_are_bit_identical_to_the_core_scorer(paper_table, normalize, renormalize, weighting):
    model = ScoringModel(weighting=weighting, normalize=normalize)
    problem = _problem(paper_table, model, renormalize=renormalize)
    rows, counts = _random_resamples(np.random.default_rng(2), 200, 20, 20)
    step = score_resamples(problem, counts, rows)
    present = counts > 0
    raw = problem.raw
    dynamism_bounds = None
    capability_bounds = None
    if renormalize:
        dynamism_bounds = (np.where(present, raw, np.inf).min(1), np.where(present, raw, -np.inf).max(1))
        if normalize == "minmax":
            resampled = paper_table.values[rows]
            capability_bounds = (resampled.min(1), resampled.max(1))
    weights = step.weights.T
    if isinstance(weighting, str):
        np.testing.assert_allclose(weights, compute_weights(paper_table.values[rows], weighting), atol=1e-13)
    core = score_batch(paper_table.values, weights, raw, normalize=normalize,
                       capability_bounds=capability_bounds, dynamism_bounds=dynamism_bounds)
    assert np.array_equal(step.capability.T, core.capability)
    assert np.array_equal(step.dynamism.T, core.dynamism)
    assert np.array_equal(step.quadrant.T, core.quadrant)


def _slow_technologies_bootstrap(table, replicates, seed):
    """Per replicate, written plainly, with pyrepo-mcda's entropy on min-max data (independent)."""
    values = table.values
    raw = table.raw_dynamism([4, 3, 2, 1])
    m = len(raw)
    parent = seed_sequence(seed, "bootstrap")
    parent = np.random.SeedSequence(parent.entropy, spawn_key=tuple(parent.spawn_key) + (0,))
    counts = np.zeros((m, 4), dtype=int)
    for block in range(-(-replicates // STREAM_BLOCK)):
        count = min(STREAM_BLOCK, replicates - block * STREAM_BLOCK)
        for rows in technology_resamples(stream(parent, block, 0), count, m):
            sample = values[rows]
            span = sample.max(0) - sample.min(0)
            weights = pyrepo_entropy((sample - sample.min(0)) / span)
            low, high = raw[rows].min(), raw[rows].max()
            for i in range(m):
                capability = float(values[i] @ weights)
                dynamism = (raw[i] - low) / (high - low)
                strong_c, strong_d = capability >= 0.5, dynamism >= 0.5
                quadrant = {(True, False): 0, (False, False): 1, (False, True): 2, (True, True): 3}[
                    (strong_c, strong_d)]
                counts[i, quadrant] += 1
    return counts


def test_quadrant_counts_match_an_independent_slow_implementation(paper_table):
    replicates = 2500  # three stream blocks, the last one partial
    result = bootstrap(paper_table, schemes=["technologies"], replicates=replicates, rng=11,
                       chunk_size=STREAM_BLOCK)
    fast = result.summary("technologies").counts
    slow = _slow_technologies_bootstrap(paper_table, replicates, 11)
    assert np.array_equal(fast, slow)
    assert fast.sum(axis=1).tolist() == [replicates] * 20


def test_wilson_intervals_cover_at_close_to_the_nominal_rate():
    rng = np.random.default_rng(5)
    for p, n in [(0.5, 50), (0.9, 200), (0.97, 1000)]:
        successes = rng.binomial(n, p, size=4000)
        low, high = wilson_interval(successes, n, 0.95)
        coverage = np.mean((low <= p) & (p <= high))
        assert 0.93 <= coverage <= 0.97, (p, n, coverage)


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
    result = bootstrap(table, schemes=["technologies", "noise", "jackknife", "drop_indicator"],
                       replicates=3000, renormalize=False, rng=4)
    stability = result.to_frame().set_index(["scheme", "technology"])
    for scheme in ("technologies", "noise", "jackknife", "drop_indicator"):
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


def test_jackknife_standard_error_formula_and_ranges(paper_table):
    summary = bootstrap(paper_table, schemes=["jackknife"], rng=1).summary("jackknife")
    leave_one_out = summary.replicate_scores.capability
    m = leave_one_out.shape[0]
    expected = np.sqrt((m - 1) / m * ((leave_one_out - leave_one_out.mean(0)) ** 2).sum(0))
    np.testing.assert_allclose(summary.capability_se, expected, rtol=1e-12)
    # intervals of the deterministic schemes are the range over the variants
    assert np.array_equal(summary.dynamism_interval[:, 0], summary.replicate_scores.dynamism.min(0))
    assert np.array_equal(summary.dynamism_interval[:, 1], summary.replicate_scores.dynamism.max(0))


def test_scores_that_never_move_have_zero_se_and_infinite_margins(paper_table):
    stability = bootstrap(paper_table, schemes=["jackknife"], renormalize=False, rng=1).to_frame()
    assert np.isinf(stability["dynamism_margin_se"]).all()
    assert np.isfinite(stability["capability_margin_se"]).all()


def test_probabilities_sum_to_one_and_frames_have_the_documented_columns(paper_table):
    result = bootstrap(paper_table, replicates=2048, rng=3)
    stability = result.to_frame()
    assert stability.columns.tolist() == [
        "scheme", "technology", "base_quadrant", "p_assault", "p_entrench", "p_position", "p_disrupt",
        "retention", "retention_low", "retention_high", "interval", "capability_low", "capability_high",
        "dynamism_low", "dynamism_high", "capability_margin_se", "dynamism_margin_se", "replicates",
        "degenerate_replicates", "changed_by"]
    np.testing.assert_allclose(stability[[f"p_{q}" for q in QUADRANTS]].sum(axis=1), 1.0, atol=1e-12)
    assert (stability["retention_low"] <= stability["retention"]).all()
    assert (stability["retention"] <= stability["retention_high"]).all()
    assert stability[["capability_low", "dynamism_low"]].notna().all().all()
    probabilities = result.probabilities_frame()
    assert len(probabilities) == 4 * 20 * 4 and (probabilities["low"] <= probabilities["high"]).all()
    weights = result.weights_frame()
    sums = weights.groupby("scheme")["mean"].sum()
    assert sums.drop("drop_indicator").round(12).eq(1).all()
    # drop_indicator: each mean is over the k - 1 variants that keep the indicator
    dropped = weights[weights["scheme"] == "drop_indicator"]
    assert (dropped["mean"] > dropped["base_weight"]).all() and set(dropped["replicates"]) == {3}
    convergence = result.convergence_frame()
    assert convergence["replicates"].max() == 2048 and set(convergence["scheme"]) == {"technologies", "noise"}


def test_histogram_quantiles_are_within_their_error_bound(paper_table):
    summary = bootstrap(paper_table, schemes=["technologies"], replicates=6000, rng=8,
                        keep_replicates=True).summary("technologies")
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


def test_same_seed_same_result_other_seed_differs(paper_table):
    def frame(seed):
        return bootstrap(paper_table, schemes=["technologies", "noise"], replicates=3000, rng=seed).to_frame()

    pd.testing.assert_frame_equal(frame(5), frame(5))
    assert not frame(5).equals(frame(6))


@pytest.mark.parametrize(
    "execution",
    [Execution(n_jobs=2, backend="loky"), Execution(n_jobs=2, backend="threading"),
     Execution(n_jobs=2, backend="dask")],
    ids=["loky", "threading", "dask"],
)
def test_results_do_not_depend_on_workers_backend_or_chunk_size(paper_table, execution):
    kwargs = dict(schemes=["technologies", "noise"], replicates=16 * STREAM_BLOCK + 100, rng=9)
    serial = bootstrap(paper_table, chunk_size=4 * STREAM_BLOCK, **kwargs)
    parallel = bootstrap(paper_table, chunk_size=STREAM_BLOCK, execution=execution, **kwargs)
    pd.testing.assert_frame_equal(serial.to_frame(), parallel.to_frame(), check_exact=True)
    pd.testing.assert_frame_equal(serial.weights_frame(), parallel.weights_frame(), check_exact=True)


def test_float_sums_do_not_depend_on_the_chunk_size(paper_table):
    # 16 blocks: sums merged chunk by chunk would be bracketed differently for each chunk size
    kwargs = dict(schemes=["technologies", "noise"], replicates=16 * STREAM_BLOCK, rng=9)
    frames = [bootstrap(paper_table, chunk_size=size * STREAM_BLOCK, **kwargs) for size in (1, 3, 4, 16)]
    for other in frames[1:]:
        pd.testing.assert_frame_equal(frames[0].to_frame(), other.to_frame(), check_exact=True)
        pd.testing.assert_frame_equal(frames[0].weights_frame(), other.weights_frame(), check_exact=True)


def test_a_replicate_does_not_depend_on_the_total_number_of_replicates(paper_table):
    def kept(replicates):
        result = bootstrap(paper_table, schemes=["noise", "technologies"], replicates=replicates, rng=2,
                           keep_replicates=True)
        return [result.summary(s).replicate_scores for s in ("noise", "technologies")]

    for short, full in zip(kept(3000), kept(3072)):
        for name in ("capability", "dynamism", "quadrant", "weights"):
            assert np.array_equal(getattr(short, name), getattr(full, name)[:3000])


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
    fixed_dynamism = bootstrap(table, model=model, schemes=["noise"], replicates=2000, noise=0.02,
                               count_noise=False, rng=1, keep_replicates=True).summary("noise")
    assert np.ptp(fixed_dynamism.replicate_scores.dynamism, axis=0).max() == 0
    assert fixed_dynamism.degenerate == 0


def test_spec_and_table_checks():
    with pytest.raises(InputError, match="schemes must be distinct names from technologies"):
        BootstrapSpec(schemes=("technology",))
    with pytest.raises(InputError, match="replicates must be a positive integer"):
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
