"""Resampling patent records on their sufficient statistics (the ``patents`` bootstrap).

A resample draws, within each technology, as many records as it has, uniformly with
replacement. Records that agree on every value the indicators read (focal and PCT flags,
window, subclass, citations, claims) are interchangeable, so a resample is fully described
by how many draws fall in each such *cell* (:attr:`~robust.records.engine.RecordStatistics.cells`
merged over the years of a window). :class:`RecordResampler` draws positions 0..n-1 of a
technology's records (ordered by cell, so a position names its cell), counts them per cell,
and derives the four shares and the IPC change counts of a step of replicates at once with
the rules of :mod:`robust.records.derive` and :mod:`robust.records.ipc` (their one copy).
The work per replicate grows with the records drawn and the cells, never touches a record,
and reads nothing again; what a worker receives is compact (the cell of each position as
4 bytes, four integers per cell, the slots), and its per-technology arrays are rebuilt
where it runs.

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
CELL_ORDER: tuple[str, ...] = ("technology", "window", "code", "focal", "pct", "citations", "claims")
OUTSIDE = 2  # the window of the cells filed outside both (they sort after the two windows)
EXACT_FLOAT = 2**53  # integers below this are exact in float64


@dataclass(frozen=True, eq=False)
class RecordResampler:
    """The cells of the kept records of m technologies, ready to be resampled.

    Build it with :meth:`build`; :meth:`draw` gives replicates, :meth:`positions` and
    :meth:`derive` its steps (a record-level bootstrap on the same positions gives the same
    replicates: tested). The cells of a technology are ordered by window (the two windows,
    then the cells outside both), subclass, focal flag, PCT flag, citations and claims, so
    the cells of one (technology, window, subclass) slot are contiguous and in the order of
    :attr:`slots`. A replicate is aggregated one technology at a time: the drawn positions
    become cell counts, the cell counts the technology's totals (one exact matrix product)
    and its slot counts (sums over contiguous cells); no array spans all records or all
    cells of a step.
    """

    technologies: tuple[str, ...]
    spec: RecordsSpec
    sizes: np.ndarray            # (m,) records per technology
    cell_bounds: np.ndarray      # (m + 1,) the cells of technology t are cell_bounds[t]:cell_bounds[t + 1]
    position_cell: np.ndarray    # (sum of sizes,) int32: the cell (local index) of each position, by technology
    cell_values: np.ndarray      # (K, 4) int64: focal, pct, citations, claims of each cell
    cell_slot: np.ndarray        # (K,) slot of each cell, -1 outside both windows
    base_counts: np.ndarray      # (K,) records per cell in the data
    slots: Slots
    _layout: tuple = field(init=False, repr=False)

    def __post_init__(self):
        m = len(self.technologies)
        record_bounds = np.concatenate([[0], np.cumsum(self.sizes)])
        groups = []   # per technology: the first cell of each of its slots (local), those slots, cells inside
        for t in range(m):  # technologies, not records
            local_slot = self.cell_slot[self.cell_bounds[t]:self.cell_bounds[t + 1]]
            within = int((local_slot >= 0).sum())  # the cells in the windows come first
            starts = np.flatnonzero(np.diff(local_slot[:within], prepend=-1) != 0)
            groups.append((starts, local_slot[starts], within))
        values = self.cell_values
        largest = int(self.sizes.max(initial=0)) * int(max(values[:, 2:].max(initial=0), 1))
        exact = np.float64 if largest < EXACT_FLOAT else np.int64  # the totals are exact integers either way
        windows = group_bounds(self.slots.technology * 2 + self.slots.window, 2 * m)  # (technology, window) slots
        object.__setattr__(self, "_layout", (record_bounds, tuple(groups), exact, windows))

    @classmethod
    def build(cls, statistics: RecordStatistics, spec: RecordsSpec) -> "RecordResampler":
        """From statistics computed with ``cells=True`` and the filters of ``spec``."""
        if statistics.cells is None:
            raise ValueError("the statistics have no cells: compute them with record_statistics(..., cells=True)")
        if spec.filters != statistics.filters:
            raise ValueError(f"the statistics were computed with the filters {statistics.filters}, not {spec.filters}")
        cells = statistics.cells
        year = cells["year"].to_numpy()
        window = np.full(len(cells), OUTSIDE)
        for index, (first, last) in enumerate(spec.windows):
            window[(year >= first) & (year <= last)] = index
        technology = cells["technology"].cat.codes.to_numpy().astype(np.int64)
        keys = pd.DataFrame({"technology": technology, "window": window, "code": cells["code"].to_numpy(object),
                             "focal": cells["focal"].to_numpy(bool), "pct": cells["pct"].to_numpy(bool),
                             "citations": cells["citations"].to_numpy(), "claims": cells["claims"].to_numpy(),
                             "records": cells["records"].to_numpy()})
        merged = keys.groupby(list(CELL_ORDER), sort=True)["records"].sum().reset_index()
        m = len(statistics.technologies)
        inside = merged["window"].to_numpy() != OUTSIDE
        slot_rows = merged.loc[inside, ["technology", "window", "code"]].drop_duplicates()
        slots, order = Slots.from_frame(slot_rows.assign(technology=slot_rows["technology"].map(
            dict(enumerate(statistics.technologies)))), statistics.technologies)
        slot_index = pd.Series(np.arange(len(order)), index=pd.MultiIndex.from_arrays(
            [slots.technology, slots.window, slots.code]))
        cell_slot = np.full(len(merged), -1, dtype=np.int64)
        cell_slot[inside] = slot_index.reindex(pd.MultiIndex.from_frame(
            merged.loc[inside, ["technology", "window", "code"]])).to_numpy()
        values = np.column_stack([merged["focal"].to_numpy(np.int64), merged["pct"].to_numpy(np.int64),
                                  merged["citations"].to_numpy(np.int64), merged["claims"].to_numpy(np.int64)])
        counts = merged["records"].to_numpy(np.int64)
        starts, ends = group_bounds(merged["technology"].to_numpy(), m)
        position_cell = np.concatenate([np.repeat(np.arange(end - start, dtype=np.int32), counts[start:end])
                                        for start, end in zip(starts, ends)] or [np.zeros(0, np.int32)])
        sizes = np.array([counts[start:end].sum() for start, end in zip(starts, ends)], dtype=np.int64)
        return cls(technologies=statistics.technologies, spec=spec, sizes=sizes,
                   cell_bounds=np.append(starts, len(merged)), position_cell=position_cell,
                   cell_values=values, cell_slot=cell_slot, base_counts=counts, slots=slots)

    @property
    def n_cells(self) -> int:
        return len(self.base_counts)

    @property
    def largest_step(self) -> int:
        """The most positions, cells or slots one replicate of a step holds at once (its memory, per replicate)."""
        return max(int(self.sizes.max(initial=1)), int(np.diff(self.cell_bounds).max(initial=1)),
                   len(self.slots.code), 1)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_feature_cache", None)  # rebuilt where it is used: workers get the compact cells
        return state

    def _features(self) -> tuple[np.ndarray, ...]:
        """Per technology ``(K_t, 8)``: each cell's per-record contribution to :data:`CELL_FEATURES`
        (built once per process, in the exact dtype)."""
        cached = self.__dict__.get("_feature_cache")
        if cached is None:
            focal, pct, citations, claims = self.cell_values.T
            full = np.column_stack([np.ones_like(focal), focal, citations, citations * focal, claims,
                                    claims * focal, pct, pct * focal]).astype(self._layout[2])
            cached = tuple(full[first:last] for first, last in zip(self.cell_bounds[:-1], self.cell_bounds[1:]))
            object.__setattr__(self, "_feature_cache", cached)
        return cached

    def _positions(self, rng: np.random.Generator, count: int, t: int) -> np.ndarray:
        n = int(self.sizes[t])
        return rng.integers(0, n, size=(count, n))

    def positions(self, rng: np.random.Generator, count: int) -> tuple[np.ndarray, ...]:
        """Per technology, ``(count, n_t)`` positions drawn uniformly with replacement
        (the draws of :meth:`draw`, in its order)."""
        return tuple(self._positions(rng, count, t) for t in range(len(self.technologies)))

    def _cell_counts(self, t: int, drawn: np.ndarray, buffers: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """``(count, K_t)``: how many positions ``drawn (count, n_t)`` fall in each cell of technology t
        (``buffers``: int32 and int64 room for ``drawn``, reused)."""
        record_bounds = self._layout[0]
        count, cells = drawn.shape[0], int(self.cell_bounds[t + 1] - self.cell_bounds[t])
        local, flat = (buffer[:drawn.size].reshape(drawn.shape) for buffer in buffers)
        np.take(self.position_cell[record_bounds[t]:record_bounds[t + 1]], drawn, out=local, mode="clip")  # in range
        np.add(local, (np.arange(count, dtype=np.int64) * cells)[:, None], out=flat)  # a row of cells per replicate
        return np.bincount(flat.ravel(), minlength=count * cells).reshape(count, cells)

    def _aggregate(self, t: int, counts: np.ndarray, totals: np.ndarray, slot_counts: np.ndarray) -> None:
        """Add technology t's cell counts ``(b, K_t)`` to ``totals (b, m, 8)`` and ``slot_counts (b, S)``."""
        starts, slot_ids, within = self._layout[1][t]
        totals[:, t, :] = counts.astype(self._layout[2]) @ self._features()[t]  # exact integers
        if within:  # the cells of a slot are contiguous
            slot_counts[:, slot_ids] = np.add.reduceat(counts[:, :within], starts, axis=1)

    def _empty(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        return (np.zeros((count, len(self.technologies), len(CELL_FEATURES)), dtype=np.int64),
                np.zeros((count, len(self.slots.code)), dtype=np.int64))

    def derive(self, cell_counts: np.ndarray, *, top_k: int | None = None,
               counting: str | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Shares ``(b, m, 4)``, IPC change counts ``(b, m, 4)`` and degenerate ``(b,)`` of
        cell counts ``(b, K)`` (``top_k`` and ``counting`` default to the spec's)."""
        cell_counts = np.asarray(cell_counts, dtype=np.int64)
        totals, slot_counts = self._empty(cell_counts.shape[0])
        for t in range(len(self.technologies)):  # technologies, not records
            self._aggregate(t, cell_counts[:, self.cell_bounds[t]:self.cell_bounds[t + 1]], totals, slot_counts)
        return self._finish(totals, slot_counts, top_k, counting)

    def draw(self, rng: np.random.Generator, count: int):
        """``count`` replicates: :meth:`derive` of the cell counts of :meth:`positions`,
        one technology at a time (one position buffer for all of them)."""
        totals, slot_counts = self._empty(count)
        room = count * int(self.sizes.max(initial=0))
        buffers = (np.empty(room, dtype=np.int32), np.empty(room, dtype=np.int64))
        for t in range(len(self.technologies)):  # technologies, not records
            self._aggregate(t, self._cell_counts(t, self._positions(rng, count, t), buffers), totals, slot_counts)
        return self._finish(totals, slot_counts, None, None)

    def _finish(self, totals: np.ndarray, slot_counts: np.ndarray, top_k: int | None, counting: str | None):
        """Shares, IPC change counts and degenerate flags from the totals and slot counts of b replicates."""
        values = shares({name: totals[:, :, j] for j, name in enumerate(CELL_FEATURES)}, self.spec)
        undefined = ~np.isfinite(values)
        values[undefined] = 0.0
        top = self.slots.top(slot_counts, self.spec.top_k if top_k is None else top_k)
        changes = self.slots.changes(top, self.spec.ipc_counting if counting is None else counting)
        empty_window = (segment_sums(slot_counts, *self._layout[3]) == 0).any(axis=1)
        return values, changes, undefined.any(axis=(1, 2)) | empty_window
