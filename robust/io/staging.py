"""Writing a result folder through a hidden staging folder, moved into place only when complete.

What is promised (README, "Result folders"):

- The destination is checked before any computing (:func:`checked_destination`): it may not
  exist yet, be an empty folder, or be a robust result folder (its manifest, see
  :func:`robust.io.manifest.read_manifest`); it may not be a file, the current folder or one
  that contains it, a mount point, or lie under a file. The staging folder is created in the
  destination's parent at once, so an unwritable parent is refused before computing too.
- A run writes into ``.<name>.partial-XXXXXXXX`` beside the destination and holds a lock
  (``flock``) on it while it lives; every staging in a parent first deletes the partial
  folders there whose lock is free (their run was killed).
- When the stage is complete, every file and folder of the destination that its manifest
  does not list (a user's notes) is carried into the stage (hard links, or copies where links
  are impossible), and the stage replaces the destination in one rename. A file of the user's
  at a path the new folder writes is refused with one line naming it, and nothing is replaced.
- An OS error while writing (disk full, read-only file system, no permission) becomes one
  :class:`InputError` line naming the path and the reason; the stage is removed.
- The result folder gets the permissions of the user's umask.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InputError
from .manifest import MANIFEST, NotAResultFolder, read_manifest

try:
    import fcntl
except ImportError:  # not POSIX: no locks, so stale stages are left alone
    fcntl = None

WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG,
                          errno.EIO, errno.EMLINK, errno.ENAMETOOLONG, errno.EBUSY, errno.EXDEV})
_STAGE_NAME = re.compile(r"\..+\.partial-[a-z0-9_]{8}")


@dataclass
class Stage:
    """The staging folder being written (``path``); set ``keep_destination`` to discard it.

    After a replacement, ``carried`` lists what was carried over from the earlier folder
    because its manifest did not list it (files and folders, relative paths).
    """

    path: Path
    keep_destination: bool = False
    carried: list[str] = field(default_factory=list)


def checked_destination(destination: str | Path) -> tuple[Path, set[str]]:
    """The destination resolved, and the files its manifest lists; an :class:`InputError` if refused."""
    given = Path(destination)
    try:
        resolved = given.resolve()
        here = Path.cwd().resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        raise InputError(f"{given}: cannot be resolved (a symlink loop or a missing folder)") from None
    if resolved == here or resolved in here.parents:
        raise InputError(
            f"{given}: is the current folder{'' if resolved == here else ' or contains it'}; a result "
            "folder is replaced whole by a new one, so give a folder below the current one (e.g. --out "
            "results/run), or work from its parent")
    if not (resolved.exists() or resolved.is_symlink()):
        ancestor = resolved.parent
        while not (ancestor.exists() or ancestor == ancestor.parent):
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise InputError(f"{given}: cannot be created: {ancestor} is a file, not a folder")
        return resolved, set()
    if not resolved.is_dir():
        raise InputError(f"{given}: exists and is a file, not a folder; choose another --out")
    try:
        if os.stat(resolved).st_dev != os.stat(resolved.parent).st_dev:
            raise InputError(f"{given}: is a mount point; a result folder is replaced by a rename, "
                             "so give a folder inside it")
        if not any(resolved.iterdir()):
            return resolved, set()
    except OSError as error:
        raise InputError(f"{given}: cannot be read ({error.strerror})") from None
    try:
        listed = set(read_manifest(resolved)["outputs"])
    except NotAResultFolder as error:
        raise InputError(f"{given}: exists and is not a robust result folder ({error.reason}); "
                         "choose another --out") from None
    return resolved, listed


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _locked(folder: Path) -> int | None:
    """A descriptor holding an exclusive lock on ``folder``, or None if another process holds it."""
    if fcntl is None:
        return None
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


def remove_stale_stages(parent: Path) -> list[str]:
    """Delete the staging folders in ``parent`` whose run is gone (their lock is free); returns their names."""
    if fcntl is None:
        return []
    removed = []
    for entry in sorted(Path(parent).iterdir()):
        if not (_STAGE_NAME.fullmatch(entry.name) and entry.is_dir() and not entry.is_symlink()):
            continue
        try:
            descriptor = _locked(entry)
        except OSError:
            continue
        if descriptor is None:
            continue  # a live run is writing it
        try:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
        finally:
            os.close(descriptor)
    return removed


def _foreign(destination: Path, staging: Path, listed: set[str]) -> tuple[list[str], list[str]]:
    """What of ``destination`` its manifest does not list: (to carry over, in the way of the stage)."""
    carry: list[str] = []
    in_way: list[str] = []

    def visit(relative: str) -> None:
        with os.scandir(destination / relative) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for entry in entries:
            name = f"{relative}/{entry.name}" if relative else entry.name
            staged = staging / name
            if entry.is_dir(follow_symlinks=False):
                staged_dir = staged.is_dir() and not staged.is_symlink()
                if os.path.lexists(staged) and not staged_dir:
                    in_way.append(name + "/")
                elif staged_dir or any(item.startswith(name + "/") for item in listed):
                    visit(name)
                else:
                    carry.append(name)
            elif name in listed or name == MANIFEST:
                continue
            elif os.path.lexists(staged):
                in_way.append(name)
            else:
                carry.append(name)

    visit("")
    return carry, in_way


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _carry(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)
    elif source.is_symlink():
        os.symlink(os.readlink(source), target)
    else:
        _link_or_copy(source, target)


@contextlib.contextmanager
def _signals_deferred():
    """SIGINT and SIGTERM wait until the block is done (main thread only), then are delivered."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    previous = {number: handler for number, handler in previous.items() if handler is not None}
    for number in previous:
        signal.signal(number, lambda got, frame: received.append(got))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in received:
            signal.raise_signal(number)


