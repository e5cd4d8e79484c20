"""Writing a result folder through a hidden staging folder, moved into place only when complete.

A run writes into a staging folder beside the destination and renames it into place only
after every file, the manifest last, has been written; an interrupted or failed run leaves
no folder that looks finished.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputError
from .manifest import MANIFEST


def is_replaceable(path: Path) -> bool:
    """An empty folder, or an earlier result folder (it has a manifest)."""
    return path.is_dir() and (not any(path.iterdir()) or (path / MANIFEST).is_file())


@dataclass
class Stage:
    """The staging folder being written (``path``); set ``keep_destination`` to discard it."""

    path: Path
    keep_destination: bool = False


@contextlib.contextmanager
def staged_directory(destination: Path):
    """Yield a :class:`Stage` with an empty folder; on success it replaces ``destination`` whole.

    ``destination`` may not exist yet, be empty, or be an earlier result folder (it has a
    ``manifest.json``); anything else is refused, so a mistyped ``--out`` cannot delete
    unrelated files. When the caller sets ``keep_destination``, the staging folder is
    discarded and ``destination`` stays as it was.
    """
    destination = Path(destination)
    if destination.exists() and not is_replaceable(destination):
        raise InputError(
            f"{destination}: exists and is not a robust result folder (no {MANIFEST}); "
            "choose another --out"
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.partial-", dir=destination.parent))
    try:
        stage = Stage(staging)
        yield stage
        if stage.keep_destination:
            return
        if destination.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{destination.name}.old-", dir=destination.parent))
            os.replace(destination, retired / "previous")
            os.replace(staging, destination)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, destination)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
