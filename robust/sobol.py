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
scrambles, with a :class:`~robust.errors.DegenerateWarning` and the count in
``scrambles_used``.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Callable, Literal, Mapping, Sequence

import numpy as np
import pandas as pd

from .config import _suggestion
from .errors import DegenerateWarning, InputError
from .model import ScoringModel, score
from .model import _finite_number as _number
from .parallel import Execution, map_chunks, seed_sequence, stream
from .scoring import NORMALIZE_OPTIONS, QUADRANTS, score_batch
from .table import IndicatorTable
from .weighting import WEIGHTING_METHODS, compute_weights

Output = Literal["capability_margin", "dynamism_margin", "retained"]
OUTPUTS: tuple[str, ...] = ("capability_margin", "dynamism_margin", "retained")
FACTOR_KEYS: tuple[str, ...] = (
    "weights", "weighting", "capability_threshold", "dynamism_threshold", "amplitudes",
    "noise", "normalize", "leave_out",
)
LEAVE_NONE = "none"
MIN_N = 64
DEFAULT_N = 16384
DEFAULT_SCRAMBLES = 5
DEFAULT_RESAMPLES = 100
DEFAULT_CONFIDENCE = 0.95
SEED_NAME = "sobol"

_EPS = np.finfo(float).eps  # SALib's threshold for a zero variance
_EVALUATION_ROWS = 16_384  # model evaluations per call of the scorer (bounds memory)
_BOOTSTRAP_ELEMENTS = 1 << 22  # rows x columns per bootstrap product (32 MB)
_UNIT_CLIP = 2.0**-53  # keeps the normal quantile of a Sobol' coordinate finite