def _swap(staging: Path, destination: Path) -> None:
    """Put the complete stage at ``destination``; an earlier folder there is retired, then deleted."""
    if not destination.exists():
        os.replace(staging, destination)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{destination.name}.old-", dir=destination.parent))
    os.replace(destination, retired / "previous")
    try:
        os.replace(staging, destination)
    except BaseException:
        os.replace(retired / "previous", destination)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _write_failure(error: BaseException) -> OSError | None:
    """The OS error of writing behind ``error``, if any (a library may raise another error while
    handling it: matplotlib's PDF writer does on a full disk)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OSError) and error.errno in WRITE_ERRORS:
            return error
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None


def _write_error(error: OSError, staging: Path, label: str) -> str:
    where = str(error.filename or "")
    if where.startswith(str(staging)):
        where = label + where[len(str(staging)):]
    return f"{where or label}: cannot be written ({error.strerror}); nothing was written to {label}"


@contextlib.contextmanager
def staged_directory(destination: str | Path):
    """Yield a :class:`Stage` with an empty folder; on success it replaces ``destination``.

    See the module notes for what is checked at once (before the caller computes anything),
    what is carried over from an earlier result folder, and the errors. When the caller sets
    ``keep_destination``, the staging folder is discarded and ``destination`` stays as it was.
    """
    label = str(destination)
    destination, listed = checked_destination(destination)
    parent = destination.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_stale_stages(parent)
        staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.partial-", dir=parent))
    except OSError as error:
        raise InputError(f"{label}: cannot be written in {parent} ({error.strerror})") from None
    lock = None
    try:
        lock = _locked(staging)
        os.chmod(staging, 0o777 & ~_umask())
        stage = Stage(staging)
        try:
            yield stage
            if stage.keep_destination:
                return
            carry, in_way = _foreign(destination, staging, listed) if destination.is_dir() else ([], [])
            if in_way:
                shown = ", ".join(in_way[:5]) + (f" and {len(in_way) - 5} more" if len(in_way) > 5 else "")
                raise InputError(
                    f"{label}: {len(in_way)} file(s) that robust did not write are where this run writes "
                    f"its own: {shown}; move them away and run again (nothing was changed)")
            for name in carry:
                _carry(destination / name, staging / name)
            stage.carried = carry
            with _signals_deferred():
                _swap(staging, destination)
        except Exception as error:
            failure = _write_failure(error)
            if failure is None:
                raise
            raise InputError(_write_error(failure, staging, label)) from None
    finally:
        if lock is not None:
            os.close(lock)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
