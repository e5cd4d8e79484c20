"""The result of Monte Carlo filtering and its tables (``filtering.csv``, ``pawn.csv``, ``rules.csv``, ...)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core.options import QUADRANTS
from ..bootstrap.summary import wilson_interval
from .boxes import Box
from .statistics import PAWN_STATISTICS
from .variables import Variable, level_words

NO_RESTRICTION = "(none)"  # the factor cell of a rule whose box is the whole design
FILTERING_COLUMNS = ["technology", "output", "factor", "ks", "p_value", "low", "high", "estimable", "p_value_se"]
RULE_COLUMNS = ["technology", "factor", "low", "high", "coverage", "density"]


@dataclass(frozen=True)
class TechnologyFindings:
    """One technology's numbers: arrays ``(outputs, variables)`` (PAWN: ``(..., statistics)``), NaN where
    the output never changes; ``events`` the rarer value's count per output; its box (or None)."""

    ks: np.ndarray
    p_value: np.ndarray
    p_value_se: np.ndarray
    low: np.ndarray
    high: np.ndarray
    pawn: np.ndarray
    events: np.ndarray
    box: Box | None


@dataclass(frozen=True)
class FilteringResult:
    """Filtering distances, PAWN indices, rules, quadrant probabilities and ranks over the draws."""

    technologies: tuple[str, ...]
    base_quadrant: tuple[str, ...]
    spec: object
    variables: tuple[Variable, ...]
    findings: tuple[TechnologyFindings, ...]
    quadrant_counts: np.ndarray   # (m, 4) draws in each quadrant
    ranks: np.ndarray             # (m, m) draws at each capability rank
    metadata: dict

    def _rows(self) -> pd.DataFrame:
        outputs, names = self.spec.outputs, [variable.name for variable in self.variables]
        m, o, v = len(self.technologies), len(outputs), len(names)
        return pd.DataFrame({
            "technology": np.repeat(np.array(self.technologies, dtype=object), o * v),
            "output": np.tile(np.repeat(np.array(outputs, dtype=object), v), m),
            "factor": np.tile(np.array(names, dtype=object), m * o),
        })

    def _estimable(self) -> np.ndarray:
        v = len(self.variables)
        return np.concatenate([np.repeat(found.events >= self.spec.min_events, v) for found in self.findings])

    def to_frame(self) -> pd.DataFrame:
        """``filtering.csv``: one row per technology, output and input variable.

        Columns ``technology, output, factor, ks, p_value, low, high, estimable``: ``factor`` names the
        variable (:mod:`~robust.analyses.filtering.variables`); ``ks`` the KS distance between its values
        in the draws where the output is 1 and where it is 0 (for a discrete factor the total-variation
        distance of its levels); ``p_value`` its permutation p-value; ``low, high`` the bootstrap
        percentile interval of the distance; ``estimable`` False when the rarer value of the output was
        seen in fewer than ``min_events`` draws (the numbers are then kept raw, not findings);
        ``p_value_se`` the Monte Carlo standard error of the p-value (0 where it is exact). The
        numbers are empty where the output never changes.
        """
        frame = self._rows()
        for name in ("ks", "p_value", "p_value_se", "low", "high"):
            frame[name] = np.concatenate([getattr(found, name).ravel() for found in self.findings])
        frame["estimable"] = self._estimable()
        return frame[FILTERING_COLUMNS]

    def pawn_frame(self) -> pd.DataFrame:
        """``pawn.csv``: ``technology, output, factor, minimum, mean, median, maximum, cv, stdev, estimable``
        (the PAWN index over the conditioning intervals; SALib reports the median)."""
        frame = self._rows()
        stacked = np.concatenate([found.pawn.reshape(-1, len(PAWN_STATISTICS)) for found in self.findings])
        for j, name in enumerate(PAWN_STATISTICS):
            frame[name] = stacked[:, j]
        frame["estimable"] = self._estimable()
        return frame

    def rules_frame(self) -> pd.DataFrame:
        """``rules.csv``: ``technology, factor, low, high, coverage, density``, one row per restriction of each
        technology's box (:mod:`~robust.analyses.filtering.boxes`).

        A continuous bound is empty on the side the box does not cut; a level of a discrete factor left
        out of the box is the factor ``<name>=<level>`` with ``low = high = 0``. A box without any
        restriction (no cut raised the density) is one row with factor ``(none)``.
        """
        records = []
        by_name = {variable.name: variable for variable in self.variables}
        for technology, found in zip(self.technologies, self.findings):
            box = found.box
            if box is None:
                continue
            if not box.restrictions:
                records.append((technology, NO_RESTRICTION, np.nan, np.nan, box.coverage, box.density))
            for restriction in box.restrictions:
                name = restriction.variable
                if restriction.level is not None:
                    name = f"{name}={by_name[name].levels[restriction.level]}"
                records.append((technology, name, restriction.low, restriction.high, box.coverage, box.density))
        return pd.DataFrame(records, columns=RULE_COLUMNS)

    def quadrants_frame(self) -> pd.DataFrame:
        """``filtering_quadrants.csv``: ``technology, quadrant, probability, low, high`` over the draws
        (Wilson intervals, as for independent draws)."""
        m, n = len(self.technologies), self.spec.n
        low, high = wilson_interval(self.quadrant_counts, n, self.spec.confidence)
        return pd.DataFrame({
            "technology": np.repeat(np.array(self.technologies, dtype=object), 4),
            "quadrant": list(QUADRANTS) * m,
            "probability": (self.quadrant_counts / n).ravel(),
            "low": low.ravel(), "high": high.ravel(),
        })

    def rank_counts(self) -> np.ndarray:
        """``(m, m)``: how many draws gave each technology capability rank 1..m."""
        return self.ranks

    def plot(self, ax=None, **kwargs):
        """Heatmap of the distances; see :func:`robust.plotting.filtering.plot_filtering_heatmap`."""
        from ...plotting.filtering import plot_filtering_heatmap

        return plot_filtering_heatmap(self.to_frame(), ax=ax, **kwargs)

    def rule_sentences(self) -> dict[str, str]:
        """Each technology with a rule: the rule in words (:func:`rule_sentence`)."""
        frame = self.rules_frame()
        quadrant = dict(zip(self.technologies, self.base_quadrant))
        levels = {variable.name: variable.levels for variable in self.variables if variable.discrete}
        return {technology: rule_sentence(quadrant[technology], rows, levels)
                for technology, rows in frame.groupby("technology", sort=False)}


