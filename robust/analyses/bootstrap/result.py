"""The result of a bootstrap: every scheme's summary, and the tables a result folder holds."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...core.display import Displayed
from ...core.options import QUADRANTS
from ...core.scoring import ScoreResult
from .spec import RANDOM_SCHEMES, BootstrapSpec
from .summary import JOINT_STATEMENTS, SchemeSummary


@dataclass(frozen=True, repr=False)
class BootstrapResult(Displayed):
    """Stability of every technology's quadrant under each scheme.

    Attributes
    ----------
    technologies, indicators : tuple of str
    base : ScoreResult
        The base model's scores.
    spec : BootstrapSpec
    seed_entropy : int
        Entropy of the root seed sequence (rerun with it to reproduce).
    summaries : tuple of SchemeSummary
    """

    technologies: tuple[str, ...]
    indicators: tuple[str, ...]
    base: ScoreResult
    spec: BootstrapSpec
    seed_entropy: int
    summaries: tuple[SchemeSummary, ...]

    def summary(self) -> str:
        """The schemes and the lowest retention: ``6 schemes (...); lowest retention 0.362 (vacuum evaporator, noise)``."""
        schemes = [s.scheme for s in self.summaries]
        frame = self.to_frame()
        lowest = frame.loc[frame["retention"].idxmin()]
        return (f"{len(schemes)} scheme{'s' if len(schemes) > 1 else ''} ({', '.join(schemes)}) on "
                f"{len(self.technologies)} technologies; lowest retention {lowest['retention']:.3f} "
                f"({lowest['technology']}, {lowest['scheme']})")

    def scheme_summary(self, scheme: str) -> SchemeSummary:
        """The summary of one scheme: its tallies, intervals and (when kept) replicate scores."""
        for summary in self.summaries:
            if summary.scheme == scheme:
                return summary
        raise KeyError(f"no scheme {scheme!r} in this result; it has {[s.scheme for s in self.summaries]}")

    def to_frame(self) -> pd.DataFrame:
        """The stability table, one row per scheme and technology.

        Columns: ``scheme, technology, base_quadrant, p_assault, p_entrench, p_position,
        p_disrupt, retention, retention_low, retention_high, interval,
        p_capability_strong(_low, _high), p_dynamism_strong(_low, _high),
        p_dynamism_strong_exact, dynamism_flip_event, dynamism_flip_group, capability_low, capability_high,
        dynamism_low, dynamism_high, capability_margin_se, dynamism_margin_se, replicates,
        degenerate_replicates, changed_by``. The exact columns are filled for the
        ``technologies`` scheme only (:mod:`robust.analyses.bootstrap.extremes`).
        """
        base_codes = np.array([QUADRANTS.index(q) for q in self.base.quadrant])
        model = self.base.model
        frames = []
        for s in self.summaries:
            rows = np.arange(len(self.technologies))
            frame = pd.DataFrame({"scheme": s.scheme, "technology": list(self.technologies),
                                  "base_quadrant": list(self.base.quadrant)})
            for q, name in enumerate(QUADRANTS):
                frame[f"p_{name}"] = s.probabilities[:, q]
            frame["retention"] = s.probabilities[rows, base_codes]
            frame["retention_low"] = s.probability_low[rows, base_codes]
            frame["retention_high"] = s.probability_high[rows, base_codes]
            frame["interval"] = s.interval
            for axis, (p, low, high) in s.side_probabilities(self.spec.confidence).items():
                frame[f"p_{axis}_strong"], frame[f"p_{axis}_strong_low"], frame[f"p_{axis}_strong_high"] = p, low, high
            exact = s.dynamism_strong_exact
            frame["p_dynamism_strong_exact"] = np.full(len(rows), np.nan) if exact is None else exact
            frame["dynamism_flip_event"] = list(s.dynamism_flip_event or ("",) * len(rows))
            groups = s.dynamism_flip_group
            frame["dynamism_flip_group"] = pd.array([None] * len(rows) if groups is None else groups, dtype="Int64")
            frame["capability_low"], frame["capability_high"] = s.capability_interval.T
            frame["dynamism_low"], frame["dynamism_high"] = s.dynamism_interval.T
            frame["capability_margin_se"] = _in_standard_errors(
                self.base.capability - model.capability_threshold, s.capability_se)
            frame["dynamism_margin_se"] = _in_standard_errors(
                self.base.dynamism - model.dynamism_threshold, s.dynamism_se)
            frame["replicates"] = s.replicates
            frame["degenerate_replicates"] = s.degenerate
            frame["changed_by"] = list(s.changed_by)
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def joint_frame(self) -> pd.DataFrame:
        """Joint statements: ``scheme, statement, probability, low, high, interval, replicates``.

        Per scheme, the probability that every technology keeps its base quadrant, and for
        each quadrant that it holds exactly its base members, and that all its base members
        keep it (:data:`~robust.analyses.bootstrap.summary.JOINT_STATEMENTS`).
        """
        records = [(s.scheme, statement, s.joint_counts[i] / s.replicates, s.joint_low[i], s.joint_high[i],
                    s.interval, s.replicates)
                   for s in self.summaries for i, statement in enumerate(JOINT_STATEMENTS)]
        return pd.DataFrame(records, columns=["scheme", "statement", "probability", "low", "high", "interval",
                                              "replicates"])

    def probabilities_frame(self) -> pd.DataFrame:
        """Long table: ``scheme, technology, quadrant, probability, low, high, interval``."""
        records = []
        for s in self.summaries:
            for i, technology in enumerate(self.technologies):
                for q, name in enumerate(QUADRANTS):
                    records.append((s.scheme, technology, name, s.probabilities[i, q],
                                    s.probability_low[i, q], s.probability_high[i, q], s.interval))
        return pd.DataFrame(records, columns=["scheme", "technology", "quadrant", "probability",
                                              "low", "high", "interval"])

    def weights_frame(self) -> pd.DataFrame:
        """``scheme, indicator, base_weight, mean, sd, low, high, replicates``."""
        frames = []
        for s in self.summaries:
            indicators = list(self.indicators)
            frame = pd.DataFrame({"scheme": s.scheme, "indicator": indicators,
                                  "base_weight": self.base.weights, "mean": s.weights_mean,
                                  "sd": s.weights_se, "low": s.weights_interval[:, 0],
                                  "high": s.weights_interval[:, 1], "replicates": s.replicates})
            if s.scheme == "drop_indicator":
                # the dropped indicator's own replicate has no weight for it: report over the others
                frame["replicates"] = s.replicates - 1
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def convergence_frame(self) -> pd.DataFrame:
        """Retention after growing numbers of replicates: ``scheme, technology, replicates, retention``."""
        frames = []
        for s in self.summaries:
            if s.scheme not in RANDOM_SCHEMES:
                continue
            for point, seen in enumerate(s.curve_replicates):
                frames.append(pd.DataFrame({"scheme": s.scheme, "technology": list(self.technologies),
                                            "replicates": int(seen), "retention": s.retention_curve[point]}))
        columns = ["scheme", "technology", "replicates", "retention"]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)

    def plot(self, ax=None, *, scheme: str | None = None):
        """Stacked quadrant probabilities per technology under ``scheme`` (default the first), sorted
        by retention, with intervals.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Draw into it (e.g. a subplot of your figure); default a new pyplot figure.

        Returns
        -------
        matplotlib Axes
            The axes drawn on: ``ax.figure.savefig("name.png")`` saves it.
        """
        from ...plotting.quadrants import plot_quadrant_probabilities

        return plot_quadrant_probabilities(self.to_frame(), scheme=scheme or self.summaries[0].scheme,
                                           confidence=self.spec.confidence, ax=ax)


def _in_standard_errors(margin: np.ndarray, se: np.ndarray) -> np.ndarray:
    """``margin / se``; ``+-inf`` when the score never moves (se = 0) and the margin is not 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = margin / se
        never_moves = np.where(margin == 0, 0.0, np.copysign(np.inf, margin))
    return np.where(se > 0, ratio, never_moves)
