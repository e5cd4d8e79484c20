"""The shared validation rules: one message per mistake, the key named, types told from values."""

import numpy as np
import pytest

from robust.core import rules
from robust.core.errors import InputError, InputTypeError


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: rules.number("0.5", "threshold"), InputTypeError, "threshold must be a number, got a string '0.5'"),
        (lambda: rules.number(True, "threshold"), InputTypeError, "threshold must be a number, got a boolean True"),
        (lambda: rules.number(float("nan"), "t"), InputError, "t must be finite, got nan"),
        (lambda: rules.number(3, "noise", low=0, high=2, low_open=True, what="a log-sd"), InputError,
         "noise must be a log-sd in (0, 2], got 3"),
        (lambda: rules.number(0, "noise", low=0, low_open=True), InputError, "noise must be > 0, got 0"),
        (lambda: rules.number(-3.0, "amplitudes", low=0), InputError, "amplitudes must be >= 0, got -3.0"),
        (lambda: rules.number(1, "confidence", low=0, high=1, low_open=True, high_open=True), InputError,
         "confidence must be in (0, 1), got 1"),
        (lambda: rules.integer(2.0, "n"), InputTypeError, "n must be an integer, got a number 2.0"),
        (lambda: rules.integer(0, "replicates", low=1), InputError, "replicates must be >= 1, got 0"),
        (lambda: rules.flag(1, "renormalize"), InputTypeError, "renormalize must be true or false, got 1"),
        (lambda: rules.text(3, "path"), InputTypeError, "path must be a string, got an integer 3"),
        (lambda: rules.text("entropie", "weighting", choices=("entropy", "critic")), InputError,
         "weighting: unknown value 'entropie'; allowed: entropy, critic (did you mean 'entropy'?)"),
        (lambda: rules.names("critic", "methods", what="method names"), InputTypeError,
         "methods must be a list of method names, got a string 'critic'"),
        (lambda: rules.names([], "methods", what="method names"), InputError,
         "methods must be a non-empty list of method names"),
        (lambda: rules.names(["a", 1], "columns"), InputTypeError, "columns must hold strings, got an integer 1"),
        (lambda: rules.names(["a", "b", "a"], "columns"), InputError, "columns lists 'a' more than once"),
        (lambda: rules.names(["x"], "weighting", what="levels", minimum=2), InputError,
         "weighting needs at least 2 levels, got ['x']"),
        (lambda: rules.names(["technology"], "schemes", choices=("technologies", "noise")), InputError,
         "schemes: unknown value 'technology'; allowed: technologies, noise (did you mean 'technologies'?)"),
        (lambda: rules.numbers("1", "amplitudes"), InputError, "amplitudes must be a non-empty list of numbers, got '1'"),
        (lambda: rules.value_range([0.5], "threshold"), InputError, "threshold must be a range [low, high], got [0.5]"),
        (lambda: rules.value_range([0.6, 0.4], "threshold"), InputError,
         "threshold: the range [low, high] needs low < high, got [0.6, 0.4]"),
        (lambda: rules.fixed_weights([0.5, 0.5], "weighting", count=3), InputError,
         "weighting: got 2 fixed weights for 3 indicators"),
        (lambda: rules.fixed_weights([0.5, 0.6], "weighting"), InputError,
         "weighting: fixed weights must sum to 1, they sum to 1.1"),
        (lambda: rules.fixed_weights([1.5, -0.5], "weighting"), InputError,
         "weighting: fixed weights must be non-negative, got [1.5, -0.5]"),
        (lambda: rules.fixed_weights([], "weighting"), InputError, "weighting: the list of fixed weights is empty"),
        (lambda: rules.iso_date(20210601, "published_before"), InputTypeError,
         "published_before must be a date (YYYY-MM-DD), got an integer 20210601"),
        (lambda: rules.iso_date("2021-6-1", "published_before"), InputError,
         "published_before must be a date YYYY-MM-DD, got '2021-6-1'"),
        (lambda: rules.iso_date("2021-02-30", "published_before"), InputError,
         "published_before must be a date YYYY-MM-DD, got '2021-02-30'"),
        (lambda: rules.year_windows([[2001, 2010]], "windows"), InputError,
         "windows must be a list of 2 year ranges [first, last], got [[2001, 2010]]"),
        (lambda: rules.year_windows([[2001, 2010], 2011], "windows"), InputError,
         "windows: each window must be [first, last] (two years), got 2011"),
        (lambda: rules.year_windows([[2010, 2001], [2011, 2021]], "windows"), InputError,
         "windows: window [2010, 2001] ends before it starts"),
        (lambda: rules.year_windows([[2001, 2010.5], [2011, 2021]], "windows"), InputTypeError,
         "windows: a year must be an integer, got a number 2010.5"),
    ],
)
def test_each_mistake_has_its_own_message(call, error, message):
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value) == message
    assert isinstance(caught.value, InputError)  # the CLI reports every one as a one-line error


def test_good_values_come_back_in_their_canonical_type():
    assert rules.number(np.float32(0.25), "x") == 0.25 and type(rules.number(1, "x")) is float
    assert rules.integer(np.int64(3), "n") == 3 and type(rules.integer(np.int64(3), "n")) is int
    assert rules.names(["a", "b"], "k") == ("a", "b")
    assert rules.value_range((0.4, 0.6), "t") == (0.4, 0.6)
    assert rules.fixed_weights([0.25, 0.75], "w", count=2) == (0.25, 0.75)
    assert rules.flag(np.True_, "f") is True
    import datetime

    assert rules.iso_date("2021-06-01", "d") == rules.iso_date(datetime.date(2021, 6, 1), "d") == datetime.date(2021, 6, 1)
    assert rules.year_windows([[2001, 2010], [2011, 2021]], "w") == ((2001, 2010), (2011, 2021))


def test_type_errors_are_also_type_errors():
    with pytest.raises(TypeError):
        rules.names("a", "k")
    assert rules.suggestion("normalise", ["normalize", "threshold"]) == " (did you mean 'normalize'?)"
    assert rules.suggestion("zzz", ["normalize"]) == ""
