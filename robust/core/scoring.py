"""The pure, vectorised scorer: capability, dynamism and quadrant for a batch of models.

A *model* is one choice of indicator weights, IPC amplitudes (through the raw dynamism
it produces), normalisation bounds and thresholds, possibly applied to its own copy of
the data. Every argument may carry a leading batch axis of length B; arguments without
one are shared by all models. One call scores all B models with no Python loop over B,
which is what the bootstrap and the Sobol analysis rely on.

Conventions (used everywhere in the package; see :mod:`robust.core.options`)
-------------------------------------------------------------------------
- ``score >= threshold`` is *strong*; quadrant codes index :data:`~robust.core.options.QUADRANTS`
  (0 assault, 1 entrench, 2 position, 3 disrupt).
- Min-max normalisation with a zero range (lower == upper) gives 0 for every value.
- Sums over indicators and IPC positions are accumulated in column order with
  element-wise operations (not BLAS), so a model's scores are bit-identical whether it
  is scored alone or inside any batch.

:func:`score` applies one :class:`~robust.core.model.ScoringModel` to one table: it
validates the model against the table, estimates the weights once and calls
:func:`score_batch` with a single model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .display import Displayed, quadrant_counts
from .model import (
    ScoringModel,
    checked_capability_threshold,
    checked_raw_dynamism,
    estimate_weights,
)
from .options import NORMALIZE_OPTIONS, QUADRANTS, Normalize

if TYPE_CHECKING:
    from .table import IndicatorTable


@dataclass(frozen=True, repr=False)
class BatchScores(Displayed):
    """Scores of B models (or one model, without the batch axis).

    Attributes
    ----------
    capability, dynamism : ndarray, shape (..., m)
        Capability base and paradigm dynamism of each technology under each model.
    quadrant : ndarray of int8, shape (..., m)
        Index into :data:`QUADRANTS`.
    """

    capability: np.ndarray
    dynamism: np.ndarray
    quadrant: np.ndarray

    def summary(self) -> str:
        """``100000 models x 20 technologies``."""
        *batch, m = np.shape(self.capability)
        models = f"{int(np.prod(batch))} models" if batch else "1 model"
        return f"{models} x {m} technologies"


def _batched(value, name: str, core_ndim: int) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if array.ndim not in (core_ndim, core_ndim + 1):
        raise ValueError(
            f"{name} must have {core_ndim} dimensions, or {core_ndim + 1} with a leading "
            f"batch axis; got shape {array.shape}"
        )
    return array


def _per_model(value, name: str) -> np.ndarray:
    """A scalar or (B,) parameter, shaped to broadcast against (..., m) scores."""
    array = np.asarray(value, dtype=float)
    if array.ndim > 1:
        raise ValueError(f"{name} must be a scalar or have shape (B,), got shape {array.shape}")
    return array[..., None] if array.ndim == 1 else array


def weighted_sum(columns: np.ndarray, coefficients: np.ndarray) -> np.ndarray:
    """``sum_j coefficients[..., j] * columns[..., :, j]`` accumulated in column order.

    ``columns`` has shape ``(m, k)`` or ``(B, m, k)``; ``coefficients`` ``(k,)`` or ``(B, k)``.
    Returns shape ``(m,)`` or ``(B, m)``.
    """
    k = columns.shape[-1]
    if coefficients.shape[-1] != k:
        raise ValueError(
            f"got {coefficients.shape[-1]} coefficients for {k} columns "
            f"(shapes {coefficients.shape} and {columns.shape})"
        )
    total = coefficients[..., 0, None] * columns[..., 0]
    for j in range(1, k):
        total += coefficients[..., j, None] * columns[..., j]
    return total


def raw_dynamism(ipc_changes, amplitudes) -> np.ndarray:
    """Raw paradigm-dynamism score: ``sum_p amplitude_p * changes_p`` (Appendix 1).

    Parameters
    ----------
    ipc_changes : array_like, shape (m, p) or (B, m, p)
        Cumulative counts of new top-20 IPC subclasses at character position p (:mod:`robust.core.ipc`).
    amplitudes : array_like, shape (p,) or (B, p)
        Score of a change at each position (the paper: 4, 3, 2, 1).

    Returns
    -------
    ndarray, shape (m,) or (B, m)
    """
    return weighted_sum(
        _batched(ipc_changes, "ipc_changes", 2), _batched(amplitudes, "amplitudes", 1)
    )


def minmax(values: np.ndarray, lower, upper) -> np.ndarray:
    """``(values - lower) / (upper - lower)``, and 0 where the range is zero."""
    span = upper - lower
    return np.divide(values - lower, span, out=np.zeros(np.broadcast_shapes(
        np.shape(values), np.shape(span))), where=span != 0)


def capability_scores(
    values, weights, *, normalize: Normalize = "none", lower=None, upper=None
) -> np.ndarray:
    """Capability base: weighted sum of the indicators, raw (the paper) or min-max normalised.

    Parameters
    ----------
    values : array_like, shape (m, k) or (B, m, k)
    weights : array_like, shape (k,) or (B, k)
    normalize : {"none", "minmax"}
    lower, upper : array_like, shape (k,) or (B, k), optional
        Min-max bounds per indicator; default the minimum and maximum of ``values``
        over the technologies. Ignored when ``normalize="none"``.

    Returns
    -------
    ndarray, shape (m,) or (B, m)
    """
    values = _batched(values, "values", 2)
    weights = _batched(weights, "weights", 1)
    if normalize == "none":
        return weighted_sum(values, weights)
    if normalize != "minmax":
        raise ValueError(
            f"normalize must be one of {', '.join(NORMALIZE_OPTIONS)}; got {normalize!r}"
        )
    lower = values.min(axis=-2) if lower is None else _batched(lower, "lower", 1)
    upper = values.max(axis=-2) if upper is None else _batched(upper, "upper", 1)
    return weighted_sum(minmax(values, lower[..., None, :], upper[..., None, :]), weights)


def dynamism_scores(raw, *, lower=None, upper=None) -> np.ndarray:
    """Paradigm dynamism: the raw score min-max normalised over the technologies.

    ``lower`` and ``upper`` (scalar or (B,)) default to the minimum and maximum of ``raw``
    over its last axis; a zero range gives dynamism 0.
    """
    raw = _batched(raw, "raw dynamism", 1)
    lower = raw.min(axis=-1, keepdims=True) if lower is None else _per_model(lower, "lower")
    upper = raw.max(axis=-1, keepdims=True) if upper is None else _per_model(upper, "upper")
    return minmax(raw, lower, upper)


def quadrant_codes(capability, dynamism, capability_threshold=0.5, dynamism_threshold=0.5):
    """Quadrant index (into :data:`QUADRANTS`) of each score pair; ``>=`` is strong."""
    strong_capability = np.asarray(capability) >= _per_model(
        capability_threshold, "capability_threshold"
    )
    strong_dynamism = np.asarray(dynamism) >= _per_model(dynamism_threshold, "dynamism_threshold")
    # assault 0, entrench 1, position 2, disrupt 3 (see the module table)
    cap = strong_capability.view(np.int8)
    dyn = strong_dynamism.view(np.int8)
    return (1 + dyn - cap + 2 * (cap & dyn)).astype(np.int8, copy=False)


_BLOCK_ELEMENTS = 32_768  # scores per block: a few hundred kB per array, cache-resident

# argument -> number of dimensions without the batch axis
_CORE_NDIM = {
    "values": 2, "weights": 1, "raw_dynamism": 1, "ipc_changes": 2, "amplitudes": 1,
    "capability_lower": 1, "capability_upper": 1, "dynamism_lower": 0, "dynamism_upper": 0,
    "capability_threshold": 0, "dynamism_threshold": 0,
}


def _score_block(arguments: dict, normalize: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    raw = arguments.get("raw_dynamism")
    if raw is None:
        raw = weighted_sum(arguments["ipc_changes"], arguments["amplitudes"])
    capability = capability_scores(
        arguments["values"], arguments["weights"], normalize=normalize,
        lower=arguments.get("capability_lower"), upper=arguments.get("capability_upper"),
    )
    dynamism = dynamism_scores(
        raw, lower=arguments.get("dynamism_lower"), upper=arguments.get("dynamism_upper")
    )
    quadrant = quadrant_codes(
        capability, dynamism, arguments["capability_threshold"], arguments["dynamism_threshold"]
    )
    return capability, dynamism, quadrant


def score_batch(
    values,
    weights,
    raw_dynamism=None,
    *,
    ipc_changes=None,
    amplitudes=None,
    normalize: Normalize = "none",
    capability_bounds=None,
    dynamism_bounds=None,
    capability_threshold=0.5,
    dynamism_threshold=0.5,
) -> BatchScores:
    """Score one model or a batch of B models in one vectorised call.

    Every argument is either shared by all models or carries a leading batch axis of
    length B. Large batches are processed in cache-sized blocks of models (each block
    fully vectorised); results do not depend on the block size.

    Parameters
    ----------
    values : array_like, shape (m, k) or (B, m, k)
        Capability indicators (shared, or one table per model).
    weights : array_like, shape (k,) or (B, k)
        Indicator weights.
    raw_dynamism : array_like, shape (m,) or (B, m), optional
        Raw dynamism scores. Give either this or ``ipc_changes`` and ``amplitudes``.
    ipc_changes : array_like, shape (m, p) or (B, m, p), optional
        IPC change counts by character position (see :func:`raw_dynamism`).
    amplitudes : array_like, shape (p,) or (B, p), optional
        Score of a change at each position.
    normalize : {"none", "minmax"}
        Capability on raw values (the paper) or on min-max normalised values.
    capability_bounds : (lower, upper), optional
        Per-indicator min-max bounds, each (k,) or (B, k); default from ``values``.
    dynamism_bounds : (lower, upper), optional
        Raw-dynamism bounds, each scalar or (B,); default from the raw dynamism.
    capability_threshold, dynamism_threshold : float or array_like (B,)
        ``score >= threshold`` is strong.

    Returns
    -------
    BatchScores
        Arrays of shape (B, m) if any argument has a batch axis, else (m,).

    Examples
    --------
    >>> import numpy as np
    >>> values = np.array([[0.2, 0.4], [0.6, 0.8], [0.5, 0.1]])
    >>> weights = np.array([[0.5, 0.5], [1.0, 0.0]])          # two models
    >>> s = score_batch(values, weights, np.array([0.0, 5.0, 10.0]))
    >>> s.capability
    array([[0.3, 0.7, 0.3],
           [0.2, 0.6, 0.5]])
    >>> [[QUADRANTS[c] for c in row] for row in s.quadrant]
    [['entrench', 'disrupt', 'position'], ['entrench', 'disrupt', 'disrupt']]
    """
    if (raw_dynamism is None) == (ipc_changes is None or amplitudes is None):
        raise ValueError("give either raw_dynamism, or both ipc_changes and amplitudes")
    if normalize not in NORMALIZE_OPTIONS:
        raise ValueError(f"normalize must be one of {', '.join(NORMALIZE_OPTIONS)}; got {normalize!r}")
    cap_lower, cap_upper = (None, None) if capability_bounds is None else capability_bounds
    dyn_lower, dyn_upper = (None, None) if dynamism_bounds is None else dynamism_bounds
    given = {
        "values": values, "weights": weights, "raw_dynamism": raw_dynamism,
        "ipc_changes": ipc_changes, "amplitudes": amplitudes,
        "capability_lower": cap_lower, "capability_upper": cap_upper,
        "dynamism_lower": dyn_lower, "dynamism_upper": dyn_upper,
        "capability_threshold": capability_threshold, "dynamism_threshold": dynamism_threshold,
    }
    arguments = {}
    batch_sizes = {}
    for name, value in given.items():
        if value is None:
            continue
        array = _batched(value, name, _CORE_NDIM[name])
        arguments[name] = array
        if array.ndim > _CORE_NDIM[name]:
            batch_sizes[name] = array.shape[0]
    if len(set(batch_sizes.values())) > 1:
        raise ValueError(f"batch axes of different lengths: {batch_sizes}")
    if not batch_sizes:
        capability, dynamism, quadrant = _score_block(arguments, normalize)
        return BatchScores(capability=capability, dynamism=dynamism, quadrant=quadrant)

    size = next(iter(batch_sizes.values()))
    m = arguments["values"].shape[-2]
    block = max(1, _BLOCK_ELEMENTS // m)
    capability = np.empty((size, m))
    dynamism = np.empty((size, m))
    quadrant = np.empty((size, m), dtype=np.int8)
    for start in range(0, size, block):
        rows = slice(start, start + block)
        part = {name: array[rows] if name in batch_sizes else array for name, array in arguments.items()}
        scores = _score_block(part, normalize)
        for out, result in zip((capability, dynamism, quadrant), scores):
            out[rows] = result
    return BatchScores(capability=capability, dynamism=dynamism, quadrant=quadrant)


@dataclass(frozen=True, repr=False)
class ScoreResult(Displayed):
    """The scores of one table under one model.

    Attributes
    ----------
    technologies, indicators : tuple of str
    model : ScoringModel
    weights : ndarray, shape (k,)
    capability, dynamism, raw_dynamism : ndarray, shape (m,)
    quadrant : tuple of str
        One of :data:`robust.core.options.QUADRANTS` per technology.
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

    def summary(self) -> str:
        """``20 technologies: assault 7, entrench 9, position 1, disrupt 3 (entropy weights; thresholds 0.5, 0.5)``."""
        model = self.model
        weighting = model.weighting if isinstance(model.weighting, str) else "fixed"
        return (f"{len(self.technologies)} technologies: {quadrant_counts(self.quadrant)} ({weighting} weights; "
                f"thresholds {model.capability_threshold:g}, {model.dynamism_threshold:g})")

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
        """The quadrant map (capability across, as the paper's Figure 3); ``kwargs`` as
        :func:`robust.plotting.quadrants.plot_quadrant_map` (``orientation``, ``names``, ...).

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Draw into it (e.g. a subplot of your figure); default a new pyplot figure.

        Returns
        -------
        matplotlib Axes
            The axes drawn on: ``ax.figure.savefig("name.png")`` saves it.
        """
        from ..plotting.quadrants import plot_quadrant_map

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
    checked_capability_threshold(table, model)
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
