"""Where a quadrant holds: a box of factor ranges found by PRIM-style peeling (Friedman & Fisher 1999).

Given the draws of a design and a 0/1 outcome (1: the technology keeps its quadrant), the box
starts as every draw and is *peeled*: at each step, each continuous variable offers to cut the
``peel`` share of the box's draws with its lowest or its highest values, and each level of a
discrete factor offers to drop that level; the cut that leaves the highest share of ones in the
box (its *density*) is taken. Peeling stops when the density reaches ``target``, when no cut
raises it, or when a cut would leave fewer than ``min_support`` draws. A peel of whole shares
overshoots a sharp threshold by up to one share, so each restricted bound is then *trimmed*:
moved inward to the box's extreme value among the draws with outcome 1 (this drops draws with
outcome 0 only), *pasted* (Friedman & Fisher's second step): moved outward over the draws just
outside it as far as the density stays at least the box's, and trimmed again. The box is then
simplified: a restriction is removed again while the density stays at least the box's (or the
target), and refined once more. Friedman & Fisher (1999), "Bump hunting in high-dimensional data", Statistics and
Computing 9(2):123-143, doi:10.1023/A:1008894516817.

*Coverage* is the share of all the draws with outcome 1 that lie in the box, *density* the share
of the box's draws with outcome 1. A continuous bound is reported half-way between the box's
extreme value and the nearest value outside it, and only where the box cuts the variable's range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_PEEL = 0.05
DEFAULT_TARGET = 0.99


@dataclass(frozen=True)
class Restriction:
    """One side of the box: ``low <= variable <= high`` (NaN: that side is not restricted), or, for a
    level of a discrete factor, the level left out (``level`` set, ``low = high = 0``)."""

    variable: str
    low: float
    high: float
    level: int | None = None


@dataclass(frozen=True)
class Box:
    restrictions: tuple[Restriction, ...]
    coverage: float
    density: float
    support: int


def _density(labels: np.ndarray, inside: np.ndarray) -> float:
    count = inside.sum()
    return float(labels[inside].sum() / count) if count else 0.0


def _members(values, discrete, bounds, dropped) -> np.ndarray:
    """The draws inside the box of ``bounds`` (continuous columns) and ``dropped`` levels."""
    inside = np.ones(values.shape[0], dtype=bool)
    for j, (low, high) in bounds.items():
        inside &= (values[:, j] >= low) & (values[:, j] <= high)
    for j, left_out in dropped.items():
        if left_out:
            inside &= ~np.isin(values[:, j], list(left_out))
    return inside


def peel_box(values: np.ndarray, discrete: np.ndarray, labels: np.ndarray, *, names, peel: float = DEFAULT_PEEL,
             target: float = DEFAULT_TARGET, min_support: int = 100) -> Box:
    """The PRIM box of ``labels (n,)`` over the variables ``values (n, D)``.

    ``discrete[j]`` marks a column of level indices (its levels are dropped one at a time);
    ``names`` name the columns.
    """
    labels = np.asarray(labels, dtype=bool)
    n, d = values.shape
    bounds = {j: (values[:, j].min(), values[:, j].max()) for j in range(d) if not discrete[j]}
    dropped = {j: set() for j in range(d) if discrete[j]}
    inside = np.ones(n, dtype=bool)
    density = _density(labels, inside)
    while density < target and inside.sum() > min_support:
        best = None
        count = inside.sum()
        cut = max(1, int(peel * count))
        for j in bounds:
            column = values[inside, j]
            lowest, highest = np.partition(column, (cut - 1, count - cut))[[cut - 1, count - cut]]
            for side, keep in (("low", values[:, j] > lowest), ("high", values[:, j] < highest)):
                candidate = inside & keep
                size = int(candidate.sum())
                if size < min_support or size == count:
                    continue
                score = (_density(labels, candidate), size)
                if best is None or score > best[0]:
                    best = (score, ("bound", j, side, candidate))
        for j, left_out in dropped.items():
            for level in np.unique(values[inside, j]):
                candidate = inside & (values[:, j] != level)
                size = int(candidate.sum())
                if size < min_support:
                    continue
                score = (_density(labels, candidate), size)
                if best is None or score > best[0]:
                    best = (score, ("level", j, int(level), candidate))
        if best is None or best[0][0] <= density:
            break
        kind, j, what, candidate = best[1]
        if kind == "bound":
            low, high = bounds[j]
            kept = values[candidate, j]
            bounds[j] = (kept.min(), high) if what == "low" else (low, kept.max())
        else:
            dropped[j].add(what)
        inside = _members(values, discrete, bounds, dropped)
        density = _density(labels, inside)
    full = {j: (values[:, j].min(), values[:, j].max()) for j in bounds}
    _refine(values, discrete, labels, bounds, dropped, full)
    goal = min(target, _density(labels, _members(values, discrete, bounds, dropped)))
    _simplify(values, discrete, labels, bounds, dropped, goal, min_support)
    _refine(values, discrete, labels, bounds, dropped, full)
    inside = _members(values, discrete, bounds, dropped)
    return Box(restrictions=_restrictions(values, bounds, dropped, names), coverage=float(
        labels[inside].sum() / max(labels.sum(), 1)), density=_density(labels, inside), support=int(inside.sum()))


def _refine(values, discrete, labels, bounds, dropped, full) -> None:
    """Trim, paste and trim again (module notes)."""
    _trim(values, labels, bounds, full, _members(values, discrete, bounds, dropped))
    _paste(values, discrete, labels, bounds, dropped, full)
    _trim(values, labels, bounds, full, _members(values, discrete, bounds, dropped))


def _paste(values, discrete, labels, bounds, dropped, full) -> None:
    """Move each restricted bound outward over the draws beyond it while the box's density does not fall."""
    changed = True
    while changed:
        changed = False
        for j in [j for j in bounds if bounds[j] != full[j]]:
            inside = _members(values, discrete, bounds, dropped)
            ones, count = labels[inside].sum(), inside.sum()
            others = _members(values, discrete, {i: b for i, b in bounds.items() if i != j}, dropped)
            low, high = bounds[j]
            for side in ("low", "high"):
                beyond = others & ((values[:, j] < low) if side == "low" else (values[:, j] > high))
                if not beyond.any():
                    continue
                order = np.argsort(values[beyond, j], kind="stable")
                order = order[::-1] if side == "low" else order
                extent = values[beyond, j][order]
                gained = np.cumsum(labels[beyond][order])
                density = (ones + gained) / (count + np.arange(1, order.size + 1))
                keep = np.flatnonzero(density >= ones / count * (1 - 1e-12))
                if keep.size:
                    edge = extent[keep[-1]]
                    low, high = (edge, high) if side == "low" else (low, edge)
                    ones, count = ones + gained[keep[-1]], count + keep[-1] + 1
            if (low, high) != bounds[j]:
                bounds[j], changed = (low, high), True


