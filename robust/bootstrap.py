"""Bootstrap and perturbation: how stable is each technology's quadrant?

For every technology and every scheme, the probability of each of the four quadrants
over the replicates, the retention (probability of the base quadrant) with its interval,
percentile intervals of capability and dynamism, and the margin to each threshold in
standard errors.

Schemes
-------
``technologies``
    Resample the m technologies with replacement (B replicates). Re-estimate the
    data-driven weights on the resample and, with ``renormalize=True``, the min-max
    normalisers (of dynamism, and of capability when ``normalize="minmax"``); score ALL
    original technologies with them, so every technology has B replicates. Answers: would
    another sample of technologies, drawn like this one, have given the same model?
``noise``
    Measurement error: every capability cell times a log-normal factor ``exp(s Z - s^2/2)``
    (mean 1, log-sd ``s = noise``); IPC change counts redrawn as Poisson with the observed
    count as mean (a precomputed dynamism score gets the log-normal factor instead);
    weights and normalisers re-estimated on the perturbed data, which is then scored.
``jackknife``
    Leave one technology out at a time (exactly m replicates); weights (and, with
    ``renormalize``, normalisers) re-estimated on the m - 1; all m technologies scored.
``drop_indicator``
    Leave one capability indicator out at a time (exactly k replicates); weights
    re-estimated on the k - 1 (fixed weights are renormalised); all technologies scored.

Statistics
----------
- Quadrant probabilities are exact tallies over the replicates. For the random schemes
  their intervals are Wilson score intervals (``statsmodels.stats.proportion.
  proportion_confint(method="wilson")``), whose width is the Monte Carlo error. The
  deterministic schemes enumerate every variant: their proportions carry no Monte Carlo
  error and their interval is the value itself (``interval = "exact"``).
- Floating-point sums are kept per stream block and added in block order, so no result
  depends on the chunk size, the workers or the backend.
- Percentile intervals of the random schemes come from a streaming histogram per
  technology (1,024 bins, fewer beyond 1,024 technologies, over the range of the first
  replicates (up to 1,024) padded by half its width, plus an underflow and an overflow bin; each
  bin keeps its smallest and largest value and a quantile is read between them), so
  memory is bounded by the chunk size, not by the number of replicates. A quantile is
  exact when its bin holds one distinct value and otherwise off by less than that bin's
  spread (the largest such bound is ``SchemeSummary.resolution``). The deterministic
  schemes report the range over their variants.
- Standard errors: the bootstrap standard deviation (random schemes), the jackknife
  standard error ``sqrt((m - 1) / m * sum (x_i - mean)^2)`` (``jackknife``) and the
  standard deviation over the k variants (``drop_indicator``).
- A replicate is *degenerate* when an indicator or the raw dynamism is constant over the
  technologies it was estimated on; the documented conventions of
  :mod:`robust.weighting` and :mod:`robust.scoring` apply and the count is reported.

References: Efron & Tibshirani (1993), *An Introduction to the Bootstrap*; Wilson (1927),
doi:10.1080/01621459.1927.10502953; Saisana, Saltelli & Tarantola (2005),
doi:10.1111/j.1467-985X.2005.00350.x.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .model import ScoreResult, ScoringModel, checked_raw_dynamism, score
from .parallel import (
    STREAM_BLOCK,
    Execution,
    map_chunks,
    replicate_chunks,
    seed_sequence,
)
from .resampling import (
    Moments,
    Problem,
    Tally,
    block_steps,
    histogram_bins,
    histogram_range,
    run_chunk,
    score_resamples,
)
from .scoring import QUADRANTS, score_batch
from .table import IndicatorTable
from .weighting import compute_weights

SCHEMES: tuple[str, ...] = ("technologies", "noise", "jackknife", "drop_indicator")
RANDOM_SCHEMES: tuple[str, ...] = ("technologies", "noise")
MAX_CHUNK_SIZE = 64 * STREAM_BLOCK
CHUNKS_PER_WORKER = 4


# --------------------------------------------------------------------------- spec


@dataclass(frozen=True)
class BootstrapSpec:
    """The ``[bootstrap]`` section. ``chunk_size`` only decides how work is split."""

    replicates: int = 10_000
    schemes: tuple[str, ...] = SCHEMES
    renormalize: bool = True
    noise: float = 0.05
    count_noise: bool = True
    confidence: float = 0.95
    chunk_size: int | None = None

    def __post_init__(self):
        if isinstance(self.replicates, bool) or not isinstance(self.replicates, int) or self.replicates < 1:
            raise InputError(f"replicates must be a positive integer, got {self.replicates!r}")
        unknown = [s for s in self.schemes if s not in SCHEMES]
        if unknown or not self.schemes or len(set(self.schemes)) != len(self.schemes):
            raise InputError(
                f"schemes must be distinct names from {', '.join(SCHEMES)}; got {list(self.schemes)}"
            )
        if not (isinstance(self.noise, (int, float)) and 0 < self.noise <= 2):
            raise InputError(f"noise must be a log-sd in (0, 2], got {self.noise!r}")
        if not (isinstance(self.confidence, (int, float)) and 0 < self.confidence < 1):
            raise InputError(f"confidence must be in (0, 1), got {self.confidence!r}")
        if self.chunk_size is not None and (self.chunk_size < STREAM_BLOCK or self.chunk_size % STREAM_BLOCK):
            raise InputError(
                f"chunk_size must be a positive multiple of {STREAM_BLOCK}, got {self.chunk_size}"
            )

    def resolved(self) -> dict:
        """Settings that can change a result (``chunk_size`` cannot)."""
        return {
            "replicates": self.replicates,
            "schemes": list(self.schemes),
            "renormalize": self.renormalize,
            "noise": self.noise,
            "count_noise": self.count_noise,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Replicates:
    """Every replicate's scores (only kept when asked for, or for the exact schemes).

    capability, dynamism, quadrant: ``(B, m)``; weights: ``(B, k)``; degenerate: ``(B,)``.
    """

    capability: np.ndarray
    dynamism: np.ndarray
    quadrant: np.ndarray
    weights: np.ndarray
    degenerate: np.ndarray

    @classmethod
    def from_steps(cls, steps) -> "Replicates":
        steps = list(steps)
        return cls(*(np.concatenate([getattr(step, name) for step in steps], axis=-1).T
                     for name in ("capability", "dynamism", "quadrant", "weights")),
                   np.concatenate([step.degenerate for step in steps]))


# -------------------------------------------------------------------- results


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
    replicate_scores: Replicates | None = None

    @property
    def probabilities(self) -> np.ndarray:
        return self.counts / self.replicates


def wilson_interval(count, n: int, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial proportion (statsmodels), element-wise."""
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(np.asarray(count), n, alpha=1 - confidence, method="wilson")
    return np.clip(np.asarray(low, dtype=float), 0, 1), np.clip(np.asarray(high, dtype=float), 0, 1)