def _number(value: float) -> str:
    return f"{value:.3f}"


def _bound(value: float) -> str:
    return f"{value:.4g}"


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def rule_sentence(quadrant: str, rows: pd.DataFrame, levels: dict | None = None) -> str:
    """A technology's ``rules.csv`` rows in words: "keeps assault while capability_threshold <= 0.5011 and
    weighting is not critic (density 0.990, coverage 0.870)" (bounds to 4 significant digits).

    ``levels`` (discrete factor -> its levels) lets a factor with more levels left out than kept read as
    the levels kept ("weighting is equal")."""
    first = rows.iloc[0]
    tail = f"(density {_number(first['density'])}, coverage {_number(first['coverage'])})"
    if first["factor"] == NO_RESTRICTION:
        return (f"keeps {quadrant} in {_number(first['density'])} of the draws; no peel of a factor's range "
                "raises that share")
    parts, left_out = [], {}
    for row in rows.itertuples():
        if "=" in row.factor:
            name, level = row.factor.split("=", 1)
            left_out.setdefault(name, []).append(level)
        elif row.low == row.low and row.high == row.high:
            parts.append(f"{_bound(row.low)} <= {row.factor} <= {_bound(row.high)}")
        elif row.high == row.high:
            parts.append(f"{row.factor} <= {_bound(row.high)}")
        else:
            parts.append(f"{row.factor} >= {_bound(row.low)}")
    words = lambda name, chosen: [level_words(Variable(name, name, 0, levels=(level,)), 0) for level in chosen]
    for name, dropped in left_out.items():
        kept = [level for level in (levels or {}).get(name, ()) if level not in dropped]
        if kept and len(kept) < len(dropped):
            parts.append(f"{name} is {_either(words(name, kept))}")
            continue
        shown = words(name, dropped)
        parts.append(f"{name} is not {shown[0]}" if len(shown) == 1 else
                     f"{name} is neither {shown[0]} nor {shown[1]}" if len(shown) == 2 else
                     f"{name} is none of {', '.join(shown)}")
    return f"keeps {quadrant} while {' and '.join(parts)} {tail}"
