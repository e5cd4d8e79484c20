"""The scoring model as a function of the unit design: the model a Sobol' analysis explains."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ...core.composite import capability_ranks
from ...core.model import ScoringModel
from ...core.options import QUADRANTS
from ...core.scoring import score, score_batch
from ...core.table import IndicatorTable
from ...core.weighting import compute_weights
from ..specifications import choice_tables
from .factors import LEAVE_NONE, SobolFactors

UNIT_CLIP = 2.0**-53  # keeps the normal quantile of a Sobol' coordinate finite


def level_index(unit: np.ndarray, count: int) -> np.ndarray:
    """Equally likely levels 0..count-1 from a U[0, 1) coordinate."""
    return np.minimum((unit * count).astype(np.intp), count - 1)


def normal_quantile(unit: np.ndarray) -> np.ndarray:
    """The standard normal quantile of U[0, 1) coordinates (kept finite at 0)."""
    from scipy.special import ndtri

    return ndtri(np.clip(unit, UNIT_CLIP, 1 - UNIT_CLIP))


def _choice(columns: dict, name: str, count: int, rows: int) -> np.ndarray:
    """Level index of a discrete factor per row; 0 (the base model's choice) when not varied."""
    if name not in columns:
        return np.zeros(rows, dtype=np.intp)
    return level_index(columns[name][:, 0], count)


def _spread(unit: np.ndarray, spread: float) -> np.ndarray:
    """U(1 - spread, 1 + spread) from U[0, 1)."""
    return 1.0 - spread + 2.0 * spread * unit


def ordered_amplitudes(amplitudes: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Amplitudes ``(rows, p)`` perturbed without changing their order.

    The amplitudes sorted ascending are the running sums of their increments (the smallest,
    then each gap to the next); each increment is multiplied by its own factor (column
    ``q`` of ``factors`` for the q-th increment) and the sums are taken again, so the
    order and the ties of the amplitudes are kept (the paper's 4 > 3 > 2 > 1 in every draw).
    """
    order = np.argsort(amplitudes, kind="stable")
    increments = np.diff(amplitudes[order], prepend=0.0)
    perturbed = np.empty_like(factors)
    perturbed[:, order] = np.cumsum(increments * factors, axis=1)
    return perturbed


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
    every row with :func:`robust.core.scoring.score_batch` and returns the outputs, shape
    (rows, P * m + S) for P per-technology outputs and S scalar ones (:data:`SCALAR_OUTPUTS`),
    output-major: column ``o * m + i`` is per-technology output ``o`` of technology ``i``, and
    the scalar outputs follow in the last S columns.

    Outputs: ``capability_margin`` and ``dynamism_margin`` (score minus its threshold),
    ``retained`` (1 in the base quadrant), ``in_<quadrant>`` (1 in that quadrant), ``rank`` (the
    capability rank among the m technologies, 1 the highest, ties sharing the best) and the
    scalar ``rank_shift``, the average over the technologies of ``|rank - base rank|`` (the
    average shift in ranks of Saisana, Saltelli & Tarantola 2005, doi:10.1111/j.1467-985X.2005.00350.x).
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
    aggregation: tuple[str, ...] = ("linear",)
    base_rank: np.ndarray | None = None
    data_values: np.ndarray | None = None  # (C, m, k): the table of each combination of the data factors
    data_ipc: np.ndarray | None = None     # (C, m, p)
    data_levels: tuple[tuple[str, int], ...] = ()  # (data factor, number of levels), last fastest
    groups: tuple[tuple[str, int], ...] = field(init=False)

    def __post_init__(self):
        positions = 0 if self.amplitudes is None else len(self.amplitudes)
        object.__setattr__(self, "groups", group_sizes(self.factors, self.values.shape, positions))

    @classmethod
    def build(cls, table: IndicatorTable, model: ScoringModel, factors: SobolFactors,
              outputs: tuple[str, ...], base_quadrant: Sequence[str],
              base_capability: np.ndarray | None = None, derived=None) -> "ScoringFunction":
        """The function of the table, the base model (its choices where a factor is not varied) and the
        factors; ``base_quadrant`` (and ``base_capability``, scored when not given and needed for the
        ranks) are the base model's; ``derived``: the DerivedTable or DerivedLists of the table, for the
        data-construction factors."""
        methods = factors.weighting or (model.weighting,)
        left_out = tuple(
            -1 if name == LEAVE_NONE else table.indicators.index(name)
            for name in (factors.leave_out or (LEAVE_NONE,))
        )
        base_weights = np.stack([
            np.stack([_weights_for(table.values, method, j) for j in left_out]) for method in methods
        ])
        amplitudes = model.amplitudes_for(table)
        data = {}
        if factors.data_choices:
            _, values, ipc = choice_tables(factors.data_choices, table, derived)
            data = {"data_values": values, "data_ipc": ipc, "data_levels": tuple(
                (key, len(levels)) for key, levels in factors.data_choices.items())}
        return cls(
            factors=factors, outputs=outputs, values=table.values,
            ipc_changes=table.dynamism_inputs if table.ipc_counts else None,
            raw_dynamism=None if table.ipc_counts else table.raw_dynamism(),
            amplitudes=None if amplitudes is None else np.asarray(amplitudes, dtype=float),
            methods=methods, left_out=left_out, base_weights=base_weights,
            normalize=factors.normalize or (model.normalize,),
            aggregation=factors.aggregation or (model.aggregation,),
            capability_threshold=model.capability_threshold,
            dynamism_threshold=model.dynamism_threshold,
            base_quadrant=np.array([QUADRANTS.index(q) for q in base_quadrant], dtype=np.int8),
            base_rank=(capability_ranks(score(table, model).capability if base_capability is None
                                        else base_capability) if {"rank", "rank_shift"} & set(outputs) else None),
            **data,
        )

    def __call__(self, unit: np.ndarray) -> np.ndarray:
        rows = unit.shape[0]
        m, k = self.values.shape
        columns, start = {}, 0
        for name, size in self.groups:
            columns[name] = unit[:, start:start + size]
            start += size
        factors = self.factors
        values, ipc_changes = self.values, self.ipc_changes
        if self.data_levels:
            combination = np.zeros(rows, dtype=np.intp)
            for name, count in self.data_levels:
                combination = combination * count + level_index(columns[name][:, 0], count)
            values, ipc_changes = self.data_values[combination], self.data_ipc[combination]
        if "noise" in columns:
            normal = normal_quantile(columns["noise"])
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
        shared = {"ipc_changes": ipc_changes, "raw_dynamism": self.raw_dynamism}
        (per_row if values.ndim == 3 else shared)["values"] = values
        if self.data_levels:
            per_row["ipc_changes"] = shared.pop("ipc_changes")
        if "amplitudes" in columns:
            per_row["amplitudes"] = ordered_amplitudes(self.amplitudes,
                                                       _spread(columns["amplitudes"], factors.amplitudes))
        else:
            shared["amplitudes"] = self.amplitudes
        for name in ("capability_threshold", "dynamism_threshold"):
            if name in columns:
                low, high = getattr(factors, name)
                per_row[name] = low + (high - low) * columns[name][:, 0]
            else:
                per_row[name] = np.full(rows, getattr(self, name))
        option = _choice(columns, "normalize", len(self.normalize), rows)
        combined = _choice(columns, "aggregation", len(self.aggregation), rows)
        capability = np.empty((rows, m))
        dynamism = np.empty((rows, m))
        quadrant = np.empty((rows, m), dtype=np.int8)
        for i, normalize in enumerate(self.normalize):
            for a, aggregation in enumerate(self.aggregation):
                chosen = (option == i) & (combined == a)
                if not chosen.any():
                    continue
                part = {name: array[chosen] for name, array in per_row.items()} | shared
                scores = score_batch(
                    part.pop("values"), part.pop("weights"), part.pop("raw_dynamism"),
                    normalize=normalize, aggregation=aggregation, **part,
                )
                capability[chosen], dynamism[chosen], quadrant[chosen] = (
                    scores.capability, scores.dynamism, scores.quadrant)
        margins = {"capability_margin": capability - per_row["capability_threshold"][:, None],
                   "dynamism_margin": dynamism - per_row["dynamism_threshold"][:, None]}
        ranks = capability_ranks(capability) if {"rank", "rank_shift"} & set(self.outputs) else None
        columns = []
        for output in self.outputs:
            if output == "retained":
                columns.append((quadrant == self.base_quadrant).astype(float))
            elif output.startswith("in_"):
                columns.append((quadrant == QUADRANTS.index(output[3:])).astype(float))
            elif output == "rank":
                columns.append(ranks.astype(float))
            elif output == "rank_shift":
                columns.append(np.abs(ranks - self.base_rank).mean(axis=1)[:, None])
            else:
                columns.append(margins[output])
        return np.concatenate(columns, axis=1)
