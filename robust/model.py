"""One scoring model applied to one table: the paper's method and its generalisations.

:func:`score` is the entry point of the Python API; it validates the model against the
table, estimates the weights once and calls the vectorised core
(:func:`robust.scoring.score_batch`) with a single model.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from .errors import DegenerateWarning, InputError
from .scoring import NORMALIZE_OPTIONS, QUADRANTS, score_batch
from .table import IndicatorTable
from .weighting import WEIGHTING_METHODS, compute_weights, weighting_notes

FIXED_WEIGHT_TOLERANCE = 1e-6


def default_amplitudes(n_positions: int) -> tuple[float, ...]:
    """Amplitudes p, p-1, ..., 1 for IPC positions 1..p (the paper's 4, 3, 2, 1 for p = 4)."""
    return tuple(float(n_positions - i) for i in range(n_positions))


def _finite_number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise InputError(f"{name} must be finite, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class ScoringModel:
    """How a table is scored.

    Parameters
    ----------
    weighting : str or sequence of float
        A method of :data:`robust.weighting.WEIGHTING_METHODS` (default ``"entropy"``, the
        paper) or fixed weights, one per indicator, non-negative and summing to 1.
    normalize : {"none", "minmax"}
        Capability as the weighted sum of raw values (the paper) or of min-max
        normalised values.
    amplitudes : sequence of float, optional
        Score of an IPC change at each character position; default p, ..., 1 (the paper's
        4, 3, 2, 1). Must be omitted when the table has a precomputed dynamism score.
    capability_threshold, dynamism_threshold : float
        ``score >= threshold`` is strong (default 0.5, the paper).
    """

    weighting: str | tuple[float, ...] = "entropy"
    normalize: str = "none"
    amplitudes: tuple[float, ...] | None = None
    capability_threshold: float = 0.5
    dynamism_threshold: float = 0.5

    def __post_init__(self):
        weighting = self.weighting
        if isinstance(weighting, str):
            if weighting not in WEIGHTING_METHODS:
                raise InputError(
                    f"weighting: unknown method {weighting!r}; allowed: "
                    f"{', '.join(WEIGHTING_METHODS)}, or a list of fixed weights"
                )
        else:
            weights = tuple(_finite_number(w, "weighting") for w in weighting)
            if not weights:
                raise InputError("weighting: the list of fixed weights is empty")
            if min(weights) < 0:
                raise InputError(f"weighting: fixed weights must be non-negative, got {list(weights)}")
            if abs(sum(weights) - 1) > FIXED_WEIGHT_TOLERANCE:
                raise InputError(
                    f"weighting: fixed weights must sum to 1, they sum to {sum(weights):g}"
                )
            object.__setattr__(self, "weighting", weights)
        if self.normalize not in NORMALIZE_OPTIONS:
            raise InputError(
                f"normalize: unknown option {self.normalize!r}; allowed: {', '.join(NORMALIZE_OPTIONS)}"
            )
        if self.amplitudes is not None:
            amplitudes = tuple(_finite_number(a, "amplitudes") for a in self.amplitudes)
            if not amplitudes or min(amplitudes) < 0 or max(amplitudes) <= 0:
                raise InputError(
                    f"amplitudes must be non-negative with at least one positive, got {list(amplitudes)}"
                )
            object.__setattr__(self, "amplitudes", amplitudes)
        for name in ("capability_threshold", "dynamism_threshold"):
            object.__setattr__(self, name, _finite_number(getattr(self, name), name))

    @property
    def weighting_label(self) -> str:
        """The method name, or ``"fixed"`` for user weights."""
        return self.weighting if isinstance(self.weighting, str) else "fixed"

    def amplitudes_for(self, table: IndicatorTable) -> tuple[float, ...] | None:
        """The amplitudes to use on ``table`` (None for a precomputed dynamism score)."""
        if not table.ipc_counts:
            if self.amplitudes is not None:
                raise InputError(
                    f"amplitudes apply to IPC change counts, but {table.source} gives a "
                    f"precomputed dynamism score ({table.dynamism_columns[0]!r})"
                )
            return None
        if self.amplitudes is None:
            return default_amplitudes(len(table.dynamism_columns))
        if len(self.amplitudes) != len(table.dynamism_columns):
            raise InputError(
                f"amplitudes: got {len(self.amplitudes)} values for "
                f"{len(table.dynamism_columns)} IPC change columns"
            )
        return self.amplitudes


def estimate_weights(table: IndicatorTable, weighting: str | Sequence[float]) -> np.ndarray:
    """Weights of the table's indicators under a method or fixed weights (warns if degenerate)."""
    if not isinstance(weighting, str):
        weights = np.asarray(weighting, dtype=float)
        if weights.shape != (len(table.indicators),):
            raise InputError(
                f"weighting: got {weights.size} fixed weights for {len(table.indicators)} "
                f"indicators {list(table.indicators)}"
            )
        return weights / weights.sum()
    try:
        notes = weighting_notes(table.values, weighting, table.indicators)
    except InputError as error:  # the data are outside the method's domain
        raise InputError(f"{table.source}: {error}") from None
    for note in notes:
        warnings.warn(f"{table.source}: {note}", DegenerateWarning, stacklevel=3)
    return compute_weights(table.values, weighting)


def checked_raw_dynamism(table: IndicatorTable, model: ScoringModel) -> np.ndarray:
    """Raw dynamism of the table under the model; an error if it does not vary."""
    raw = table.raw_dynamism(model.amplitudes_for(table))
    if raw.min() == raw.max():
        columns = ", ".join(repr(c) for c in table.dynamism_columns)
        raise InputError(
            f"{table.source}: dynamism is the same ({raw[0]:g}) for every technology "
            f"(columns {columns}), so it cannot be min-max normalised"
        )
    return raw


@dataclass(frozen=True)
class ScoreResult:
    """The scores of one table under one model.

    Attributes
    ----------
    technologies, indicators : tuple of str
    model : ScoringModel
    weights : ndarray, shape (k,)
    capability, dynamism, raw_dynamism : ndarray, shape (m,)
    quadrant : tuple of str
        One of :data:`robust.scoring.QUADRANTS` per technology.
    """

    technologies: tuple[str, ...]
    indicators: tuple[str, ...]
    model: ScoringModel
    weights: np.ndarray
    capability: np.ndarray
    dynamism: np.ndarray
    raw_dynamism: np.ndarray
    quadrant: tuple[str, ...]
    source: str = field(default="")

    def to_frame(self) -> pd.DataFrame:
        """Columns ``technology, capability, dynamism, quadrant, raw_dynamism``, input order."""
        return pd.DataFrame(
            {
                "technology": list(self.technologies),
                "capability": self.capability,
                "dynamism": self.dynamism,
                "quadrant": list(self.quadrant),
                "raw_dynamism": self.raw_dynamism,
            }
        )

    def weights_frame(self) -> pd.DataFrame:
        """Columns ``method, indicator, weight``."""
        return pd.DataFrame(
            {
                "method": self.model.weighting_label,
                "indicator": list(self.indicators),
                "weight": self.weights,
            }
        )

    def plot(self, ax=None, **kwargs):
        """The quadrant map: each technology at its scores, with the threshold cross-hairs."""
        from .plots import plot_quadrant_map

        return plot_quadrant_map(self.to_frame(), capability_threshold=self.model.capability_threshold,
                                 dynamism_threshold=self.model.dynamism_threshold, ax=ax, **kwargs)


def score_with_weights(table: IndicatorTable, model: ScoringModel, weights, raw: np.ndarray):
    """The table scored under the model with given weights ``(k,)``, or ``(B, k)`` for B models.

    ``raw`` is the table's raw dynamism under the model (:func:`checked_raw_dynamism`).
    """
    return score_batch(
        table.values,
        weights,
        raw,
        normalize=model.normalize,
        capability_threshold=model.capability_threshold,
        dynamism_threshold=model.dynamism_threshold,
    )


def score(table: IndicatorTable, model: ScoringModel | None = None) -> ScoreResult:
    """Score every technology of a table: capability, dynamism and quadrant.

    Parameters
    ----------
    table : IndicatorTable
        From :func:`robust.read_table`, :func:`robust.table_from_frame` or
        :func:`robust.load_paper2023`.
    model : ScoringModel, optional
        Default: the paper's model (entropy weights, raw values, amplitudes 4-3-2-1,
        thresholds 0.5).

    Returns
    -------
    ScoreResult

    Examples
    --------
    >>> from robust import load_paper2023, score
    >>> result = score(load_paper2023())
    >>> result.quadrant[1], round(float(result.capability[1]), 6)
    ('assault', 0.501087)
    """
    model = ScoringModel() if model is None else model
    raw = checked_raw_dynamism(table, model)
    weights = estimate_weights(table, model.weighting)
    scores = score_with_weights(table, model, weights, raw)
    return ScoreResult(
        technologies=table.technologies,
        indicators=table.indicators,
        model=model,
        weights=weights,
        capability=scores.capability,
        dynamism=scores.dynamism,
        raw_dynamism=raw,
        quadrant=tuple(QUADRANTS[code] for code in scores.quadrant),
        source=table.source,
    )
