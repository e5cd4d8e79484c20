"""Sobol' global sensitivity: which modelling choice drives each technology's quadrant.

Every uncertain modelling choice (a *factor*: the weights, the weighting method, the
thresholds, the IPC amplitudes, measurement noise, the normalisation, leaving an indicator
out) is drawn from a distribution; the variance of each output of each technology is
apportioned to the factors with Sobol' indices (Sobol' 2001,
doi:10.1016/S0378-4754(00)00270-6):

- the first-order index ``S1`` is the share of the output's variance explained by the
  factor alone;
- the total index ``ST`` is the share that disappears when the factor is fixed,
  interactions included. ``ST - S1`` is the factor's share through interactions.

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
from itertools import combinations
from typing import Any, Literal, Mapping, Sequence, get_args

import numpy as np
import pandas as pd

from ...compute.execution import Execution
from ...compute.seeds import analysis_seed
from ...core import rules
from ...core.errors import SpecError
from ...core.model import ScoringModel
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
    Pooled,
    SobolIndices,
    check_design,
    indices_for_root,
)
from .model import ScoringFunction, group_sizes

Output = Literal["capability_margin", "dynamism_margin", "retained"]
OUTPUTS: tuple[str, ...] = get_args(Output)


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
        A subset of :data:`OUTPUTS`.
    confidence : float
        Level of every interval.
    resamples : int
        Bootstrap resamples per scramble (SALib's ``num_resamples``).
    factors : SobolFactors
    """

    n: int = DEFAULT_N
    scrambles: int = DEFAULT_SCRAMBLES
    second_order: bool = False
    outputs: tuple[str, ...] = OUTPUTS
    confidence: float = DEFAULT_CONFIDENCE
    resamples: int = DEFAULT_RESAMPLES
    factors: SobolFactors = DEFAULT_FACTORS

    def __post_init__(self):
        check_design(self.n, self.scrambles, self.resamples, self.confidence)
        rules.flag(self.second_order, "second_order")
        object.__setattr__(self, "outputs", rules.names(self.outputs, "outputs", choices=OUTPUTS,
                                                        what="outputs"))
        for name in ("n", "scrambles", "resamples"):
            object.__setattr__(self, name, int(getattr(self, name)))
        object.__setattr__(self, "confidence", float(self.confidence))
        if not isinstance(self.factors, SobolFactors):
            raise TypeError(f"factors must be SobolFactors, got {type(self.factors).__name__}")

    def resolved(self) -> dict:
        return {
            "n": self.n, "scrambles": self.scrambles, "second_order": self.second_order,
            "outputs": list(self.outputs), "confidence": self.confidence,
            "resamples": self.resamples, "factors": self.factors.resolved(),
        }


def check_sobol(spec: SobolSpec, table: IndicatorTable, model: ScoringModel, *,
                derived: TableOrigin | None = None) -> None:
    """Reject factors that do not apply to the table or the base model (:class:`~robust.core.errors.SpecError`).

    ``derived``: the records or ranked IPC lists the table was derived from (data-construction factors).
    """
    factors = spec.factors
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
    from scipy.stats import qmc

    groups = group_sizes(factors, table.values.shape, len(table.dynamism_columns))
    dimensions = sum(size for _, size in groups)
    if 2 * dimensions > qmc.Sobol.MAXDIM:
        raise SpecError(
            f"the factors need {dimensions} variables (noise alone "
            f"{table.n_technologies} x {k}), more than the {qmc.Sobol.MAXDIM // 2} that "
            f"scipy's Sobol' engine supports in a Saltelli design", part="factors"
        )


