"""Sobol' global sensitivity: which modelling choice drives each technology's quadrant.

Every uncertain modelling choice (a *factor*: the weights, the weighting method, the
thresholds, the IPC amplitudes, measurement noise, the normalisation, leaving an indicator
out) is drawn from a distribution; the variance of each output of each technology is
apportioned to the factors with Sobol' indices (Sobol' 2001,
doi:10.1016/S0378-4754(00)00270-6):

- the first-order index ``S1`` is the share of the output's variance explained by the
  factor alone: on average, fixing the factor removes that share;
- the total index ``ST`` is the share the factor takes part in, alone or in interaction:
  on average, the share that remains when every other factor is fixed. ``ST - S1`` is the
  factor's share through interactions; ``ST`` near 0 means the factor does not matter.

Design and estimators
---------------------
The sample is SALib's Saltelli design on scrambled Sobol' points
(:func:`SALib.sample.sobol.sample`, with groups: a factor made of several variables gets
one index). The estimators are SALib's: Saltelli et al. (2010) for the first order,
Jansen (1999) for the total order (Saltelli et al. 2010, doi:10.1016/j.cpc.2009.09.018;
Jansen 1999, doi:10.1016/S0010-4655(98)00154-4), Saltelli (2002),
doi:10.1016/S0010-4655(02)00280-1, for the optional second order, applied to the output
standardised as SALib does. They and SALib's bootstrap are vectorised here over all
outputs at once; the test suite checks that they equal :func:`SALib.analyze.sobol.analyze`
to 1e-10 on the same samples and the same bootstrap draws.

Intervals
---------
The design is replicated over independent scrambles (randomised quasi-Monte Carlo;
Owen 1997, doi:10.1137/S0036142994277468). The reported index is the mean over the
scrambles and its interval ``(low, high)`` is the Student-t interval of that mean from the
spread between scrambles: the measure of the error of the design actually used. The
bootstrap treats the quasi-random points as independent draws, which they are not; on the
paper it is much wider than the scramble interval for the smooth margins and of similar
width for the 0/1 ``retained`` output (README, "Sobol sensitivity"). The bootstrap interval (SALib's ``*_conf`` turned into explicit bounds:
``estimate +- z * bootstrap standard error``, pooled over the scrambles) and the smallest
and largest scramble estimate are reported beside it. Intervals are not clipped to [0, 1].

Degenerate outputs
------------------
An output that never varies for a technology has no variance to apportion: it is *not
applicable* (``applicable = False``) and its index cells are empty (NaN), never 0. An
output that varies in some scrambles only (a rare event) is estimated from those
scrambles, with a :class:`~robust.core.errors.DegenerateWarning` and the count in
``scrambles_used``.
"""


from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Mapping, Sequence, get_args

import numpy as np

from ...compute.execution import Execution
from ...compute.seeds import analysis_seed
from ...core import rules
from ...core.errors import InputError, SpecError
from ...core.model import ScoringModel, score_range
from ...core.scoring import score
from ...core.table import IndicatorTable
from ...io.manifest import package_versions
from ...records.lists import TableOrigin
from ..specifications import check_choices
from .estimators import DEFAULT_RESAMPLES
from .factors import DEFAULT_FACTORS, LEAVE_NONE, SobolFactors
from .indices import (
    DEFAULT_CONFIDENCE,
    DEFAULT_N,
    DEFAULT_SCRAMBLES,
    SEED_NAME,
    check_design,
    indices_for_root,
)
from .model import ScoringFunction, group_sizes
from .result import DEFAULT_MIN_EVENTS, SCALAR_OUTPUTS, SobolResult

Output = Literal["capability_margin", "dynamism_margin", "retained", "in_assault", "in_entrench", "in_position",
                 "in_disrupt", "rank", "rank_shift"]
OUTPUTS: tuple[str, ...] = get_args(Output)
DEFAULT_OUTPUTS: tuple[str, ...] = ("capability_margin", "dynamism_margin", "retained")


