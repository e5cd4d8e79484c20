"""The vectorised Saltelli design is SALib's, array for array."""

import numpy as np
import pytest
from SALib.sample.sobol import sample

from robust.analyses.sobol.indices import salib_problem, saltelli_design


@pytest.mark.parametrize("groups", [
    [("a", 1), ("b", 1)],
    [("weights", 4), ("threshold", 1), ("amplitudes", 3)],
    [("x", 2), ("y", 1), ("z", 5), ("u", 1), ("v", 1)],
])
@pytest.mark.parametrize("second_order", [False, True])
@pytest.mark.parametrize("seed", [1, 2**62 + 12345])
def test_the_design_equals_salibs_sampler(groups, second_order, seed):
    expected = sample(salib_problem(groups), 128, calc_second_order=second_order, seed=seed)
    found = saltelli_design(groups, 128, second_order=second_order, seed=seed)
    assert found.shape == expected.shape and found.dtype == expected.dtype
    assert np.array_equal(found, expected)


def test_the_design_rows_are_a_then_each_factor_from_b_then_b():
    design = saltelli_design([("x", 2), ("y", 1)], 8, second_order=False, seed=5).reshape(8, 4, 3)
    a, b = design[:, 0], design[:, -1]
    assert np.array_equal(design[:, 1], np.column_stack([b[:, :2], a[:, 2:]]))   # x from B
    assert np.array_equal(design[:, 2], np.column_stack([a[:, :2], b[:, 2:]]))   # y from B
