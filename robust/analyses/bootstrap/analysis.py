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
``patents``
    The sampling error of the indicators themselves, where patent records exist (a
    ``[records]`` run): resample the records with replacement within each technology,
    derive the four shares and both top-k lists and the IPC counts again, re-estimate the
    weights and normalisers, and score every technology (B replicates). It works on the
    records' sufficient statistics (:mod:`robust.records.resample`), not on the records.
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
  :mod:`robust.core.weighting` and :mod:`robust.core.scoring` apply and the count is reported.

References: Efron & Tibshirani (1993), *An Introduction to the Bootstrap*; Wilson (1927),
doi:10.1080/01621459.1927.10502953; Saisana, Saltelli & Tarantola (2005),
doi:10.1111/j.1467-985X.2005.00350.x.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, get_args

import numpy as np
import pandas as pd

from ...compute.execution import (
    Execution,
    auto_chunk_size,
    map_chunks,
    replicate_chunks,
)
from ...compute.seeds import STREAM_BLOCK, analysis_seed, child_seed
from ...core import rules
from ...core.errors import SpecError
from ...core.model import ScoringModel, checked_raw_dynamism
from ...core.options import QUADRANTS
from ...core.scoring import ScoreResult, score, score_batch
from ...core.table import IndicatorTable
from ...core.weighting import compute_weights
from ...records.derive import DerivedTable
from ...records.lists import TableOrigin
from ...records.resample import RecordResampler
from ...records.spec import IPC_COLUMNS, SHARES
from .engine import Problem, Replicates, block_steps, run_chunk, score_resamples
from .summary import SchemeSummary, summarise_exact, summarise_tally
from .tally import histogram_bins, histogram_range

Scheme = Literal["technologies", "noise", "jackknife", "drop_indicator", "patents"]
SCHEMES: tuple[str, ...] = get_args(Scheme)
DEFAULT_SCHEMES: tuple[str, ...] = ("technologies", "noise", "jackknife", "drop_indicator")  # any table
RANDOM_SCHEMES: tuple[str, ...] = ("technologies", "noise", "patents")
SEED_NAME = "bootstrap"


@dataclass(frozen=True)
class BootstrapSpec:
    """What to resample and how (the ``[bootstrap]`` config section has the same keys).

    Parameters
    ----------
    replicates : int
        Replicates of each random scheme (``technologies``, ``noise``, ``patents``).
    schemes : sequence of str
        Any of :data:`SCHEMES` (see the module notes for what each means); default
        :data:`DEFAULT_SCHEMES` (``patents`` needs patent records).
    renormalize : bool
        Re-estimate the min-max normalisers on each resample (``technologies``, ``jackknife``).
    noise : float
        Log-sd of the multiplicative measurement error (``noise`` scheme), in (0, 2].
    count_noise : bool
        In the ``noise`` scheme, also redraw the IPC change counts as Poisson (or perturb a
        precomputed dynamism score); False perturbs the capability indicators only.
    confidence : float
        Level of every interval, in (0, 1).
    chunk_size : int, optional
        Replicates per parallel task, a multiple of 1024 (default: about four tasks per
        worker, at most 65,536 replicates each); it only decides how work is split.
    """

    replicates: int = 10_000
    schemes: tuple[str, ...] = DEFAULT_SCHEMES
    renormalize: bool = True
    noise: float = 0.05
    count_noise: bool = True
    confidence: float = 0.95
    chunk_size: int | None = None

    def __post_init__(self):
        checked = {
            "replicates": rules.integer(self.replicates, "replicates", low=1),
            "schemes": rules.names(self.schemes, "schemes", choices=SCHEMES, what="scheme names"),
            "renormalize": rules.flag(self.renormalize, "renormalize"),
            "noise": rules.number(self.noise, "noise", low=0, high=2, low_open=True, what="a log-sd"),
            "count_noise": rules.flag(self.count_noise, "count_noise"),
            "confidence": rules.number(self.confidence, "confidence", low=0, high=1, low_open=True,
                                       high_open=True),
        }
        if self.chunk_size is not None:
            size = rules.integer(self.chunk_size, "chunk_size")
            if size < STREAM_BLOCK or size % STREAM_BLOCK:
                raise SpecError(f"chunk_size must be a positive multiple of {STREAM_BLOCK}, got {size}")
        for name, value in checked.items():
            object.__setattr__(self, name, value)

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
        from ...plotting.quadrants import plot_quadrant_probabilities

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
             spec: BootstrapSpec, seed: np.random.SeedSequence, derived: TableOrigin | None) -> Problem:
    resampler = columns = None
    if scheme == "patents":
        statistics = derived.statistics
        if statistics.cells is None:
            statistics = derived.origin.statistics([derived.spec], cells=True)[0]
        resampler = RecordResampler.build(statistics, derived.spec)
        columns = (np.array([SHARES.index(name) for name in table.indicators]),
                   np.array([IPC_COLUMNS.index(name) for name in table.dynamism_columns]))
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
        resampler=resampler,
        columns=columns,
    )


