"""What one scheme says about every technology: quadrant counts, intervals, standard errors.

:func:`summarise_tally` turns the tally of a random scheme into a :class:`SchemeSummary`;
:func:`summarise_exact` does the same for a full enumeration of variants (jackknife,
drop_indicator), which carries no Monte Carlo error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...compute.seeds import STREAM_BLOCK
from ...core.options import QUADRANTS
from .engine import Replicates
from .tally import Moments, Tally, joint_hits

JOINT_STATEMENTS: tuple[str, ...] = (
    "every technology keeps its base quadrant",
    *(f"{quadrant} holds exactly its base members" for quadrant in QUADRANTS),
    *(f"every base member of {quadrant} keeps it" for quadrant in QUADRANTS),
)


@dataclass(frozen=True)
class SchemeSummary:
    """What one scheme says about every technology (arrays are per technology).

    Attributes
    ----------
    scheme : str
    replicates : int
    counts : ndarray, shape (m, 4)
        Replicates in each quadrant (columns in :data:`robust.QUADRANTS` order).
    probability_low, probability_high : ndarray, shape (m, 4)
        Interval of each quadrant probability (Wilson; or the value itself when exact).
    interval : str
        ``"wilson"`` or ``"exact"``.
    capability_interval, dynamism_interval : ndarray, shape (m, 2)
        Percentile intervals at the confidence level (random schemes); the range over the
        variants (deterministic schemes).
    capability_mean, dynamism_mean, capability_se, dynamism_se : ndarray (m,)
    weights_mean, weights_se : ndarray (k,)
    weights_interval : ndarray (k, 2)
    degenerate : int
        Replicates with a constant indicator or dynamism in their estimation sample.
    changed_by : tuple of str
        Per technology, the variants (left-out technology or indicator) that change its
        quadrant, ``"; "``-joined (deterministic schemes; empty for random ones).
    retention_curve : ndarray, shape (n_points, m); curve_replicates : ndarray (n_points,)
        Retention after the first ``curve_replicates[i]`` replicates (convergence).
    resolution : dict
        Bound on the error of the reported capability, dynamism and weight percentiles:
        the largest spread of a histogram bin that held one (0 when exact).
    joint_counts : ndarray, shape (9,)
        Replicates in which every technology keeps its quadrant, in which each quadrant holds
        exactly its base members, and in which all of each quadrant's base members keep it
        (:data:`JOINT_STATEMENTS`).
    joint_low, joint_high : ndarray, shape (9,)
        Their intervals (Wilson; or the value itself when exact).
    dynamism_strong_exact : ndarray (m,) or None
        The exact probability that dynamism is strong (``technologies`` only:
        :mod:`robust.analyses.bootstrap.extremes`).
    dynamism_flip_event : tuple of str or None
        Per technology, the event of the resample's extremes that puts its dynamism on the
        other side, in words (empty when there is none; ``technologies`` only).
    dynamism_flip_group : ndarray (m,) of int or None
        Technologies sharing one flip event share a number (1, 2, ...; 0 for none).
    replicate_scores : Replicates or None
        Every replicate, only when asked for (``keep_replicates=True``) or exact.
    """

    scheme: str
    replicates: int
    counts: np.ndarray
    probability_low: np.ndarray
    probability_high: np.ndarray
    interval: str
    capability_interval: np.ndarray
    dynamism_interval: np.ndarray
    capability_mean: np.ndarray
    dynamism_mean: np.ndarray
    capability_se: np.ndarray
    dynamism_se: np.ndarray
    weights_mean: np.ndarray
    weights_se: np.ndarray
    weights_interval: np.ndarray
    degenerate: int
    changed_by: tuple[str, ...]
    retention_curve: np.ndarray
    curve_replicates: np.ndarray
    resolution: dict
    joint_counts: np.ndarray
    joint_low: np.ndarray
    joint_high: np.ndarray
    dynamism_strong_exact: np.ndarray | None = None
    dynamism_flip_event: tuple[str, ...] | None = None
    dynamism_flip_group: np.ndarray | None = None
    replicate_scores: Replicates | None = None

    @property
    def probabilities(self) -> np.ndarray:
        return self.counts / self.replicates

    def side_probabilities(self, confidence: float) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """``{"capability": (p, low, high), "dynamism": ...}``: the probability that each axis is strong.

        Capability is strong in assault and disrupt, dynamism in position and disrupt.
        """
        sides = {"capability": self.counts[:, 0] + self.counts[:, 3],
                 "dynamism": self.counts[:, 2] + self.counts[:, 3]}
        result = {}
        for axis, strong in sides.items():
            p = strong / self.replicates
            low, high = (wilson_interval(strong, self.replicates, confidence) if self.interval == "wilson"
                         else (p, p))
            result[axis] = (p, low, high)
        return result


def wilson_interval(count, n: int, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial proportion (statsmodels), element-wise; exactly 0 (1)
    at its lower (upper) end when no (every) draw is a hit, where rounding would leave it inside."""
    from statsmodels.stats.proportion import proportion_confint

    count = np.asarray(count)
    low, high = proportion_confint(count, n, alpha=1 - confidence, method="wilson")
    low = np.where(count == 0, 0.0, np.clip(np.asarray(low, dtype=float), 0, 1))
    high = np.where(count == n, 1.0, np.clip(np.asarray(high, dtype=float), 0, 1))
    return low, high