def _interval(moments: Moments, confidence: float) -> tuple[np.ndarray, float]:
    """Percentile interval ``(n, 2)`` from a histogram, and the largest error bound."""
    tail = (1 - confidence) / 2
    (low, low_error), (high, high_error) = moments.quantile(tail), moments.quantile(1 - tail)
    return np.column_stack([low, high]), float(max(low_error.max(), high_error.max()))


def _summarise_tally(scheme: str, tally: Tally, confidence: float, base_quadrant) -> SchemeSummary:
    n = tally.capability.n
    low, high = wilson_interval(tally.counts, n, confidence)
    blocks = sorted(tally.retained_by_block)
    cumulative = np.cumsum([tally.retained_by_block[b] for b in blocks], axis=0)
    seen = np.minimum((np.asarray(blocks) + 1) * STREAM_BLOCK, n)
    points = _curve_points(len(blocks))
    capability_interval, capability_error = _interval(tally.capability, confidence)
    dynamism_interval, dynamism_error = _interval(tally.dynamism, confidence)
    weights_interval, weights_error = _interval(tally.weights, confidence)
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
    )


def _curve_points(n_blocks: int) -> np.ndarray:
    """Block indices at 1, 2, 4, 8, ... blocks and the last one."""
    points = {n_blocks - 1}
    size = 1
    while size <= n_blocks:
        points.add(size - 1)
        size *= 2
    return np.array(sorted(points))


