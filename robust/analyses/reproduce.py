"""Reproduction of the paper's Table 3, section-3 quadrants and entropy weights."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.display import Displayed
from ..core.scoring import ScoreResult, score
from ..datasets.paper2023 import (
    PAPER_PRINTED_WEIGHTS,
    load_paper2023,
    load_paper2023_published,
)

TOLERANCE = 1e-6


@dataclass(frozen=True, repr=False)
class Reproduction(Displayed):
    """Our scores of the packaged Table 2 beside the published Table 3.

    Attributes
    ----------
    scores : pandas.DataFrame
        Per technology: ``id, name_zh, technology, capability, capability_paper,
        capability_diff, dynamism, dynamism_paper, dynamism_diff, quadrant,
        quadrant_paper, quadrant_match``.
    weights : pandas.DataFrame
        Per indicator: ``indicator, weight, weight_printed, diff``.
    result : ScoreResult
    tolerance : float
    """

    scores: pd.DataFrame
    weights: pd.DataFrame
    result: ScoreResult
    tolerance: float

    @property
    def max_capability_diff(self) -> float:
        return float(self.scores["capability_diff"].abs().max())

    @property
    def max_dynamism_diff(self) -> float:
        return float(self.scores["dynamism_diff"].abs().max())

    @property
    def quadrants_matched(self) -> int:
        return int(self.scores["quadrant_match"].sum())

    @property
    def passed(self) -> bool:
        """Every value within the tolerance and every quadrant equal to the paper's."""
        return (
            self.max_capability_diff <= self.tolerance
            and self.max_dynamism_diff <= self.tolerance
            and self.quadrants_matched == len(self.scores)
        )

    def summary(self) -> str:
        """``REPRODUCED: max differences 4.9e-07 / 4.9e-07, 20/20 quadrants``."""
        verdict = "REPRODUCED" if self.passed else "NOT REPRODUCED"
        return (f"{verdict}: max differences {self.max_capability_diff:.1e} (capability), "
                f"{self.max_dynamism_diff:.1e} (dynamism), {self.quadrants_matched}/{len(self.scores)} quadrants")

    def to_frame(self) -> pd.DataFrame:
        return self.scores

    def report(self) -> str:
        """The side-by-side table as text, with a verdict line."""
        shown = self.scores.assign(
            technology=lambda f: f["name_zh"] + " " + f["technology"],
        )[["id", "technology", "capability", "capability_paper", "capability_diff",
           "dynamism", "dynamism_paper", "dynamism_diff", "quadrant", "quadrant_paper"]]
        with pd.option_context("display.unicode.east_asian_width", True):
            table_text = shown.to_string(index=False, formatters={
                "capability": "{:.7f}".format, "capability_paper": "{:.6f}".format,
                "capability_diff": "{:+.1e}".format, "dynamism": "{:.7f}".format,
                "dynamism_paper": "{:.6f}".format, "dynamism_diff": "{:+.1e}".format,
            })
        lines = [
            "Reproduction of Yu, Wang, Zhao & Bai (2023), Table 3 and section 3 (Figure 3)",
            "",
            table_text,
            "",
            "Entropy weights (Appendix 2), exact beside the printed values:",
            self.weights.to_string(index=False, formatters={
                "weight": "{:.6f}".format, "weight_printed": "{:.2f}".format,
                "diff": "{:+.6f}".format,
            }),
            "",
            f"max |capability - Table 3| = {self.max_capability_diff:.2e}, "
            f"max |dynamism - Table 3| = {self.max_dynamism_diff:.2e} (tolerance {self.tolerance:g}); "
            f"quadrants matching section 3: {self.quadrants_matched}/{len(self.scores)}",
            "REPRODUCED" if self.passed else "NOT REPRODUCED",
        ]
        return "\n".join(lines)


def reproduce_paper(tolerance: float = TOLERANCE) -> Reproduction:
    """Score the packaged Table 2 with the paper's model and compare with Table 3.

    Examples
    --------
    >>> reproduce_paper().passed
    True
    """
    table = load_paper2023()
    result = score(table)
    published = load_paper2023_published()
    ours = result.to_frame()
    if list(ours["technology"]) != list(published["name_en"]):
        raise RuntimeError("packaged Table 2 and Table 3 list different technologies")
    scores = pd.DataFrame({
        "id": published["id"],
        "name_zh": published["name_zh"],
        "technology": ours["technology"],
        "capability": ours["capability"],
        "capability_paper": published["capability"],
        "capability_diff": ours["capability"] - published["capability"],
        "dynamism": ours["dynamism"],
        "dynamism_paper": published["dynamism"],
        "dynamism_diff": ours["dynamism"] - published["dynamism"],
        "quadrant": ours["quadrant"],
        "quadrant_paper": published["quadrant"],
        "quadrant_match": ours["quadrant"] == published["quadrant"],
    })
    printed = np.asarray(PAPER_PRINTED_WEIGHTS)
    weights = pd.DataFrame({
        "indicator": list(result.indicators),
        "weight": result.weights,
        "weight_printed": printed,
        "diff": result.weights - printed,
    })
    return Reproduction(scores=scores, weights=weights, result=result, tolerance=tolerance)