def _random_scheme(problem: Problem, spec: BootstrapSpec, execution: Execution,
                   keep_replicates: bool) -> SchemeSummary:
    # the first step of replicates (up to one stream block) sets the histogram ranges; it is
    # scored again in the first chunk, so every chunk can run in parallel
    pilot = next(block_steps(problem, 0, spec.replicates))
    bins = histogram_bins(problem.shape[0])
    problem = replace(problem, ranges={name: histogram_range(getattr(pilot, name).T, bins)
                                       for name in ("capability", "dynamism")})
    chunk_size = spec.chunk_size or auto_chunk_size(spec.replicates, execution)
    tally = None
    for part in map_chunks(run_chunk, replicate_chunks(spec.replicates, chunk_size), execution,
                           description=f"bootstrap {problem.scheme}", shared=problem):
        tally = part if tally is None else tally.merge(part)
    summary = summarise_tally(problem.scheme, tally, spec.confidence, problem.base_quadrant)
    if keep_replicates:
        blocks = range(-(-spec.replicates // STREAM_BLOCK))
        summary = replace(summary, replicate_scores=Replicates.concatenate(
            step for block in blocks for step in block_steps(problem, block, spec.replicates)))
    return summary


def _jackknife(problem: Problem, technologies, spec: BootstrapSpec) -> SchemeSummary:
    m = problem.shape[0]
    counts = 1 - np.eye(m, dtype=np.int64)
    rows = np.array([np.delete(np.arange(m), i) for i in range(m)])
    replicates = score_resamples(problem, counts, rows)
    return summarise_exact("jackknife", replicates, technologies, problem.base_quadrant, jackknife=True)


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
    return summarise_exact("drop_indicator", replicates, table.indicators, base_quadrant, jackknife=False)


def check_bootstrap(spec: BootstrapSpec, table: IndicatorTable, model: ScoringModel, *,
                    derived: TableOrigin | None = None) -> None:
    """Reject a spec the table cannot support, before computing (:class:`~robust.core.errors.SpecError`).

    ``derived``: what the table was derived from (``patents`` needs patent records).
    """
    k = len(table.indicators)
    if "patents" in spec.schemes:
        if not isinstance(derived, DerivedTable):
            raise SpecError("schemes: patents resamples patent records; it needs a table derived from "
                            "records (a [records] section)" + (
                                ", not from ranked IPC lists" if derived is not None else ""))
        other = [name for name in table.indicators if name not in SHARES] + (
            [name for name in table.dynamism_columns if name not in IPC_COLUMNS] if table.ipc_counts
            else list(table.dynamism_columns))
        if other:
            raise SpecError(f"schemes: patents re-derives the columns {', '.join(SHARES + IPC_COLUMNS)} "
                            f"from the records, not {other[0]!r}")
    if "drop_indicator" in spec.schemes:
        if k < 2:
            raise SpecError("schemes: drop_indicator needs at least 2 capability indicators")
        if not isinstance(model.weighting, str):
            for j, name in enumerate(table.indicators):
                if sum(w for i, w in enumerate(model.weighting) if i != j) <= 0:
                    raise SpecError(
                        f"schemes: drop_indicator: leaving out {name!r} leaves fixed weights that sum to 0"
                    )
    if "jackknife" in spec.schemes and table.n_technologies < 4:
        raise SpecError("schemes: jackknife needs at least 4 technologies")


def run_bootstrap(table: IndicatorTable, model: ScoringModel, spec: BootstrapSpec, *,
                  execution: Execution | None = None, rng=None, keep_replicates: bool = False,
                  derived: TableOrigin | None = None) -> BootstrapResult:
    """The bootstrap a :class:`BootstrapSpec` asks for (see :func:`bootstrap`).

    ``rng`` is the run's seed (:func:`robust.compute.seeds.analysis_seed`); scheme ``s`` draws
    from child ``SCHEMES.index(s)`` of the bootstrap's root sequence. ``derived``: what the
    table was derived from (``patents`` needs the records).
    """
    check_bootstrap(spec, table, model, derived=derived)
    checked_raw_dynamism(table, model)
    base = score(table, model)
    execution = Execution() if execution is None else execution
    root = analysis_seed(rng, SEED_NAME)
    summaries = []
    for scheme in spec.schemes:
        problem = _problem(table, model, base, scheme, spec, child_seed(root, SCHEMES.index(scheme)), derived)
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


def bootstrap(
    table: IndicatorTable,
    *,
    model: ScoringModel | None = None,
    schemes=DEFAULT_SCHEMES,
    replicates: int = 10_000,
    renormalize: bool = True,
    noise: float = 0.05,
    count_noise: bool = True,
    confidence: float = 0.95,
    rng=None,
    execution: Execution | None = None,
    chunk_size: int | None = None,
    keep_replicates: bool = False,
    derived: TableOrigin | None = None,
) -> BootstrapResult:
    """Quadrant stability of every technology under resampling and perturbation.

    Parameters
    ----------
    table : IndicatorTable
    model : ScoringModel, optional
        The base model (default: the paper's).
    schemes, replicates, renormalize, noise, count_noise, confidence, chunk_size
        See :class:`BootstrapSpec`.
    rng : None, int, SeedSequence or Generator
        The run's seed (:mod:`robust.compute.seeds`); an int gives the same numbers as
        ``robust run --seed``.
    execution : robust.Execution, optional
        Workers and joblib backend (default: serial). Results do not depend on it.
    keep_replicates : bool
        Also keep every replicate's scores (memory: replicates x technologies).
    derived : DerivedTable, optional
        The records ``table`` was derived from (:func:`robust.derive_from_records`), for the
        ``patents`` scheme.

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
    spec = BootstrapSpec(replicates=replicates, schemes=schemes, renormalize=renormalize,
                         noise=noise, count_noise=count_noise, confidence=confidence,
                         chunk_size=chunk_size)
    return run_bootstrap(table, ScoringModel() if model is None else model, spec,
                         execution=execution, rng=rng, keep_replicates=keep_replicates, derived=derived)