def _summarise_exact(scheme: str, replicates: Replicates, labels, base_quadrant,
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
        replicate_scores=replicates,
    )


@dataclass(frozen=True)
class BootstrapResult:
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

    def summary(self, scheme: str) -> SchemeSummary:
        for summary in self.summaries:
            if summary.scheme == scheme:
                return summary
        raise KeyError(f"no scheme {scheme!r} in this result; it has {[s.scheme for s in self.summaries]}")

    def to_frame(self) -> pd.DataFrame:
        """The stability table, one row per scheme and technology.

        Columns: ``scheme, technology, base_quadrant, p_assault, p_entrench, p_position,
        p_disrupt, retention, retention_low, retention_high, interval, capability_low,
        capability_high, dynamism_low, dynamism_high, capability_margin_se,
        dynamism_margin_se, replicates, degenerate_replicates, changed_by``.
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
        """Stacked quadrant probabilities per technology, sorted by retention, with intervals."""
        from .plots import plot_quadrant_probabilities

        return plot_quadrant_probabilities(self.to_frame(), scheme=scheme or self.summaries[0].scheme,
                                           confidence=self.spec.confidence, ax=ax)


def _in_standard_errors(margin: np.ndarray, se: np.ndarray) -> np.ndarray:
    """``margin / se``; ``+-inf`` when the score never moves (se = 0) and the margin is not 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = margin / se
        never_moves = np.where(margin == 0, 0.0, np.copysign(np.inf, margin))
    return np.where(se > 0, ratio, never_moves)


# ----------------------------------------------------------------------- API


def _problem(table: IndicatorTable, model: ScoringModel, base: ScoreResult, scheme: str,
             spec: BootstrapSpec, seed: np.random.SeedSequence) -> Problem:
    amplitudes = model.amplitudes_for(table)
    return Problem(
        scheme=scheme,
        values=np.ascontiguousarray(table.values),
        raw=base.raw_dynamism,
        dynamism_inputs=np.ascontiguousarray(table.dynamism_inputs),
        ipc_counts=table.ipc_counts,
        amplitudes=None if amplitudes is None else np.asarray(amplitudes, dtype=float),
        weighting=model.weighting,
        normalize=model.normalize,
        capability_threshold=model.capability_threshold,
        dynamism_threshold=model.dynamism_threshold,
        renormalize=spec.renormalize,
        noise=spec.noise,
        count_noise=spec.count_noise,
        base_quadrant=np.array([QUADRANTS.index(q) for q in base.quadrant], dtype=np.int8),
        base_capability=base.capability,
        base_dynamism=base.dynamism,
        base_weights=base.weights,
        seed=seed,
    )