@dataclass(frozen=True)
class SobolResult:
    """Sobol' indices of each technology's outputs under the uncertain modelling choices.

    Attributes
    ----------
    technologies : tuple of str
    outputs : tuple of str
        The analysed outputs (a subset of :data:`OUTPUTS`).
    factors : SobolFactors
    base_quadrant : tuple of str
        The base model's quadrant of each technology (``retained`` compares with it).
    indices : SobolIndices
        Per-scramble estimates, columns ordered output-major (``o * m + i``).
    metadata : dict
        Seed entropy and spawn key, sizes, scramble seeds, package versions.
    """

    technologies: tuple[str, ...]
    outputs: tuple[str, ...]
    factors: SobolFactors
    base_quadrant: tuple[str, ...]
    indices: SobolIndices
    metadata: dict

    def _frame(self, **per_factor: Sequence[str]) -> pd.DataFrame:
        """``technology, output`` and the ``per_factor`` label columns, one row per
        technology, output and entry of the labels (technology-major)."""
        m, outputs = len(self.technologies), len(self.outputs)
        repeat = len(next(iter(per_factor.values())))
        frame = pd.DataFrame({
            "technology": np.repeat(np.array(self.technologies, dtype=object), outputs * repeat),
            "output": np.tile(np.repeat(np.array(self.outputs, dtype=object), repeat), m),
        })
        for name, labels in per_factor.items():
            frame[name] = np.tile(np.array(labels, dtype=object), m * outputs)
        return frame

    def _order(self, array: np.ndarray, repeat: int = 1) -> np.ndarray:
        """(O, ...) output-major values to technology-major rows, each repeated ``repeat`` times."""
        m, outputs = len(self.technologies), len(self.outputs)
        ordered = array.reshape((outputs, m) + array.shape[1:]).swapaxes(0, 1).reshape(-1)
        return np.repeat(ordered, repeat)

    def _add_pooled(self, frame: pd.DataFrame, label: str, pooled: Pooled) -> None:
        for suffix, array in (("", pooled.estimate), ("_low", pooled.low), ("_high", pooled.high),
                              ("_boot_low", pooled.boot_low), ("_boot_high", pooled.boot_high),
                              ("_scramble_min", pooled.minimum), ("_scramble_max", pooled.maximum)):
            frame[label + suffix] = self._order(array)

    def to_frame(self) -> pd.DataFrame:
        """One row per technology, output and factor (input, output and factor order).

        Columns
        -------
        technology, output, factor
            ``factor`` is the config key.
        applicable
            False when the output never varies for the technology; its index cells are
            then empty (NaN): no variance, nothing to apportion.
        scrambles_used
            Scrambles in which the indices are defined (all of them unless a rare event;
            with 0 the index cells are empty, with 1 the interval cells).
        output_mean, output_mean_low, output_mean_high
            Mean of the raw output over all model evaluations and its interval over the
            scrambles; for ``retained``, the retention (share of evaluations in the base
            model's quadrant).
        output_variance
            Variance of the raw output (mean over scrambles).
        S1, S1_low, S1_high, ST, ST_low, ST_high
            First-order and total indices (mean over scrambles) and their Student-t
            interval from the spread between scrambles.
        S1_boot_low, S1_boot_high, ST_boot_low, ST_boot_high
            Bootstrap interval: ``index -+ z * bootstrap standard error``.
        S1_scramble_min, S1_scramble_max, ST_scramble_min, ST_scramble_max
            Smallest and largest estimate of a single scramble.
        """
        indices = self.indices
        g = len(indices.groups)
        frame = self._frame(factor=indices.groups)
        mean = indices.output_mean()
        per_output = {
            "applicable": indices.applicable, "scrambles_used": indices.estimable.sum(axis=0),
            "output_mean": mean.estimate, "output_mean_low": mean.low, "output_mean_high": mean.high,
            "output_variance": indices.output_variance(),
        }
        for name, array in per_output.items():
            frame[name] = self._order(array, g)
        self._add_pooled(frame, "S1", indices.first_order())
        self._add_pooled(frame, "ST", indices.total_order())
        return frame[_FRAME_COLUMNS]

    def convergence_frame(self) -> pd.DataFrame:
        """Indices against the base sample size, for the applicable outputs.

        Columns ``n, technology, output, factor, scrambles_used, S1, S1_low, S1_high, ST,
        ST_low, ST_high`` (point estimates on the first ``n`` base points of each scramble,
        pooled as in :meth:`to_frame`; no bootstrap). Cells are empty where fewer scrambles
        than needed (1 for the index, 2 for the interval) saw the output vary.
        """
        first, total = self.indices.convergence()
        g = len(self.indices.groups)
        applicable = self._order(self.indices.applicable, g)
        frames = []
        for index, size in enumerate(self.indices.sizes):
            frame = self._frame(factor=self.indices.groups)
            frame.insert(0, "n", size)
            frame["scrambles_used"] = self._order(first.used[index])
            for label, pooled in (("S1", first), ("ST", total)):
                for suffix, array in (("", pooled.estimate), ("_low", pooled.low), ("_high", pooled.high)):
                    frame[label + suffix] = self._order(array[index])
            frames.append(frame[applicable])
        return pd.concat(frames, ignore_index=True)

    def second_order_frame(self) -> pd.DataFrame:
        """Second-order indices: one row per technology, output and factor pair.

        Columns ``technology, output, factor, factor_2, applicable, S2, S2_low, S2_high,
        S2_boot_low, S2_boot_high, S2_scramble_min, S2_scramble_max`` (as in :meth:`to_frame`).
        """
        pooled = self.indices.second_order_indices()
        pairs = list(combinations(self.indices.groups, 2))
        frame = self._frame(factor=[a for a, _ in pairs], factor_2=[b for _, b in pairs])
        frame["applicable"] = self._order(self.indices.applicable, len(pairs))
        self._add_pooled(frame, "S2", pooled)
        return frame

    def unstable_technologies(self) -> tuple[str, ...]:
        """Technologies whose retention is below 1 (``retained`` varies), in input order."""
        if "retained" not in self.outputs:
            return ()
        m = len(self.technologies)
        start = self.outputs.index("retained") * m
        varies = self.indices.applicable[start:start + m]
        return tuple(t for t, flag in zip(self.technologies, varies) if flag)

    def plot(self, ax=None, **kwargs):
        """Heatmap of the total indices; see :func:`robust.plotting.sobol.plot_sobol_heatmap`."""
        from ...plotting.sobol import plot_sobol_heatmap

        return plot_sobol_heatmap(self.to_frame(), scrambles=len(self.indices.scrambles),
                                  confidence=self.indices.confidence, ax=ax, **kwargs)


