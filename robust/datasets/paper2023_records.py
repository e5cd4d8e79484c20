"""SYNTHETIC patent records calibrated to the paper's Table 2 (``builtin:paper2023_records``).

No public package ships the paper's patents (an incoPat export). These records are
**synthetic**: constructed, technology by technology, so that the paper's measurement
(section 2.2 and Appendix 1: published before 2021-06-01, cited at least once, simple
families merged, top-20 main IPC subclasses of 2001-2010 and 2011-2021, cumulative counts)
gives Table 2 *exactly*: every ratio equals the printed 4-decimal value (a ratio of whole
numbers equal to it, so the floats are identical) and every IPC count is the printed one.
They are not the paper's patents, and nothing else about them is calibrated; the sample
sizes are assumptions (the paper gives none): see :func:`paper2023_records_sizes`.

How a technology is built (all from one fixed seed, through
:func:`robust.compute.seeds.analysis_seed`):

- **Kept records.** N records, N_f of them focal (applicant country ``CN``), with
  N_f / N = ``app_share``; N is the smallest multiple of the share's denominator at least
  an assumed size (4,000-12,000) and large enough that PCT filings are at most 40% of the
  records. Citations (heavy-tailed, log-normal shape, each >= 1) and claims (1-40) are
  drawn with exact focal and total sums; PCT filings (a minority) likewise.
- **IPC.** An earlier top-20 list of subclasses and a later one, where the later list has
  ``f_p - f_(p-1)`` new codes whose first p characters are new; each new code has a new
  prefix of its own, so the ``cumulative`` and ``distinct`` readings give the same counts
  (Table 2 cannot tell them apart, and neither can these records). Counts fall with rank,
  and every subclass below rank 20 has fewer records than rank 20 (no tie decides the
  list).
- **Filing years.** About 4-10% of the kept records are filed in 1991-2000, outside both
  windows (they count in the shares only); the rest in 2001-2010 and 2011 to February
  2021, growing over the years; publication 6-30 months after filing, before the cut-off.
- **Records the filters remove.** Records published on or after 2021-06-01; records never
  cited; and further family members (families of 1-3 documents): 10-20% of the kept records
  get one (half of them the grant of the same application, filed the same day with a higher
  id; the others a counterpart filed 1-12 months later), 2-6% a second (a counterpart).
"""

from __future__ import annotations

import functools
from fractions import Fraction
from math import ceil

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..compute.seeds import analysis_seed, stream
from ..records.spec import RecordColumns
from .builtin import builtin_path
from .paper2023 import (
    PAPER_FOCAL_COUNTRY,
    PAPER_INDICATORS,
    PAPER_IPC_CHANGES,
    PAPER_PUBLISHED_BEFORE,
    PAPER_RECORDS_SPEC,
    PAPER_TOP_K,
    PAPER_WINDOWS,
)

RECORDS_SEED = 20230401
SEED_NAME = "paper2023_records"
MAX_PCT_FRACTION = 0.4
SECTIONS = "ABCDEFGH"
OTHER_COUNTRIES = ("US", "JP", "KR", "DE", "FR", "GB", "NL", "CH", "TW", "SE")
OTHER_WEIGHTS = (0.32, 0.24, 0.12, 0.1, 0.05, 0.04, 0.04, 0.03, 0.03, 0.03)
CUTOFF = np.datetime64(PAPER_PUBLISHED_BEFORE.isoformat())

PAPER_RECORDS_COLUMNS = RecordColumns(
    technology="Tech Field", patent="Pub No", family="Family ID", filed="Application Date",
    published="Publication Date", country="Applicant Country", ipc="Main IPC",
    citations="Times Cited", claims="Claims", pct="PCT Application No",
)
__all__ = ["PAPER_RECORDS_COLUMNS", "PAPER_RECORDS_SPEC", "paper2023_records", "paper2023_records_arrow",
           "paper2023_records_sizes"]


