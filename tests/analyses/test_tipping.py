"""Tipping points: the issue's known answers, each radius against an independent search, the CSVs."""

import itertools

import numpy as np
import pandas as pd
import pytest

import robust
from robust import ScoringModel, score, table_from_frame, tipping_points
from robust.analyses.tipping.counts import describe_edits, edit_count, edit_vectors, fewest_edits
from robust.analyses.tipping.weights import l1_radius, linf_radius
from robust.core.ipc import new_codes
from tests.helpers import PAPER_INDICATORS, random_frame


@pytest.fixture(scope="module")
def paper_tipping():
    return tipping_points(robust.load_paper2023())


def test_linf_radius_known_answer_one_ninth():
    assert linf_radius(np.array([0.6, 0.42]), np.array([0.5, 0.5]), 0.5) == pytest.approx(1 / 9, abs=1e-15)


def test_chip_linf_radius_is_about_five_percent(paper_tipping):
    frame = paper_tipping.to_frame().set_index("technology")
    assert frame.loc["chip", "weight_radius_linf"] == pytest.approx(0.051, abs=5e-4)


def _capability_after(values, weights, shift, threshold):
    moved = weights * (1 + shift)
    return moved @ values / moved.sum() - threshold


def test_linf_radius_is_the_smallest_flipping_perturbation():
    rng = np.random.default_rng(3)
    for _ in range(200):
        k = rng.integers(2, 6)
        values, weights = rng.uniform(0, 1, k), rng.dirichlet(np.ones(k))
        radius = linf_radius(values, weights, 0.5)
        gaps = values - 0.5
        side = np.sign(weights @ gaps)
        if not np.isfinite(radius):
            assert np.all(np.sign(gaps) == side)
            continue
        # the worst case at the radius puts the capability on the threshold ...
        worst = -radius * np.sign(gaps) * side
        assert _capability_after(values, weights, worst, 0.5) == pytest.approx(0, abs=1e-12)
        # ... and no perturbation inside it changes the side (random search over the box's corners and inside)
        inside = rng.uniform(-1, 1, (2000, k)) * radius * 0.999
        inside[:2 ** k if k < 5 else 32] = radius * 0.999 * np.array(list(itertools.product((-1, 1), repeat=k)))[:32]
        shifted = np.array([_capability_after(values, weights, e, 0.5) for e in inside])
        assert np.all(np.sign(shifted) == side)


def _mass_shift(values, weights, threshold):
    """Closed form of the L1 radius when enough mass is available: move it from the indicator
    furthest on the technology's side to the one furthest on the other."""
    gaps = values - threshold
    margin = weights @ gaps
    source, target = (np.argmax(gaps), np.argmin(gaps)) if margin >= 0 else (np.argmin(gaps), np.argmax(gaps))
    mass = abs(margin) / abs(gaps[source] - gaps[target])
    return (2 * mass if mass <= weights[source] else None), source, target, mass


def test_l1_radius_matches_the_mass_shift_closed_form():
    distance, tipping = l1_radius(np.array([0.6, 0.42]), np.array([0.5, 0.5]), 0.5)
    assert distance == pytest.approx(1 / 9, abs=1e-9)          # w1 = 4/9: 0.6 w1 + 0.42 (1 - w1) = 0.5
    assert tipping == pytest.approx([4 / 9, 5 / 9], abs=1e-9)
    rng = np.random.default_rng(5)
    compared = 0
    for _ in range(300):
        k = rng.integers(2, 6)
        values, weights = rng.uniform(0, 1, k), rng.dirichlet(np.ones(k))
        expected, *_ = _mass_shift(values, weights, 0.5)
        distance, tipping = l1_radius(values, weights, 0.5)
        if expected is None or not np.isfinite(distance):
            continue
        compared += 1
        assert distance == pytest.approx(expected, abs=1e-8)
        assert tipping @ values == pytest.approx(0.5, abs=1e-8)
        assert tipping.sum() == pytest.approx(1, abs=1e-12) and tipping.min() >= 0
    assert compared > 100