_FRAME_COLUMNS = [
    "technology", "output", "factor", "applicable", "scrambles_used",
    "output_mean", "output_mean_low", "output_mean_high", "output_variance",
    "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high",
    "S1_boot_low", "S1_boot_high", "ST_boot_low", "ST_boot_high",
    "S1_scramble_min", "S1_scramble_max", "ST_scramble_min", "ST_scramble_max",
]


def sobol_analysis(
    table: IndicatorTable,
    *,
    model: ScoringModel | None = None,
    factors: SobolFactors | Mapping[str, Any] | None = None,
    n: int = DEFAULT_N,
    scrambles: int = DEFAULT_SCRAMBLES,
    outputs: Sequence[Output] = OUTPUTS,
    second_order: bool = False,
    confidence: float = DEFAULT_CONFIDENCE,
    resamples: int = DEFAULT_RESAMPLES,
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
    n, scrambles, outputs, second_order, confidence, resamples
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
                     confidence=confidence, resamples=resamples, factors=factors)
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
    base_quadrant = score(table, model).quadrant
    function = ScoringFunction.build(table, model, spec.factors, spec.outputs, base_quadrant, derived=derived)
    names = [f"{output} of {technology!r}" for output in spec.outputs for technology in table.technologies]
    indices = indices_for_root(
        function, groups=function.groups, n=spec.n, scrambles=spec.scrambles,
        second_order=spec.second_order, resamples=spec.resamples, confidence=spec.confidence,
        output_names=names, root=analysis_seed(rng, SEED_NAME), execution=execution,
    )
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
        base_quadrant=tuple(base_quadrant), indices=indices, metadata=metadata,
    )
