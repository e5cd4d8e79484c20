"""The paper's statements, judged on synthetic tables where the answer is known."""

import pandas as pd

from robust.report.statements import PAPER_STATEMENTS, near_threshold_finding, weak_capability_finding
from robust.report.verdicts import VerdictRule

SEPARATOR = next(s for s in PAPER_STATEMENTS if s["kind"] == "near_dynamism")
CHIP_WEAK = next(s for s in PAPER_STATEMENTS if s["kind"] == "weak_capability")
THRESHOLDS = {"capability": 0.5, "dynamism": 0.5}


def _tables(p_dynamism_strong, p_capability_strong=(1.0, 0.2, 0.0)):
    scores = pd.DataFrame({"technology": ["chip", "lithium-battery separator", "x"],
                           "capability": [0.501, 0.46, 0.7], "dynamism": [0.3, 0.486, 0.9],
                           "quadrant": ["assault", "entrench", "disrupt"]})
    stability = pd.DataFrame({"scheme": "technologies", "technology": scores["technology"],
                              "p_capability_strong": list(p_capability_strong),
                              "p_dynamism_strong": list(p_dynamism_strong), "p_dynamism_strong_exact": list(p_dynamism_strong)})
    for axis in ("capability", "dynamism"):
        stability[f"p_{axis}_strong_low"] = stability[f"p_{axis}_strong"] - 0.01
        stability[f"p_{axis}_strong_high"] = stability[f"p_{axis}_strong"] + 0.01
    return scores, stability


def test_a_scheme_that_never_moves_the_axis_does_not_test_the_statement():
    scores, stability = _tables([0.0, 0.0, 1.0])
    finding, holds = near_threshold_finding(SEPARATOR, scores, stability, VerdictRule(), THRESHOLDS)
    assert holds == "not tested: no deciding scheme moves any technology's dynamism side"
    scores, stability = _tables([0.0, 0.3, 1.0])
    finding, holds = near_threshold_finding(SEPARATOR, scores, stability, VerdictRule(), THRESHOLDS)
    assert holds.startswith("yes: the nearest of the 3 technologies") and "0.300 under `technologies`" in holds
    scores, stability = _tables([0.0, 0.01, 1.0])
    assert near_threshold_finding(SEPARATOR, scores, stability, VerdictRule(), THRESHOLDS)[1].startswith("no:")


def test_relative_weakness_is_a_rank_and_the_weak_side_a_probability():
    scores, stability = _tables([0.0, 0.0, 1.0], p_capability_strong=(0.6, 0.2, 1.0))
    _, holds = weak_capability_finding(CHIP_WEAK, scores, stability, THRESHOLDS)
    assert holds == ("relatively weak, yes: the lowest of its quadrant; but not weak as a side: strong stays the "
                     "likelier under every scheme (weak at most 0.400, `technologies`)")
    scores, stability = _tables([0.0, 0.0, 1.0], p_capability_strong=(0.3, 0.2, 1.0))
    _, holds = weak_capability_finding(CHIP_WEAK, scores, stability, THRESHOLDS)
    assert holds.endswith("weak is the likelier side under `technologies` (0.700)")
