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

Everything here works on tidy frames of all technologies at once (no loop over
technologies or records).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ..core import rules
from ..core.options import IPC_COUNTING
from .spec import IPC_POSITIONS


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
    ranked = counts.sort_values(["technology", "window", "count", "code"],
                                ascending=[True, True, False, True], kind="stable")
    ranked = ranked.assign(rank=ranked.groupby(["technology", "window"], observed=True).cumcount() + 1)
    ranked = ranked[ranked["rank"] <= top_k]
    return ranked[["technology", "window", "rank", "code", "count"]].reset_index(drop=True)


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
    earlier, later = (top[top["window"] == window] for window in windows)
    technology = pd.Index(technologies)
    counts = np.zeros((len(technology), IPC_POSITIONS), dtype=np.int64)
    for p in range(1, IPC_POSITIONS + 1):  # four character positions, not records
        known = pd.MultiIndex.from_arrays([earlier["technology"].to_numpy(), earlier["code"].str[:p].to_numpy()])
        prefix = later["code"].str[:p].to_numpy()
        new = ~pd.MultiIndex.from_arrays([later["technology"].to_numpy(), prefix]).isin(known)
        found = pd.DataFrame({"technology": later["technology"].to_numpy()[new], "prefix": prefix[new]})
        if counting == "distinct":
            found = found.drop_duplicates()
        per_technology = found.groupby("technology", observed=False, sort=False).size()
        counts[:, p - 1] = per_technology.reindex(technology, fill_value=0).to_numpy()
    return counts


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
