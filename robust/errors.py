"""Exceptions and warnings raised for user input.

Every problem with a user's config or table is reported as an :class:`InputError`
whose message is one line naming the file, key, column or row at fault. The command
line prints that line and exits with status 2; it never shows a traceback for them.
"""

from __future__ import annotations

from pathlib import Path


class InputError(ValueError):
    """A config file, data table or argument that cannot be used as given."""


class DegenerateWarning(UserWarning):
    """The input is degenerate but computable; the documented convention was applied."""


def read_user_file(path: Path, label: str, kind: str) -> bytes:
    """The bytes of a user's file, or an :class:`InputError` naming it (``kind``: "config file", ...)."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{label}: {kind} not found") from None
    except IsADirectoryError:
        raise InputError(f"{label}: is a directory, not a {kind}") from None
    except OSError as error:
        raise InputError(f"{label}: cannot be read ({error.strerror})") from None
