"""The replicate engine: entropy from counts, scores bit-identical to the core, an independent slow check."""

import numpy as np
import pytest
from pyrepo_mcda.weighting_methods import entropy_weighting as pyrepo_entropy

import robust
from robust import ScoringModel, bootstrap
from robust.analyses.bootstrap.engine import (
    Problem,
    entropy_table,
    entropy_weights_from_counts,
    resample_counts,
    score_resamples,
    technology_resamples,
)
from robust.compute.seeds import STREAM_BLOCK, analysis_seed, child_seed, stream
from robust.core.options import QUADRANTS
from robust.core.scoring import score_batch
from robust.core.weighting import compute_weights


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


def _problem(table, model=None, *, scheme="technologies", normalizer="resample", seed=1):
    model = ScoringModel() if model is None else model
    base = robust.score(table, model)
    return Problem(
        scheme=scheme, values=np.ascontiguousarray(table.values), raw=base.raw_dynamism,
        dynamism_inputs=table.dynamism_inputs, ipc_counts=table.ipc_counts,
        amplitudes=np.asarray(model.amplitudes_for(table), dtype=float),
        weighting=model.weighting, normalize=model.normalize,
        capability_threshold=model.capability_threshold, dynamism_threshold=model.dynamism_threshold,
        normalizer=normalizer, noise=0.05, top_k=20,
        base_quadrant=np.array([QUADRANTS.index(q) for q in base.quadrant], dtype=np.int8),
        base_capability=base.capability, base_dynamism=base.dynamism, base_weights=base.weights,
        seed=analysis_seed(seed, "bootstrap"),
    )


@pytest.mark.parametrize("normalize", ["none", "minmax"])
@pytest.mark.parametrize("normalizer", ["resample", "fixed"])
@pytest.mark.parametrize("weighting", ["entropy", "critic", (0.1, 0.2, 0.3, 0.4)])
def test_engine_scores_are_bit_identical_to_the_core_scorer(paper_table, normalize, normalizer, weighting):
    model = ScoringModel(weighting=weighting, normalize=normalize)
    problem = _problem(paper_table, model, normalizer=normalizer)
    rows, counts = _random_resamples(np.random.default_rng(2), 200, 20, 20)
    step = score_resamples(problem, counts, rows)
    present = counts > 0
    raw = problem.raw
    dynamism_bounds = None
    capability_bounds = None
    if normalizer == "resample":
        dynamism_bounds = (np.where(present, raw, np.inf).min(1), np.where(present, raw, -np.inf).max(1))
        if normalize == "minmax":
            resampled = paper_table.values[rows]
            capability_bounds = (resampled.min(1), resampled.max(1))
    weights = step.weights
    if isinstance(weighting, str):
        np.testing.assert_allclose(weights, compute_weights(paper_table.values[rows], weighting), atol=1e-13)
    core = score_batch(paper_table.values, weights, raw, normalize=normalize,
                       capability_bounds=capability_bounds, dynamism_bounds=dynamism_bounds)
    assert np.array_equal(step.capability, core.capability)
    assert np.array_equal(step.dynamism, core.dynamism)
    assert np.array_equal(step.quadrant, core.quadrant)


@pytest.mark.parametrize("normalize", ["none", "minmax"])
def test_the_resample_with_self_keeps_scores_in_the_unit_interval_and_the_same_quadrants(paper_table, normalize):
    model = ScoringModel(normalize=normalize)
    rows, counts = _random_resamples(np.random.default_rng(3), 500, 20, 20)
    alone = score_resamples(_problem(paper_table, model, normalizer="resample"), counts, rows)
    with_self = score_resamples(_problem(paper_table, model, normalizer="resample_with_self"), counts, rows)
    assert alone.dynamism.min() < 0 and alone.dynamism.max() > 1          # the resample's scale alone
    assert with_self.dynamism.min() >= 0 and with_self.dynamism.max() <= 1
    proper = ~alone.degenerate  # a resample whose raw scores are all equal scores 0 either way
    assert np.array_equal(alone.dynamism[proper] >= 0.5, with_self.dynamism[proper] >= 0.5)
    inside = (alone.dynamism >= 0) & (alone.dynamism <= 1)
    assert np.array_equal(alone.dynamism[inside], with_self.dynamism[inside])
    if normalize == "none":  # capability is not min-max scaled: the quadrants are the same
        assert np.array_equal(alone.quadrant[proper], with_self.quadrant[proper])
    else:  # each indicator is kept within [0, 1], which can move a weighted sum across the threshold
        assert with_self.capability.min() >= 0 and with_self.capability.max() <= 1 + 1e-12


def _slow_technologies_bootstrap(table, replicates, seed):
    """Per replicate, written plainly, with pyrepo-mcda's entropy on min-max data (independent)."""
    values = table.values
    raw = table.raw_dynamism([4, 3, 2, 1])
    m = len(raw)
    parent = child_seed(analysis_seed(seed, "bootstrap"), 0)  # scheme 0: technologies
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
    fast = result.scheme_summary("technologies").counts
    slow = _slow_technologies_bootstrap(paper_table, replicates, 11)
    assert np.array_equal(fast, slow)
    assert fast.sum(axis=1).tolist() == [replicates] * 20


def test_a_replicate_does_not_depend_on_the_total_number_of_replicates(paper_table):
    def kept(replicates):
        result = bootstrap(paper_table, schemes=["noise", "technologies"], replicates=replicates, rng=2,
                           keep_replicates=True)
        return [result.scheme_summary(s).replicate_scores for s in ("noise", "technologies")]

    for short, full in zip(kept(3000), kept(3072)):
        for name in ("capability", "dynamism", "quadrant", "weights"):
            assert np.array_equal(getattr(short, name), getattr(full, name)[:3000])
