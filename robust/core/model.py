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
            amplitudes = tuple(rules.number(a, "amplitudes") for a in self.amplitudes)
            if not amplitudes or min(amplitudes) < 0 or max(amplitudes) <= 0:
                raise InputError(
                    f"amplitudes must be non-negative with at least one positive, got {list(amplitudes)}"
                )
            object.__setattr__(self, "amplitudes", amplitudes)
        for name in ("capability_threshold", "dynamism_threshold"):
            object.__setattr__(self, name, rules.number(getattr(self, name), name))

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


