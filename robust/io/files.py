"""Reading a user's file: its bytes or its UTF-8 text, or one :class:`InputError` line naming it."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import InputError


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


def read_user_text(path: Path, label: str, kind: str, *, text_kind: str) -> str:
    """A user's UTF-8 text file (a leading byte-order mark is dropped).

    A file with a NUL byte in its first 8 kB is refused as binary (``text_kind`` names what
    was expected, e.g. "CSV text"); undecodable bytes are reported with their offset.
    """
    raw = read_user_file(path, label, kind)
    if b"\x00" in raw[:8192]:
        raise InputError(f"{label}: is a binary file, not {text_kind}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{label}: is not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start})"
        ) from None
