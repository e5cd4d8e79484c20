"""Morris screening of the scoring model: which input variables have any effect (elementary effects).

Each factor's variables (:mod:`~robust.analyses.filtering.variables`: a weight multiplier per
indicator, a noise factor per table cell, ...) are screened one at a time along random
one-at-a-time trajectories (Morris 1991, Technometrics 33(2):161-174, doi:10.2307/1269043), with
SALib's sampler and estimators (:func:`SALib.sample.morris.sample`,
:func:`SALib.analyze.morris.analyze`; ``mu_star`` of Campolongo, Cariboni & Saltelli 2007,
doi:10.1016/j.envsoft.2006.10.004). It costs ``trajectories x (variables + 1)`` evaluations, so
it suits factor sets too wide for a Sobol' analysis (``noise``: one variable per table cell), as a
first pass: a variable whose ``mu_star`` is near 0 for every output can be fixed.

The grid of ``levels`` points of each variable is placed at the centres of ``levels`` equally
likely cells of its distribution (``(l + 1/2) / levels`` in probability), so no point sits at
the infinite tail of the log-normal noise. Effects are in output units per the whole grid
``[0, 1]`` of SALib's design; ``mu_star_low, mu_star_high`` is SALib's bootstrap interval
(``mu_star -+ mu_star_conf``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ...compute.execution import Execution
from ...compute.seeds import analysis_seed, stream
from ...core import rules
from ...core.errors import InputError
from ...core.model import ScoringModel
from ...core.scoring import score
from ...core.table import IndicatorTable
from ...io.manifest import package_versions
from ...records.lists import TableOrigin
from ..filtering.variables import design_variables
from ..sobol.analysis import check_factors
from ..sobol.factors import DEFAULT_FACTORS, SobolFactors
from ..sobol.indices import evaluate
from ..sobol.model import ScoringFunction

SEED_NAME = "morris"
MORRIS_OUTPUTS: tuple[str, ...] = ("capability_margin", "dynamism_margin", "retained", "in_assault", "in_entrench",
                                   "in_position", "in_disrupt")
MORRIS_COLUMNS = ["technology", "output", "factor", "varies", "mu", "mu_star", "mu_star_low", "mu_star_high",
                  "sigma"]


@dataclass(frozen=True)
class MorrisSpec:
    """The ``[morris]`` config section.

    Parameters
    ----------
    trajectories : int
        One-at-a-time trajectories (>= 2); each costs ``variables + 1`` evaluations.
    levels : int
        Grid points per variable, even, 2 to 20.
    outputs : sequence of str
        A subset of :data:`MORRIS_OUTPUTS`.
    resamples : int
        SALib's bootstrap resamples for the interval of ``mu_star``.
    confidence : float
        Level of that interval.
    factors : SobolFactors, optional
        Default: those of the ``[sobol]`` section (from a config), else the Sobol' analysis's defaults.
    """

    trajectories: int = 50
    levels: int = 4
    outputs: tuple[str, ...] = ("capability_margin", "dynamism_margin", "retained")
    resamples: int = 200
    confidence: float = 0.95
    factors: SobolFactors | None = None

    def __post_init__(self):
        rules.integer(self.trajectories, "trajectories", low=2)
        levels = rules.integer(self.levels, "levels", low=2, high=20)
        if levels % 2:
            raise InputError(f"levels must be even (SALib's step of levels / (2 (levels - 1)) is then balanced), "
                             f"got {levels}")
        object.__setattr__(self, "outputs", rules.names(self.outputs, "outputs", choices=MORRIS_OUTPUTS,
                                                        what="outputs"))
        rules.integer(self.resamples, "resamples", low=10)
        object.__setattr__(self, "confidence", rules.number(self.confidence, "confidence", low=0, high=1,
                                                            low_open=True, high_open=True))
        if self.factors is not None and not isinstance(self.factors, SobolFactors):
            raise TypeError(f"factors must be SobolFactors, got {type(self.factors).__name__}")

    @property
    def chosen_factors(self) -> SobolFactors:
        return DEFAULT_FACTORS if self.factors is None else self.factors

    def resolved(self) -> dict:
        return {"trajectories": self.trajectories, "levels": self.levels, "outputs": list(self.outputs),
                "resamples": self.resamples, "confidence": self.confidence,
                "factors": self.chosen_factors.resolved()}


def check_morris(spec: MorrisSpec, table: IndicatorTable, model: ScoringModel, *,
                 derived: TableOrigin | None = None) -> None:
    """Reject factors that do not apply to the table or the model (:class:`~robust.core.errors.SpecError`);
    ``derived``: the records or ranked IPC lists the table was derived from (data-construction factors)."""
    check_factors(spec.chosen_factors, table, model, saltelli=False, derived=derived)


@dataclass(frozen=True)
class MorrisResult:
    """Elementary-effect statistics per technology, output and input variable."""

    technologies: tuple[str, ...]
    outputs: tuple[str, ...]
    variables: tuple[str, ...]
    statistics: dict   # name -> (outputs * m, variables), output-major
    varies: np.ndarray  # (outputs * m,)
    metadata: dict

    def to_frame(self) -> pd.DataFrame:
        """``morris.csv``: ``technology, output, factor, varies, mu, mu_star, mu_star_low, mu_star_high, sigma``.

        ``factor`` names the variable; ``varies`` is False when the output is the same in every
        evaluation (its effects are then 0 by construction, not a finding); ``mu`` the mean
        elementary effect, ``mu_star`` the mean of their absolute values, ``sigma`` their standard
        deviation (interactions or non-linearity).
        """
        m, o, v = len(self.technologies), len(self.outputs), len(self.variables)
        order = np.arange(o * m).reshape(o, m).T.ravel()  # technology-major rows
        frame = pd.DataFrame({
            "technology": np.repeat(np.array(self.technologies, dtype=object), o * v),
            "output": np.tile(np.repeat(np.array(self.outputs, dtype=object), v), m),
            "factor": np.tile(np.array(self.variables, dtype=object), m * o),
            "varies": np.repeat(self.varies[order], v),
        })
        for name in ("mu", "mu_star", "sigma"):
            frame[name] = self.statistics[name][order].ravel()
        conf = self.statistics["mu_star_conf"][order].ravel()
        frame["mu_star_low"], frame["mu_star_high"] = frame["mu_star"] - conf, frame["mu_star"] + conf
        return frame[MORRIS_COLUMNS]


def run_morris(table: IndicatorTable, model: ScoringModel, spec: MorrisSpec, *,
               execution: Execution | None = None, rng=None, derived: TableOrigin | None = None) -> MorrisResult:
    """Morris screening (module notes). The root seed sequence is ``analysis_seed(rng, "morris")``: the
    trajectories draw from its stream 0, the bootstrap of output column ``c`` from stream ``(1, c)``.
    ``execution`` is accepted like every analysis's; the work is one process. ``derived`` as
    :func:`check_morris`."""
    from SALib.analyze.morris import analyze
    from SALib.sample.morris import sample

    check_morris(spec, table, model, derived=derived)
    factors = spec.chosen_factors
    base = score(table, model)
    function = ScoringFunction.build(table, model, factors, spec.outputs, base.quadrant, base.capability,
                                     derived=derived)
    variables = design_variables(factors, function.groups, table, function.amplitudes)
    names = [variable.name for variable in variables]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    root = analysis_seed(rng, SEED_NAME)
    grid = sample(problem, spec.trajectories, num_levels=spec.levels, seed=stream(root, 0))
    values = evaluate(function, (grid * (spec.levels - 1) + 0.5) / spec.levels)
    statistics = {name: np.empty((values.shape[1], len(names))) for name in ("mu", "mu_star", "sigma", "mu_star_conf")}
    for c in range(values.shape[1]):
        found = analyze(problem, grid, values[:, c], num_resamples=spec.resamples, conf_level=spec.confidence,
                        num_levels=spec.levels, seed=stream(root, 1, c))
        for name in statistics:
            statistics[name][c] = np.ma.filled(np.asarray(found[name], dtype=float), np.nan)
    metadata = {"seed_entropy": root.entropy, "spawn_key": list(root.spawn_key), "evaluations": len(grid),
                "factors": factors.resolved(), "versions": package_versions()}
    return MorrisResult(technologies=table.technologies, outputs=spec.outputs, variables=tuple(names),
                        statistics=statistics, varies=np.ptp(values, axis=0) > 0, metadata=metadata)


def morris_screening(table: IndicatorTable, *, model: ScoringModel | None = None,
                     factors: SobolFactors | Mapping[str, Any] | None = None, rng=None, **settings) -> MorrisResult:
    """Morris screening of every input variable; ``settings`` are those of :class:`MorrisSpec`.

    Examples
    --------
    >>> import robust
    >>> result = robust.morris_screening(robust.load_paper2023(), trajectories=20, rng=1, outputs=["retained"],
    ...                                  factors={"noise": 0.05, "capability_threshold": [0.45, 0.55]})
    >>> frame = result.to_frame().set_index(["technology", "factor"])
    >>> float(frame.loc[("chip", "capability_threshold"), "mu_star"]) > 0
    True
    >>> float(frame.loc[("lithography machine", "capability_threshold"), "mu_star"])
    0.0
    """
    if factors is not None and not isinstance(factors, SobolFactors):
        factors = SobolFactors.from_mapping(factors)
    return run_morris(table, ScoringModel() if model is None else model, MorrisSpec(factors=factors, **settings),
                      rng=rng)
