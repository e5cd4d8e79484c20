"""The manifest of a result folder: provenance, and the SHA-256 of every file it holds."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

from ..version import __version__
from .results import file_sha256, write_json

MANIFEST = "manifest.json"
VERSIONED = ("numpy", "scipy", "pandas", "statsmodels", "SALib", "joblib", "matplotlib", "duckdb", "pyarrow")


def package_versions() -> dict[str, str]:
    """Versions of Python, robust and the numerical libraries it uses."""
    versions = {"python": platform.python_version(), "robust": __version__}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


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
