"""IPC change counts by hand: the two readings, where they differ, and ties at the top-k boundary."""

import pandas as pd
import pytest

from robust.records.ipc import change_counts, ipc_change_counts, rank_subclasses


@pytest.mark.parametrize(("earlier", "later", "cumulative", "distinct"), [
    # two new codes sharing a new section: counted twice, or once per new prefix
    (["H01L"], ["G06F", "G06K"], (2, 2, 2, 2), (1, 1, 1, 2)),
    # one new code at each position p (first new character at p)
    (["H01L", "H01M", "G06F"], ["H01L", "A61B", "G11C", "H02J", "H01S"], (1, 2, 3, 4), (1, 2, 3, 4)),
    # three codes under two new classes (H02, H05) and one new subclass: H02 counts once under distinct
    (["H01L"], ["H02J", "H02M", "H05K", "H01S"], (0, 0, 3, 4), (0, 0, 2, 4)),
    # nothing new, whatever the order
    (["A01B", "B02C"], ["B02C", "A01B"], (0, 0, 0, 0), (0, 0, 0, 0)),
])
def test_cumulative_and_distinct_by_hand(earlier, later, cumulative, distinct):
    assert ipc_change_counts(earlier, later, "cumulative") == cumulative
    assert ipc_change_counts(earlier, later, "distinct") == distinct


def test_counts_are_for_every_technology_at_once_and_zero_without_new_codes():
    top = pd.DataFrame({"technology": ["x", "x", "y", "y", "z", "z"], "window": [0, 1, 0, 1, 0, 1],
                        "code": ["H01L", "G06F", "A01B", "A01B", "C07D", "C07K"]})
    assert change_counts(top, ["z", "x", "y"], "cumulative").tolist() == [[0, 0, 0, 1], [1, 1, 1, 1], [0, 0, 0, 0]]


def test_ties_at_the_top_k_boundary_go_to_the_lower_code():
    counts = pd.DataFrame({"technology": "t", "window": 0, "code": ["D01A", "B01A", "A01A", "C01A", "E01A"],
                           "count": [3, 5, 3, 3, 1]})
    top = rank_subclasses(counts, 2)
    assert top["code"].tolist() == ["B01A", "A01A"] and top["rank"].tolist() == [1, 2]
    assert rank_subclasses(counts, 4)["code"].tolist() == ["B01A", "A01A", "C01A", "D01A"]
