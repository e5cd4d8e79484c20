"""The manifest of a result folder: provenance, and the SHA-256 of every file it holds.

A folder is a robust result folder when its ``manifest.json`` carries the format marker
(:data:`FORMAT`) and lists the SHA-256 of the files robust wrote (``outputs``), not because
a file of that name exists. Manifests written before the marker existed are recognised when
they list robust's version and every file they list still has its recorded SHA-256.
"""

from __future__ import annotations

import json
import platform
import re
from importlib import metadata
from pathlib import Path, PurePosixPath

from ..core.errors import InputError
from ..version import __version__
from .results import file_sha256, write_json

MANIFEST = "manifest.json"
FORMAT = "robust result folder"
FORMAT_VERSION = 1
VERSIONED = ("numpy", "scipy", "pandas", "statsmodels", "SALib", "joblib", "matplotlib", "duckdb", "pyarrow")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def package_versions() -> dict[str, str]:
    """Versions of Python, robust and the numerical libraries it uses."""
    versions = {"python": platform.python_version(), "robust": __version__}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def run_environment() -> dict:
    """Where and when a run happened: UTC timestamp, platform, CPU, cores, and the git commit of
    the robust checkout it ran from (``None`` for an installed package; ``dirty`` when the
    checkout has uncommitted changes)."""
    import datetime
    import os
    import subprocess

    checkout = Path(__file__).resolve().parents[2]
    commit = None
    if (checkout / ".git").exists():
        try:
            head = subprocess.run(["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True,
                                  text=True, timeout=10)
            status = subprocess.run(["git", "-C", str(checkout), "status", "--porcelain", "--untracked-files=no"],
                                    capture_output=True, text=True, timeout=10)
            if head.returncode == 0:
                commit = {"commit": head.stdout.strip(), "dirty": bool(status.stdout.strip())}
        except (OSError, subprocess.SubprocessError):
            commit = None
    return {
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": _cpu_name(),
        "cores": os.cpu_count(),
        "git": commit,
    }


def _cpu_name() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux), else what the platform says."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _is_inside(name: str) -> bool:
    """A relative path that stays inside its folder (no ``..``, not absolute, no empty part)."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name \
        and path.as_posix() == name and name != MANIFEST


def _digests(listing) -> bool:
    """Whether ``listing`` maps relative paths inside a folder to SHA-256 digests."""
    return isinstance(listing, dict) and all(
        isinstance(name, str) and _is_inside(name) and isinstance(digest, str) and bool(_SHA256.fullmatch(digest))
        for name, digest in listing.items())


class NotAResultFolder(InputError):
    """A folder without a manifest robust wrote; ``reason`` says why, without the path."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def read_manifest(folder: Path) -> dict:
    """The manifest robust wrote in ``folder``, or one :class:`InputError` line saying why not.

    Checked: it is a JSON object with the format marker (or a complete earlier manifest, see
    the module notes) whose ``outputs`` maps relative paths inside the folder to SHA-256 digests.
    """
    folder = Path(folder)
    path = folder / MANIFEST

    def refuse(problem: str, reason: str):
        return NotAResultFolder(f"{path}: {problem}", reason)

    if not path.is_file():
        raise NotAResultFolder(f"{folder}: not a result folder (no {MANIFEST})", f"no {MANIFEST}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise refuse(f"cannot be read ({error.strerror})", f"its {MANIFEST} cannot be read") from None
    except UnicodeDecodeError:
        raise refuse("is not UTF-8 text, so not a manifest robust wrote", f"its {MANIFEST} is not text") from None
    except json.JSONDecodeError as error:
        raise refuse(f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}); the "
                     "folder cannot be verified", f"its {MANIFEST} is not valid JSON") from None
    outputs = manifest.get("outputs") if isinstance(manifest, dict) else None
    if not _digests(outputs):
        raise refuse("was not written by robust (it lists no output files with their SHA-256)",
                     f"its {MANIFEST} was not written by robust")
    unverified = manifest.get("unverified_tables", {})
    if not (isinstance(unverified, dict) and _digests({name: entry.get("recorded") if isinstance(entry, dict)
                                                       else None for name, entry in unverified.items()})):
        raise refuse("is damaged (its unverified_tables are not file names with SHA-256 digests)",
                     f"its {MANIFEST} is damaged")
    if manifest.get("format") != FORMAT:
        earlier = isinstance(manifest.get("versions"), dict) and "robust" in manifest["versions"]
        if not (earlier and outputs):
            raise refuse(f"was not written by robust (no format marker {FORMAT!r})",
                         f"its {MANIFEST} was not written by robust")
        if changed_outputs(folder, outputs):
            raise refuse("predates robust's format marker and the files it lists changed since, so the "
                         "folder cannot be recognised", f"its {MANIFEST} has no format marker and its files changed")
    return manifest


def changed_outputs(folder: Path, recorded: dict[str, str]) -> dict[str, str | None]:
    """The recorded files whose SHA-256 differs now: name -> the digest found (None when missing)."""
    changed = {}
    for name, digest in recorded.items():
        path = Path(folder) / name
        try:
            found = file_sha256(path) if path.is_file() else None
        except OSError:
            found = None
        if found != digest:
            changed[name] = found
    return changed


def seal_manifest(folder: Path, manifest: dict, *, recorded: dict[str, str] | None = None) -> list[str]:
    """Record the format and the SHA-256 of every file in ``folder`` in the manifest, then write it last.

    ``recorded`` keeps given digests instead of the files' own (``robust plot --force``
    keeps the digests of the computed tables, never those of changed ones). Returns every
    file of the folder (relative paths), the manifest included.
    """
    folder = Path(folder)
    files = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                   if path.is_file() and path.name != MANIFEST)
    manifest["format"] = FORMAT
    manifest["format_version"] = FORMAT_VERSION
    manifest["outputs"] = {name: (recorded or {}).get(name) or file_sha256(folder / name) for name in files}
    write_json(manifest, folder / MANIFEST)
    return files + [MANIFEST]
