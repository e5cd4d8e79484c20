"""Writing a result folder: deterministic files, staged and moved into place when complete.

A run writes into a hidden staging folder beside the destination and renames it into
place only after every file, the manifest last, has been written; an interrupted or
failed run leaves no folder that looks finished.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

import pandas as pd

from .errors import InputError

MANIFEST = "manifest.json"
_VERSIONED = ("numpy", "scipy", "pandas", "statsmodels", "SALib", "joblib", "matplotlib")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV with shortest round-trip floats and ``\\n`` line ends, so reruns diff clean."""
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def read_result_table(folder: Path, name: str) -> pd.DataFrame | None:
    """A table of a result folder (empty cells stay empty, never "NA" strings), or None if absent."""
    path = Path(folder) / name
    return pd.read_csv(path, keep_default_na=False, na_values=[""]) if path.is_file() else None


def write_json(document: dict, path: Path) -> None:
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def seal_manifest(folder: Path, manifest: dict) -> list[str]:
    """Record the SHA-256 of every file in ``folder`` in the manifest, then write it last.

    Returns every file of the folder (relative paths), the manifest included.
    """
    folder = Path(folder)
    files = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                   if path.is_file() and path.name != MANIFEST)
    manifest["outputs"] = {name: file_sha256(folder / name) for name in files}
    write_json(manifest, folder / MANIFEST)
    return files + [MANIFEST]


def package_versions() -> dict[str, str]:
    """Versions of Python, robust and the numerical libraries it uses."""
    from . import __version__

    versions = {"python": platform.python_version(), "robust": __version__}
    for name in _VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _is_replaceable(path: Path) -> bool:
    return path.is_dir() and (not any(path.iterdir()) or (path / MANIFEST).is_file())


@contextlib.contextmanager
def staged_directory(destination: Path):
    """Yield an empty staging folder; on success it replaces ``destination`` whole.

    ``destination`` may not exist yet, be empty, or be an earlier result folder (it has a
    ``manifest.json``); anything else is refused, so a mistyped ``--out`` cannot delete
    unrelated files.
    """
    destination = Path(destination)
    if destination.exists() and not _is_replaceable(destination):
        raise InputError(
            f"{destination}: exists and is not a robust result folder (no {MANIFEST}); "
            "choose another --out"
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.partial-", dir=destination.parent))
    try:
        yield staging
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
