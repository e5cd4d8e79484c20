"""``[dynamism] ipc_lists``: the IPC counts of a ``[data]`` table from ranked IPC lists.

A user with only the ranked lists of the top IPC subclasses of two windows (not the patent
records) names the lists file in ``[dynamism]``; the run derives ``ipc_p1..ipc_p4`` with the
counting rules of :mod:`robust.records.ipc` (:mod:`robust.records.lists`), writes them
(``indicators.csv``, ``ipc_top.csv``) and scores them with the amplitudes of ``[dynamism]``.
``top_k`` and ``ipc_counting`` are data choices (``[specifications]``, ``[sobol.factors]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..core.errors import InputError
from ..io.results import file_sha256
from ..records.lists import (
    DerivedLists,
    ListsSpec,
    derive_from_lists,
    read_ranked_lists,
)
from .reader import Section

LISTS_KEYS: tuple[str, ...] = ("ipc_lists", "top_k", "ipc_counting")


@dataclass(frozen=True)
class ListsData:
    """A parsed ``ipc_lists`` of ``[dynamism]``: the lists file and how it is read."""

    path: str
    file: Path
    spec: ListsSpec

    def derive(self, table: Path, *, id_column: str, indicators: Sequence[str], label: str) -> DerivedLists:
        """The table at ``table`` with the IPC counts of the lists (one-line errors naming the files)."""
        lists = read_ranked_lists(self.file, label=str(self.file))
        return derive_from_lists(table, lists, id_column=id_column, indicators=indicators, spec=self.spec,
                                 label=label)

    def sha256(self) -> str:
        return file_sha256(self.file)

    def resolved(self) -> dict:
        return {"path": self.path, **self.spec.resolved()}


def parse_lists(section: Section, config_path: Path) -> ListsData | None:
    """``ipc_lists``, ``top_k`` and ``ipc_counting`` of ``[dynamism]`` (None without ipc_lists)."""
    given = [key for key in LISTS_KEYS if section.get(key, None) is not None]  # all known to finish()
    if "ipc_lists" not in given:
        if given:
            raise InputError(f"{section.where(given[0])} applies only with ipc_lists (ranked IPC lists); "
                             "with [records] it is a key of [records]")
        return None
    path = section.text("ipc_lists")
    top_k = section.integer("top_k", None, low=1)
    try:
        spec = ListsSpec(top_k=top_k, ipc_counting=section.text("ipc_counting", "cumulative"))
    except InputError as error:
        raise InputError(f"{section.label}: [dynamism] {error}") from None
    return ListsData(path=path, file=(config_path.parent / path).resolve(), spec=spec)
