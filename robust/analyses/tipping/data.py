"""The value of one indicator cell at which a technology's capability side flips.

Every other cell is kept; the data-driven weights (and min-max bounds) are estimated again
on the edited table, exactly as the scorer does, so the capability of the edited technology
is a function of the one cell. That function is evaluated on a grid over the indicator's
admissible range, and the sign change of ``capability - threshold`` nearest to the observed
value is refined with :func:`scipy.optimize.brentq` on the exact scorer. The admissible
range of an indicator whose values lie in [0, 1] (a share) is [0, 1]; of any other, its
observed range widened by its width on each side. No sign change in that range: no tipping
value.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from ...core.scoring import score_batch
from ...core.weighting import compute_weights

GRID = 201  # evaluations of the capability along an indicator's admissible range


def admissible_range(column: np.ndarray) -> tuple[float, float]:
    """[0, 1] for a share, else the observed range widened by its width on each side."""
    low, high = float(column.min()), float(column.max())
    if low >= 0 and high <= 1:
        return 0.0, 1.0
    span = high - low
    return low - span, high + span


def _capability(values: np.ndarray, weighting, normalize: str, raw: np.ndarray, row: int) -> np.ndarray:
    """Capability of technology ``row`` for a batch of tables ``(B, m, k)``."""
    if isinstance(weighting, str):
        weights = compute_weights(values, weighting)
    else:
        weights = np.broadcast_to(np.asarray(weighting, dtype=float), (values.shape[0], values.shape[2]))
    return score_batch(values, weights, raw, normalize=normalize).capability[:, row]


def cell_tipping(values: np.ndarray, row: int, column: int, *, weighting, normalize: str, raw: np.ndarray,
                 threshold: float) -> float | None:
    """The value of cell ``(row, column)`` nearest the observed one that puts the capability on the threshold.

    ``None`` when no value in the admissible range flips the technology's capability side.
    """
    values = np.asarray(values, dtype=float)
    observed = values[row, column]
    low, high = admissible_range(values[:, column])
    grid = np.union1d(np.linspace(low, high, GRID), [observed])
    tables = np.broadcast_to(values, (len(grid), *values.shape)).copy()
    tables[:, row, column] = grid
    gap = _capability(tables, weighting, normalize, raw, row) - threshold
    strong = gap >= 0
    changes = np.flatnonzero(strong[1:] != strong[:-1])
    if not changes.size:
        return None
    here = int(np.searchsorted(grid, observed))
    nearest = changes[np.argmin(np.abs(changes + 0.5 - here))]

    def distance(value):
        table = values.copy()
        table[row, column] = value
        return float(_capability(table[None], weighting, normalize, raw, row)[0] - threshold)

    return float(brentq(distance, grid[nearest], grid[nearest + 1], xtol=1e-12, rtol=1e-12))
