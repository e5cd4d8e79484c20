"""IPC change counts (Appendix 1 of the paper): rank the subclasses of two windows, compare.

A *subclass* is the first 4 characters of the main IPC with spaces removed, upper case
(``"h01l 21/027"`` -> ``"H01L"``). In each window the subclasses are ranked by their number
of records (ties: count descending, then code ascending) and the first ``top_k`` are kept.
For p = 1..4, a later top-k code is *new at p* when its first p characters are not the
first p characters of any earlier top-k code; then

- ``cumulative``: f_p = the number of later top-k codes new at p;
- ``distinct``: f_p = the number of distinct first-p prefixes among the codes new at p.

Both give f_1 <= f_2 <= f_3 <= f_4 <= top_k and the same f_4 (codes are distinct). They
differ when two new codes share a new prefix: earlier ``["H01L"]`` and later
``["G06F", "G06K"]`` give (2, 2, 2, 2) cumulative and (1, 1, 1, 2) distinct.

The rules have one implementation, :class:`Slots`, batched over any number of count
vectors (a table derived once, or every replicate of a resample): a *slot* is one
(technology, window, code) that can enter a top-k list. Nothing loops over technologies
or records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from ..core import rules
from ..core.options import IPC_COUNTING
from .spec import IPC_POSITIONS


def segment_sums(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Sums of ``values[:, start:end]`` per segment (empty segments give 0)."""
    total = np.zeros((values.shape[0], values.shape[1] + 1), dtype=np.int64)
    np.cumsum(values, axis=1, out=total[:, 1:])
    return total[:, ends] - total[:, starts]


