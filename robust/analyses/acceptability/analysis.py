"""Acceptability of each quadrant over the weight space (Tervonen et al. 2009, SMAA-TRI).

For every technology and quadrant: the probability of the quadrant when the weights are
drawn from a prior (:mod:`~robust.analyses.acceptability.sampling`) and the thresholds from
theirs (fixed, or uniform on a range), with its Wilson interval; the exact value when the
thresholds are fixed and the prior is uniform with no constraint
(:mod:`~robust.analyses.acceptability.exact`); the *central weights* (the mean weight vector
among the draws that give the quadrant); and the *confidence factor* (the probability of the
quadrant under the threshold priors when the central weights are used). The weights move
capability only: dynamism keeps the base model's scores. Tervonen, Figueira, Lahdelma,
Dias & Salminen (2009), Eur. J. Oper. Res. 192(1):236-242, doi:10.1016/j.ejor.2007.09.008.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...compute.execution import Execution
from ...compute.seeds import analysis_seed, stream
from ...core import rules
from ...core.display import Displayed
from ...core.errors import SpecError
from ...core.model import ScoringModel
from ...core.options import QUADRANTS
from ...core.scoring import ScoreResult, minmax, quadrant_codes, score
from ...core.table import IndicatorTable
from ..bootstrap.summary import wilson_interval
from .exact import probability_strong
from .sampling import WeightPrior

SEED_NAME = "acceptability"
BLOCK_CELLS = 1 << 21  # draws x technologies scored at once (bounded memory)


def _threshold(value, key: str):
    """None (the base model's), a number (fixed) or a [low, high] range (uniform)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return rules.value_range(value, key)
    return rules.number(value, key)


@dataclass(frozen=True)
class AcceptabilitySpec:
    """The ``[acceptability]`` config section.

    Parameters
    ----------
    weights : "uniform" or float
        Dirichlet(1) on the simplex, or Dirichlet(kappa * base weights) for a number kappa > 0.
    samples : int
        Draws of the weights (and thresholds).
    capability_threshold, dynamism_threshold : float or (low, high), optional
        Fixed, or uniform on a range; default the base model's.
    order : list, optional
        Ordinal constraints: indicator names from most to least important, or pairs
        ``[a, ">=", b]`` (a list of them, or one).
    confidence : float
        Level of the Wilson intervals.
    """

    weights: str | float = "uniform"
    samples: int = 200_000
    capability_threshold: float | tuple[float, float] | None = None
    dynamism_threshold: float | tuple[float, float] | None = None
    order: tuple | None = None
    confidence: float = 0.95

    def __post_init__(self):
        if isinstance(self.weights, str):
            rules.text(self.weights, "weights", choices=("uniform",))
        else:
            object.__setattr__(self, "weights", rules.number(self.weights, "weights", low=0, low_open=True,
                                                             what="a concentration kappa"))
        object.__setattr__(self, "samples", rules.integer(self.samples, "samples", low=1000))
        for key in ("capability_threshold", "dynamism_threshold"):
            object.__setattr__(self, key, _threshold(getattr(self, key), key))
        object.__setattr__(self, "confidence", rules.number(self.confidence, "confidence", low=0, high=1,
                                                            low_open=True, high_open=True))
        if self.order is not None:
            object.__setattr__(self, "order", _order(self.order))

    def resolved(self) -> dict:
        as_list = lambda v: list(v) if isinstance(v, tuple) else v
        return {"weights": self.weights, "samples": self.samples,
                "capability_threshold": as_list(self.capability_threshold),
                "dynamism_threshold": as_list(self.dynamism_threshold),
                "order": None if self.order is None else [as_list(item) for item in self.order],
                "confidence": self.confidence}


def _order(value) -> tuple:
    """A ranking ``(a, b, c)`` or pairs ``((a, ">=", b), ...)``, checked for form (names are checked later)."""
    if isinstance(value, (list, tuple)) and len(value) == 3 and value[1] in (">=", "<="):
        value = [value]
    if isinstance(value, (list, tuple)) and value and all(isinstance(item, (list, tuple)) for item in value):
        pairs = []
        for item in value:
            if len(item) != 3 or item[1] not in (">=", "<=") or not all(isinstance(x, str) for x in item):
                raise SpecError(f"order: a constraint must be [name, \">=\" or \"<=\", name], got {list(item)!r}")
            pairs.append(tuple(item))
        return tuple(pairs)
    return rules.names(value, "order", what="indicator names (most to least important)", minimum=2)


def prior_for(spec: AcceptabilitySpec, indicators: tuple[str, ...], base_weights: np.ndarray) -> WeightPrior:
    """The weight prior of a spec for these indicators (an unknown name is one line naming it)."""
    def index(name):
        if name not in indicators:
            raise SpecError(f"order: {name!r} is not an indicator; allowed: {', '.join(indicators)}"
                            + rules.suggestion(name, indicators))
        return indicators.index(name)

    pairs, ranking = (), None
    if spec.order is not None and isinstance(spec.order[0], tuple):
        pairs = tuple((index(a), index(b)) if op == ">=" else (index(b), index(a)) for a, op, b in spec.order)
    elif spec.order is not None:
        ranking = tuple(index(name) for name in spec.order)
        pairs = tuple(zip(ranking[:-1], ranking[1:]))
    concentration = None if spec.weights == "uniform" else spec.weights * np.asarray(base_weights, dtype=float)
    return WeightPrior(k=len(indicators), concentration=concentration, pairs=pairs, ranking=ranking)


def check_acceptability(spec: AcceptabilitySpec, table: IndicatorTable, model: ScoringModel) -> None:
    """The constraints must name the table's indicators (:class:`~robust.core.errors.SpecError`)."""
    prior_for(spec, table.indicators, np.full(len(table.indicators), 1 / len(table.indicators)))


@dataclass(frozen=True, repr=False)
class AcceptabilityResult(Displayed):
    """Acceptability, its interval, the exact value, central weights and confidence factors."""

    base: ScoreResult
    spec: AcceptabilitySpec
    counts: np.ndarray          # (m, 4) draws in each quadrant
    central: np.ndarray         # (m, 4, k) mean weights among them (NaN: none)
    exact: np.ndarray           # (m, 4) exact acceptability (NaN: no closed form for this prior)
    confidence_factor: np.ndarray  # (m, 4)
    seed_entropy: int

    def summary(self) -> str:
        """``200,000 draws, uniform prior; lowest acceptability of the base quadrant 0.588 (chip)``."""
        base = np.array([QUADRANTS.index(q) for q in self.base.quadrant])
        own = self.counts[np.arange(len(base)), base] / self.spec.samples
        i = int(np.argmin(own))
        prior = "uniform prior" if self.spec.weights == "uniform" else f"Dirichlet({self.spec.weights:g} w) prior"
        return (f"{self.spec.samples:,} draws, {prior}; lowest acceptability of the base quadrant {own[i]:.3f} "
                f"({self.base.technologies[i]})")

    def to_frame(self) -> pd.DataFrame:
        """``acceptability.csv``: ``technology, quadrant, acceptability, low, high, exact, confidence_factor``."""
        m = self.counts.shape[0]
        n = self.spec.samples
        low, high = wilson_interval(self.counts, n, self.spec.confidence)
        return pd.DataFrame({
            "technology": np.repeat(np.array(self.base.technologies, dtype=object), 4),
            "quadrant": list(QUADRANTS) * m,
            "acceptability": (self.counts / n).ravel(),
            "low": low.ravel(), "high": high.ravel(),
            "exact": self.exact.ravel(),
            "confidence_factor": self.confidence_factor.ravel(),
        })

    def central_frame(self) -> pd.DataFrame:
        """``central_weights.csv``: ``technology, quadrant, indicator, weight`` (quadrants with draws only)."""
        records = [(technology, quadrant, indicator, self.central[i, q, j])
                   for i, technology in enumerate(self.base.technologies) for q, quadrant in enumerate(QUADRANTS)
                   if self.counts[i, q] > 0 for j, indicator in enumerate(self.base.indicators)]
        return pd.DataFrame(records, columns=["technology", "quadrant", "indicator", "weight"])


def _side_probability(score: np.ndarray, threshold) -> np.ndarray:
    """P(strong) of each score under a fixed threshold or a uniform one on [low, high]."""
    if isinstance(threshold, tuple):
        low, high = threshold
        return np.clip((score - low) / (high - low), 0.0, 1.0)
    return (score >= threshold).astype(float)


def _draw_thresholds(rng, threshold, count):
    if isinstance(threshold, tuple):
        return rng.uniform(threshold[0], threshold[1], count)
    return np.full(count, threshold)


def run_acceptability(table: IndicatorTable, model: ScoringModel, spec: AcceptabilitySpec, *,
                      execution: Execution | None = None, rng=None) -> AcceptabilityResult:
    """Acceptability of every quadrant of every technology under the spec's priors."""
    base = score(table, model)
    prior = prior_for(spec, table.indicators, base.weights)
    values = table.values
    inputs = minmax(values, values.min(axis=0), values.max(axis=0)) if model.normalize == "minmax" else values
    capability_t = model.capability_threshold if spec.capability_threshold is None else spec.capability_threshold
    dynamism_t = model.dynamism_threshold if spec.dynamism_threshold is None else spec.dynamism_threshold
    root = analysis_seed(rng, SEED_NAME)
    m, k = inputs.shape
    counts = np.zeros((m, 4), dtype=np.int64)
    sums = np.zeros((m, 4, k))
    step = max(1024, min(1 << 16, BLOCK_CELLS // m))  # a function of the table's size only
    for block, start in enumerate(range(0, spec.samples, step)):
        size = min(step, spec.samples - start)
        weights = prior.draw(stream(root, block, 0), size)
        thresholds = stream(root, block, 1)
        cap_t, dyn_t = _draw_thresholds(thresholds, capability_t, size), _draw_thresholds(thresholds, dynamism_t, size)
        capability = np.einsum("sk,mk->sm", weights, inputs)             # (size, m); no BLAS: same bits anywhere
        quadrant = quadrant_codes(capability, np.broadcast_to(base.dynamism, capability.shape), cap_t, dyn_t)
        for q in range(4):
            hit = quadrant == q                                           # (size, m)
            counts[:, q] += hit.sum(axis=0)
            sums[:, q] += np.einsum("sm,sk->mk", hit.astype(float), weights)
    with np.errstate(invalid="ignore"):
        central = sums / counts[:, :, None]
    strong_cap_quadrants, strong_dyn_quadrants = np.array([1, 0, 0, 1]), np.array([0, 0, 1, 1])

    def quadrant_probabilities(p_capability, p_dynamism):
        cap = np.where(strong_cap_quadrants, p_capability[..., None], 1 - p_capability[..., None])
        dyn = np.where(strong_dyn_quadrants, p_dynamism[..., None], 1 - p_dynamism[..., None])
        return cap * dyn

    p_dynamism = _side_probability(base.dynamism, dynamism_t)
    exact = np.full((m, 4), np.nan)
    if spec.weights == "uniform" and spec.order is None and not isinstance(capability_t, tuple):
        p_capability = np.array([probability_strong(row, capability_t) for row in inputs])
        exact = quadrant_probabilities(p_capability, p_dynamism)
    confidence = np.full((m, 4), np.nan)
    for q in range(4):
        seen = counts[:, q] > 0
        central_capability = np.einsum("ik,ik->i", np.nan_to_num(central[:, q]), inputs)
        confidence[seen, q] = quadrant_probabilities(_side_probability(central_capability, capability_t),
                                                     p_dynamism)[seen, q]
    return AcceptabilityResult(base=base, spec=spec, counts=counts, central=central, exact=exact,
                               confidence_factor=confidence, seed_entropy=int(root.entropy))


def acceptability(table: IndicatorTable, *, model: ScoringModel | None = None, rng=None, **settings):
    """Quadrant acceptability over the weight space; ``settings`` are those of :class:`AcceptabilitySpec`.

    Examples
    --------
    >>> import robust
    >>> frame = acceptability(robust.load_paper2023(), samples=20_000, rng=1).to_frame()
    >>> chip = frame[(frame.technology == "chip") & (frame.quadrant == "assault")].iloc[0]
    >>> bool(abs(chip["acceptability"] - chip["exact"]) < 0.02)
    True
    """
    return run_acceptability(table, ScoringModel() if model is None else model, AcceptabilitySpec(**settings),
                             rng=rng)