def integers_with_sum(rng: np.random.Generator, n: int, total: int, low: int, high: int,
                      sigma: float) -> np.ndarray:
    """n integers in [low, high] summing to ``total``, shaped like a log-normal(0, sigma) sample."""
    if not n * low <= total <= n * high:
        raise ValueError(f"no {n} integers in [{low}, {high}] sum to {total}")
    weights = rng.lognormal(0.0, sigma, n)
    values = np.minimum(low + np.floor((total - n * low) * weights / weights.sum()).astype(np.int64), high)
    while (rest := total - int(values.sum())) > 0:  # a few rounds of +1, never a loop over values
        room = np.flatnonzero(values < high)
        values[rng.choice(room, size=min(rest, len(room)), replace=False)] += 1
    return values


def _sizes(rng: np.random.Generator, shares: list[Fraction]) -> dict[str, int]:
    """The kept records' sizes: every share a ratio of whole numbers equal to the printed value."""
    app, cite, claim, pct = shares
    base = int(rng.integers(4_000, 12_001))
    pct_rate = rng.uniform(0.10, 0.30)
    pct_records = pct.denominator * max(1, round(pct_rate * base / pct.denominator))
    n = max(base, ceil(pct_records / MAX_PCT_FRACTION))
    n = app.denominator * ceil(n / app.denominator)
    while pct * pct_records > app * n or (1 - pct) * pct_records > (1 - app) * n:
        n += app.denominator
    n_focal = int(app * n)
    citations = cite.denominator * max(1, round(rng.uniform(6, 12) * n / cite.denominator))
    while cite * citations < n_focal or (1 - cite) * citations < n - n_focal:
        citations += cite.denominator
    claims = claim.denominator * max(1, round(rng.uniform(9, 15) * n / claim.denominator))
    while claim * claims < n_focal or (1 - claim) * claims < n - n_focal:
        claims += claim.denominator
    return {"n": n, "n_focal": n_focal, "pct": pct_records, "pct_focal": int(pct * pct_records),
            "citations": citations, "citations_focal": int(cite * citations),
            "claims": claims, "claims_focal": int(claim * claims)}


def _codes(rng: np.random.Generator, changes: tuple[int, ...]) -> tuple[list[str], list[str], list[str]]:
    """Earlier and later top-20 subclass lists with the given cumulative counts; the dropped codes."""
    sections = [str(s) for s in rng.choice(list(SECTIONS), size=3, replace=False)]
    classes = [f"{s}{d}" for s in sections for d in rng.choice(10, size=2, replace=False)]
    groups = [f"{c}{d}" for c in classes for d in rng.choice(10, size=3, replace=False)]
    letters = [chr(65 + i) for i in range(26)]
    pool = [f"{g}{x}" for g in groups for x in rng.choice(letters, size=4, replace=False)]
    earlier = [str(code) for code in rng.choice(pool, size=PAPER_TOP_K, replace=False)]
    prefixes = [{code[:p] for code in earlier} for p in range(1, 5)]
    new_counts = np.diff((0, *changes))
    new: list[str] = []
    for level, count in enumerate(new_counts, start=1):  # four positions, not records
        if level == 1:
            candidates = [s for s in SECTIONS if s not in prefixes[0]]
        else:
            candidates = [f"{prefix}{x}" for prefix in sorted(prefixes[level - 2])
                          for x in (letters if level == 4 else "0123456789") if f"{prefix}{x}" not in prefixes[level - 1]]
        for prefix in rng.choice(candidates, size=count, replace=False):
            digits = "".join(str(d) for d in rng.integers(0, 10, size=max(0, 3 - len(prefix))))
            tail = (str(prefix) + digits)[:3]
            new.append(str(prefix) if level == 4 else tail + str(rng.choice(letters)))
    dropped = [str(code) for code in rng.choice(earlier, size=len(new), replace=False)]
    later = [code for code in earlier if code not in dropped] + new
    return earlier, [str(code) for code in rng.permutation(later)], dropped


