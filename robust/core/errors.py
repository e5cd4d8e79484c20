"""Exceptions and warnings raised for user input.

Every problem with a user's config or table is reported as an :class:`InputError`
whose message is one line naming the file, key, column or row at fault. The command
line prints that line and exits with status 2; it never shows a traceback for them.
"""

from __future__ import annotations


class InputError(ValueError):
    """A config file, data table or argument that cannot be used as given."""


class InputTypeError(InputError, TypeError):
    """An argument or config value of the wrong type (an :class:`InputError` and a TypeError)."""


class RobustWarning(UserWarning):
    """A warning of robust's own: the command line prints its message as one line."""


class DegenerateWarning(RobustWarning):
    """The input is degenerate but computable; the documented convention was applied."""


class DeprecatedOptionWarning(FutureWarning):
    """An option under an old name or meaning: it still works, and the message says what replaces it."""


class CappedWarning(RobustWarning):
    """A request beyond what the machine can use was lowered (e.g. more workers than cores)."""


class FontWarning(RobustWarning):
    """A figure asked for a font that is not installed; a documented fallback was drawn."""


class SpecError(InputError):
    """An analysis spec that the table or the base model cannot support.

    ``part`` names the part of the spec the message is about (``""`` for the spec itself,
    ``"factors"`` for its factors), so that the config layer can name the config section
    it came from (``[sobol.factors]``); the Python API shows the message alone.
    """

    def __init__(self, message: str, *, part: str = ""):
        super().__init__(message)
        self.part = part

    def __reduce__(self):
        return type(self), (str(self),), {"part": self.part}
