"""PRIM boxes: known answers for a threshold, an interval and a discrete level; the peel's stopping rules."""

import numpy as np
import pytest

from robust.analyses.filtering.boxes import peel_box


def uniform(seed: int, n: int = 4000, d: int = 3):
    return np.random.default_rng(seed).random((n, d))


def test_a_threshold_is_found_exactly_and_the_other_variables_are_left_free():
    values = uniform(1)
    labels = values[:, 0] <= 0.3
    box = peel_box(values, np.zeros(3, dtype=bool), labels, names=["a", "b", "c"])
    assert (box.density, box.coverage) == (1.0, 1.0)
    [restriction] = box.restrictions
    assert restriction.variable == "a" and np.isnan(restriction.low)
    assert restriction.high == pytest.approx(0.3, abs=2e-3)
    assert box.support == labels.sum()


def test_an_interval_of_two_variables():
    values = uniform(2)
    labels = (values[:, 0] >= 0.2) & (values[:, 1] <= 0.7)
    box = peel_box(values, np.zeros(3, dtype=bool), labels, names=["a", "b", "c"])
    found = {r.variable: (r.low, r.high) for r in box.restrictions}
    assert set(found) == {"a", "b"}
    assert found["a"][0] == pytest.approx(0.2, abs=3e-3) and found["b"][1] == pytest.approx(0.7, abs=3e-3)
    assert box.density == 1.0 and box.coverage > 0.99


def test_a_discrete_level_is_left_out():
    rng = np.random.default_rng(3)
    values = np.column_stack([rng.integers(0, 3, 3000), rng.random(3000)]).astype(float)
    labels = values[:, 0] != 2
    box = peel_box(values, np.array([True, False]), labels, names=["method", "x"])
    [restriction] = box.restrictions
    assert (restriction.variable, restriction.level) == ("method", 2)
    assert (box.density, box.coverage) == (1.0, 1.0)


def test_noise_gives_no_restriction_that_does_not_raise_the_density():
    values = uniform(4)
    labels = np.random.default_rng(5).random(4000) < 0.9  # independent of every variable
    box = peel_box(values, np.zeros(3, dtype=bool), labels, names=["a", "b", "c"], min_support=2000)
    assert box.support >= 2000
    assert box.density >= labels.mean()


def test_the_peel_stops_at_the_target_density():
    values = uniform(6)
    labels = values[:, 0] <= 0.5 + 0.5 * np.random.default_rng(7).random(4000) * (values[:, 0] > 0.5)
    box = peel_box(values, np.zeros(3, dtype=bool), labels, names=["a", "b", "c"], target=0.8)
    assert box.density >= 0.8
    assert box.coverage > 0.9