def _integer(value, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{key} must be an integer, got {value!r}")
    return int(value)


def _levels(value, key: str, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(f"{key} must be a list of levels, got {value!r}")
    levels = tuple(value)
    for level in levels:
        if not isinstance(level, str):
            raise TypeError(f"{key} must hold strings, got {level!r}")
        if allowed is not None and level not in allowed:
            raise InputError(
                f"{key}: unknown level {level!r}; allowed: {', '.join(allowed)}"
                + _suggestion(level, allowed)
            )
    if len(set(levels)) != len(levels):
        repeated = next(level for level in levels if levels.count(level) > 1)
        raise InputError(f"{key} lists {repeated!r} more than once")
    if len(levels) < 2:
        raise InputError(f"{key} needs at least 2 levels to be a factor, got {list(levels)}")
    return levels


@dataclass(frozen=True)
class SobolFactors:
    """The uncertain modelling choices: each given key is one factor (a group counts as one).

    A key left as None is not varied: the base model's choice is used.

    Parameters
    ----------
    weights : float, optional
        Spread ``s`` in (0, 1): each base capability weight is multiplied by
        ``U(1 - s, 1 + s)`` and the weights are renormalised to sum to 1 (one group).
    weighting : sequence of str, optional
        Discrete, equally likely: which method of
        :data:`robust.weighting.WEIGHTING_METHODS` gives the base weights.
    capability_threshold, dynamism_threshold : (low, high), optional
        Uniform on ``[low, high]``.
    amplitudes : float, optional
        Spread ``s`` in (0, 1): each IPC amplitude is multiplied by ``U(1 - s, 1 + s)``
        (one group); dynamism is min-max normalised again in every sample. Only for tables
        with IPC change counts.
    noise : float, optional
        Measurement error: every capability indicator value is multiplied by
        ``exp(noise * Z)``, ``Z`` standard normal (log-normal error with median 1; one group
        of m x k variables); data-driven weights are estimated again on the noisy table.
    normalize : sequence of str, optional
        Discrete, equally likely: capability on raw or min-max normalised values
        (:data:`robust.scoring.NORMALIZE_OPTIONS`).
    leave_out : sequence of str, optional
        Discrete, equally likely: ``"none"`` or the name of an indicator to drop; the
        weights are estimated again on the remaining indicators (fixed weights are
        renormalised).

    Examples
    --------
    >>> SobolFactors(weights=0.2, capability_threshold=(0.45, 0.55)).names
    ('weights', 'capability_threshold')
    """

    weights: float | None = None
    weighting: tuple[str, ...] | None = None
    capability_threshold: tuple[float, float] | None = None
    dynamism_threshold: tuple[float, float] | None = None
    amplitudes: float | None = None
    noise: float | None = None
    normalize: tuple[str, ...] | None = None
    leave_out: tuple[str, ...] | None = None

    def __post_init__(self):
        for key in ("weights", "amplitudes"):
            if getattr(self, key) is not None:
                spread = _number(getattr(self, key), key)
                if not 0 < spread < 1:
                    raise InputError(
                        f"{key}: the spread must be in (0, 1) (each value is multiplied by "
                        f"U(1 - spread, 1 + spread)), got {spread:g}"
                    )
                object.__setattr__(self, key, spread)
        if self.noise is not None:
            noise = _number(self.noise, "noise")
            if noise <= 0:
                raise InputError(f"noise: the log-scale standard deviation must be > 0, got {noise:g}")
            object.__setattr__(self, "noise", noise)
        for key in ("capability_threshold", "dynamism_threshold"):
            value = getattr(self, key)
            if value is None:
                continue
            if isinstance(value, str) or not isinstance(value, Sequence) or len(value) != 2:
                raise InputError(f"{key} must be a range [low, high], got {value!r}")
            low, high = (_number(bound, key) for bound in value)
            if not low < high:
                raise InputError(f"{key}: the range [low, high] needs low < high, got [{low:g}, {high:g}]")
            object.__setattr__(self, key, (low, high))
        for key, allowed in (("weighting", WEIGHTING_METHODS), ("normalize", NORMALIZE_OPTIONS),
                             ("leave_out", None)):
            if getattr(self, key) is not None:
                object.__setattr__(self, key, _levels(getattr(self, key), key, allowed))
        if len(self.names) < 2:
            raise InputError(
                f"factors: give at least 2 factors (with one, every index is 1 by construction); "
                f"got {list(self.names)}; allowed: {', '.join(FACTOR_KEYS)}"
            )

    @property
    def names(self) -> tuple[str, ...]:
        """The keys that are varied, in the canonical order of :data:`FACTOR_KEYS`."""
        return tuple(key for key in FACTOR_KEYS if getattr(self, key) is not None)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> "SobolFactors":
        """Factors from a config-style mapping (``{"weights": 0.2, ...}``); unknown keys rejected."""
        for key in mapping:
            if key not in FACTOR_KEYS:
                raise InputError(
                    f"factors: unknown key {key!r}; allowed: {', '.join(FACTOR_KEYS)}"
                    + _suggestion(key, FACTOR_KEYS)
                )
        return cls(**mapping)

    def resolved(self) -> dict:
        """Every varied factor as plain data (lists for sequences)."""
        resolved = {}
        for key in self.names:
            value = getattr(self, key)
            resolved[key] = list(value) if isinstance(value, tuple) else value
        return resolved


DEFAULT_FACTORS = SobolFactors(
    weights=0.2,
    weighting=("entropy", "critic", "equal"),
    capability_threshold=(0.45, 0.55),
    dynamism_threshold=(0.45, 0.55),
    amplitudes=0.5,
)


def _check_design(n, scrambles, resamples, confidence) -> None:
    n = _integer(n, "n")
    if n < MIN_N or n & (n - 1):
        raise InputError(
            f"n must be a power of two >= {MIN_N} (Sobol' points are balanced only then), got {n}"
        )
    if _integer(scrambles, "scrambles") < 2:
        raise InputError(
            f"scrambles must be >= 2 (the interval comes from the spread between independent "
            f"scrambles), got {scrambles}"
        )
    if _integer(resamples, "resamples") < 2:
        raise InputError(f"resamples must be >= 2 (bootstrap resamples per scramble), got {resamples}")
    confidence = _number(confidence, "confidence")
    if not 0 < confidence < 1:
        raise InputError(f"confidence must be in (0, 1), got {confidence:g}")


@dataclass(frozen=True)
class SobolSpec:
    """The ``[sobol]`` section: design size, replication, outputs and factors.

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
        _check_design(self.n, self.scrambles, self.resamples, self.confidence)
        if not isinstance(self.second_order, bool):
            raise TypeError(f"second_order must be true or false, got {self.second_order!r}")
        object.__setattr__(self, "outputs", _outputs(self.outputs))
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


def _outputs(outputs) -> tuple[str, ...]:
    if isinstance(outputs, str) or not isinstance(outputs, Sequence) or not outputs:
        raise InputError(f"outputs must be a non-empty list of {', '.join(OUTPUTS)}; got {outputs!r}")
    for output in outputs:
        if output not in OUTPUTS:
            raise InputError(
                f"outputs: unknown output {output!r}; allowed: {', '.join(OUTPUTS)}"
                + _suggestion(str(output), OUTPUTS)
            )
    if len(set(outputs)) != len(outputs):
        raise InputError(f"outputs lists an output more than once: {list(outputs)}")
    return tuple(outputs)


# ---------------------------------------------------------------------------------------
# The estimators (SALib's, vectorised over outputs) and the scramble replication


def _split(values: np.ndarray, groups: int, second_order: bool):
    """SALib's row layout: for each base point A, AB_1..AB_G, [BA_1..BA_G,] B."""
    step = 2 * groups + 2 if second_order else groups + 2
    blocks = values.reshape(-1, step, values.shape[-1])
    ba = blocks[:, groups + 1:2 * groups + 1] if second_order else None
    return blocks[:, 0], blocks[:, -1], blocks[:, 1:groups + 1], ba


def _ratio(numerator: np.ndarray, variance: np.ndarray, threshold) -> np.ndarray:
    """``numerator / variance``, and 0 where the variance is not above ``threshold`` (SALib)."""
    return np.divide(numerator, variance, out=np.zeros(numerator.shape),
                     where=np.broadcast_to(variance > threshold, numerator.shape))


def bootstrap_counts(n: int, resamples: int, seed: int) -> np.ndarray:
    """How often each of ``n`` base points is drawn in each resample: shape (resamples, n).

    The draws are SALib's: ``np.random.default_rng(seed).integers(n, size=(n, resamples))``,
    column ``b`` holding the points of resample ``b``. A resampled mean is then
    ``counts @ values / n``, which lets all outputs be bootstrapped in one matrix product.
    """
    draws = np.random.default_rng(seed).integers(n, size=(n, resamples))
    offsets = np.arange(resamples) * n
    counts = np.bincount((draws + offsets).ravel(), minlength=n * resamples)
    return counts.reshape(resamples, n).astype(float)


def _bootstrap_sd(counts, a, b, ab, ba, pairs, threshold):
    """Bootstrap standard deviations (ddof 1) of the first, total and second-order indices."""
    n, outputs = a.shape
    groups = ab.shape[1]
    columns = [a, b, a * a, b * b,
               (b[:, None] * (ab - a[:, None])).reshape(n, -1),
               (0.5 * (a[:, None] - ab) ** 2).reshape(n, -1)]
    if ba is not None:
        j, k = pairs
        columns.append((ba[:, j] * ab[:, k] - (a * b)[:, None]).reshape(n, -1))
    sums = counts @ np.concatenate(columns, axis=1) / n
    resamples = counts.shape[0]
    mean_a, mean_b, square_a, square_b = (sums[:, i * outputs:(i + 1) * outputs] for i in range(4))
    rest = sums[:, 4 * outputs:].reshape(resamples, -1, outputs)
    mean = 0.5 * (mean_a + mean_b)
    # A resample whose values are all equal gets a variance of rounding size (the values are
    # centred on the overall mean), below SALib's threshold, so its indices are 0 as in SALib.
    variance = (0.5 * (square_a + square_b) - mean * mean)[:, None]
    first = _ratio(rest[:, :groups], variance, threshold)
    total = _ratio(rest[:, groups:2 * groups], variance, threshold)
    first_sd = first.std(axis=0, ddof=1)
    total_sd = total.std(axis=0, ddof=1)
    if ba is None:
        return first_sd, total_sd, None
    second = _ratio(rest[:, 2 * groups:], variance, threshold) - first[:, j] - first[:, k]
    return first_sd, total_sd, second.std(axis=0, ddof=1)


@dataclass(frozen=True)
class ScrambleEstimates:
    """The estimates of one scrambled design, for O outputs and G factors.

    Index arrays hold NaN for outputs that are not estimable in this design.

    Attributes
    ----------
    first, total, first_sd, total_sd : ndarray, shape (O, G)
        Indices and their bootstrap standard deviations.
    second, second_sd : ndarray, shape (O, P), or None
        Second-order indices of the P factor pairs (``itertools.combinations`` order).
    mean, variance : ndarray, shape (O,)
        Of the raw output over every model evaluation.
    varies : ndarray of bool, shape (O,)
        The output takes more than one value.
    estimable : ndarray of bool, shape (O,)
        The estimators are defined: the output varies over the A and B points (SALib's
        denominator, on the standardised output, is above machine epsilon).
    sizes : tuple of int
        Base sample sizes of the convergence estimates: :func:`convergence_sizes`.
    first_by_size, total_by_size : ndarray, shape (L, O, G)
        Point estimates on the first ``sizes[l]`` base points (no bootstrap); the last
        size is the whole design.
    estimable_by_size : ndarray of bool, shape (L, O)
    bootstrap_seed : int
        The seed of SALib's bootstrap draws.
    """

    first: np.ndarray
    total: np.ndarray
    first_sd: np.ndarray
    total_sd: np.ndarray
    second: np.ndarray | None
    second_sd: np.ndarray | None
    mean: np.ndarray
    variance: np.ndarray
    varies: np.ndarray
    estimable: np.ndarray
    sizes: tuple[int, ...]
    first_by_size: np.ndarray
    total_by_size: np.ndarray
    estimable_by_size: np.ndarray
    bootstrap_seed: int


def _prefix_estimates(centred, groups, second_order, sizes):
    """First and total indices on the first ``sizes[l]`` base points, all sizes in one pass.

    ``centred`` is the output minus its overall mean. These are the estimates SALib gives
    for the prefix design: the indices do not change when the output is scaled, and the
    first-order numerator on the output centred by the prefix mean ``c`` is
    ``mean(B (AB - A)) - c * mean(AB - A)``. Sums over base points are accumulated per
    segment between consecutive sizes. Returns first and total indices (L, O, G) (NaN where
    not estimable), and ``varies``, ``estimable`` (L, O).
    """
    a, b, ab, _ = _split(centred, groups, second_order)
    blocks = centred.reshape(a.shape[0], -1, centred.shape[1])
    starts = np.array((0,) + tuple(sizes[:-1]))
    counts = np.array(sizes, dtype=float)[:, None]

    def prefix_sum(quantity):
        return np.cumsum(np.add.reduceat(quantity, starts, axis=0), axis=0)

    lowest = np.minimum.accumulate(np.minimum.reduceat(blocks.min(axis=1), starts, axis=0))
    highest = np.maximum.accumulate(np.maximum.reduceat(blocks.max(axis=1), starts, axis=0))
    varies = highest > lowest
    rows = counts * blocks.shape[1]
    mean_all = prefix_sum(blocks.sum(axis=1)) / rows
    variance_all = prefix_sum((blocks * blocks).sum(axis=1)) / rows - mean_all**2
    mean_ab = prefix_sum(a + b) / (2 * counts)
    variance_ab = prefix_sum(a * a + b * b) / (2 * counts) - mean_ab**2
    difference = ab - a[:, None]
    first_numerator = (prefix_sum(b[:, None] * difference)
                       - mean_all[:, None] * prefix_sum(difference)) / counts[:, None]
    total_numerator = 0.5 * prefix_sum(difference * difference) / counts[:, None]
    # SALib's test: the variance of A and B of the standardised output above machine epsilon
    estimable = varies & (variance_ab > _EPS * np.where(varies, variance_all, 0.0))
    denominator = np.where(estimable, variance_ab, 1.0)[:, None]
    first = np.where(estimable[:, None], first_numerator / denominator, np.nan)
    total = np.where(estimable[:, None], total_numerator / denominator, np.nan)
    return first.swapaxes(1, 2), total.swapaxes(1, 2), varies, estimable


def estimate_scramble(
    values: np.ndarray,
    *,
    groups: int,
    second_order: bool = False,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int,
) -> ScrambleEstimates:
    """SALib's Sobol' estimators and bootstrap, for every output column at once.

    Parameters
    ----------
    values : ndarray, shape (N * (G + 2), O) or (N * (2G + 2), O)
        Model outputs on a design of :func:`SALib.sample.sobol.sample`, one column per
        output; N a power of two >= :data:`MIN_N`.
    groups : int
        Number of factors (groups) G.
    second_order : bool
        Whether the design has the BA blocks (``calc_second_order=True``).
    resamples : int
        Bootstrap resamples (SALib's ``num_resamples``).
    seed : int
        Bootstrap seed >= 1 (SALib ignores ``seed=0``); the same seed gives SALib's draws.

    Returns
    -------
    ScrambleEstimates
        ``first``/``total`` equal SALib's ``S1``/``ST`` and ``z * first_sd``/``z * total_sd``
        its ``S1_conf``/``ST_conf``, for ``z`` the normal quantile of the confidence level.
    """
    if _integer(seed, "seed") < 1:
        raise ValueError(f"seed must be >= 1 (SALib treats 0 as no seed), got {seed}")
    values = np.asarray(values, dtype=float)
    values = values[:, None] if values.ndim == 1 else values
    n = values.shape[0] // (2 * groups + 2 if second_order else groups + 2)
    if n < MIN_N or n & (n - 1):
        raise ValueError(f"values must hold N * (G + 2) rows with N a power of two >= {MIN_N}")
    sizes = convergence_sizes(n)
    mean = values.mean(axis=0)
    centred = values - mean
    first_by_size, total_by_size, varies, estimable_by_size = _prefix_estimates(
        centred, groups, second_order, sizes)
    variance = (centred * centred).mean(axis=0)
    estimable = estimable_by_size[-1]
    first, total = first_by_size[-1].copy(), total_by_size[-1].copy()
    first_sd, total_sd = np.full(first.shape, np.nan), np.full(total.shape, np.nan)
    pairs = np.array(list(combinations(range(groups), 2)), dtype=np.intp).reshape(-1, 2).T
    second = second_sd = None
    if second_order:
        second, second_sd = (np.full((values.shape[1], pairs.shape[1]), np.nan) for _ in range(2))
    kept = np.flatnonzero(estimable)
    a, b, ab, ba = _split(centred, groups, second_order)
    counts = bootstrap_counts(n, resamples, seed) if kept.size else None
    width = 4 + 2 * groups + pairs.shape[1]
    block = max(1, _BOOTSTRAP_ELEMENTS // (n * width))
    for start in range(0, kept.size, block):
        part = kept[start:start + block]
        # SALib compares variances of the standardised output with eps
        threshold = _EPS * variance[part]
        pa, pb, pab = a[:, part], b[:, part], ab[:, :, part]
        pba = None if ba is None else ba[:, :, part]
        sds = _bootstrap_sd(counts, pa, pb, pab, pba, pairs, threshold)
        first_sd[part], total_sd[part] = sds[0].T, sds[1].T
        if second_order:
            second_sd[part] = sds[2].T
            j, k = pairs
            variance_ab = np.concatenate([pa, pb]).var(axis=0)
            joint = _ratio((pba[:, j] * pab[:, k] - (pa * pb)[:, None]).mean(axis=0), variance_ab,
                           threshold)
            second[part] = (joint - first[part].T[j] - first[part].T[k]).T
    return ScrambleEstimates(
        first=first, total=total, first_sd=first_sd, total_sd=total_sd,
        second=second, second_sd=second_sd, mean=mean, variance=variance,
        varies=varies[-1], estimable=estimable, sizes=sizes,
        first_by_size=first_by_size, total_by_size=total_by_size,
        estimable_by_size=estimable_by_size, bootstrap_seed=seed,
    )


def salib_problem(groups: Sequence[tuple[str, int]]) -> dict:
    """The SALib problem: every variable on [0, 1), grouped by factor."""
    names, group_of = [], []
    for name, size in groups:
        names += [name] if size == 1 else [f"{name}[{i}]" for i in range(size)]
        group_of += [name] * size
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names),
            "groups": group_of}


def scramble_seeds(root: np.random.SeedSequence, scramble: int) -> tuple[int, int]:
    """The SALib sampling seed and the bootstrap seed of one scramble (both >= 1)."""
    generator = stream(root, scramble)
    sample_seed, bootstrap_seed = generator.integers(1, 2**63, size=2)
    return int(sample_seed), int(bootstrap_seed)


def evaluate(function: Callable, design: np.ndarray) -> np.ndarray:
    """``function`` on the design rows, in blocks of rows; always a 2-D (rows, O) array."""
    parts = []
    for start in range(0, design.shape[0], _EVALUATION_ROWS):
        part = np.asarray(function(design[start:start + _EVALUATION_ROWS]), dtype=float)
        parts.append(part[:, None] if part.ndim == 1 else part)
    return np.concatenate(parts)


def _run_scramble(scramble: int, *, function, groups, root, n, second_order, resamples):
    """Sample one scrambled design with SALib, evaluate the function on it and estimate."""
    from SALib.sample.sobol import sample

    sample_seed, bootstrap_seed = scramble_seeds(root, scramble)
    design = sample(salib_problem(groups), n, calc_second_order=second_order, seed=sample_seed)
    return estimate_scramble(
        evaluate(function, design), groups=len(groups), second_order=second_order,
        resamples=resamples, seed=bootstrap_seed,
    )


def root_sequence(rng) -> np.random.SeedSequence:
    """The analysis's root seed sequence from ``rng`` (None | int | SeedSequence | Generator).

    An integer is a run seed: it gives the same sequence as ``robust run --seed`` does for
    the ``[sobol]`` section. A Generator is consumed (one draw of entropy).
    """
    if rng is None:
        return np.random.SeedSequence()
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence(int(rng.integers(2**63)))
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and rng >= 0:
        return seed_sequence(int(rng), SEED_NAME)
    raise TypeError(
        f"rng must be None, a non-negative integer, a SeedSequence or a Generator, got {rng!r}"
    )


def convergence_sizes(n: int) -> tuple[int, ...]:
    """Powers of two from :data:`MIN_N` up to ``n``."""
    return tuple(2**j for j in range(int(math.log2(MIN_N)), int(math.log2(n)) + 1))


@dataclass(frozen=True)
class Pooled:
    """An estimate pooled over scrambles, with its intervals; arrays of one shape.

    Attributes
    ----------
    estimate : ndarray
        Mean over the scrambles in which it is defined (NaN where none).
    low, high : ndarray
        Student-t interval of that mean from the spread between scrambles (NaN with < 2).
    minimum, maximum : ndarray
        Smallest and largest scramble estimate.
    boot_low, boot_high : ndarray or None
        ``estimate -+ z * se`` with ``se`` the bootstrap standard error of the mean.
    used : ndarray of int
        Number of scrambles pooled.
    """

    estimate: np.ndarray
    low: np.ndarray
    high: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray
    boot_low: np.ndarray | None
    boot_high: np.ndarray | None
    used: np.ndarray


def pool(values: np.ndarray, used: np.ndarray, confidence: float, sd: np.ndarray | None = None) -> Pooled:
    """Pool per-scramble estimates (axis 0) over the scrambles where ``used`` is True."""
    from scipy.stats import norm, t

    used = np.broadcast_to(used, values.shape)
    count = used.sum(axis=0)
    nan = np.full(count.shape, np.nan)
    taken = np.where(used, values, 0.0)
    estimate = np.divide(taken.sum(axis=0), count, out=nan.copy(), where=count > 0)
    squares = np.where(used, (values - estimate) ** 2, 0.0).sum(axis=0)
    several = count >= 2
    scale = np.sqrt(np.divide(squares, count * (count - 1), out=nan.copy(), where=several))
    quantile = t.ppf(0.5 + confidence / 2, np.where(several, count - 1, 1))
    half = np.where(several, quantile * scale, np.nan)
    minimum = np.where(count > 0, np.where(used, values, np.inf).min(axis=0), np.nan)
    maximum = np.where(count > 0, np.where(used, values, -np.inf).max(axis=0), np.nan)
    boot_low = boot_high = None
    if sd is not None:
        variance = np.where(used, sd, 0.0) ** 2
        standard_error = np.divide(np.sqrt(variance.sum(axis=0)), count, out=nan.copy(), where=count > 0)
        boot_half = norm.ppf(0.5 + confidence / 2) * standard_error
        boot_low, boot_high = estimate - boot_half, estimate + boot_half
    return Pooled(estimate=estimate, low=estimate - half, high=estimate + half,
                  minimum=minimum, maximum=maximum, boot_low=boot_low, boot_high=boot_high,
                  used=count)


@dataclass(frozen=True)
class SobolIndices:
    """Sobol' indices of O outputs for G factors, from S independent scrambles.

    Attributes
    ----------
    groups : tuple of str
        The factor names.
    n, resamples, confidence, second_order
        The design and interval settings.
    scrambles : tuple of ScrambleEstimates
        The per-scramble estimates, in scramble order.
    sizes : tuple of int
        The convergence prefix sizes.
    seed_entropy, spawn_key
        The root seed sequence: rerunning with them gives identical results.
    sample_seeds : tuple of int
        SALib's sampling seed of each scramble (see :func:`scramble_seeds`).
    """

    groups: tuple[str, ...]
    n: int
    resamples: int
    confidence: float
    second_order: bool
    scrambles: tuple[ScrambleEstimates, ...]
    sizes: tuple[int, ...]
    seed_entropy: Any
    spawn_key: tuple[int, ...]
    sample_seeds: tuple[int, ...]

    def _stack(self, name: str) -> np.ndarray:
        return np.stack([getattr(scramble, name) for scramble in self.scrambles])

    @property
    def applicable(self) -> np.ndarray:
        """(O,) True where the output varies in at least one scramble."""
        return self._stack("varies").any(axis=0)

    @property
    def estimable(self) -> np.ndarray:
        """(S, O) the scrambles in which each output's indices are defined."""
        return self._stack("estimable")

    def first_order(self) -> Pooled:
        """Pooled first-order indices, shape (O, G)."""
        return pool(self._stack("first"), self.estimable[:, :, None], self.confidence,
                    self._stack("first_sd"))

    def total_order(self) -> Pooled:
        """Pooled total indices, shape (O, G)."""
        return pool(self._stack("total"), self.estimable[:, :, None], self.confidence,
                    self._stack("total_sd"))

    def second_order_indices(self) -> Pooled:
        """Pooled second-order indices, shape (O, P), pairs in ``combinations`` order."""
        if not self.second_order:
            raise ValueError("second-order indices were not computed (second_order=False)")
        return pool(self._stack("second"), self.estimable[:, :, None], self.confidence,
                    self._stack("second_sd"))

    def output_mean(self) -> Pooled:
        """Pooled mean of each raw output (for a 0/1 output, the share of ones), shape (O,)."""
        return pool(self._stack("mean"), np.ones(1, dtype=bool), self.confidence)

    def output_variance(self) -> np.ndarray:
        """Mean over scrambles of each raw output's variance, shape (O,)."""
        return self._stack("variance").mean(axis=0)

    def convergence(self) -> tuple[Pooled, Pooled]:
        """Pooled first and total indices on each prefix size: shapes (L, O, G)."""
        used = self._stack("estimable_by_size")[..., None]
        return (pool(self._stack("first_by_size"), used, self.confidence),
                pool(self._stack("total_by_size"), used, self.confidence))


def sobol_indices(
    function: Callable[[np.ndarray], np.ndarray],
    *,
    groups: Sequence[tuple[str, int]],
    n: int = DEFAULT_N,
    scrambles: int = DEFAULT_SCRAMBLES,
    second_order: bool = False,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    output_names: Sequence[str] | None = None,
    rng=None,
    execution: Execution | None = None,
) -> SobolIndices:
    """Sobol' indices of a vectorised function of independent U[0, 1) variables.

    Parameters
    ----------
    function : callable
        Maps a design of shape (rows, D) to outputs of shape (rows,) or (rows, O). Must be
        picklable (a module-level function or a frozen dataclass instance) for process
        backends.
    groups : sequence of (name, size)
        The factors in column order: ``size`` consecutive variables form one factor
        (SALib's groups). At least 2 factors.
    n, scrambles, second_order, resamples, confidence
        See :class:`SobolSpec`.
    output_names : sequence of str, optional
        Names of the O outputs, for warnings.
    rng : None, int, SeedSequence or Generator
        See :func:`root_sequence`. Scramble ``s`` draws its seeds from
        ``robust.parallel.stream(root, s)``.
    execution : Execution, optional
        Scrambles run as parallel chunks; results do not depend on it.

    Returns
    -------
    SobolIndices

    Examples
    --------
    >>> import numpy as np
    >>> linear = lambda x: x @ np.array([1.0, 2.0])          # indices 1/5 and 4/5
    >>> result = sobol_indices(linear, groups=[("a", 1), ("b", 1)], n=1024, rng=1)
    >>> np.round(result.first_order().estimate, 2)
    array([[0.2, 0.8]])
    """
    _check_design(n, scrambles, resamples, confidence)
    groups = tuple((str(name), _integer(size, "group size")) for name, size in groups)
    names = [name for name, _ in groups]
    if len(groups) < 2 or len(set(names)) != len(names) or min(size for _, size in groups) < 1:
        raise InputError(f"groups must name at least 2 distinct factors of size >= 1, got {list(groups)}")
    root = root_sequence(rng)
    chunk = functools.partial(
        _run_scramble, function=function, groups=groups, root=root, n=n,
        second_order=second_order, resamples=resamples,
    )
    estimates = tuple(map_chunks(chunk, list(range(scrambles)), execution or Execution(),
                                 description="sobol"))
    indices = SobolIndices(
        groups=tuple(names), n=n, resamples=resamples, confidence=float(confidence),
        second_order=second_order, scrambles=estimates, sizes=convergence_sizes(n),
        seed_entropy=root.entropy, spawn_key=tuple(root.spawn_key),
        sample_seeds=tuple(scramble_seeds(root, s)[0] for s in range(scrambles)),
    )
    _warn_rare(indices, output_names)
    return indices


def _warn_rare(indices: SobolIndices, output_names: Sequence[str] | None) -> None:
    """One warning naming the applicable outputs that are not estimable in every scramble."""
    used = indices.estimable.sum(axis=0)
    rare = np.flatnonzero(indices.applicable & (used < len(indices.scrambles)))
    if not rare.size:
        return
    label = (lambda o: output_names[o]) if output_names is not None else (lambda o: f"output {o}")
    listed = ", ".join(f"{label(o)} ({used[o]} of {len(indices.scrambles)})" for o in rare[:5])
    more = f" and {rare.size - 5} more" if rare.size > 5 else ""
    warnings.warn(
        f"sobol: {rare.size} output(s) varied in only some scrambles (a rare event): {listed}{more}; "
        f"their indices use only those scrambles (column scrambles_used; with 0 they are empty); "
        f"raise n",
        DegenerateWarning, stacklevel=3,
    )


# ---------------------------------------------------------------------------------------
# The scoring model as a function of the unit design


def _level(unit: np.ndarray, count: int) -> np.ndarray:
    """Equally likely levels 0..count-1 from a U[0, 1) coordinate."""
    return np.minimum((unit * count).astype(np.intp), count - 1)


def _choice(columns: dict, name: str, count: int, rows: int) -> np.ndarray:
    """Level index of a discrete factor per row; 0 (the base model's choice) when not varied."""
    if name not in columns:
        return np.zeros(rows, dtype=np.intp)
    return _level(columns[name][:, 0], count)


def _spread(unit: np.ndarray, spread: float) -> np.ndarray:
    """U(1 - spread, 1 + spread) from U[0, 1)."""
    return 1.0 - spread + 2.0 * spread * unit


def group_sizes(factors: SobolFactors, shape: tuple[int, int], positions: int) -> tuple[tuple[str, int], ...]:
    """``(factor, number of variables)`` for an (m, k) table with ``positions`` IPC columns."""
    m, k = shape
    sizes = {"weights": k, "amplitudes": positions, "noise": m * k}
    return tuple((name, sizes.get(name, 1)) for name in factors.names)


def _weights_for(values: np.ndarray, level, left_out: int) -> np.ndarray:
    """Base weights (..., k) of a method or fixed weights, with indicator ``left_out`` dropped."""
    k = values.shape[-1]
    keep = [j for j in range(k) if j != left_out]
    weights = np.zeros(values.shape[:-2] + (k,))
    if isinstance(level, str):
        weights[..., keep] = compute_weights(values[..., keep], level)
    else:
        fixed = np.asarray(level, dtype=float)[keep]
        weights[..., keep] = fixed / fixed.sum()
    return weights


@dataclass(frozen=True, eq=False)
class ScoringFunction:
    """The scoring model as a function of a unit design: the model Sobol' analyses.

    Calling it on a design of shape (rows, D) (columns grouped as :attr:`groups`) scores
    every row with :func:`robust.scoring.score_batch` and returns the outputs, shape
    (rows, len(outputs) * m), output-major: column ``o * m + i`` is output ``o`` of
    technology ``i``.
    """

    factors: SobolFactors
    outputs: tuple[str, ...]
    values: np.ndarray
    ipc_changes: np.ndarray | None
    raw_dynamism: np.ndarray | None
    amplitudes: np.ndarray | None
    methods: tuple
    left_out: tuple[int, ...]
    base_weights: np.ndarray
    normalize: tuple[str, ...]
    capability_threshold: float
    dynamism_threshold: float
    base_quadrant: np.ndarray
    groups: tuple[tuple[str, int], ...] = field(init=False)

    def __post_init__(self):
        positions = 0 if self.amplitudes is None else len(self.amplitudes)
        object.__setattr__(self, "groups", group_sizes(self.factors, self.values.shape, positions))

    @classmethod
    def build(cls, table: IndicatorTable, model: ScoringModel, factors: SobolFactors,
              outputs: tuple[str, ...], base_quadrant: Sequence[str]) -> "ScoringFunction":
        methods = factors.weighting or (model.weighting,)
        left_out = tuple(
            -1 if name == LEAVE_NONE else table.indicators.index(name)
            for name in (factors.leave_out or (LEAVE_NONE,))
        )
        base_weights = np.stack([
            np.stack([_weights_for(table.values, method, j) for j in left_out]) for method in methods
        ])
        amplitudes = model.amplitudes_for(table)
        return cls(
            factors=factors, outputs=outputs, values=table.values,
            ipc_changes=table.dynamism_inputs if table.ipc_counts else None,
            raw_dynamism=None if table.ipc_counts else table.raw_dynamism(),
            amplitudes=None if amplitudes is None else np.asarray(amplitudes, dtype=float),
            methods=methods, left_out=left_out, base_weights=base_weights,
            normalize=factors.normalize or (model.normalize,),
            capability_threshold=model.capability_threshold,
            dynamism_threshold=model.dynamism_threshold,
            base_quadrant=np.array([QUADRANTS.index(q) for q in base_quadrant], dtype=np.int8),
        )

    def __call__(self, unit: np.ndarray) -> np.ndarray:
        rows = unit.shape[0]
        m, k = self.values.shape
        columns, start = {}, 0
        for name, size in self.groups:
            columns[name] = unit[:, start:start + size]
            start += size
        factors = self.factors
        values = self.values
        if "noise" in columns:
            from scipy.special import ndtri

            normal = ndtri(np.clip(columns["noise"], _UNIT_CLIP, 1 - _UNIT_CLIP))
            values = values * np.exp(factors.noise * normal.reshape(rows, m, k))
        method = _choice(columns, "weighting", len(self.methods), rows)
        left = _choice(columns, "leave_out", len(self.left_out), rows)
        if values.ndim == 3 and any(isinstance(level, str) for level in self.methods):
            weights = np.empty((rows, k))
            for i, level in enumerate(self.methods):
                for j, dropped in enumerate(self.left_out):
                    chosen = (method == i) & (left == j)
                    if chosen.any():
                        weights[chosen] = _weights_for(values[chosen], level, dropped)
        else:
            weights = self.base_weights[method, left]
        if "weights" in columns:
            weights = weights * _spread(columns["weights"], factors.weights)
            weights /= weights.sum(axis=1, keepdims=True)
        per_row = {"weights": weights}  # arguments of score_batch with a batch axis
        shared = {"ipc_changes": self.ipc_changes, "raw_dynamism": self.raw_dynamism}
        (per_row if values.ndim == 3 else shared)["values"] = values
        if "amplitudes" in columns:
            per_row["amplitudes"] = self.amplitudes * _spread(columns["amplitudes"], factors.amplitudes)
        else:
            shared["amplitudes"] = self.amplitudes
        for name in ("capability_threshold", "dynamism_threshold"):
            if name in columns:
                low, high = getattr(factors, name)
                per_row[name] = low + (high - low) * columns[name][:, 0]
            else:
                per_row[name] = np.full(rows, getattr(self, name))
        option = _choice(columns, "normalize", len(self.normalize), rows)
        capability = np.empty((rows, m))
        dynamism = np.empty((rows, m))
        quadrant = np.empty((rows, m), dtype=np.int8)
        for i, normalize in enumerate(self.normalize):
            chosen = option == i
            if not chosen.any():
                continue
            part = {name: array[chosen] for name, array in per_row.items()} | shared
            scores = score_batch(
                part.pop("values"), part.pop("weights"), part.pop("raw_dynamism"),
                normalize=normalize, **part,
            )
            capability[chosen], dynamism[chosen], quadrant[chosen] = (
                scores.capability, scores.dynamism, scores.quadrant)
        margins = {"capability_margin": capability - per_row["capability_threshold"][:, None],
                   "dynamism_margin": dynamism - per_row["dynamism_threshold"][:, None]}
        return np.concatenate([
            (quadrant == self.base_quadrant).astype(float) if output == "retained" else margins[output]
            for output in self.outputs
        ], axis=1)


# ---------------------------------------------------------------------------------------
# The analysis of a table: validation, API, result


def check(spec: SobolSpec, table: IndicatorTable, model: ScoringModel) -> None:
    """Reject factors that do not apply to the table or the base model (one-line InputError)."""
    factors = spec.factors
    k = len(table.indicators)
    if factors.amplitudes is not None and not table.ipc_counts:
        raise InputError(
            f"[sobol.factors] amplitudes applies to IPC change counts, but {table.source} gives a "
            f"precomputed dynamism score ({table.dynamism_columns[0]!r}); leave it out of the factors"
        )
    for key in ("weights", "weighting", "leave_out"):
        if getattr(factors, key) is not None and k < 2:
            raise InputError(
                f"[sobol.factors] {key} needs at least 2 capability indicators; {table.source} has "
                f"1 ({table.indicators[0]!r})"
            )
    for name in factors.leave_out or ():
        if name != LEAVE_NONE and name not in table.indicators:
            raise InputError(
                f"[sobol.factors] leave_out: {name!r} is not an indicator; allowed: {LEAVE_NONE}, "
                + ", ".join(table.indicators) + _suggestion(name, table.indicators)
            )
        if name != LEAVE_NONE and factors.weighting is None and not isinstance(model.weighting, str):
            rest = [w for w, indicator in zip(model.weighting, table.indicators) if indicator != name]
            if sum(rest) <= 0:
                raise InputError(
                    f"[sobol.factors] leave_out: leaving out {name!r} leaves only zero fixed weights"
                )
    from scipy.stats import qmc

    groups = group_sizes(factors, table.values.shape, len(table.dynamism_columns))
    dimensions = sum(size for _, size in groups)
    if 2 * dimensions > qmc.Sobol.MAXDIM:
        raise InputError(
            f"[sobol.factors] the factors need {dimensions} variables (noise alone "
            f"{table.n_technologies} x {k}), more than the {qmc.Sobol.MAXDIM // 2} that "
            f"scipy's Sobol' engine supports in a Saltelli design"
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
        """Heatmap of the total indices; see :func:`robust.plots.plot_sobol_heatmap`."""
        from .plots import plot_sobol_heatmap

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
    spec = SobolSpec(n=n, scrambles=scrambles, second_order=second_order, outputs=tuple(outputs),
                     confidence=confidence, resamples=resamples, factors=factors)
    check(spec, table, model)
    return _analyse(spec, table, model, score(table, model).quadrant, root_sequence(rng),
                    execution or Execution())


def _analyse(spec, table, model, base_quadrant, root, execution) -> SobolResult:
    from .output import package_versions

    function = ScoringFunction.build(table, model, spec.factors, spec.outputs, base_quadrant)
    names = [f"{output} of {technology!r}" for output in spec.outputs for technology in table.technologies]
    indices = sobol_indices(
        function, groups=function.groups, n=spec.n, scrambles=spec.scrambles,
        second_order=spec.second_order, resamples=spec.resamples, confidence=spec.confidence,
        output_names=names, rng=root, execution=execution,
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


# ---------------------------------------------------------------------------------------
# The analysis protocol (see robust.analyses)


def parse_section(section) -> SobolSpec:
    """Read ``[sobol]`` and ``[sobol.factors]`` (default :data:`DEFAULT_FACTORS`)."""
    settings = {
        "n": section.integer("n", DEFAULT_N),
        "scrambles": section.integer("scrambles", DEFAULT_SCRAMBLES),
        "second_order": section.flag("second_order", False),
        "outputs": section.names("outputs", OUTPUTS, choices=OUTPUTS),
        "confidence": section.number("confidence", DEFAULT_CONFIDENCE),
        "resamples": section.integer("resamples", DEFAULT_RESAMPLES),
    }
    subsection = section.subsection("factors")
    factors = DEFAULT_FACTORS if subsection is None else _parse_factors(subsection)
    try:
        return SobolSpec(**settings, factors=factors)
    except InputError as error:
        raise InputError(f"{section.label}: [{section.name}] {error}") from None


def _parse_factors(section) -> SobolFactors:
    readers = {
        "weights": section.number, "weighting": functools.partial(section.names, choices=WEIGHTING_METHODS),
        "capability_threshold": section.numbers, "dynamism_threshold": section.numbers,
        "amplitudes": section.number, "noise": section.number,
        "normalize": functools.partial(section.names, choices=NORMALIZE_OPTIONS),
        "leave_out": section.names,
    }
    given = {key: value for key, read in readers.items() if (value := read(key, None)) is not None}
    section.finish()
    try:
        return SobolFactors(**given)
    except InputError as error:
        raise InputError(f"{section.label}: [{section.name}] {error}") from None


def run_section(spec: SobolSpec, context) -> SobolResult:
    return _analyse(spec, context.table, context.model, context.base.quadrant,
                    seed_sequence(context.seed, SEED_NAME), context.execution)


def write_section(result: SobolResult, folder) -> None:
    """``sobol.csv``, ``sobol_convergence.csv`` and ``sobol_second_order.csv`` (if computed).

    The figures are drawn from these tables by :mod:`robust.figures`.
    """
    from pathlib import Path

    from .output import write_csv

    folder = Path(folder)
    write_csv(result.to_frame(), folder / "sobol.csv")
    write_csv(result.convergence_frame(), folder / "sobol_convergence.csv")
    if result.indices.second_order:
        write_csv(result.second_order_frame(), folder / "sobol_second_order.csv")
