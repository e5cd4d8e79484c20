"""Rank intervals: quantiles of known rank counts, the base rank, the shift, agreement with the Sobol output."""

import numpy as np
import pytest

import robust
from robust.analyses.ranks import average_shift, rank_frame, rank_quantile


def test_quantiles_of_rank_counts():
    counts = np.array([[5, 0, 0], [1, 1, 8], [0, 90, 10]])
    assert list(rank_quantile(counts, 0.05)) == [1, 1, 2]
    assert list(rank_quantile(counts, 0.5)) == [1, 3, 2]
    assert list(rank_quantile(counts, 0.95)) == [1, 3, 3]


def test_the_frame_of_two_analyses():
    counts = np.array([[8, 2], [2, 8]])
    frame = rank_frame(["a", "b"], [0.9, 0.1], {"sobol": counts, "filtering": counts[::-1]})
    assert list(frame["analysis"]) == ["sobol", "sobol", "filtering", "filtering"]
    assert list(frame["base_rank"]) == [1, 2, 1, 2]
    assert list(frame["mean_shift"]) == pytest.approx([0.2, 0.2, 0.8, 0.8])
    assert average_shift(frame) == pytest.approx({"sobol": 0.2, "filtering": 0.8})
    assert list(frame["median"]) == [1, 2, 2, 1]


def test_the_mean_shift_averages_to_the_sobol_rank_shift(paper_table):
    result = robust.sobol_analysis(paper_table, n=64, scrambles=2, outputs=["rank", "rank_shift"], rng=1)
    frame = rank_frame(paper_table.technologies, robust.score(paper_table).to_frame()["capability"],
                       {"sobol": result.rank_counts()})
    sobol = result.to_frame()
    scalar = sobol[sobol["output"] == "rank_shift"]["output_mean"].iloc[0]
    assert average_shift(frame)["sobol"] == pytest.approx(scalar, rel=1e-12)
    assert (frame["low"] <= frame["median"]).all() and (frame["median"] <= frame["high"]).all()