def test_l1_radius_is_never_beaten_by_random_weights_on_the_other_side():
    rng = np.random.default_rng(11)
    values, weights = np.array([0.7, 0.45, 0.3, 0.52]), np.array([0.4, 0.3, 0.1, 0.2])
    distance, _ = l1_radius(values, weights, 0.5)
    draws = rng.dirichlet(np.ones(4), 200_000)
    other = draws[(draws @ values < 0.5) != (weights @ values < 0.5)]
    assert np.abs(other - weights).sum(axis=1).min() >= distance - 1e-9


def test_weights_no_reweighting_flips_give_empty_radii():
    assert linf_radius(np.array([0.6, 0.7]), np.array([0.5, 0.5]), 0.5) == np.inf
    assert l1_radius(np.array([0.6, 0.7]), np.array([0.5, 0.5]), 0.5) == (np.inf, None)


def test_cell_tipping_values_put_the_capability_on_the_threshold(paper_table, paper_tipping):
    data = paper_tipping.data_frame()
    frame = paper_table.to_frame()

    def capability_with(i, j, value):
        edited = frame.copy()
        edited.loc[edited.index[i], PAPER_INDICATORS[j]] = value
        table = table_from_frame(edited, id_column="technology", indicators=PAPER_INDICATORS, ipc_changes=_ipc(frame))
        return score(table).capability[i]

    checked = 0
    for row in data.dropna(subset=["tipping_value"]).itertuples():
        i, j = paper_table.technologies.index(row.technology), PAPER_INDICATORS.index(row.indicator)
        assert row.value == paper_table.values[i, j]
        assert capability_with(i, j, row.tipping_value) == pytest.approx(0.5, abs=1e-9)
        below, above = (capability_with(i, j, row.tipping_value + d) >= 0.5 for d in (-1e-6, 1e-6))
        assert below != above
        assert row.relative_change == pytest.approx((row.tipping_value - row.value) / abs(row.value))
        checked += 1
    assert checked >= 20


def _ipc(frame):
    return [c for c in frame.columns if c.startswith("ipc_p")]


def test_cell_tipping_known_case_a_two_indicator_table():
    # fixed weights (1/2, 1/2): the first technology (0.6, 0.42) flips when its first cell falls to 0.58
    frame = pd.DataFrame({"id": ["a", "b", "c"], "x": [0.6, 0.2, 0.9], "y": [0.42, 0.3, 0.8], "p": [1, 2, 3]})
    table = table_from_frame(frame, id_column="id", indicators=["x", "y"], ipc_changes=["p"])
    result = tipping_points(table, model=ScoringModel(weighting=(0.5, 0.5))).data_frame().set_index(
        ["technology", "indicator"])
    assert result.loc[("a", "x"), "tipping_value"] == pytest.approx(0.58, abs=1e-10)
    assert result.loc[("a", "y"), "tipping_value"] == pytest.approx(0.40, abs=1e-10)
    assert result.loc[("c", "x"), "tipping_value"] == pytest.approx(0.20, abs=1e-10)
    # weights (0.2, 0.8): b (0.2, 0.3) would need x = 1.3, outside a share's range [0, 1]
    heavy = tipping_points(table, model=ScoringModel(weighting=(0.2, 0.8))).data_frame().set_index(
        ["technology", "indicator"])
    assert np.isnan(heavy.loc[("b", "x"), "tipping_value"]) and np.isnan(heavy.loc[("b", "x"), "relative_change"])
    assert heavy.loc[("b", "y"), "tipping_value"] == pytest.approx(0.575, abs=1e-10)


