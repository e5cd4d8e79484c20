"""Resampling patent records on their sufficient statistics (the ``patents`` bootstrap).

A resample draws, within each technology, as many records as it has, uniformly with
replacement. Records that agree on every value the indicators read (focal and PCT flags,
window, subclass, citations, claims) are interchangeable, so a resample is fully described
by how many draws fall in each such *cell* (:attr:`~robust.records.engine.RecordStatistics.cells`
merged over the years of a window). :class:`RecordResampler` draws positions 0..n-1 of a
technology's records (ordered by cell, so a position names its cell), counts them per cell,
and derives the four shares and the IPC change counts of every replicate at once with the
rules of :mod:`robust.records.derive` and :mod:`robust.records.ipc` (their one copy). The
work per replicate grows with the records drawn and the cells, never touches a record, and
reads nothing again.

A replicate is *degenerate* when a share's denominator is 0 (the share is then 0) or a
window of a technology has no record (its top-k list is empty).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .derive import shares
from .engine import TOTALS, RecordStatistics
from .ipc import Slots, group_bounds, segment_sums
from .spec import RecordsSpec

CELL_FEATURES: tuple[str, ...] = TOTALS  # what each cell adds to its technology's totals, per record


@dataclass(frozen=True, eq=False)
class RecordResampler:
    """The cells of the kept records of m technologies, ready to be resampled.

    Build it with :meth:`build`; :meth:`draw` gives replicates, :meth:`positions`,
    :meth:`cell_counts` and :meth:`derive` its steps (a record-level bootstrap on the same
    positions gives the same replicates: tested).
    """

    technologies: tuple[str, ...]
    spec: RecordsSpec
    sizes: np.ndarray            # (m,) records per technology
    cell_bounds: np.ndarray      # (m + 1,) the cells of technology t are cell_bounds[t]:cell_bounds[t + 1]
    position_cell: tuple         # per technology: (n_t,) the cell (local index) of each position
    features: np.ndarray         # (K, 8) each cell's per-record contribution to TOTALS
    cell_slot: np.ndarray        # (K,) slot of each cell, -1 outside both windows
    base_counts: np.ndarray      # (K,) records per cell in the data
    slots: Slots
    aggregate: object = field(init=False, repr=False)  # sparse (8 m + S, K): cell counts to totals and slots

    def __post_init__(self):
        from scipy import sparse

        m, k = len(self.technologies), len(self.base_counts)
        technology = np.repeat(np.arange(m), np.diff(self.cell_bounds))
        rows = (technology[:, None] * len(CELL_FEATURES) + np.arange(len(CELL_FEATURES))).ravel()
        inside = np.flatnonzero(self.cell_slot >= 0)
        matrix = sparse.csr_matrix(
            (np.concatenate([self.features.ravel(), np.ones(len(inside), dtype=np.int64)]),
             (np.concatenate([rows, len(CELL_FEATURES) * m + self.cell_slot[inside]]),
              np.concatenate([np.repeat(np.arange(k), len(CELL_FEATURES)), inside]))),
            shape=(len(CELL_FEATURES) * m + len(self.slots.code), k), dtype=np.int64)
        object.__setattr__(self, "aggregate", matrix)

    @classmethod
    def build(cls, statistics: RecordStatistics, spec: RecordsSpec) -> "RecordResampler":
        """From statistics computed with ``cells=True`` and the filters of ``spec``."""
        if statistics.cells is None:
            raise ValueError("the statistics have no cells: compute them with record_statistics(..., cells=True)")
        if spec.filters != statistics.filters:
            raise ValueError(f"the statistics were computed with the filters {statistics.filters}, not {spec.filters}")
        cells = statistics.cells
        year = cells["year"].to_numpy()
        window = np.full(len(cells), -1)
        for index, (first, last) in enumerate(spec.windows):
            window[(year >= first) & (year <= last)] = index
        technology = cells["technology"].cat.codes.to_numpy().astype(np.int64)
        keys = pd.DataFrame({"technology": technology, "focal": cells["focal"].to_numpy(bool),
                             "pct": cells["pct"].to_numpy(bool), "window": window,
                             "code": cells["code"].to_numpy(object), "citations": cells["citations"].to_numpy(),
                             "claims": cells["claims"].to_numpy(), "records": cells["records"].to_numpy()})
        merged = keys.groupby(["technology", "focal", "pct", "window", "code", "citations", "claims"],
                              sort=True)["records"].sum().reset_index()
        m = len(statistics.technologies)
        inside = merged[merged["window"] >= 0]
        slot_rows = inside[["technology", "window", "code"]].drop_duplicates()
        slots, order = Slots.from_frame(slot_rows.assign(technology=slot_rows["technology"].map(
            dict(enumerate(statistics.technologies)))), statistics.technologies)
        slot_index = pd.Series(np.arange(len(order)), index=pd.MultiIndex.from_arrays(
            [slots.technology, slots.window, slots.code]))
        cell_slot = np.full(len(merged), -1, dtype=np.int64)
        where = merged["window"].to_numpy() >= 0
        cell_slot[where] = slot_index.reindex(pd.MultiIndex.from_frame(
            merged.loc[where, ["technology", "window", "code"]])).to_numpy()
        focal, pct = merged["focal"].to_numpy(np.int64), merged["pct"].to_numpy(np.int64)
        citations, claims = merged["citations"].to_numpy(np.int64), merged["claims"].to_numpy(np.int64)
        features = np.column_stack([np.ones_like(focal), focal, citations, citations * focal, claims,
                                    claims * focal, pct, pct * focal])
        counts = merged["records"].to_numpy(np.int64)
        starts, ends = group_bounds(merged["technology"].to_numpy(), m)
        position_cell = tuple(np.repeat(np.arange(end - start, dtype=np.int32), counts[start:end])
                              for start, end in zip(starts, ends))
        return cls(technologies=statistics.technologies, spec=spec,
                   sizes=np.array([len(p) for p in position_cell], dtype=np.int64),
                   cell_bounds=np.append(starts, len(merged)), position_cell=position_cell,
                   features=features, cell_slot=cell_slot, base_counts=counts, slots=slots)

    @property
    def n_cells(self) -> int:
        return len(self.base_counts)

    def positions(self, rng: np.random.Generator, count: int) -> tuple[np.ndarray, ...]:
        """Per technology, ``(count, n_t)`` positions drawn uniformly with replacement."""
        return tuple(rng.integers(0, n, size=(count, n)) for n in self.sizes)

    def cell_counts(self, positions) -> np.ndarray:
        """``(count, K)``: how many drawn positions fall in each cell."""
        parts = []
        for t, drawn in enumerate(positions):
            cells = self.cell_bounds[t + 1] - self.cell_bounds[t]
            local = self.position_cell[t][drawn] + (np.arange(drawn.shape[0]) * cells)[:, None]
            parts.append(np.bincount(local.ravel(), minlength=drawn.shape[0] * cells).reshape(-1, cells))
        return np.concatenate(parts, axis=1)

    def derive(self, cell_counts: np.ndarray, *, top_k: int | None = None,
               counting: str | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Shares ``(b, m, 4)``, IPC change counts ``(b, m, 4)`` and degenerate ``(b,)`` of
        cell counts ``(b, K)`` (``top_k`` and ``counting`` default to the spec's)."""
        cell_counts = np.asarray(cell_counts, dtype=np.int64)
        b, m, features = cell_counts.shape[0], len(self.technologies), len(CELL_FEATURES)
        summed = (self.aggregate @ cell_counts.T).T   # (b, 8 m + S), exact integers
        totals = summed[:, :features * m].reshape(b, m, features)
        values = shares({name: totals[:, :, j] for j, name in enumerate(CELL_FEATURES)}, self.spec)
        undefined = ~np.isfinite(values)
        values[undefined] = 0.0
        slot_counts = summed[:, features * m:]
        top = self.slots.top(slot_counts, self.spec.top_k if top_k is None else top_k)
        changes = self.slots.changes(top, self.spec.ipc_counting if counting is None else counting)
        segment_starts, segment_ends = group_bounds(self.slots.technology * 2 + self.slots.window, 2 * m)
        empty_window = (segment_sums(slot_counts, segment_starts, segment_ends) == 0).any(axis=1)
        return values, changes, undefined.any(axis=(1, 2)) | empty_window

    def draw(self, rng: np.random.Generator, count: int):
        """``count`` replicates: :meth:`derive` of the cell counts of :meth:`positions`."""
        return self.derive(self.cell_counts(self.positions(rng, count)))

