"""The uncertain modelling choices of a Sobol' analysis (the *factors*) and their distributions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ...core import rules
from ...core.errors import InputError
from ...core.model import score_range
from ...core.options import AGGREGATION_OPTIONS, NORMALIZE_OPTIONS, WEIGHTING_METHODS
from ..specifications import DATA_CHOICES, DataChoiceLevels

FACTOR_KEYS: tuple[str, ...] = (
    "weights", "weighting", "capability_threshold", "dynamism_threshold", "amplitudes",
    "noise", "normalize", "leave_out", "aggregation", *DATA_CHOICES,
)
DISCRETE_FACTORS: tuple[str, ...] = ("weighting", "normalize", "leave_out", "aggregation")
LEAVE_NONE = "none"


@dataclass(frozen=True)
class SobolFactors(DataChoiceLevels):
    """The uncertain modelling choices: each given key is one factor (a group counts as one).

    A key left as None is not varied: the base model's choice is used.

    Parameters
    ----------
    weights : float, optional
        Spread ``s`` in (0, 1): each base capability weight is multiplied by
        ``U(1 - s, 1 + s)`` and the weights are renormalised to sum to 1 (one group).
    weighting : sequence of str, optional
        Discrete, equally likely: which method of
        :data:`robust.core.options.WEIGHTING_METHODS` gives the base weights.
    capability_threshold, dynamism_threshold : (low, high), optional
        Uniform on ``[low, high]``.
    amplitudes : float, optional
        Spread ``s`` in (0, 1): the IPC amplitudes keep their order (the paper's 4 > 3 > 2 >
        1): the smallest and each gap to the next larger one is multiplied by its own
        ``U(1 - s, 1 + s)`` (one group; :func:`robust.analyses.sobol.model.ordered_amplitudes`);
        dynamism is min-max normalised again in every sample. Only for tables with IPC
        change counts.
    noise : float, optional
        Measurement error: every capability indicator value is multiplied by
        ``exp(noise * Z)``, ``Z`` standard normal (log-normal error with median 1; one group
        of m x k variables); data-driven weights are estimated again on the noisy table.
    normalize : sequence of str, optional
        Discrete, equally likely: capability on raw or normalised values
        (:data:`robust.core.options.NORMALIZE_OPTIONS`: none, minmax, zscore, rank).
    leave_out : sequence of str, optional
        Discrete, equally likely: ``"none"`` or the name of an indicator to drop; the
        weights are estimated again on the remaining indicators (fixed weights are
        renormalised).
    aggregation : sequence of str, optional
        Discrete, equally likely: how the indicators are combined
        (:data:`robust.core.options.AGGREGATION_OPTIONS`: linear, geometric, mazziotta_pareto).
    top_k, split_year, ipc_counting, min_citations, merge_families : list, optional
        Discrete, equally likely: how the table is built from patent records (a ``[records]``
        run; ``top_k`` and ``ipc_counting`` also from ranked IPC lists, ``[dynamism]
        ipc_lists``; see :mod:`robust.analyses.specifications`). Every combination's table is derived
        once; weights and normalisers are estimated on the table a sample draws.

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
    aggregation: tuple[str, ...] | None = None

    def __post_init__(self):
        super().__post_init__()
        for key in ("weights", "amplitudes"):
            if getattr(self, key) is not None:
                spread = rules.number(getattr(self, key), key)
                if not 0 < spread < 1:
                    raise InputError(
                        f"{key}: the spread must be in (0, 1) (each value is multiplied by "
                        f"U(1 - spread, 1 + spread)), got {spread:g}"
                    )
                object.__setattr__(self, key, spread)
        if self.noise is not None:
            noise = rules.number(self.noise, "noise")
            if noise <= 0:
                raise InputError(f"noise: the log-scale standard deviation must be > 0, got {noise:g}")
            object.__setattr__(self, "noise", noise)
        if self.capability_threshold is not None:  # its range is checked against the table's (check_sobol)
            object.__setattr__(self, "capability_threshold", rules.value_range(self.capability_threshold,
                                                                               "capability_threshold"))
        if self.dynamism_threshold is not None:
            object.__setattr__(self, "dynamism_threshold", rules.threshold_range(
                self.dynamism_threshold, "dynamism_threshold", score="dynamism", score_range=score_range("dynamism")))
        for key, allowed in (("weighting", WEIGHTING_METHODS), ("normalize", NORMALIZE_OPTIONS),
                             ("leave_out", None), ("aggregation", AGGREGATION_OPTIONS)):
            if getattr(self, key) is not None:
                levels = rules.names(getattr(self, key), key, choices=allowed, what="levels", minimum=2)
                object.__setattr__(self, key, levels)
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
                    + rules.suggestion(key, FACTOR_KEYS)
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
