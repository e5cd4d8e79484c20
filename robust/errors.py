"""Exceptions and warnings raised for user input.

Every problem with a user's config or table is reported as an :class:`InputError`
whose message is one line naming the file, key, column or row at fault. The command
line prints that line and exits with status 2; it never shows a traceback for them.
"""

from __future__ import annotations


class InputError(ValueError):
    """A config file, data table or argument that cannot be used as given."""


class DegenerateWarning(UserWarning):
    """The input is degenerate but computable; the documented convention was applied."""