def _window_codes(rng: np.random.Generator, n: int, top: list[str], tail_first: list[str]) -> np.ndarray:
    """The subclasses of n records: ``top`` in rank order with falling counts, then a tail below rank 20."""
    exponent = rng.uniform(0.6, 1.0)
    shape = np.arange(1, len(top) + 1) ** -exponent
    counts = np.floor(rng.uniform(0.7, 0.85) * n * shape / shape.sum()).astype(np.int64)
    counts[-1] = max(counts[-1], 2)
    for rank in range(len(top) - 2, -1, -1):  # 20 ranks
        counts[rank] = max(counts[rank], counts[rank + 1] + 1)
    rest = n - int(counts.sum())
    if rest < 0:
        raise ValueError(f"{n} records are too few for a top-{len(top)} list")
    highest = int(counts[-1]) - 1
    size = min(rest, max(ceil(rest / highest), ceil(2 * rest / (1 + highest))))
    taken = set(top) | set(tail_first)
    others = [f"{s}{d:02d}{chr(65 + x)}" for s, d, x in zip(rng.choice(sorted({c[0] for c in top}), size=4 * size + 8),
                                                             rng.integers(1, 100, size=4 * size + 8),
                                                             rng.integers(0, 26, size=4 * size + 8))]
    tail = list(dict.fromkeys([*tail_first, *(code for code in others if code not in taken)]))[:size]
    tail_counts = integers_with_sum(rng, len(tail), rest, 1, highest, 0.8) if rest else np.zeros(0, np.int64)
    return rng.permutation(np.repeat(np.array(top + tail, dtype=object), np.concatenate([counts, tail_counts])))


def _dates(rng: np.random.Generator, n: int, first: int, last: int, growth: float,
           last_day: str | None = None) -> np.ndarray:
    """n filing dates in the years first..last, more in later years (up to ``last_day`` in the last)."""
    years = np.arange(first, last + 1)
    weights = growth ** (years - first)
    year = rng.choice(years, size=n, p=weights / weights.sum())
    starts = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    ends = (year - 1969).astype("datetime64[Y]").astype("datetime64[D]")
    if last_day is not None:
        ends = np.where(year == last, np.datetime64(last_day) + 1, ends)
    return starts + (rng.random(n) * (ends - starts).astype(np.int64)).astype("timedelta64[D]")


def _strings(values) -> pa.Array:
    if isinstance(values, pa.Array):
        return values
    values = np.asarray(values)
    return pc.cast(pa.array(values), pa.string()) if values.dtype.kind in "iu" else pa.array(values, pa.string())


def _join(*parts) -> pa.Array:
    """Elementwise string concatenation of arrays (or plain strings)."""
    return pc.binary_join_element_wise(*(part if isinstance(part, str) else _strings(part) for part in parts), "")


