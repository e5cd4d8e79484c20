"""Sobol' indices of any vectorised function, replicated over independent scrambled designs.

The design is SALib's Saltelli design on scrambled Sobol' points
(:func:`SALib.sample.sobol.sample`, with groups: a factor made of several variables gets
one index), replicated over independent scrambles (randomised quasi-Monte Carlo; Owen 1997,
doi:10.1137/S0036142994277468). The reported index is the mean over the scrambles and its
interval ``(low, high)`` is the Student-t interval of that mean from the spread between
scrambles: the measure of the error of the design actually used. The bootstrap interval
(SALib's ``*_conf`` turned into explicit bounds: ``estimate +- z * bootstrap standard
error``, pooled over the scrambles) and the smallest and largest scramble estimate are
reported beside it. Intervals are not clipped to [0, 1].

An output that varies in some scrambles only (a rare event) is estimated from those
scrambles, with a :class:`~robust.core.errors.DegenerateWarning`.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ...compute.execution import Execution, map_chunks
from ...compute.seeds import analysis_seed, stream
from ...core import rules
from ...core.errors import DegenerateWarning, InputError
from .estimators import (
    DEFAULT_RESAMPLES,
    MIN_N,
    ScrambleEstimates,
    convergence_sizes,
    estimate_scramble,
)

DEFAULT_N = 16384
DEFAULT_SCRAMBLES = 5
DEFAULT_CONFIDENCE = 0.95
SEED_NAME = "sobol"
_EVALUATION_ROWS = 16_384  # model evaluations per call of the function (bounds memory)


def check_design(n, scrambles, resamples, confidence) -> None:
    """Validate the design settings (see :class:`~robust.analyses.sobol.analysis.SobolSpec`)."""
    n = rules.integer(n, "n")
    if n < MIN_N or n & (n - 1):
        raise InputError(
            f"n must be a power of two >= {MIN_N} (Sobol' points are balanced only then), got {n}"
        )
    if rules.integer(scrambles, "scrambles") < 2:
        raise InputError(
            f"scrambles must be >= 2 (the interval comes from the spread between independent "
            f"scrambles), got {scrambles}"
        )
    if rules.integer(resamples, "resamples") < 2:
        raise InputError(f"resamples must be >= 2 (bootstrap resamples per scramble), got {resamples}")
    rules.number(confidence, "confidence", low=0, high=1, low_open=True, high_open=True)


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


def saltelli_design(groups: Sequence[tuple[str, int]], n: int, *, second_order: bool, seed: int) -> np.ndarray:
    """Saltelli's design on scrambled Sobol' points, the same array as :func:`SALib.sample.sobol.sample`
    (same seed, same groups; tested element for element), built without a Python loop per row.

    A base sequence of ``n`` points in ``2 D`` dimensions (:class:`scipy.stats.qmc.Sobol`, LMS
    and digital-shift scrambling) gives the matrices A (first D columns) and B (last D). Each
    point contributes, in order, its row of A, for every factor (group) g the row of A with g's
    columns taken from B, with ``second_order`` the same with A and B swapped, then its row of B.
    """
    from scipy.stats import qmc

    group_of = [name for name, size in groups for _ in range(size)]
    factors = list(dict.fromkeys(group_of))
    width = len(group_of)
    base = qmc.Sobol(d=2 * width, scramble=True, seed=seed).random(n)
    a, b = base[:, :width], base[:, width:]
    masks = [np.array([group == factor for group in group_of]) for factor in factors]
    blocks = [a, *[np.where(mask, b, a) for mask in masks]]
    if second_order:
        blocks += [np.where(mask, a, b) for mask in masks]
    blocks.append(b)
    return np.stack(blocks, axis=1).reshape(n * len(blocks), width)


def _run_scramble(scramble: int, *, function, groups, root, n, second_order, resamples):
    """Sample one scrambled design, evaluate the function on it and estimate."""
    sample_seed, bootstrap_seed = scramble_seeds(root, scramble)
    design = saltelli_design(groups, n, second_order=second_order, seed=sample_seed)
    return estimate_scramble(
        evaluate(function, design), groups=len(groups), second_order=second_order,
        resamples=resamples, seed=bootstrap_seed,
    )


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

    @property
    def events(self) -> np.ndarray:
        """(S, O) the minority-class count of each 0/1 output in each scramble (-1: not 0/1)."""
        return self._stack("events")

    def findings(self, min_events: int) -> np.ndarray:
        """(O,) whether each output's indices may be read as findings (the rare-event rule).

        The output varies, at least 2 scrambles estimate it (an interval needs two), and a
        0/1 output's minority class was seen at least ``min_events`` times in every scramble
        (fewer outcomes cannot be apportioned to the factors reliably).
        """
        events = self.events
        rare = ((events >= 0) & (events < min_events)).any(axis=0)
        return self.applicable & (self.estimable.sum(axis=0) >= 2) & ~rare

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
        See :class:`robust.analyses.sobol.analysis.SobolSpec`.
    output_names : sequence of str, optional
        Names of the O outputs, for warnings.
    rng : None, int, SeedSequence or Generator
        The run's seed (:mod:`robust.compute.seeds`); the analysis's root sequence is
        ``analysis_seed(rng, "sobol")`` and scramble ``s`` draws its seeds from
        ``stream(root, s)``.
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
    return indices_for_root(
        function, groups=groups, n=n, scrambles=scrambles, second_order=second_order,
        resamples=resamples, confidence=confidence, output_names=output_names,
        root=analysis_seed(rng, SEED_NAME), execution=execution,
    )


def indices_for_root(function, *, groups, n, scrambles, second_order, resamples, confidence,
                     output_names, root: np.random.SeedSequence, execution: Execution | None) -> SobolIndices:
    """:func:`sobol_indices` with the analysis's root seed sequence already derived."""
    check_design(n, scrambles, resamples, confidence)
    groups = tuple((str(name), rules.integer(size, "group size")) for name, size in groups)
    names = [name for name, _ in groups]
    if len(groups) < 2 or len(set(names)) != len(names) or min(size for _, size in groups) < 1:
        raise InputError(f"groups must name at least 2 distinct factors of size >= 1, got {list(groups)}")
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
