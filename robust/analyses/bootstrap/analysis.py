"""Bootstrap and perturbation: how stable is each technology's quadrant?

For every technology and every scheme, the probability of each of the four quadrants
over the replicates, the retention (probability of the base quadrant) with its interval,
the probability that each axis is strong, percentile intervals of capability and dynamism,
joint statements about all technologies at once, and the margin to each threshold in
standard errors (a normal-approximation figure, misleading when a score's distribution has
two modes: read the retention).

Schemes
-------
``technologies``
    Resample the m technologies with replacement (B replicates). Re-estimate the
    data-driven weights on the resample and the min-max normalisers (of dynamism, and of
    capability when ``normalize="minmax"``) as ``normalizer`` says; score ALL original
    technologies with them, so every technology has B replicates. Answers: would another
    sample of technologies, drawn like this one, have given the same model? Dynamism then
    depends on the resample only through its extremes, whose exact law gives the
    probability that dynamism is strong with no Monte Carlo error
    (:mod:`~robust.analyses.bootstrap.extremes`).
``indicator_noise``, ``count_noise``, ``noise``
    Measurement error of the capability indicators, of the IPC change counts, or of both
    (:mod:`~robust.analyses.bootstrap.noise`); weights and normalisers re-estimated on the
    perturbed data, which is then scored.
``patents``
    The sampling error of the indicators themselves, where patent records exist (a
    ``[records]`` run): resample the records with replacement within each technology,
    derive the four shares and both top-k lists and the IPC counts again, re-estimate the
    weights and normalisers, and score every technology (B replicates). It works on the
    records' sufficient statistics (:mod:`robust.records.resample`), not on the records.
``jackknife``
    Leave one technology out at a time (exactly m variants); weights and normalisers
    re-estimated on the m - 1 (as ``normalizer`` says); all m technologies scored.
``drop_indicator``
    Leave one capability indicator out at a time (exactly k variants); weights
    re-estimated on the k - 1 (fixed weights are renormalised); all technologies scored.

Statistics
----------
- Probabilities are exact tallies over the replicates. For the random schemes their
  intervals are Wilson score intervals (``statsmodels.stats.proportion.
  proportion_confint(method="wilson")``), whose width is the Monte Carlo error. The
  deterministic schemes enumerate every variant: their shares carry no Monte Carlo error
  (``interval = "exact"``) and are counts of variants, not probabilities.
- Floating-point sums are kept per stream block and added in block order, so no result
  depends on the chunk size, the workers or the backend.
- Percentile intervals of the random schemes come from a streaming histogram per
  technology (:mod:`~robust.analyses.bootstrap.tally`), exact when the quantile's bin holds
  one distinct value and otherwise off by less than that bin's spread (the largest such
  bound is ``SchemeSummary.resolution``). The deterministic schemes report the range over
  their variants.
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

from dataclasses import replace

import numpy as np

from ...compute.execution import (
    Execution,
    auto_chunk_size,
    map_chunks,
    replicate_chunks,
)
from ...compute.seeds import STREAM_BLOCK, analysis_seed, child_seed
from ...core.model import ScoringModel, checked_raw_dynamism
from ...core.options import QUADRANTS
from ...core.scoring import ScoreResult, score, score_batch
from ...core.table import IndicatorTable
from ...core.weighting import compute_weights
from ...records.lists import TableOrigin
from ...records.resample import RecordResampler
from ...records.spec import IPC_COLUMNS, SHARES
from .engine import Problem, Replicates, block_steps, run_chunk, score_resamples
from .extremes import ExtremesLaw, event_groups
from .result import BootstrapResult
from .spec import (
    DEFAULT_SCHEMES,
    RANDOM_SCHEMES,
    SCHEMES,
    BootstrapSpec,
    check_bootstrap,
)
from .summary import SchemeSummary, summarise_exact, summarise_tally
from .tally import histogram_bins, histogram_range

SEED_NAME = "bootstrap"


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
        aggregation=model.aggregation,
        capability_threshold=model.capability_threshold,
        dynamism_threshold=model.dynamism_threshold,
        normalizer=spec.normalizer,
        noise=spec.noise,
        top_k=spec.top_k,
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
        scores.append(score_batch(values, reduced, raw, normalize=model.normalize, aggregation=model.aggregation,
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


def exact_dynamism(table: IndicatorTable, model: ScoringModel, base: ScoreResult,
                   spec: BootstrapSpec) -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
    """Under ``technologies``: the exact probability that dynamism is strong, each technology's
    flip event in words, and the groups of technologies that share one event."""
    raw = base.raw_dynamism
    base_strong = base.dynamism >= model.dynamism_threshold
    if spec.normalizer == "fixed":  # dynamism never moves
        return base_strong.astype(float), ("",) * len(raw), np.zeros(len(raw), dtype=int)
    law = ExtremesLaw.of(raw)
    with_self = spec.normalizer == "resample_with_self"
    cells = law.flip_cells(raw, model.dynamism_threshold, with_self, base_strong)
    technologies = np.array(table.technologies, dtype=object)

    def names_at(value):
        names = list(technologies[raw == value])
        return ", ".join(names) if len(names) <= 3 else f"{len(names)} technologies"

    events = tuple(law.describe(cells[i], raw[i], bool(base_strong[i]), model.dynamism_threshold, names_at)
                   for i in range(len(raw)))
    return law.probability_strong(raw, model.dynamism_threshold, with_self), events, event_groups(cells)


def run_bootstrap(table: IndicatorTable, model: ScoringModel, spec: BootstrapSpec, *,
                  execution: Execution | None = None, rng=None, keep_replicates: bool = False,
                  derived: TableOrigin | None = None) -> BootstrapResult:
    """The bootstrap a :class:`~robust.analyses.bootstrap.spec.BootstrapSpec` asks for (see :func:`bootstrap`).

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
            summary = _random_scheme(problem, spec, execution, keep_replicates)
            if scheme == "technologies":
                exact, events, groups = exact_dynamism(table, model, base, spec)
                summary = replace(summary, dynamism_strong_exact=exact, dynamism_flip_event=events,
                                  dynamism_flip_group=groups)
            summaries.append(summary)
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
    normalizer: str = "resample_with_self",
    noise: float = 0.05,
    top_k: int = 20,
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
    schemes, replicates, normalizer, noise, top_k, confidence, chunk_size
        See :class:`~robust.analyses.bootstrap.spec.BootstrapSpec`.
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
    spec = BootstrapSpec(replicates=replicates, schemes=schemes, normalizer=normalizer,
                         noise=noise, top_k=top_k, confidence=confidence, chunk_size=chunk_size)
    return run_bootstrap(table, ScoringModel() if model is None else model, spec,
                         execution=execution, rng=rng, keep_replicates=keep_replicates, derived=derived)