def _padded(number: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(pc.cast(pa.array(number, pa.int64()), pa.string()), width=width, padding="0")


def _ids(number: np.ndarray, office: np.ndarray, *, granted: bool = False) -> pa.Array:
    """Publication numbers: office prefix, a unique number, the kind code (B for a grant)."""
    cn = pa.array(office == "CN", pa.bool_())
    kind = pc.if_else(cn, "B" if granted else "A", "B2" if granted else "A1")
    return _join(office, pc.if_else(cn, _padded(number, 9), _padded(number, 10)), kind)


def _ipc_text(rng: np.random.Generator, codes: np.ndarray) -> pa.Array:
    """Main IPC symbols around the subclasses, in the spellings exports use."""
    n = len(codes)
    codes = _strings(codes)
    group = _join(rng.integers(1, 100, n), "/", rng.choice(["00", "02", "04", "06", "10", "12", "14", "027", "105"], n))
    style = rng.random(n)
    spelled = pc.if_else(pa.array(style < 0.9), _join(codes, group), _join(pc.utf8_lower(codes), " ", group))
    return pc.if_else(pa.array(style < 0.7), _join(codes, " ", group), spelled)


def _days(rng: np.random.Generator, n: int, low: int, high: int) -> np.ndarray:
    return rng.integers(low, high, n).astype("timedelta64[D]")


def _claims(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.clip(np.round(rng.lognormal(np.log(11), 0.5, n)), 1, 40).astype(np.int64)


def _frame(rng, name, number, office, family, filed, published, country, codes, citations, claims, pct, *,
           granted=None) -> pa.Table:
    """A block of records as an Arrow table (``granted``: which ids are the grant of the application)."""
    n = len(number)
    year = filed.astype("datetime64[Y]").astype(np.int64) + 1970
    ids = _ids(number, office)
    if granted is not None:
        ids = pc.if_else(pa.array(granted, pa.bool_()), _ids(number, office, granted=True), ids)
    return pa.table({
        "Pub No": ids,
        "Tech Field": pa.array([name] * n, pa.string()),
        "Family ID": _strings(family),
        "Application Date": pc.cast(pa.array(filed, pa.date32()), pa.string()),
        "Publication Date": pc.cast(pa.array(published, pa.date32()), pa.string()),
        "Applicant Country": _strings(country),
        "Main IPC": _ipc_text(rng, codes),
        "Times Cited": pa.array(citations, pa.int64()),
        "Claims": pa.array(claims, pa.int64()),
        "PCT Application No": pc.if_else(pa.array(pct, pa.bool_()),
                                         _join("PCT/", country, year, "/", _padded(rng.integers(0, 10**6, n), 6)),
                                         pa.scalar(None, pa.string())),
    })


def _technology(rng: np.random.Generator, index: int, name: str, shares: list[Fraction],
                changes: tuple[int, ...]) -> tuple[pa.Table, dict[str, int]]:
    """The records of one technology (see the module notes) and their sizes."""
    sizes = _sizes(rng, shares)
    n, n_focal = sizes["n"], sizes["n_focal"]
    focal = np.arange(n) < n_focal
    pct = np.zeros(n, dtype=bool)
    pct[rng.choice(n_focal, sizes["pct_focal"], replace=False)] = True
    pct[n_focal + rng.choice(n - n_focal, sizes["pct"] - sizes["pct_focal"], replace=False)] = True
    citations = np.concatenate([
        integers_with_sum(rng, n_focal, sizes["citations_focal"], 1, 5_000, 1.1),
        integers_with_sum(rng, n - n_focal, sizes["citations"] - sizes["citations_focal"], 1, 5_000, 1.1)])
    claims = np.concatenate([
        integers_with_sum(rng, n_focal, sizes["claims_focal"], 1, 40, 0.45),
        integers_with_sum(rng, n - n_focal, sizes["claims"] - sizes["claims_focal"], 1, 40, 0.45)])
    outside, first = round(rng.uniform(0.04, 0.10) * n), round(rng.uniform(0.25, 0.40) * n)
    earlier, later, dropped = _codes(rng, changes)
    early_codes = _window_codes(rng, first, earlier, [])
    growth = rng.uniform(1.05, 1.18)
    (a0, a1), (b0, b1) = PAPER_WINDOWS
    codes = np.concatenate([rng.choice(early_codes, outside), early_codes,
                            _window_codes(rng, n - outside - first, later, dropped)])
    filed = np.concatenate([_dates(rng, outside, a0 - 10, a0 - 1, growth), _dates(rng, first, a0, a1, growth),
                            _dates(rng, n - outside - first, b0, b1, growth, last_day=f"{b1}-02-28")])
    order = rng.permutation(n)  # which kept records fall in which window
    codes, filed = codes[order], filed[order]
    published = np.minimum(filed + _days(rng, n, 180, 900), CUTOFF - 1)
    country = np.where(focal, PAPER_FOCAL_COUNTRY, rng.choice(OTHER_COUNTRIES, n, p=OTHER_WEIGHTS))
    numbers = 100_000_000 + 1_000_000 * index + np.arange(10 * n)  # more than ever used
    family = _join("F", numbers[:n])
    parts = [_frame(rng, name, numbers[:n], country, family, filed, published, country, codes, citations,
                    claims, pct)]
    used = n

    # removed by the filters: published on or after the cut-off, never cited
    for removed, kind in ((round(rng.uniform(0.03, 0.08) * n), "late"), (round(rng.uniform(0.08, 0.20) * n), "zero")):
        is_focal = rng.random(removed) < float(shares[0])
        other = np.where(is_focal, PAPER_FOCAL_COUNTRY, rng.choice(OTHER_COUNTRIES, removed, p=OTHER_WEIGHTS))
        if kind == "late":
            when = _dates(rng, removed, b1 - 2, b1, 1.0, last_day=f"{b1}-05-31")
            out = CUTOFF + _days(rng, removed, 0, 540)
            cited = rng.poisson(0.3, removed)
        else:
            when = _dates(rng, removed, a0, b1 - 1, growth)
            out = np.minimum(when + _days(rng, removed, 180, 900), CUTOFF - 1)
            cited = np.zeros(removed, dtype=np.int64)
        block = numbers[used:used + removed]
        parts.append(_frame(rng, name, block, other, _join("F", block),
                            when, out, other, rng.choice(codes, removed), cited, _claims(rng, removed),
                            rng.random(removed) < sizes["pct"] / n))
        sizes[f"removed_{kind}"] = removed
        used += removed

    # further family members: the grant (same filing day, higher id) or a later counterpart
    members = rng.choice(n, round(rng.uniform(0.10, 0.20) * n), replace=False)
    third = members[:round(rng.uniform(0.02, 0.06) * n)]
    for who, grant_share in ((members, 0.5), (third, 0.0)):
        k = len(who)
        grant = rng.random(k) < grant_share
        when = filed[who] + np.where(grant, 0, rng.integers(30, 366, k)).astype("timedelta64[D]")
        office = np.where(grant, country[who], rng.choice(["US", "EP", "JP", "WO", "KR"], k))
        number = np.where(grant, numbers[who], numbers[used:used + k])
        parts.append(_frame(rng, name, number, office, family.take(pa.array(who)), when,
                            when + _days(rng, k, 180, 900), country[who], codes[who], rng.poisson(2.0, k),
                            _claims(rng, k), rng.random(k) < sizes["pct"] / n, granted=grant))
        used += k
    sizes["family_members"] = len(members) + len(third)
    records = pa.concat_tables(parts)
    return records.take(pa.array(rng.permutation(len(records)))), sizes


def _table2() -> pd.DataFrame:
    return pd.read_csv(builtin_path("paper2023"), dtype={name: str for name in PAPER_INDICATORS})


@functools.lru_cache(maxsize=1)
def _build() -> tuple[pa.Table, pd.DataFrame]:
    table = _table2()
    root = analysis_seed(RECORDS_SEED, SEED_NAME)
    parts, sizes = [], []
    for index, row in table.iterrows():  # 20 technologies
        shares = [Fraction(row[name]) for name in PAPER_INDICATORS]
        changes = tuple(int(row[name]) for name in PAPER_IPC_CHANGES)
        records, size = _technology(stream(root, index), index, row["name_en"], shares, changes)
        parts.append(records)
        sizes.append({"technology": row["name_en"], **size, "records": len(records)})
    return pa.concat_tables(parts), pd.DataFrame(sizes)


def paper2023_records() -> pd.DataFrame:
    """SYNTHETIC patent records calibrated to Table 2 of the paper (not the paper's patents).

    One row per patent document, with the columns of :data:`PAPER_RECORDS_COLUMNS`
    (dates as ``YYYY-MM-DD`` text). Through the paper's measurement
    (:data:`PAPER_RECORDS_SPEC`) they give Table 2 exactly; see the module notes for how
    they are built and :func:`paper2023_records_sizes` for the assumed sizes. The same
    records every call (a fixed seed).

    Examples
    --------
    >>> records = paper2023_records()
    >>> records["Tech Field"].iloc[0], int(records["Claims"].between(1, 40).mean())
    ('lithography machine', 1)
    """
    return _build()[0].to_pandas()


def paper2023_records_arrow() -> pa.Table:
    """The records of :func:`paper2023_records` as a pyarrow Table (what the pipeline reads)."""
    return _build()[0]


def paper2023_records_sizes() -> pd.DataFrame:
    """The assumed sample sizes, per technology (the paper gives none).

    ``n`` kept records (``n_focal`` focal), ``pct`` PCT filings, ``citations`` and
    ``claims`` in total (``*_focal``: of the focal records), the records removed by
    ``published_before`` (``removed_late``) and ``min_citations`` (``removed_zero``), the
    ``family_members`` merged away, and all ``records`` of the technology.
    """
    return _build()[1].copy()


BUILTIN_RECORDS = {"paper2023_records": paper2023_records_arrow}  # ``builtin:<name>`` in [records] path
