"""Monte Carlo filtering, PAWN and rules: why a quadrant flips, and where in the factors it holds.

The factors (:class:`~robust.analyses.sobol.factors.SobolFactors`) are drawn ``n`` times in a
Latin-hypercube (or scrambled Sobol') design; every draw is scored with the same function the Sobol'
analysis explains (:class:`~robust.analyses.sobol.model.ScoringFunction`). For each technology the
0/1 outputs are ``retained`` (it keeps its base quadrant) and ``in_<quadrant>`` (it is in that
quadrant: where it goes when it leaves). Variance-based indices suit such outputs poorly (their
variance is ``r (1 - r)`` and rare flips make them imprecise); filtering asks directly whether each
input variable is distributed differently in the draws with output 1 and with output 0:

- *Monte Carlo filtering* (regional sensitivity analysis; Spear & Hornberger 1980, Water Res.
  14(1):43-49, doi:10.1016/0043-1354(80)90040-8; Saltelli et al. 2008, *Global Sensitivity
  Analysis: The Primer*, ch. 5): the KS distance (a discrete factor: the total-variation distance)
  between the two groups of draws, its permutation p-value and a bootstrap percentile interval
  (:mod:`~robust.analyses.filtering.statistics`). An output whose rarer value is seen in fewer than
  ``min_events`` draws is not estimable (the rare-event rule of the Sobol' analysis): its numbers are
  kept raw and flagged, never reported as findings.
- *PAWN* (Pianosi & Wagener 2015) on the same draws, with SALib's conditioning intervals.
- *Rules*: for each technology that leaves its quadrant in at least ``rule_share`` of the draws (and
  keeps it in as many), the PRIM box in which it keeps it (:mod:`~robust.analyses.filtering.boxes`).

The quadrant probabilities come with Wilson intervals, which treat the draws as independent: for a
Latin hypercube they are conservative (its variance is at most ``n / (n - 1)`` times that of
independent draws; Owen 1997, Ann. Statist. 25(5), doi:10.1214/aos/1069362388 (the CLT)), for a
scrambled Sobol' design approximate. The ranks of the capability over the draws feed ``ranks.csv``.
"""

from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from ...compute.execution import Execution, map_chunks
from ...compute.seeds import analysis_seed, stream
from ...core import rules
from ...core.errors import InputError
from ...core.model import ScoringModel
from ...core.options import QUADRANTS
from ...core.scoring import score
from ...core.table import IndicatorTable
from ...io.manifest import package_versions
from ...records.lists import TableOrigin
from ..sobol.analysis import check_factors
from ..sobol.estimators import bootstrap_counts
from ..sobol.factors import DEFAULT_FACTORS, SobolFactors
from ..sobol.indices import count_values, evaluate
from ..sobol.model import ScoringFunction
from .boxes import DEFAULT_PEEL, DEFAULT_TARGET, peel_box
from .result import FilteringResult, TechnologyFindings
from .statistics import (
    PAWN_STATISTICS,
    bootstrap_ks,
    bootstrap_tv,
    ks_distance,
    ks_pvalue,
    pawn_binary,
    sorted_counts,
    tv_distance,
    tv_pvalue,
)
from .variables import design_variables

SEED_NAME = "filtering"
DESIGNS: tuple[str, ...] = ("lhs", "sobol")
FILTER_OUTPUTS: tuple[str, ...] = ("retained",) + tuple(f"in_{quadrant}" for quadrant in QUADRANTS)
TECHNOLOGIES_PER_CHUNK = 4


