"""The vectorised core: conventions, batching, and agreement with a plain re-implementation."""

import math
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from robust.core.options import AGGREGATION_OPTIONS, NORMALIZE_OPTIONS, QUADRANTS
from robust.core.scoring import (
    capability_scores,
    dynamism_scores,
    quadrant_codes,
    raw_dynamism,
    score_batch,
)


def test_quadrant_convention_and_ties():
    capability = np.array([0.7, 0.2, 0.2, 0.7, 0.5, 0.5, 0.49999999])
    dynamism = np.array([0.1, 0.1, 0.9, 0.9, 0.5, 0.0, 0.5])
    codes = quadrant_codes(capability, dynamism, 0.5, 0.5)
    assert [QUADRANTS[c] for c in codes] == [
        "assault", "entrench", "position", "disrupt", "disrupt", "assault", "position",
    ]
    assert codes.dtype == np.int8


def test_per_model_thresholds_broadcast():
    codes = quadrant_codes(np.array([0.4, 0.6]), np.array([0.4, 0.6]), np.array([0.3, 0.7]), 0.5)
    assert codes.tolist() == [[0, 3], [1, 2]]


def test_raw_dynamism_matches_table_terms():
    counts = np.array([[0, 1, 3, 4], [0, 0, 0, 0], [0, 3, 9, 10]])
    assert raw_dynamism(counts, [4, 3, 2, 1]).tolist() == [13, 0, 37]
    batch = raw_dynamism(counts, np.array([[4, 3, 2, 1], [1, 1, 1, 1]]))
    assert batch.tolist() == [[13, 0, 37], [8, 0, 22]]


def test_minmax_zero_range_gives_zero():
    assert dynamism_scores(np.array([2.0, 2.0, 2.0])).tolist() == [0.0, 0.0, 0.0]
    values = np.array([[1.0, 0.3], [1.0, 0.5], [1.0, 0.9]])
    scores = capability_scores(values, np.array([0.5, 0.5]), normalize="minmax")
    np.testing.assert_allclose(scores, 0.5 * np.array([0.0, 1 / 3, 1.0]))


def test_external_bounds_allow_values_outside_unit_interval():
    raw = np.array([0.0, 5.0, 10.0])
    assert dynamism_scores(raw, lower=np.array([5.0]), upper=np.array([7.5])).tolist() == [
        [-2.0, 0.0, 2.0]
    ]


def test_bad_shapes_and_options_are_rejected():
    values = np.ones((3, 2))
    with pytest.raises(ValueError, match="2 coefficients|got 3 coefficients"):
        capability_scores(values, np.ones(3))
    with pytest.raises(ValueError, match="normalize must be one of"):
        capability_scores(values, np.ones(2) / 2, normalize="z-score")
    with pytest.raises(ValueError, match="aggregation must be one of"):
        capability_scores(values, np.ones(2) / 2, aggregation="harmonic")
    with pytest.raises(ValueError, match="dimensions"):
        score_batch(np.ones((2, 3, 2, 2)), np.ones(2), np.arange(3.0))


def _plain_normalized(values, normalize):
    """Per-indicator normalisation written out with the standard library."""
    m, k = values.shape
    columns = []
    for j in range(k):
        column = [float(v) for v in values[:, j]]
        lo, hi = min(column), max(column)
        if normalize == "minmax":
            column = [(v - lo) / (hi - lo) if hi > lo else 0.0 for v in column]
        elif normalize == "zscore":
            mean, sd = statistics.mean(column), statistics.stdev(column)
            column = [0.5 * (1 + math.erf((v - mean) / sd / math.sqrt(2))) if sd > 0 else 0.5 for v in column]
        elif normalize == "rank":
            column = [(sum(u < v for u in column) + (sum(u == v for u in column) - 1) / 2) / (m - 1)
                      for v in column]
        columns.append(column)
    return np.array(columns).T


def _plain_aggregate(row, weights, aggregation):
    if aggregation == "linear":
        return sum(w * y for w, y in zip(weights, row))
    if aggregation == "geometric":
        return math.prod(y ** w for w, y in zip(weights, row))
    rescaled = [70 + 60 * y for y in row]  # the AMPI's goalposts
    mean = sum(w * r for w, r in zip(weights, rescaled))
    sd = math.sqrt(sum(w * (r - mean) ** 2 for w, r in zip(weights, rescaled)))
    return (mean - sd * (sd / mean) - 70) / 60


