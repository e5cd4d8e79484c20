"""Tables shipped with the package, named ``builtin:<name>`` in configs."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BUILTIN_PREFIX = "builtin:"
BUILTIN_TABLES: tuple[str, ...] = ("paper2023",)


def data_path(name: str) -> Path:
    """Path of a file in the package's data folder."""
    return Path(str(resources.files("robust.datasets") / "data" / name))


def builtin_path(name: str) -> Path:
    """The CSV behind ``builtin:<name>``."""
    if name not in BUILTIN_TABLES:
        raise KeyError(name)
    return data_path(f"{name}.csv")