@dataclass(frozen=True)
class FilteringSpec:
    """The ``[filtering]`` config section.

    Parameters
    ----------
    n : int
        Draws of the factors (>= 256; a power of two for ``design = "sobol"``).
    design : {"lhs", "sobol"}
        A Latin hypercube (scipy's ``qmc.LatinHypercube``) or a scrambled Sobol' design.
    outputs : sequence of str
        The 0/1 outputs filtered: a subset of :data:`FILTER_OUTPUTS`.
    permutations : int
        Random relabellings for the p-value of a discrete factor or of tied values (the others are exact).
    resamples : int
        Bootstrap resamples of the draws for the interval of each distance.
    confidence : float
        Level of the bootstrap and Wilson intervals.
    min_events : int
        An output whose rarer value is seen in fewer draws is not estimable.
    slides : int
        PAWN's conditioning intervals per continuous variable.
    rule_share : float
        A rule is sought for a technology that leaves (and keeps) its quadrant in at least this share of the draws.
    rule_density, peel
        The PRIM box's target density and peeling share (:func:`~robust.analyses.filtering.boxes.peel_box`).
    factors : SobolFactors, optional
        Default: those of the ``[sobol]`` section (from a config), else the Sobol' analysis's defaults.
    """

    n: int = 8192
    design: str = "lhs"
    outputs: tuple[str, ...] = FILTER_OUTPUTS
    permutations: int = 999
    resamples: int = 200
    confidence: float = 0.95
    min_events: int = 100
    slides: int = 10
    rule_share: float = 0.01
    rule_density: float = DEFAULT_TARGET
    peel: float = DEFAULT_PEEL
    factors: SobolFactors | None = None

    def __post_init__(self):
        rules.text(self.design, "design", choices=DESIGNS)
        n = rules.integer(self.n, "n", low=256)
        if self.design == "sobol" and n & (n - 1):
            raise InputError(f"n must be a power of two for design = \"sobol\" (balanced points), got {n}")
        object.__setattr__(self, "outputs", rules.names(self.outputs, "outputs", choices=FILTER_OUTPUTS,
                                                        what="outputs"))
        object.__setattr__(self, "permutations", rules.integer(self.permutations, "permutations", low=99))
        object.__setattr__(self, "resamples", rules.integer(self.resamples, "resamples", low=20))
        object.__setattr__(self, "confidence", rules.number(self.confidence, "confidence", low=0, high=1,
                                                            low_open=True, high_open=True))
        object.__setattr__(self, "min_events", rules.integer(self.min_events, "min_events", low=1))
        object.__setattr__(self, "slides", rules.integer(self.slides, "slides", low=2, high=n // 10))
        object.__setattr__(self, "rule_share", rules.number(self.rule_share, "rule_share", low=0, high=0.5,
                                                            low_open=True))
        object.__setattr__(self, "rule_density", rules.number(self.rule_density, "rule_density", low=0.5,
                                                              high=1, low_open=True))
        object.__setattr__(self, "peel", rules.number(self.peel, "peel", low=0, high=0.5, low_open=True,
                                                      high_open=True))
        if self.factors is not None and not isinstance(self.factors, SobolFactors):
            raise TypeError(f"factors must be SobolFactors, got {type(self.factors).__name__}")

    @property
    def chosen_factors(self) -> SobolFactors:
        return DEFAULT_FACTORS if self.factors is None else self.factors

    def resolved(self) -> dict:
        return {"n": self.n, "design": self.design, "outputs": list(self.outputs),
                "permutations": self.permutations, "resamples": self.resamples, "confidence": self.confidence,
                "min_events": self.min_events, "slides": self.slides, "rule_share": self.rule_share,
                "rule_density": self.rule_density, "peel": self.peel, "factors": self.chosen_factors.resolved()}


def check_filtering(spec: FilteringSpec, table: IndicatorTable, model: ScoringModel, *,
                    derived: TableOrigin | None = None) -> None:
    """Reject factors that do not apply to the table or the model (:class:`~robust.core.errors.SpecError`);
    ``derived``: the records or ranked IPC lists the table was derived from (data-construction factors)."""
    check_factors(spec.chosen_factors, table, model, saltelli=False, derived=derived)


def unit_design(design: str, n: int, dimensions: int, rng: np.random.Generator) -> np.ndarray:
    """``(n, dimensions)`` points in [0, 1): a Latin hypercube or a scrambled Sobol' design."""
    from scipy.stats import qmc

    engine = (qmc.LatinHypercube(d=dimensions, seed=rng) if design == "lhs"
              else qmc.Sobol(d=dimensions, scramble=True, seed=rng))
    return engine.random(n)


def canonical(labels: np.ndarray) -> np.ndarray:
    """The 0/1 labels or their complement, whichever starts with 0: the distances are the same for both."""
    return labels if labels[0] == 0 else 1 - labels


def _distinct_outputs(labels: np.ndarray) -> tuple[dict, list]:
    """The canonical labels of each output that changes, and the first output of each distinct labelling."""
    keys, first = {}, {}
    for o in range(labels.shape[1]):
        if 0 < labels[:, o].sum() < labels.shape[0]:
            keys[o] = canonical(labels[:, o]).astype(np.int8)
            first.setdefault(keys[o].tobytes(), o)
    return keys, [o for o in keys if first[keys[o].tobytes()] == o]


def _chunk(technologies, *, values, discrete, counts, spec, root, variables, outputs, chosen, m):
    """Distances, p-values, intervals and PAWN of every output and variable of some technologies, and their
    boxes; outputs with the same labels (or their complement) share their numbers, and each variable's
    bootstrap counts are sorted once for the whole chunk."""
    labels = {i: outputs[:, [o * m + i for o in chosen]] for i in technologies}
    distinct = {i: _distinct_outputs(labels[i]) for i in technologies}
    shape = (len(chosen), values.shape[1])
    found = {i: {name: np.full(shape, np.nan) for name in ("ks", "p_value", "p_value_se", "low", "high")}
             for i in technologies}
    pawn = {i: np.full(shape + (len(PAWN_STATISTICS),), np.nan) for i in technologies}
    tail = (1 - spec.confidence) / 2
    for j, variable in enumerate(variables):
        count = len(variable.levels) if discrete[j] else None
        x = values[:, j].astype(np.intp) if discrete[j] else values[:, j]
        order = None if discrete[j] else sorted_counts(x, counts)
        for i in technologies:
            keys, first_outputs = distinct[i]
            for o in first_outputs:
                flag = keys[o].astype(bool)
                generator = stream(root, 1, i, zlib.crc32(keys[o].tobytes()), j)
                if count is None:
                    distance = ks_distance(x, flag)
                    p_value = ks_pvalue(x, flag, distance, permutations=spec.permutations, rng=generator)
                    boot = bootstrap_ks(flag, order)
                else:
                    distance = tv_distance(x, flag, count)
                    p_value = tv_pvalue(x, flag, distance, count, permutations=spec.permutations, rng=generator)
                    boot = bootstrap_tv(x, flag, counts, count)
                own = found[i]
                own["ks"][o, j] = distance
                own["p_value"][o, j], own["p_value_se"][o, j] = p_value
                own["low"][o, j], own["high"][o, j] = np.nanquantile(boot, [tail, 1 - tail])
                statistics = pawn_binary(x, flag, slides=spec.slides, levels=count)
                pawn[i][o, j] = [statistics[name] for name in PAWN_STATISTICS]
    findings = []
    for i in technologies:
        keys, first_outputs = distinct[i]
        by_key = {keys[o].tobytes(): o for o in first_outputs}
        for o, key in keys.items():
            for array in (*found[i].values(), pawn[i]):
                array[o] = array[by_key[key.tobytes()]]
        column = labels[i]
        events = np.minimum(column.sum(axis=0), column.shape[0] - column.sum(axis=0)).astype(int)
        kept = outputs[:, i].astype(bool)
        box = None
        if min(kept.sum(), kept.size - kept.sum()) >= spec.rule_share * kept.size:
            box = peel_box(values, discrete, kept, names=[variable.name for variable in variables],
                           peel=spec.peel, target=spec.rule_density, min_support=spec.min_events)
        findings.append(TechnologyFindings(events=events, pawn=pawn[i], box=box, **found[i]))
    return findings


def run_filtering(table: IndicatorTable, model: ScoringModel, spec: FilteringSpec, *,
                  execution: Execution | None = None, rng=None, derived: TableOrigin | None = None) -> FilteringResult:
    """Monte Carlo filtering, PAWN, rules, quadrant probabilities and ranks (module notes); ``derived``
    as :func:`check_filtering`.

    The root seed sequence is ``analysis_seed(rng, "filtering")``: the design draws from its stream 0,
    the bootstrap from stream 2, and the permutations of technology ``i``'s output with labels ``L`` and
    variable ``j`` from stream ``(1, i, crc32(L), j)``, so no number depends on the chunking or the workers.
    """
    check_filtering(spec, table, model, derived=derived)
    factors = spec.chosen_factors
    base = score(table, model)
    m = table.n_technologies
    evaluated = ("retained", *FILTER_OUTPUTS[1:], "rank")
    function = ScoringFunction.build(table, model, factors, evaluated, base.quadrant, base.capability,
                                     derived=derived)
    root = analysis_seed(rng, SEED_NAME)
    dimensions = sum(size for _, size in function.groups)
    unit = unit_design(spec.design, spec.n, dimensions, stream(root, 0))
    outputs = evaluate(function, unit)
    variables = design_variables(factors, function.groups, table, function.amplitudes)
    values = np.column_stack([variable.values(unit[:, variable.column]) for variable in variables]).astype(float)
    discrete = np.array([variable.discrete for variable in variables])
    seed = int(stream(root, 2).integers(1, 2**63))
    counts = bootstrap_counts(spec.n, spec.resamples, seed)  # (resamples, n)
    chosen = [evaluated.index(output) for output in spec.outputs]
    work = functools.partial(_chunk, values=values, discrete=discrete, counts=counts, spec=spec, root=root,
                             variables=variables, outputs=outputs, chosen=chosen, m=m)
    chunks = [list(range(start, min(start + TECHNOLOGIES_PER_CHUNK, m)))
              for start in range(0, m, TECHNOLOGIES_PER_CHUNK)]
    findings = [item for part in map_chunks(work, chunks, execution or Execution(), description="filtering")
                for item in part]
    quadrant_counts = np.stack([outputs[:, (1 + q) * m:(2 + q) * m].sum(axis=0) for q in range(4)], axis=1)
    metadata = {"seed_entropy": root.entropy, "spawn_key": list(root.spawn_key), "n": spec.n,
                "design": spec.design, "factors": factors.resolved(), "versions": package_versions()}
    return FilteringResult(technologies=table.technologies, base_quadrant=tuple(base.quadrant), spec=spec,
                           variables=tuple(variables), findings=tuple(findings),
                           quadrant_counts=quadrant_counts.astype(np.int64),
                           ranks=count_values(outputs, np.arange(5 * m, 6 * m), m), metadata=metadata)


def monte_carlo_filtering(table: IndicatorTable, *, model: ScoringModel | None = None,
                          factors: SobolFactors | Mapping[str, Any] | None = None, rng=None,
                          execution: Execution | None = None, **settings) -> FilteringResult:
    """Why each technology's quadrant flips and where it holds; ``settings`` are those of :class:`FilteringSpec`.

    Examples
    --------
    >>> import robust
    >>> result = robust.monte_carlo_filtering(
    ...     robust.load_paper2023(), n=1024, rng=1,
    ...     factors={"capability_threshold": [0.45, 0.55], "dynamism_threshold": [0.45, 0.55]})
    >>> frame = result.to_frame().set_index(["technology", "output", "factor"])
    >>> round(float(frame.loc[("chip", "retained", "capability_threshold"), "ks"]), 2)
    1.0
    >>> result.rule_sentences()["chip"]
    'keeps assault while capability_threshold <= 0.5011 (density 1.000, coverage 1.000)'
    """
    if factors is not None and not isinstance(factors, SobolFactors):
        factors = SobolFactors.from_mapping(factors)
    spec = FilteringSpec(factors=factors, **settings)
    return run_filtering(table, ScoringModel() if model is None else model, spec, execution=execution, rng=rng)