@dataclass(frozen=True)
class SobolSpec:
    """Design size, replication, outputs and factors (the ``[sobol]`` config section).

    Parameters
    ----------
    n : int
        Base sample size of each scramble, a power of two >= 64; the model is evaluated
        ``n * (F + 2)`` times per scramble for F factors (``n * (2F + 2)`` with second order).
    scrambles : int
        Independent scrambled Sobol' designs (>= 2).
    second_order : bool
        Also estimate second-order indices of every pair of factors.
    outputs : sequence of str
        A subset of :data:`OUTPUTS` (default :data:`DEFAULT_OUTPUTS`): per technology
        ``capability_margin``, ``dynamism_margin``, ``retained``, ``in_assault``, ``in_entrench``,
        ``in_position``, ``in_disrupt`` (1 in that quadrant: where a technology goes when it leaves)
        and ``rank``, and the scalar ``rank_shift`` (the average shift in ranks), which is kept last
        (:class:`~robust.analyses.sobol.model.ScoringFunction`).
    confidence : float
        Level of every interval.
    resamples : int
        Bootstrap resamples per scramble (SALib's ``num_resamples``).
    min_events : int
        The rare-event rule: the indices of a 0/1 output whose minority class is seen
        fewer times than this in some scramble are not estimable (the retention still is).
    factors : SobolFactors
    """

    n: int = DEFAULT_N
    scrambles: int = DEFAULT_SCRAMBLES
    second_order: bool = False
    outputs: tuple[str, ...] = DEFAULT_OUTPUTS
    confidence: float = DEFAULT_CONFIDENCE
    resamples: int = DEFAULT_RESAMPLES
    min_events: int = DEFAULT_MIN_EVENTS
    factors: SobolFactors = DEFAULT_FACTORS

    def __post_init__(self):
        check_design(self.n, self.scrambles, self.resamples, self.confidence)
        rules.flag(self.second_order, "second_order")
        outputs = rules.names(self.outputs, "outputs", choices=OUTPUTS, what="outputs")
        object.__setattr__(self, "outputs", tuple(o for o in outputs if o not in SCALAR_OUTPUTS)
                           + tuple(o for o in outputs if o in SCALAR_OUTPUTS))
        for name in ("n", "scrambles", "resamples"):
            object.__setattr__(self, name, int(getattr(self, name)))
        object.__setattr__(self, "confidence", float(self.confidence))
        object.__setattr__(self, "min_events", rules.integer(self.min_events, "min_events", low=1))
        if not isinstance(self.factors, SobolFactors):
            raise TypeError(f"factors must be SobolFactors, got {type(self.factors).__name__}")

    def resolved(self) -> dict:
        return {
            "n": self.n, "scrambles": self.scrambles, "second_order": self.second_order,
            "outputs": list(self.outputs), "confidence": self.confidence,
            "resamples": self.resamples, "min_events": self.min_events, "factors": self.factors.resolved(),
        }


def check_sobol(spec: SobolSpec, table: IndicatorTable, model: ScoringModel, *,
                derived: TableOrigin | None = None) -> None:
    """Reject factors that do not apply to the table or the base model (:class:`~robust.core.errors.SpecError`).

    ``derived``: the records or ranked IPC lists the table was derived from (data-construction factors).
    """
    check_factors(spec.factors, table, model, derived=derived)


