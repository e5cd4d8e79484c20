"""The validation rules, one copy each, shared by the Python API and the config reader.

Every rule takes the value and a ``key`` naming it in the message: a parameter name
(``"replicates"``) from the Python API, or a config location (``"study.toml: [bootstrap]
replicates"``) from :mod:`robust.app.config`. A value of the wrong type raises
:class:`~robust.core.errors.InputTypeError` (also a TypeError), a value outside its rule
:class:`~robust.core.errors.InputError`; both are one line.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from typing import Sequence

import numpy as np

from .errors import InputError, InputTypeError

FIXED_WEIGHT_TOLERANCE = 1e-6  # fixed weights must sum to 1 within this
# The largest magnitude of a table cell or an amplitude: products, sums, ranges and squares of
# such values stay far from float overflow (1.8e308), so no intermediate can be non-finite.
MAX_MAGNITUDE = 1e100
MAX_COUNT = 2**53  # the largest IPC change count: every whole number up to it is exact in a float


def type_name(value) -> str:
    """How a value's type is named in messages: "a string", "an integer", ..."""
    if isinstance(value, (bool, np.bool_)):
        return "a boolean"
    if isinstance(value, (int, np.integer)):
        return "an integer"
    if isinstance(value, (float, np.floating)):
        return "a number"
    return {str: "a string", list: "a list", tuple: "a list", dict: "a table"}.get(
        type(value), type(value).__name__)


def suggestion(word: str, options) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or an empty string."""
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _is_number(value) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(value, (int, float, np.integer, np.floating))


def _bounds_text(low, high, low_open: bool, high_open: bool) -> str:
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '>='} {low:g}"
    return f"{'<' if high_open else '<='} {high:g}"


def number(value, key: str, *, low=None, high=None, low_open: bool = False, high_open: bool = False,
           what: str | None = None) -> float:
    """A finite number within the given bounds (closed unless ``*_open``), as a float."""
    if not _is_number(value):
        raise InputTypeError(f"{key} must be a number, got {type_name(value)} {value!r}")
    if not math.isfinite(value):
        raise InputError(f"{key} must be finite, got {value!r}")
    below = low is not None and (value <= low if low_open else value < low)
    above = high is not None and (value >= high if high_open else value > high)
    if below or above:
        described = f"{what} " if what else ""
        raise InputError(f"{key} must be {described}{_bounds_text(low, high, low_open, high_open)}, "
                         f"got {value!r}")
    return float(value)


def integer(value, key: str, *, low=None, high=None) -> int:
    """A whole number (not a boolean) within the given closed bounds, as an int."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InputTypeError(f"{key} must be an integer, got {type_name(value)} {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise InputError(f"{key} must be {_bounds_text(low, high, False, False)}, got {value}")
    return int(value)


def flag(value, key: str) -> bool:
    """``True`` or ``False`` (not 0 or 1)."""
    if not isinstance(value, (bool, np.bool_)):
        raise InputTypeError(f"{key} must be true or false, got {value!r}")
    return bool(value)


def text(value, key: str, *, choices: Sequence[str] | None = None) -> str:
    """A string, one of ``choices`` when given."""
    if not isinstance(value, str):
        raise InputTypeError(f"{key} must be a string, got {type_name(value)} {value!r}")
    if choices is not None and value not in choices:
        raise InputError(f"{key}: unknown value {value!r}; allowed: {', '.join(choices)}"
                         + suggestion(value, choices))
    return value


def names(value, key: str, *, choices: Sequence[str] | None = None, what: str = "names",
          minimum: int = 1) -> tuple[str, ...]:
    """A list of at least ``minimum`` distinct strings, each one of ``choices`` when given."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise InputTypeError(f"{key} must be a list of {what}, got {type_name(value)} {value!r}")
    for item in value:
        if not isinstance(item, str):
            raise InputTypeError(f"{key} must hold strings, got {type_name(item)} {item!r}")
        if choices is not None and item not in choices:
            raise InputError(f"{key}: unknown value {item!r}; allowed: {', '.join(choices)}"
                             + suggestion(item, choices))
    repeated = [item for item in value if value.count(item) > 1]
    if repeated:
        raise InputError(f"{key} lists {repeated[0]!r} more than once")
    if not value:
        raise InputError(f"{key} must be a non-empty list of {what}")
    if len(value) < minimum:
        raise InputError(f"{key} needs at least {minimum} {what}, got {list(value)}")
    return tuple(value)


def numbers(value, key: str, *, low=None, high=None) -> tuple[float, ...]:
    """A non-empty list of finite numbers within the given closed bounds."""
    if isinstance(value, str) or not isinstance(value, (list, tuple, np.ndarray)) or len(value) == 0:
        raise InputError(f"{key} must be a non-empty list of numbers, got {value!r}")
    return tuple(number(item, key, low=low, high=high) for item in value)


def value_range(value, key: str) -> tuple[float, float]:
    """A range ``[low, high]`` of finite numbers with ``low < high``."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or len(value) != 2:
        raise InputError(f"{key} must be a range [low, high], got {value!r}")
    low, high = (number(bound, key) for bound in value)
    if not low < high:
        raise InputError(f"{key}: the range [low, high] needs low < high, got [{low:g}, {high:g}]")
    return low, high


def fixed_weights(value, key: str, *, count: int | None = None) -> tuple[float, ...]:
    """Fixed indicator weights: non-negative numbers summing to 1, ``count`` of them when given."""
    if isinstance(value, str) or not isinstance(value, (list, tuple, np.ndarray)):
        raise InputTypeError(f"{key} must be a list of fixed weights, got {type_name(value)} {value!r}")
    weights = tuple(number(w, key) for w in value)
    if not weights:
        raise InputError(f"{key}: the list of fixed weights is empty")
    if count is not None and len(weights) != count:
        raise InputError(f"{key}: got {len(weights)} fixed weights for {count} indicators")
    if min(weights) < 0:
        raise InputError(f"{key}: fixed weights must be non-negative, got {list(weights)}")
    if abs(sum(weights) - 1) > FIXED_WEIGHT_TOLERANCE:
        raise InputError(f"{key}: fixed weights must sum to 1, they sum to {sum(weights):g}")
    return weights


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value, key: str) -> datetime.date:
    """A calendar date: a TOML date (``2021-06-01``) or an ISO string ``"YYYY-MM-DD"``."""
    if isinstance(value, datetime.datetime) or not isinstance(value, (datetime.date, str)):
        raise InputTypeError(f"{key} must be a date (YYYY-MM-DD), got {type_name(value)} {value!r}")
    if isinstance(value, datetime.date):
        return value
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{key} must be a date YYYY-MM-DD, got {value!r}") from None


