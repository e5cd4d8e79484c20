"""A scoring model: how a table is scored (the paper's method and its generalisations).

:class:`ScoringModel` holds the choices; :func:`estimate_weights` and
:func:`checked_raw_dynamism` turn a model and a table into the inputs of the vectorised
scorer (:mod:`robust.core.scoring`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from . import rules
from .errors import DegenerateWarning, InputError
from .options import NORMALIZE_OPTIONS, WEIGHTING_METHODS
from .weighting import compute_weights, weighting_notes

if TYPE_CHECKING:
    from .table import IndicatorTable


UNIT_RANGE = (0.0, 1.0)


def score_range(score: str, normalize: str = "none", values: np.ndarray | None = None):
    """The values a score can take: ``(low, high)``, or None when it depends on unknown data.

    Dynamism and min-max normalised capability lie in [0, 1]. Raw capability
    (``normalize="none"``) is a weighted mean of a technology's indicator values (the weights
    are non-negative and sum to 1), so it lies between the smallest and the largest value of
    the table (``values``).
    """
    if score == "dynamism" or normalize == "minmax":
        return UNIT_RANGE
    if values is None:
        return None
    return float(np.min(values)), float(np.max(values))


def checked_capability_threshold(table: IndicatorTable, model: ScoringModel,
                                 key: str = "capability_threshold") -> float:
    """The model's capability threshold, refused when outside the range capability can take on the table.

    With raw values (``normalize="none"``), a column with values outside [0, 1] gets a
    :class:`DegenerateWarning`: capability then is not a share, and the threshold is on the
    scale of the raw values.
    """
    if model.normalize == "none":
        for name, column in zip(table.indicators, table.values.T):
            if column.min() < 0 or column.max() > 1:
                warnings.warn(
                    f"{table.source}: indicator {name!r} has values outside [0, 1] (from {column.min():g} "
                    f"to {column.max():g}); with normalize = \"none\" capability is the weighted mean of "
                    "the raw values, so its threshold is on their scale", DegenerateWarning, stacklevel=3)
    low, high = score_range("capability", model.normalize, table.values)
    return rules.threshold(model.capability_threshold, key, score=f"capability on {table.source}",
                           score_range=(low, high))


def default_amplitudes(n_positions: int) -> tuple[float, ...]:
    """Amplitudes p, p-1, ..., 1 for IPC positions 1..p (the paper's 4, 3, 2, 1 for p = 4)."""
    return tuple(float(n_positions - i) for i in range(n_positions))


@dataclass(frozen=True)
class ScoringModel:
    """How a table is scored.

    Parameters
    ----------
    weighting : str or sequence of float
        A method of :data:`robust.core.options.WEIGHTING_METHODS` (default ``"entropy"``, the
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
        if isinstance(self.weighting, str):
            if self.weighting not in WEIGHTING_METHODS:
                raise InputError(
                    f"weighting: unknown method {self.weighting!r}; allowed: "
                    f"{', '.join(WEIGHTING_METHODS)}, or a list of fixed weights"
                )
        else:
            object.__setattr__(self, "weighting", rules.fixed_weights(self.weighting, "weighting"))
        if self.normalize not in NORMALIZE_OPTIONS:
            raise InputError(
                f"normalize: unknown option {self.normalize!r}; allowed: {', '.join(NORMALIZE_OPTIONS)}"
            )
        if self.amplitudes is not None:
            object.__setattr__(self, "amplitudes", rules.amplitudes(self.amplitudes, "amplitudes"))
        capability_range = score_range("capability", self.normalize)
        object.__setattr__(self, "capability_threshold", rules.number(self.capability_threshold, "capability_threshold")
                           if capability_range is None else rules.threshold(
                               self.capability_threshold, "capability_threshold", score="capability",
                               score_range=capability_range))
        object.__setattr__(self, "dynamism_threshold", rules.threshold(
            self.dynamism_threshold, "dynamism_threshold", score="dynamism",
            score_range=score_range("dynamism")))

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