def check_factors(factors: SobolFactors, table: IndicatorTable, model: ScoringModel, *,
                  saltelli: bool = True, derived: TableOrigin | None = None) -> None:
    """Reject factors that do not apply to the table or the base model (:class:`~robust.core.errors.SpecError`
    with ``part="factors"``); ``saltelli``: the variables must also fit a Saltelli design of scipy's Sobol'
    engine (twice the variables at most its dimension limit); ``derived`` as :func:`check_sobol`."""
    check_choices(factors.data_choices, table, derived, part="factors")
    k = len(table.indicators)
    if factors.amplitudes is not None and not table.ipc_counts:
        raise SpecError(
            f"amplitudes applies to IPC change counts, but {table.source} gives a "
            f"precomputed dynamism score ({table.dynamism_columns[0]!r}); leave it out of the factors", part="factors"
        )
    for key in ("weights", "weighting", "leave_out"):
        if getattr(factors, key) is not None and k < 2:
            raise SpecError(
                f"{key} needs at least 2 capability indicators; {table.source} has "
                f"1 ({table.indicators[0]!r})", part="factors"
            )
    for name in factors.leave_out or ():
        if name != LEAVE_NONE and name not in table.indicators:
            raise SpecError(
                f"leave_out: {name!r} is not an indicator; allowed: {LEAVE_NONE}, "
                + ", ".join(table.indicators) + rules.suggestion(name, table.indicators), part="factors"
            )
        if name != LEAVE_NONE and factors.weighting is None and not isinstance(model.weighting, str):
            rest = [w for w, indicator in zip(model.weighting, table.indicators) if indicator != name]
            if sum(rest) <= 0:
                raise SpecError(
                    f"leave_out: leaving out {name!r} leaves only zero fixed weights", part="factors"
                )
    for normalize in factors.normalize or (model.normalize,):
        for aggregation in factors.aggregation or (model.aggregation,):
            try:
                rules.composite_domain(table.values, "aggregation", aggregation=aggregation, normalize=normalize,
                                       columns=table.indicators, rows=table.technologies, source=table.source)
            except InputError as error:
                raise SpecError(str(error), part="factors") from None
    if factors.capability_threshold is not None:
        ranges = [score_range("capability", normalize, table.values)
                  for normalize in factors.normalize or [model.normalize]]
        hull = (min(low for low, _ in ranges), max(high for _, high in ranges))
        try:
            rules.threshold_range(factors.capability_threshold, "capability_threshold",
                                  score=f"capability on {table.source}", score_range=hull)
        except InputError as error:
            raise SpecError(str(error), part="factors") from None
    from scipy.stats import qmc

    groups = group_sizes(factors, table.values.shape, len(table.dynamism_columns))
    dimensions = sum(size for _, size in groups)
    if (2 if saltelli else 1) * dimensions > qmc.Sobol.MAXDIM:
        limit, design = (qmc.Sobol.MAXDIM // 2, "in a Saltelli design") if saltelli else (qmc.Sobol.MAXDIM, "")
        raise SpecError(
            f"the factors need {dimensions} variables (noise alone "
            f"{table.n_technologies} x {k}), more than the {limit} that "
            f"scipy's Sobol' engine supports{' ' + design if design else ''}", part="factors"
        )


def sobol_analysis(
    table: IndicatorTable,
    *,
    model: ScoringModel | None = None,
    factors: SobolFactors | Mapping[str, Any] | None = None,
    n: int = DEFAULT_N,
    scrambles: int = DEFAULT_SCRAMBLES,
    outputs: Sequence[Output] = DEFAULT_OUTPUTS,
    second_order: bool = False,
    confidence: float = DEFAULT_CONFIDENCE,
    resamples: int = DEFAULT_RESAMPLES,
    min_events: int = DEFAULT_MIN_EVENTS,
    rng=None,
    execution: Execution | None = None,
) -> SobolResult:
    """Sobol' indices of every technology's margins and quadrant under uncertain modelling choices.

    Parameters
    ----------
    table : IndicatorTable
    model : ScoringModel, optional
        The base model (default: the paper's); factors not varied keep its choices, and
        ``retained`` compares with its quadrants.
    factors : SobolFactors or mapping, optional
        Default :data:`DEFAULT_FACTORS` (the five factors of the paper's analysis).
    n, scrambles, outputs, second_order, confidence, resamples, min_events
        See :class:`SobolSpec`.
    rng : None, int, SeedSequence or Generator
        An integer seed gives the same result as ``robust run`` with that seed.
    execution : Execution, optional
        Where scrambles run (serial by default); results are identical for any setting.

    Returns
    -------
    SobolResult

    Examples
    --------
    >>> import robust
    >>> result = robust.sobol_analysis(
    ...     robust.load_paper2023(), n=256, scrambles=2, outputs=["retained"], rng=1,
    ...     factors={"capability_threshold": [0.45, 0.55], "dynamism_threshold": [0.45, 0.55]})
    >>> result.unstable_technologies()[:3]
    ('chip', 'vacuum evaporator', 'accelerometer')
    >>> frame = result.to_frame().set_index(["technology", "factor"])
    >>> round(float(frame.loc[("chip", "capability_threshold"), "ST"]), 2)
    1.0
    """
    model = ScoringModel() if model is None else model
    if factors is None:
        factors = DEFAULT_FACTORS
    elif not isinstance(factors, SobolFactors):
        factors = SobolFactors.from_mapping(factors)
    spec = SobolSpec(n=n, scrambles=scrambles, second_order=second_order, outputs=outputs,
                     confidence=confidence, resamples=resamples, min_events=min_events, factors=factors)
    return run_sobol(table, model, spec, execution=execution, rng=rng)


def run_sobol(table: IndicatorTable, model: ScoringModel, spec: SobolSpec, *,
              execution: Execution | None = None, rng=None, derived: TableOrigin | None = None) -> SobolResult:
    """The Sobol' analysis a :class:`SobolSpec` asks for (see :func:`sobol_analysis`).

    The root seed sequence is ``analysis_seed(rng, "sobol")``
    (:func:`robust.compute.seeds.analysis_seed`). ``derived``: the records
    (:func:`robust.derive_from_records`) or ranked IPC lists (:func:`robust.derive_from_lists`)
    the table was derived from, for the data-construction factors.
    """
    check_sobol(spec, table, model, derived=derived)
    base = score(table, model)
    function = ScoringFunction.build(table, model, spec.factors, spec.outputs, base.quadrant, base.capability,
                                     derived=derived)
    m = table.n_technologies
    names = [f"{output} of {technology!r}" for output in spec.outputs if output not in SCALAR_OUTPUTS
             for technology in table.technologies] + [o for o in spec.outputs if o in SCALAR_OUTPUTS]
    ranked = None
    if "rank" in spec.outputs:
        ranked = (np.arange(m) + spec.outputs.index("rank") * m, m)
    indices = indices_for_root(
        function, groups=function.groups, n=spec.n, scrambles=spec.scrambles,
        second_order=spec.second_order, resamples=spec.resamples, confidence=spec.confidence,
        output_names=names, root=analysis_seed(rng, SEED_NAME), execution=execution, value_counts=ranked,
    )
    base_quadrant = base.quadrant
    metadata = {
        "seed_entropy": indices.seed_entropy, "spawn_key": list(indices.spawn_key),
        "n": spec.n, "scrambles": spec.scrambles, "resamples": spec.resamples,
        "confidence": spec.confidence, "second_order": spec.second_order,
        "scramble_seeds": [[sample, scramble.bootstrap_seed] for sample, scramble
                           in zip(indices.sample_seeds, indices.scrambles)],
        "factors": spec.factors.resolved(), "versions": package_versions(),
    }
    return SobolResult(
        technologies=table.technologies, outputs=spec.outputs, factors=spec.factors,
        base_quadrant=tuple(base_quadrant), indices=indices, metadata=metadata, min_events=spec.min_events,
    )


def deciding_factors(factors, first_low, total, total_low, total_high) -> tuple[tuple[str, ...], bool]:
    """The factor(s) that decide an output, from their first-order and total indices with intervals.

    One factor decides alone when, with the largest ST, both its ST and its first-order S1
    interval lie wholly above every other factor's ST interval: on its own it explains more
    than any other factor can with all its interactions. Otherwise the decision is joint:
    the factors whose ST reaches half the lower end of the largest one's (the interaction
    partners). Returns the names (largest ST first) and whether one factor decides alone.
    Factors with no estimate (NaN) take no part.
    """
    first_low, total, total_low, total_high = (np.asarray(x, dtype=float)
                                               for x in (first_low, total, total_low, total_high))
    known = ~np.isnan(total)
    if not known.any():
        return (), False
    top = int(np.nanargmax(np.where(known, total, -np.inf)))
    others = known & (np.arange(len(total)) != top)
    ceiling = np.nanmax(np.where(others, total_high, -np.inf)) if others.any() else -np.inf
    if total_low[top] > ceiling and first_low[top] > ceiling:
        return (factors[top],), True
    joint = [i for i in np.argsort(-np.where(known, total, -np.inf), kind="stable")
             if known[i] and (i == top or total_high[i] >= total_low[top] / 2)]
    return tuple(factors[i] for i in joint), len(joint) == 1