def year_windows(value, key: str, *, count: int = 2) -> tuple[tuple[int, int], ...]:
    """``count`` inclusive year ranges ``[first, last]``, each after the one before."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or len(value) != count:
        raise InputError(f"{key} must be a list of {count} year ranges [first, last], got {value!r}")
    windows = []
    for window in value:
        if isinstance(window, str) or not isinstance(window, (list, tuple)) or len(window) != 2:
            raise InputError(f"{key}: each window must be [first, last] (two years), got {window!r}")
        first, last = (integer(year, f"{key}: a year") for year in window)
        if first > last:
            raise InputError(f"{key}: window [{first}, {last}] ends before it starts")
        if windows and first <= windows[-1][1]:
            raise InputError(f"{key}: window [{first}, {last}] must start after the one before ends "
                             f"({windows[-1][1]})")
        windows.append((first, last))
    return tuple(windows)
def unusable_cells(values: np.ndarray) -> np.ndarray:
    """Where numeric cells are not finite or exceed :data:`MAX_MAGNITUDE` in magnitude."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return ~np.isfinite(values) | (np.abs(values) > MAX_MAGNITUDE)


def cell_problem(value: float) -> str:
    """Why a finite-or-not cell flagged by :func:`unusable_cells` cannot be used."""
    if not math.isfinite(value):
        return "is not a finite number"
    return (f"is too large in magnitude (the limit is {MAX_MAGNITUDE:g}; beyond it the sums and "
            "ranges the scores are made of could overflow)")


def bad_counts(counts: np.ndarray) -> np.ndarray:
    """Where IPC change counts are not whole numbers from 0 to :data:`MAX_COUNT`."""
    counts = np.asarray(counts, dtype=float)
    return (counts < 0) | (counts != np.floor(counts)) | (counts > MAX_COUNT)


def amplitudes(value, key: str) -> tuple[float, ...]:
    """IPC amplitudes: non-negative numbers up to :data:`MAX_MAGNITUDE`, at least one positive."""
    values = numbers(value, key, low=0)
    if max(values) > MAX_MAGNITUDE:
        raise InputError(f"{key}: {max(values):g} is too large (at most {MAX_MAGNITUDE:g}, so that "
                         "the raw dynamism cannot overflow)")
    if max(values) <= 0:
        raise InputError(f"{key} must have at least one positive value (otherwise no IPC change counts), "
                         f"got {list(values)}")
    return values


def threshold(value, key: str, *, score: str, score_range: tuple[float, float]) -> float:
    """A threshold within the range ``score`` can take (outside it, every technology is on one side)."""
    value = number(value, key)
    low, high = score_range
    if not low <= value <= high:
        raise InputError(
            f"{key} must be within [{low:g}, {high:g}], the range of {score}: outside it every "
            f"technology is weak or every one strong; got {value:g}"
        )
    return value


def threshold_range(value, key: str, *, score: str, score_range: tuple[float, float]) -> tuple[float, float]:
    """A range ``[low, high]`` of thresholds, both within the range ``score`` can take."""
    low, high = value_range(value, key)
    return (threshold(low, key, score=score, score_range=score_range),
            threshold(high, key, score=score, score_range=score_range))


def composite_domain(values: np.ndarray, key: str, *, aggregation: str, normalize: str, columns: Sequence[str],
                     rows: Sequence[str], source: str) -> None:
    """Raw indicator values (``normalize = "none"``) within the domain of the aggregation.

    The geometric mean needs non-negative values, the Mazziotta-Pareto index values in [0, 1]
    (its rescaling to [70, 130] assumes them); normalised values are always in [0, 1].
    """
    if normalize != "none" or aggregation == "linear":
        return
    values = np.asarray(values, dtype=float)
    low, high, what = ((0.0, np.inf, "non-negative values") if aggregation == "geometric"
                       else (0.0, 1.0, "values in [0, 1]"))
    outside = np.argwhere((values < low) | (values > high))
    if outside.size:
        row, column = outside[0]
        raise InputError(
            f"{key}: {aggregation!r} with normalize = \"none\" needs {what}, but {source} has "
            f"{values[row, column]:g} in column {columns[column]!r}, row {row + 1} (id {rows[row]!r}); "
            "normalise the indicators (minmax, zscore or rank) or use another aggregation")
