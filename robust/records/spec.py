"""What a records file holds (:class:`RecordColumns`) and how the paper's measurement reads it
(:class:`RecordsSpec`): two frozen specs that validate themselves.

The settings of :class:`RecordsSpec` fall in two parts, so that an analysis varying them
(a grid or a Sobol' factor) knows which ones need the records again:

- the **filters** (``focal_country``, ``published_before``, ``min_citations``,
  ``merge_families``) decide which records are kept; they are applied by the engine
  (:mod:`robust.records.engine`) when it reduces the records to their sufficient
  statistics (:class:`~robust.records.engine.RecordStatistics`);
- the **derivation** (``windows``, ``top_k``, ``ipc_counting``, ``claims_ratio``,
  ``pct_ratio``) turns those statistics into the indicator table
  (:func:`robust.records.derive.derive_table`) without reading a record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields, replace

from ..core import rules
from ..core.errors import InputError
from ..core.ipc import DEFAULT_TOP_K
from ..core.options import IPC_COUNTING, RATIO_READINGS

IPC_POSITIONS = 4  # a subclass has 4 characters: section, two class digits, subclass letter
SUBCLASS_PATTERN = "[A-Z][0-9]{2}[A-Z]"  # letter, digit, digit, letter (Python and DuckDB regex)
SHARES: tuple[str, ...] = ("app_share", "cite_share", "claim_share", "pct_share")
IPC_COLUMNS: tuple[str, ...] = tuple(f"ipc_p{p}" for p in range(1, IPC_POSITIONS + 1))
REMOVED_COLUMNS: tuple[str, ...] = ("removed_published_before", "removed_min_citations",
                                    "removed_merge_families")
FILTER_SETTINGS: tuple[str, ...] = ("focal_country", "published_before", "min_citations", "merge_families")
RECORDS_CHOICES: tuple[str, ...] = ("top_k", "split_year", "ipc_counting", "min_citations", "merge_families")


@dataclass(frozen=True)
class RecordColumns:
    """Which column of a records file plays which role (one row per patent document).

    Parameters
    ----------
    technology : str
        The technology field a record belongs to; it becomes the technology's id.
    patent : str
        The document id (publication number), unique over the file.
    filed : str
        Filing (application) date, ``YYYY-MM-DD``, or a year ``YYYY`` (taken as 1 January
        when families are merged).
    country : str
        Applicant country code; a record is *focal* when it equals ``focal_country``
        (case and surrounding spaces ignored; an empty cell is not focal).
    ipc : str
        Main IPC classification, any spacing and case (``"H01L 21/027"``, ``"h01l21/00"``).
    citations : str
        Citations received, a whole number >= 0.
    claims : str
        Number of claims, a whole number >= 0.
    pct : str
        Filed under the PCT: a non-empty cell (an application number, ``true``, ``1``, ...)
        except ``0``, ``false``, ``no``; a boolean or number column as such.
    family : str, optional
        Simple family id; records without one (or an empty cell) are families of their own.
        Without this column no families are merged.
    published : str, optional
        Publication date, ``YYYY-MM-DD``; needed by ``published_before``.
    """

    technology: str
    patent: str
    filed: str
    country: str
    ipc: str
    citations: str
    claims: str
    pct: str
    family: str | None = None
    published: str | None = None

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            if value is not None or field.default is not None:
                rules.text(value, field.name)
        used = [name for name in self.names().values()]
        repeated = sorted({name for name in used if used.count(name) > 1})
        if repeated:
            roles = [role for role, name in self.names().items() if name == repeated[0]]
            raise InputError(f"column {repeated[0]!r} is given for two roles: {', '.join(roles)}")

    def names(self) -> dict[str, str]:
        """Role -> column name, for the roles given, in the order of the fields."""
        return {field.name: getattr(self, field.name) for field in fields(self)
                if getattr(self, field.name) is not None}

    def resolved(self) -> dict:
        return self.names()


@dataclass(frozen=True)
class RecordsSpec:
    """How records become Table 2: the filters and the derivation (see the module notes).

    Parameters
    ----------
    windows : ((int, int), (int, int))
        The two filing-year windows whose top IPC subclasses are compared (inclusive); the
        second starts after the first ends. Records outside both still count in the shares.
    focal_country : str
        The country whose share is measured (default ``"CN"``).
    published_before : datetime.date, optional
        Keep the records published strictly before this date (default: every record).
    min_citations : int
        Keep the records cited at least this often (default 1, the paper's).
    merge_families : bool
        One record per (technology, family): the earliest filing, ties by the lowest patent
        id (string order). Default True; it needs the family column (without it nothing is
        merged).
    top_k : int
        How many subclasses of each window are compared (default 20).
    ipc_counting : {"cumulative", "distinct"}
        ``cumulative``: f_p is the number of later top-k codes whose first p characters are
        not those of any earlier top-k code; ``distinct``: the number of distinct first-p
        prefixes of the later top-k that no earlier top-k code has (default cumulative).
    claims_ratio, pct_ratio : {"share", "per_record"}
        ``share`` (Table 2's heading, the default): focal claims / all claims, focal PCT
        records / all PCT records. ``per_record`` (Table 1's wording): focal claims / all
        records, focal PCT records / all records.

    The filters apply in the order ``published_before``, ``min_citations``,
    ``merge_families``, so a family is represented by its earliest member that passed the
    first two.
    """

    windows: tuple[tuple[int, int], tuple[int, int]]
    focal_country: str = "CN"
    published_before: datetime.date | None = None
    min_citations: int = 1
    merge_families: bool = True
    top_k: int = DEFAULT_TOP_K
    ipc_counting: str = "cumulative"
    claims_ratio: str = "share"
    pct_ratio: str = "share"

    def __post_init__(self):
        country = rules.text(self.focal_country, "focal_country").strip().upper()
        if not country:
            raise InputError("focal_country must be a country code, got an empty string")
        checked = {
            "windows": rules.year_windows(self.windows, "windows"),
            "focal_country": country,
            "published_before": None if self.published_before is None
            else rules.iso_date(self.published_before, "published_before"),
            "min_citations": rules.integer(self.min_citations, "min_citations", low=0),
            "merge_families": rules.flag(self.merge_families, "merge_families"),
            "top_k": rules.integer(self.top_k, "top_k", low=1),
            "ipc_counting": rules.text(self.ipc_counting, "ipc_counting", choices=IPC_COUNTING),
            "claims_ratio": rules.text(self.claims_ratio, "claims_ratio", choices=RATIO_READINGS),
            "pct_ratio": rules.text(self.pct_ratio, "pct_ratio", choices=RATIO_READINGS),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    @property
    def filters(self) -> tuple:
        """The settings the engine applies (equal filters give equal statistics)."""
        return tuple(getattr(self, name) for name in FILTER_SETTINGS)

    def window_labels(self) -> tuple[str, str]:
        """``("2001-2010", "2011-2021")``: how the windows are named in ``ipc_top.csv``."""
        return tuple(f"{first}-{last}" for first, last in self.windows)

    def with_split_year(self, year: int) -> "RecordsSpec":
        """The same spec with the boundary moved: the first window ends at ``year``."""
        (first, _), (_, last) = self.windows
        return replace(self, windows=((first, year), (year + 1, last)))

    def choices(self) -> dict:
        """The data choices of this spec (:data:`RECORDS_CHOICES`; see :mod:`robust.analyses.specifications`)."""
        return {"top_k": self.top_k, "split_year": self.windows[0][1], "ipc_counting": self.ipc_counting,
                "min_citations": self.min_citations, "merge_families": self.merge_families}

    def with_choices(self, setting: dict) -> "RecordsSpec":
        """The same spec with the data choices of ``setting`` (a mapping of :data:`RECORDS_CHOICES`)."""
        changed = self.with_split_year(setting["split_year"]) if "split_year" in setting else self
        return replace(changed, **{key: value for key, value in setting.items() if key != "split_year"})

    def resolved(self) -> dict:
        return {
            "windows": [list(window) for window in self.windows],
            "focal_country": self.focal_country,
            "published_before": None if self.published_before is None else self.published_before.isoformat(),
            "min_citations": self.min_citations,
            "merge_families": self.merge_families,
            "top_k": self.top_k,
            "ipc_counting": self.ipc_counting,
            "claims_ratio": self.claims_ratio,
            "pct_ratio": self.pct_ratio,
        }
