"""Tipping points of every technology: what would have to change for it to get another strategy.

Deterministic and exact (no random numbers): the distance of each score to its threshold,
the weight radii (:mod:`~robust.analyses.tipping.weights`), the value of each indicator cell
at which the capability side flips (:mod:`~robust.analyses.tipping.data`) and the fewest
new-code edits that flip the dynamism side (:mod:`~robust.analyses.tipping.counts`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...compute.execution import Execution
from ...core import rules
from ...core.display import Displayed
from ...core.ipc import DEFAULT_TOP_K
from ...core.model import ScoringModel
from ...core.scoring import ScoreResult, minmax, score
from ...core.table import IndicatorTable
from .counts import describe_edits, fewest_edits
from .data import cell_tipping
from .weights import l1_radius, linf_radius


@dataclass(frozen=True)
class TippingSpec:
    """The ``[tipping]`` config section.

    Parameters
    ----------
    max_edits : int
        Search the fewest IPC new-code edits up to this many (more: no tipping edit).
    top_k : int
        The length of the IPC lists: an edit may not push the last cumulative count above it.
    """

    max_edits: int = 12
    top_k: int = DEFAULT_TOP_K

    def __post_init__(self):
        object.__setattr__(self, "max_edits", rules.integer(self.max_edits, "max_edits", low=1, high=40))
        object.__setattr__(self, "top_k", rules.integer(self.top_k, "top_k", low=1))

    def resolved(self) -> dict:
        return {"max_edits": self.max_edits, "top_k": self.top_k}


@dataclass(frozen=True, repr=False)
class TippingResult(Displayed):
    """The tipping points of every technology (see the module notes); one ``*_frame`` per table."""

    base: ScoreResult
    values: np.ndarray                # (m, k) the indicator cells (raw)
    linf: np.ndarray                  # (m,)
    l1: np.ndarray                    # (m,)
    tipping_weights: tuple            # per technology: (k,) weights on the threshold, or None
    cells: np.ndarray                 # (m, k) tipping value of each cell (NaN: none)
    edits: tuple                      # per technology: (number, vector) or (None, None)

    def summary(self) -> str:
        """``smallest weight radius 0.051 (chip); 13 of 20 change dynamism side with one IPC edit``."""
        m = len(self.base.technologies)
        parts = []
        if np.isfinite(self.linf).any():
            i = int(np.argmin(np.where(np.isfinite(self.linf), self.linf, np.inf)))
            parts.append(f"smallest weight radius {self.linf[i]:.3f} ({self.base.technologies[i]})")
        else:
            parts.append("no reweighting flips any capability side")
        one = sum(1 for n, _ in self.edits if n == 1)
        if any(n is not None for n, _ in self.edits):
            parts.append(f"{one} of {m} change dynamism side with one IPC edit")
        return "; ".join(parts)

    def to_frame(self) -> pd.DataFrame:
        """``tipping.csv``: ``technology, capability_margin, dynamism_margin, weight_radius_linf,
        weight_radius_l1, ipc_edits, ipc_edit`` (empty radius: no reweighting flips it; empty
        edits: none within the search, or no IPC counts)."""
        model = self.base.model
        finite = lambda radius: np.where(np.isfinite(radius), radius, np.nan)
        return pd.DataFrame({
            "technology": list(self.base.technologies),
            "capability_margin": self.base.capability - model.capability_threshold,
            "dynamism_margin": self.base.dynamism - model.dynamism_threshold,
            "weight_radius_linf": finite(self.linf),
            "weight_radius_l1": finite(self.l1),
            "ipc_edits": pd.array([n for n, _ in self.edits], dtype="Int64"),
            "ipc_edit": [describe_edits(v) if v is not None else "" for _, v in self.edits],
        })

    def weights_frame(self) -> pd.DataFrame:
        """``tipping_weights.csv``: ``technology, indicator, base_weight, tipping_weight`` (the L1-nearest
        weights on the threshold; technologies no reweighting flips are left out)."""
        records = [(technology, indicator, base, tipping)
                   for technology, weights in zip(self.base.technologies, self.tipping_weights) if weights is not None
                   for indicator, base, tipping in zip(self.base.indicators, self.base.weights, weights)]
        return pd.DataFrame(records, columns=["technology", "indicator", "base_weight", "tipping_weight"])

    def data_frame(self) -> pd.DataFrame:
        """``tipping_data.csv``: ``technology, indicator, value, tipping_value, relative_change``
        (empty tipping value: no value of that cell in its admissible range flips it)."""
        m, k = self.cells.shape
        values = self.values
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = (self.cells - values) / np.abs(values)
        return pd.DataFrame({
            "technology": np.repeat(np.array(self.base.technologies, dtype=object), k),
            "indicator": list(self.base.indicators) * m,
            "value": values.ravel(),
            "tipping_value": self.cells.ravel(),
            "relative_change": np.where(np.isfinite(relative), relative, np.nan).ravel(),
        })


def run_tipping(table: IndicatorTable, model: ScoringModel, spec: TippingSpec, *,
                execution: Execution | None = None, rng=None) -> TippingResult:
    """Every technology's tipping points (deterministic: ``execution`` and ``rng`` are unused)."""
    base = score(table, model)
    values = table.values
    inputs = (minmax(values, values.min(axis=0), values.max(axis=0)) if model.normalize == "minmax" else values)
    threshold = model.capability_threshold
    linf, l1, tipping = [], [], []
    for row in inputs:
        linf.append(linf_radius(row, base.weights, threshold))
        distance, weights = l1_radius(row, base.weights, threshold)
        l1.append(distance)
        tipping.append(weights)
    cells = np.full(values.shape, np.nan)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            found = cell_tipping(values, i, j, weighting=model.weighting, normalize=model.normalize,
                                 raw=base.raw_dynamism, threshold=threshold)
            cells[i, j] = np.nan if found is None else found
    amplitudes = model.amplitudes_for(table)
    if table.ipc_counts:
        edits = tuple(fewest_edits(table.dynamism_inputs, i, np.asarray(amplitudes), model.dynamism_threshold,
                                   spec.top_k, spec.max_edits) for i in range(values.shape[0]))
    else:
        edits = ((None, None),) * values.shape[0]
    return TippingResult(base=base, values=values, linf=np.array(linf), l1=np.array(l1),
                         tipping_weights=tuple(tipping), cells=cells, edits=edits)


def tipping_points(table: IndicatorTable, *, model: ScoringModel | None = None, max_edits: int = 12,
                   top_k: int = DEFAULT_TOP_K) -> TippingResult:
    """How far each technology is from another strategy, exactly.

    Examples
    --------
    >>> import robust
    >>> frame = tipping_points(robust.load_paper2023()).to_frame().set_index("technology")
    >>> round(float(frame.loc["chip", "weight_radius_linf"]), 3)
    0.051
    """
    return run_tipping(table, ScoringModel() if model is None else model, TippingSpec(max_edits, top_k))