def _plain_model(values, weights, raw, normalize, cap_threshold, dyn_threshold, aggregation="linear"):
    """One model, written out the obvious way, as an independent check of the core."""
    m, k = values.shape
    values = _plain_normalized(values, normalize)
    capability = np.array([_plain_aggregate(values[i], weights, aggregation) for i in range(m)])
    span = raw.max() - raw.min()
    dynamism = (raw - raw.min()) / span if span > 0 else np.zeros(m)
    quadrants = []
    for c, d in zip(capability, dynamism):
        strong_c, strong_d = c >= cap_threshold, d >= dyn_threshold
        quadrants.append(
            {(True, False): "assault", (False, False): "entrench",
             (False, True): "position", (True, True): "disrupt"}[(bool(strong_c), bool(strong_d))]
        )
    return capability, dynamism, quadrants


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    m=st.integers(3, 12),
    k=st.integers(1, 6),
    batch=st.integers(1, 9),
    normalize=st.sampled_from(NORMALIZE_OPTIONS),
    aggregation=st.sampled_from(AGGREGATION_OPTIONS),
    shared=st.booleans(),
)
def test_batch_equals_one_by_one_and_plain_implementation(seed, m, k, batch, normalize, aggregation, shared):
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 1, (m, k) if shared else (batch, m, k))
    if normalize == "rank":
        values = np.round(values * 4) / 4  # ties
    weights = rng.dirichlet(np.ones(k), batch)
    if k > 1:
        weights[0, 0] = 0.0  # a zero weight (0 ** 0 = 1 in the geometric mean)
        weights[0] /= weights[0].sum()
    counts = rng.integers(0, 6, (m, 4)).astype(float)
    amplitudes = rng.uniform(0.5, 4, (batch, 4))
    raw = raw_dynamism(counts, amplitudes)
    cap_t, dyn_t = rng.uniform(0.2, 0.8, batch), rng.uniform(0.2, 0.8, batch)
    together = score_batch(values, weights, raw, normalize=normalize, aggregation=aggregation,
                           capability_threshold=cap_t, dynamism_threshold=dyn_t)
    assert together.capability.shape == (batch, m)
    for b in range(batch):
        table = values if shared else values[b]
        alone = score_batch(table, weights[b], raw_dynamism(counts, amplitudes[b]),
                            normalize=normalize, aggregation=aggregation, capability_threshold=cap_t[b],
                            dynamism_threshold=dyn_t[b])
        # bit-identical: element-wise accumulation does not depend on the batch size
        assert np.array_equal(together.capability[b], alone.capability)
        assert np.array_equal(together.dynamism[b], alone.dynamism)
        assert np.array_equal(together.quadrant[b], alone.quadrant)
        capability, dynamism, quadrants = _plain_model(
            table, weights[b], raw[b], normalize, cap_t[b], dyn_t[b], aggregation
        )
        np.testing.assert_allclose(alone.capability, capability, rtol=0, atol=1e-13)
        np.testing.assert_allclose(alone.dynamism, dynamism, rtol=0, atol=1e-13)
        margin_ok = (np.abs(capability - cap_t[b]) > 1e-12) & (np.abs(dynamism - dyn_t[b]) > 1e-12)
        assert [QUADRANTS[c] for c, ok in zip(alone.quadrant, margin_ok) if ok] == [
            q for q, ok in zip(quadrants, margin_ok) if ok
        ]


@settings(max_examples=40, deadline=None)
@given(
    values=arrays(np.float64, (6, 3), elements=st.floats(-1e3, 1e3)),
    permutation_seed=st.integers(0, 1000),
)
def test_scores_follow_a_permutation_of_the_rows(values, permutation_seed):
    order = np.random.default_rng(permutation_seed).permutation(6)
    raw = np.arange(6.0) ** 2
    weights = np.array([0.2, 0.3, 0.5])
    original = score_batch(values, weights, raw, normalize="minmax")
    permuted = score_batch(values[order], weights, raw[order], normalize="minmax")
    assert np.array_equal(original.capability[order], permuted.capability)
    assert np.array_equal(original.dynamism[order], permuted.dynamism)
    assert np.array_equal(original.quadrant[order], permuted.quadrant)


def test_shared_inputs_broadcast_against_batched_thresholds():
    values = np.array([[0.2, 0.4], [0.6, 0.8], [0.5, 0.1]])
    scores = score_batch(values, [0.5, 0.5], [0.0, 5.0, 10.0],
                         capability_threshold=[0.25, 0.75])
    assert scores.capability.shape == scores.quadrant.shape == (2, 3)
    assert [QUADRANTS[c] for c in scores.quadrant[0]] == ["assault", "disrupt", "disrupt"]
    assert [QUADRANTS[c] for c in scores.quadrant[1]] == ["entrench", "position", "position"]


def test_blocking_does_not_change_results(monkeypatch):
    import robust.core.scoring as scoring

    rng = np.random.default_rng(9)
    values, counts = rng.uniform(0, 1, (20, 4)), rng.integers(0, 9, (20, 4)).astype(float)
    weights, amplitudes = rng.dirichlet(np.ones(4), 5000), rng.uniform(0, 4, (5000, 4))
    kwargs = dict(ipc_changes=counts, amplitudes=amplitudes, normalize="minmax",
                  capability_threshold=rng.uniform(0.4, 0.6, 5000))
    default = score_batch(values, weights, **kwargs)
    monkeypatch.setattr(scoring, "_BLOCK_ELEMENTS", 20 * 7)  # blocks of 7 models
    small_blocks = score_batch(values, weights, **kwargs)
    for name in ("capability", "dynamism", "quadrant"):
        assert np.array_equal(getattr(default, name), getattr(small_blocks, name))
    raw = raw_dynamism(counts, amplitudes)
    via_raw = score_batch(values, weights, raw, normalize="minmax",
                          capability_threshold=kwargs["capability_threshold"])
    assert np.array_equal(via_raw.dynamism, default.dynamism)


def test_dynamism_inputs_are_exclusive_and_batch_lengths_agree():
    values = np.ones((3, 2))
    with pytest.raises(ValueError, match="either raw_dynamism, or both ipc_changes and amplitudes"):
        score_batch(values, [0.5, 0.5], np.arange(3.0), ipc_changes=np.ones((3, 4)), amplitudes=[1, 1, 1, 1])
    with pytest.raises(ValueError, match="either raw_dynamism"):
        score_batch(values, [0.5, 0.5], ipc_changes=np.ones((3, 4)))
    with pytest.raises(ValueError, match="batch axes of different lengths"):
        score_batch(values, np.ones((4, 2)) / 2, np.arange(3.0), capability_threshold=np.ones(5))