def group_bounds(groups: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of each group 0..count-1 in a sorted array of group ids."""
    return np.searchsorted(groups, np.arange(count)), np.searchsorted(groups, np.arange(count), side="right")


@dataclass(frozen=True, eq=False)
class Slots:
    """The (technology, window, code) slots of m technologies, sorted by technology, window, code.

    ``technology`` indexes the technologies (0..m-1); ``window`` is 0 (earlier) or 1 (later).
    """

    technology: np.ndarray
    window: np.ndarray
    code: np.ndarray
    m: int
    _segments: tuple = field(init=False, repr=False)
    _prefixes: tuple = field(init=False, repr=False)

    def __post_init__(self):
        segment = self.technology * 2 + self.window
        object.__setattr__(self, "_segments", (segment, *group_bounds(segment, 2 * self.m)))
        earlier, later = np.flatnonzero(self.window == 0), np.flatnonzero(self.window == 1)
        prefixes = []
        for p in range(1, IPC_POSITIONS + 1):
            keys = pd.MultiIndex.from_arrays([self.technology, pd.Index(self.code).str[:p]])
            ids = pd.factorize(keys, sort=True)[0]  # sorted: technology first, then prefix
            earlier_order = earlier[np.argsort(ids[earlier], kind="stable")]
            later_order = later[np.argsort(ids[later], kind="stable")]
            count = int(ids.max()) + 1 if len(ids) else 0
            owner = np.zeros(count, dtype=np.int64)
            owner[ids] = self.technology  # non-decreasing: ids are sorted by technology first
            prefixes.append((ids, earlier_order, group_bounds(ids[earlier_order], count),
                             np.searchsorted(later, later_order), group_bounds(ids[later_order], count),
                             group_bounds(owner, self.m)))
        object.__setattr__(self, "_prefixes", (earlier, later, tuple(prefixes)))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, technologies: Sequence) -> tuple["Slots", np.ndarray]:
        """Slots from ``technology, window, code`` rows (one per slot, any order); also the
        order of the rows that sorts them like the slots."""
        index = pd.Index(list(technologies)).get_indexer(frame["technology"].astype(object))
        codes = frame["code"].to_numpy(dtype=object)
        window = frame["window"].to_numpy(dtype=np.int64)
        order = np.lexsort((codes.astype(str), window, index))
        return cls(technology=index[order], window=window[order], code=codes[order], m=len(technologies)), order

    def ranks(self, counts: np.ndarray) -> np.ndarray:
        """Rank (1-based) of every slot in its technology and window, for each row of
        ``counts (b, S)``: by count descending, then code ascending."""
        segment, starts, _ = self._segments
        counts = np.asarray(counts, dtype=np.int64)
        highest = int(counts.max(initial=0)) + 1
        order = np.argsort(segment * highest + (highest - 1 - counts), axis=1, kind="stable")
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(counts.shape[1]) - starts[segment[order]] + 1, axis=1)
        return ranks

    def top(self, counts: np.ndarray, top_k: int) -> np.ndarray:
        """``(b, S)``: the slot is among the top ``top_k`` of its window (and has a record)."""
        counts = np.asarray(counts)
        return (self.ranks(counts) <= top_k) & (counts > 0)

    def changes(self, top: np.ndarray, counting: str) -> np.ndarray:
        """f_1..f_4 ``(b, m, 4)`` of each technology from its top-k slots ``top (b, S)``."""
        rules.text(counting, "ipc_counting", choices=IPC_COUNTING)
        top = np.asarray(top, dtype=bool)
        earlier, later, prefixes = self._prefixes
        technology_starts, technology_ends = group_bounds(self.technology[later], self.m)
        counts = np.zeros((top.shape[0], self.m, IPC_POSITIONS), dtype=np.int64)
        for p, (ids, earlier_order, earlier_groups, later_order, later_groups, owners) in enumerate(prefixes):
            known = segment_sums(top[:, earlier_order], *earlier_groups) > 0   # (b, prefixes)
            new = top[:, later] & ~known[:, ids[later]]
            if counting == "distinct":  # one per new prefix: later slots grouped by prefix
                counts[:, :, p] = segment_sums(segment_sums(new[:, later_order], *later_groups) > 0, *owners)
            else:
                counts[:, :, p] = segment_sums(new, technology_starts, technology_ends)
        return counts


def rank_subclasses(counts: pd.DataFrame, top_k: int) -> pd.DataFrame:
    """The top ``top_k`` subclasses of each technology and window.

    Parameters
    ----------
    counts : DataFrame
        ``technology, window, code, count``: records per subclass (one row per code).
    top_k : int

    Returns
    -------
    DataFrame
        ``technology, window, rank, code, count``, by technology (in the order of the
        categories of ``technology`` when it is categorical, else sorted), window and rank.
    """
    technology = counts["technology"]
    technologies = (list(technology.cat.categories) if isinstance(technology.dtype, pd.CategoricalDtype)
                    else sorted(technology.unique()))
    slots, order = Slots.from_frame(counts, technologies)
    values = counts["count"].to_numpy(dtype=np.int64)[order]
    ranks = slots.ranks(values[None, :])[0]
    kept = (ranks <= top_k) & (values > 0)
    ranked = pd.DataFrame({"technology": counts["technology"].to_numpy()[order][kept],
                           "window": slots.window[kept], "rank": ranks[kept], "code": slots.code[kept],
                           "count": values[kept], "_t": slots.technology[kept]})
    ranked = ranked.sort_values(["_t", "window", "rank"], kind="stable")
    return ranked.drop(columns="_t").reset_index(drop=True)


def change_counts(top: pd.DataFrame, technologies: Sequence, counting: str,
                  windows: tuple = (0, 1)) -> np.ndarray:
    """f_1..f_4 of each technology from its ranked lists (see the module notes).

    Parameters
    ----------
    top : DataFrame
        ``technology, window, code``: the top-k codes (e.g. from :func:`rank_subclasses`).
    technologies : sequence
        The technologies, in the order of the rows returned.
    counting : {"cumulative", "distinct"}
    windows : (earlier, later)
        The values of ``window`` that are compared.

    Returns
    -------
    ndarray of int, shape (len(technologies), 4)
    """
    rules.text(counting, "ipc_counting", choices=IPC_COUNTING)
    chosen = top[top["window"].isin(windows)]
    frame = pd.DataFrame({"technology": chosen["technology"].to_numpy(),
                          "window": (chosen["window"] == windows[1]).to_numpy(dtype=np.int64),
                          "code": chosen["code"].to_numpy()})
    slots, _ = Slots.from_frame(frame, technologies)
    return slots.changes(np.ones((1, len(frame)), dtype=bool), counting)[0]


def ipc_change_counts(earlier: Sequence[str], later: Sequence[str], counting: str = "cumulative") -> tuple[int, ...]:
    """f_1..f_4 for one technology from its two top-k lists of subclass codes.

    Examples
    --------
    >>> ipc_change_counts(["H01L"], ["G06F", "G06K"], "cumulative")
    (2, 2, 2, 2)
    >>> ipc_change_counts(["H01L"], ["G06F", "G06K"], "distinct")
    (1, 1, 1, 2)
    >>> ipc_change_counts(["H01L", "G06F"], ["H01L", "H01M", "H02J"])
    (0, 0, 1, 2)
    """
    top = pd.DataFrame({"technology": 0, "window": [0] * len(earlier) + [1] * len(later),
                        "code": list(earlier) + list(later)})
    return tuple(int(f) for f in change_counts(top, [0], counting)[0])