def _trim(values, labels, bounds, full, inside) -> None:
    """Move each restricted bound inward to the extreme value of the box's draws with outcome 1."""
    kept = inside & labels
    if not kept.any():
        return
    for j, (low, high) in bounds.items():
        column = values[kept, j]
        bounds[j] = (low if low == full[j][0] else column.min(), high if high == full[j][1] else column.max())


def _simplify(values, discrete, labels, bounds, dropped, goal, min_support) -> None:
    """Remove restrictions (the one that keeps the density highest first) while it stays >= goal."""
    full = {j: (values[:, j].min(), values[:, j].max()) for j in bounds}
    while True:
        options = []
        for j in bounds:
            if bounds[j] != full[j]:
                trial = dict(bounds)
                trial[j] = full[j]
                options.append((_density(labels, _members(values, discrete, trial, dropped)), "bound", j, None))
        for j, left_out in dropped.items():
            for level in left_out:
                trial = {i: set(v) for i, v in dropped.items()}
                trial[j].discard(level)
                options.append((_density(labels, _members(values, discrete, bounds, trial)), "level", j, level))
        options = [option for option in options if option[0] >= goal]
        if not options:
            return
        _, kind, j, level = max(options, key=lambda option: option[0])
        if kind == "bound":
            bounds[j] = full[j]
        else:
            dropped[j].discard(level)


def _restrictions(values, bounds, dropped, names) -> tuple[Restriction, ...]:
    found = []
    for j, (low, high) in bounds.items():
        column = values[:, j]
        below, above = column[column < low], column[column > high]
        low_bound = (low + below.max()) / 2 if below.size else np.nan
        high_bound = (high + above.min()) / 2 if above.size else np.nan
        if below.size or above.size:
            found.append((j, Restriction(names[j], float(low_bound), float(high_bound))))
    for j, left_out in dropped.items():
        found += [(j, Restriction(names[j], 0.0, 0.0, level=int(level))) for level in sorted(left_out)]
    return tuple(restriction for _, restriction in sorted(found, key=lambda item: item[0]))