def auto_chunk_size(replicates: int, execution: Execution) -> int:
    """About :data:`CHUNKS_PER_WORKER` chunks per worker, whole stream blocks, at most 64 blocks.

    Results never depend on the chunk size; it only balances the work between workers.
    """
    import os

    workers = execution.n_jobs if execution.n_jobs > 0 else (os.cpu_count() or 1)
    blocks = -(-replicates // STREAM_BLOCK)
    per_chunk = -(-blocks // (CHUNKS_PER_WORKER * workers))
    return STREAM_BLOCK * max(1, min(per_chunk, MAX_CHUNK_SIZE // STREAM_BLOCK))


def _random_scheme(problem: Problem, spec: BootstrapSpec, execution: Execution,
                   keep_replicates: bool) -> SchemeSummary:
    # the first step of replicates (up to one stream block) sets the histogram ranges; it is
    # scored again in the first chunk, so every chunk can run in parallel
    pilot = next(block_steps(problem, 0, spec.replicates))
    bins = histogram_bins(problem.shape[0])
    problem = replace(problem, ranges={name: histogram_range(getattr(pilot, name), bins)
                                       for name in ("capability", "dynamism")})
    chunk_size = spec.chunk_size or auto_chunk_size(spec.replicates, execution)
    tally = None
    for part in map_chunks(functools.partial(run_chunk, problem),
                           replicate_chunks(spec.replicates, chunk_size), execution,
                           description=f"bootstrap {problem.scheme}"):
        tally = part if tally is None else tally.merge(part)
    summary = _summarise_tally(problem.scheme, tally, spec.confidence, problem.base_quadrant)
    if keep_replicates:
        blocks = range(-(-spec.replicates // STREAM_BLOCK))
        summary = replace(summary, replicate_scores=Replicates.from_steps(
            step for block in blocks for step in block_steps(problem, block, spec.replicates)))
    return summary


def _jackknife(problem: Problem, technologies, spec: BootstrapSpec) -> SchemeSummary:
    m = problem.shape[0]
    counts = 1 - np.eye(m, dtype=np.int64)
    rows = np.array([np.delete(np.arange(m), i) for i in range(m)])
    replicates = Replicates.from_steps([score_resamples(problem, counts, rows)])
    return _summarise_exact("jackknife", replicates, technologies, problem.base_quadrant, jackknife=True)


def _drop_indicator(table: IndicatorTable, model: ScoringModel, base: ScoreResult,
                    spec: BootstrapSpec) -> SchemeSummary:
    k = len(table.indicators)
    raw = base.raw_dynamism
    scores, weights, degenerate = [], [], []
    for j in range(k):
        keep = [i for i in range(k) if i != j]
        values = table.values[:, keep]
        if isinstance(model.weighting, str):
            reduced = compute_weights(values, model.weighting)
        else:
            fixed = np.asarray(model.weighting)[keep]
            reduced = fixed / fixed.sum()
        scores.append(score_batch(values, reduced, raw, normalize=model.normalize,
                                  capability_threshold=model.capability_threshold,
                                  dynamism_threshold=model.dynamism_threshold))
        weights.append(np.insert(reduced, j, np.nan))
        degenerate.append(bool((values.min(axis=0) == values.max(axis=0)).any()))
    replicates = Replicates(
        capability=np.stack([s.capability for s in scores]),
        dynamism=np.stack([s.dynamism for s in scores]),
        quadrant=np.stack([s.quadrant for s in scores]),
        weights=np.stack(weights),
        degenerate=np.array(degenerate),
    )
    base_quadrant = np.array([QUADRANTS.index(q) for q in base.quadrant], dtype=np.int8)
    return _summarise_exact("drop_indicator", replicates, table.indicators, base_quadrant, jackknife=False)


def check_bootstrap(spec: BootstrapSpec, table: IndicatorTable, model: ScoringModel) -> None:
    """Reject a spec the table cannot support, before computing (one-line InputError)."""
    k = len(table.indicators)
    if "drop_indicator" in spec.schemes:
        if k < 2:
            raise InputError("[bootstrap] schemes: drop_indicator needs at least 2 capability indicators")
        if not isinstance(model.weighting, str):
            for j, name in enumerate(table.indicators):
                if sum(w for i, w in enumerate(model.weighting) if i != j) <= 0:
                    raise InputError(
                        f"[bootstrap] schemes: drop_indicator: leaving out {name!r} leaves fixed "
                        "weights that sum to 0"
                    )
    if "jackknife" in spec.schemes and table.n_technologies < 4:
        raise InputError("[bootstrap] schemes: jackknife needs at least 4 technologies")


def bootstrap(
    table: IndicatorTable,
    *,
    model: ScoringModel | None = None,
    schemes=SCHEMES,
    replicates: int = 10_000,
    renormalize: bool = True,
    noise: float = 0.05,
    count_noise: bool = True,
    confidence: float = 0.95,
    rng=None,
    execution: Execution | None = None,
    chunk_size: int | None = None,
    keep_replicates: bool = False,
) -> BootstrapResult:
    """Quadrant stability of every technology under resampling and perturbation.

    Parameters
    ----------
    table : IndicatorTable
    model : ScoringModel, optional
        The base model (default: the paper's).
    schemes : sequence of str
        Any of :data:`SCHEMES` (see the module notes for what each means).
    replicates : int
        Replicates of each random scheme (``technologies``, ``noise``).
    renormalize : bool
        Re-estimate the min-max normalisers on each resample (``technologies``, ``jackknife``).
    noise : float
        Log-sd of the multiplicative measurement error (``noise`` scheme).
    count_noise : bool
        In the ``noise`` scheme, also redraw the IPC change counts as Poisson (or perturb a
        precomputed dynamism score); False perturbs the capability indicators only.
    confidence : float
        Level of every interval.
    rng : None, int, SeedSequence or Generator
        The run's seed; the bootstrap draws from its own named child sequence.
    execution : robust.parallel.Execution, optional
        Workers and joblib backend (default: serial). Results do not depend on it.
    chunk_size : int, optional
        Replicates per parallel task, a multiple of 1024 (default: about four tasks per
        worker, at most 65,536 replicates each); results do not depend on it.
    keep_replicates : bool
        Also keep every replicate's scores (memory: replicates x technologies).

    Returns
    -------
    BootstrapResult

    Examples
    --------
    >>> import robust
    >>> result = robust.bootstrap(robust.load_paper2023(), schemes=["jackknife"], rng=1)
    >>> frame = result.to_frame().set_index("technology")
    >>> int(frame.loc["high-pressure common-rail system", "retention"])
    1
    """
    model = ScoringModel() if model is None else model
    spec = BootstrapSpec(replicates=replicates, schemes=tuple(schemes), renormalize=renormalize,
                         noise=noise, count_noise=count_noise, confidence=confidence,
                         chunk_size=chunk_size)
    check_bootstrap(spec, table, model)
    checked_raw_dynamism(table, model)
    base = score(table, model)
    execution = Execution() if execution is None else execution
    root = seed_sequence(rng, "bootstrap")
    summaries = []
    for scheme in spec.schemes:
        problem = _problem(table, model, base, scheme, spec, np.random.SeedSequence(
            root.entropy, spawn_key=tuple(root.spawn_key) + (SCHEMES.index(scheme),)))
        if scheme in RANDOM_SCHEMES:
            summaries.append(_random_scheme(problem, spec, execution, keep_replicates))
        elif scheme == "jackknife":
            summaries.append(_jackknife(problem, table.technologies, spec))
        else:
            summaries.append(_drop_indicator(table, model, base, spec))
    return BootstrapResult(
        technologies=table.technologies,
        indicators=table.indicators,
        base=base,
        spec=spec,
        seed_entropy=int(root.entropy),
        summaries=tuple(summaries),
    )


# ------------------------------------------------------------- analysis protocol


def parse_section(section) -> BootstrapSpec:
    """Read ``[bootstrap]``."""
    defaults = BootstrapSpec()
    values = dict(
        replicates=section.integer("replicates", defaults.replicates, low=1),
        schemes=section.names("schemes", defaults.schemes, choices=SCHEMES),
        renormalize=section.flag("renormalize", defaults.renormalize),
        noise=section.number("noise", defaults.noise, low=0, high=2),
        count_noise=section.flag("count_noise", defaults.count_noise),
        confidence=section.number("confidence", defaults.confidence, low=0, high=1),
        chunk_size=section.integer("chunk_size", None, low=STREAM_BLOCK),
    )
    try:
        return BootstrapSpec(**values)
    except InputError as error:
        raise InputError(f"{section.label}: [bootstrap] {error}") from None


def check(spec: BootstrapSpec, table: IndicatorTable, model: ScoringModel) -> None:
    check_bootstrap(spec, table, model)


def run_section(spec: BootstrapSpec, context) -> BootstrapResult:
    return bootstrap(
        context.table, model=context.model, schemes=spec.schemes, replicates=spec.replicates,
        renormalize=spec.renormalize, noise=spec.noise, count_noise=spec.count_noise,
        confidence=spec.confidence, rng=context.seed, execution=context.execution, chunk_size=spec.chunk_size,
    )


def write_section(result: BootstrapResult, folder: Path) -> None:
    """The tables (figures: :mod:`robust.figures`)."""
    from .output import write_csv

    write_csv(result.to_frame(), folder / "stability.csv")
    write_csv(result.probabilities_frame(), folder / "quadrant_probabilities.csv")
    write_csv(result.weights_frame(), folder / "bootstrap_weights.csv")
    write_csv(result.convergence_frame(), folder / "bootstrap_convergence.csv")