def _brute_force_edits(frame, ipc, row, max_size):
    """Breadth-first over new-code vectors, each scored by robust.score on a rebuilt table."""
    counts = frame[ipc].to_numpy()
    base_codes = new_codes(counts[row])
    base = score(table_from_frame(frame, id_column="tech", indicators=["x0", "x1", "x2"], ipc_changes=ipc))
    strong = base.dynamism[row] >= 0.5
    for size in range(1, max_size + 1):
        for parts in itertools.product(range(-size, size + 1), repeat=len(base_codes)):
            vector = np.array(parts)
            if np.abs(vector).sum() != size:
                continue
            codes = base_codes + vector
            if codes.min() < 0 or codes.sum() > 20:
                continue
            edited = frame.copy()
            edited.loc[row, ipc] = np.cumsum(codes)
            scored = score(table_from_frame(edited, id_column="tech", indicators=["x0", "x1", "x2"], ipc_changes=ipc))
            if (scored.dynamism[row] >= 0.5) != strong:
                return size
    return None


def test_fewest_edits_match_a_brute_force_search_with_the_scorer():
    rng = np.random.default_rng(2)
    frame = random_frame(rng, m=6, k=3, p=3)
    ipc = ["ipc0", "ipc1", "ipc2"]
    counts = frame[ipc].to_numpy()
    for row in range(len(frame)):
        size, vector = fewest_edits(counts, row, np.array([3.0, 2.0, 1.0]), 0.5, top_k=20, max_edits=4)
        assert size == _brute_force_edits(frame, ipc, row, 4)
        if size is not None:
            assert np.abs(vector).sum() == size


def test_edit_words():
    assert describe_edits(np.array([0, 0, 0, 1])) == "one more new IPC code at position 4"
    assert describe_edits(np.array([-2, 0, 1, 0])) == ("two fewer new IPC codes at position 1 and "
                                                       "one more new IPC code at position 3")


def test_an_edit_keeps_the_cumulative_structure_of_the_counts(paper_tipping, paper_table):
    counts = paper_table.dynamism_inputs
    for i, (size, vector) in enumerate(paper_tipping.edits):
        assert size is not None and size >= 1
        edited = np.cumsum(new_codes(counts[i]) + vector)
        assert np.all(np.diff(edited) >= 0) and edited[0] >= 0 and edited[-1] <= 20


def test_tipping_csvs_columns(paper_tipping):
    assert list(paper_tipping.to_frame().columns) == ["technology", "capability_margin", "dynamism_margin",
                                                      "weight_radius_linf", "weight_radius_l1", "ipc_edits",
                                                      "ipc_edit"]
    weights = paper_tipping.weights_frame()
    assert list(weights.columns) == ["technology", "indicator", "base_weight", "tipping_weight"]
    for technology, group in weights.groupby("technology", sort=False):
        assert group["tipping_weight"].sum() == pytest.approx(1, abs=1e-12)
    assert list(paper_tipping.data_frame().columns) == ["technology", "indicator", "value", "tipping_value",
                                                        "relative_change"]
    # chip, the technology nearest its capability threshold, reaches it with the smallest weight shift
    frame = paper_tipping.to_frame().set_index("technology")
    assert frame["weight_radius_linf"].idxmin() == "chip"


def test_edit_count_is_the_number_of_enumerated_vectors():
    for positions in (1, 2, 3, 5):
        for size in (1, 2, 4):
            assert edit_count(positions, size) == len(edit_vectors(positions, size))


def test_a_search_too_large_stops_with_no_edit(monkeypatch):
    import robust.analyses.tipping.counts as counts_module

    counts = np.array([[0, 0, 0], [1, 2, 3], [5, 9, 12]])
    size, _ = fewest_edits(counts, 0, np.array([3.0, 2.0, 1.0]), 0.5, top_k=20)
    # 5 codes at position 1 (6 each): raw 30, and the scale becomes 10..45 (it was the smallest): 0.57
    assert size == 5
    monkeypatch.setattr(counts_module, "MAX_EDIT_VECTORS", edit_count(3, 4))
    assert fewest_edits(counts, 0, np.array([3.0, 2.0, 1.0]), 0.5, top_k=20) == (None, None)