def percentile_interval(moments: Moments, confidence: float) -> tuple[np.ndarray, float]:
    """Percentile interval ``(n, 2)`` from a histogram, and the largest error bound."""
    tail = (1 - confidence) / 2
    (low, low_error), (high, high_error) = moments.quantile(tail), moments.quantile(1 - tail)
    return np.column_stack([low, high]), float(max(low_error.max(), high_error.max()))


def summarise_tally(scheme: str, tally: Tally, confidence: float, base_quadrant) -> SchemeSummary:
    n = tally.capability.n
    low, high = wilson_interval(tally.counts, n, confidence)
    blocks = sorted(tally.retained_by_block)
    cumulative = np.cumsum([tally.retained_by_block[b] for b in blocks], axis=0)
    seen = np.minimum((np.asarray(blocks) + 1) * STREAM_BLOCK, n)
    points = curve_points(len(blocks))
    capability_interval, capability_error = percentile_interval(tally.capability, confidence)
    dynamism_interval, dynamism_error = percentile_interval(tally.dynamism, confidence)
    weights_interval, weights_error = percentile_interval(tally.weights, confidence)
    joint_low, joint_high = wilson_interval(tally.joint, n, confidence)
    return SchemeSummary(
        scheme=scheme,
        replicates=n,
        counts=tally.counts,
        probability_low=low,
        probability_high=high,
        interval="wilson",
        capability_interval=capability_interval,
        dynamism_interval=dynamism_interval,
        capability_mean=tally.capability.mean,
        dynamism_mean=tally.dynamism.mean,
        capability_se=tally.capability.sd,
        dynamism_se=tally.dynamism.sd,
        weights_mean=tally.weights.mean,
        weights_se=tally.weights.sd,
        weights_interval=weights_interval,
        degenerate=tally.degenerate,
        changed_by=("",) * len(base_quadrant),
        retention_curve=cumulative[points] / seen[points, None],
        curve_replicates=seen[points],
        resolution={"capability": capability_error, "dynamism": dynamism_error, "weights": weights_error},
        joint_counts=tally.joint,
        joint_low=joint_low,
        joint_high=joint_high,
    )


def curve_points(n_blocks: int) -> np.ndarray:
    """Block indices at 1, 2, 4, 8, ... blocks and the last one."""
    points = {n_blocks - 1}
    size = 1
    while size <= n_blocks:
        points.add(size - 1)
        size *= 2
    return np.array(sorted(points))


def summarise_exact(scheme: str, replicates: Replicates, labels, base_quadrant,
                     jackknife: bool) -> SchemeSummary:
    """Summary of a full enumeration of variants (no Monte Carlo error).

    Standard errors: the jackknife's ``sqrt((n - 1) / n * sum (x - mean)^2)`` when
    ``jackknife``, else the standard deviation over the variants (NaN entries, such as the
    weight of a dropped indicator, are left out).
    """
    n, m = replicates.quadrant.shape
    counts = np.stack([(replicates.quadrant == q).sum(axis=0) for q in range(4)], axis=1)
    probabilities = counts / n

    def interval(values):
        """The range over the variants (a few values: no percentile between them is honest)."""
        return np.column_stack([np.nanmin(values, axis=0), np.nanmax(values, axis=0)])

    def standard_error(values):
        count = (~np.isnan(values)).sum(axis=0)
        spread = np.nanmax(values, axis=0) - np.nanmin(values, axis=0)
        squares = np.nansum((values - np.nanmean(values, axis=0)) ** 2, axis=0)
        scale = (count - 1) / count if jackknife else 1 / np.maximum(count - 1, 1)
        return np.where(spread > 0, np.sqrt(scale * squares), 0.0)

    changed = replicates.quadrant != base_quadrant
    changed_by = tuple("; ".join(labels[r] for r in np.flatnonzero(changed[:, i])) for i in range(m))
    capability_se, dynamism_se = standard_error(replicates.capability), standard_error(replicates.dynamism)
    retained = (~changed).mean(axis=0)
    joint = joint_hits(replicates.quadrant.T, np.asarray(base_quadrant)).sum(axis=1)
    return SchemeSummary(
        scheme=scheme,
        replicates=n,
        counts=counts,
        probability_low=probabilities,
        probability_high=probabilities,
        interval="exact",
        capability_interval=interval(replicates.capability),
        dynamism_interval=interval(replicates.dynamism),
        capability_mean=replicates.capability.mean(axis=0),
        dynamism_mean=replicates.dynamism.mean(axis=0),
        capability_se=capability_se,
        dynamism_se=dynamism_se,
        weights_mean=np.nanmean(replicates.weights, axis=0),
        weights_se=standard_error(replicates.weights),
        weights_interval=interval(replicates.weights),
        degenerate=int(replicates.degenerate.sum()),
        changed_by=changed_by,
        retention_curve=retained[None, :],
        curve_replicates=np.array([n]),
        resolution={"capability": 0.0, "dynamism": 0.0, "weights": 0.0},
        joint_counts=joint,
        joint_low=joint / n,
        joint_high=joint / n,
        replicate_scores=replicates,
    )
