"""Running chunks of work: serially, on joblib's ``loky`` processes or threads, or on dask.

:func:`map_chunks` runs a function over chunks of work and yields the results in chunk
order as they arrive, so a caller can reduce them on the fly and memory stays bounded by
the chunk size. A progress bar is drawn on stderr when asked and stderr is a terminal.
Chunks of replicates are whole stream blocks (:func:`replicate_chunks`), so where the
work runs never changes a result (:mod:`robust.compute.seeds`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass
from typing import Callable, Iterator, Literal, Sequence, get_args

from ..core.errors import InputError
from .seeds import STREAM_BLOCK

MAX_CHUNK_SIZE = 64 * STREAM_BLOCK
CHUNKS_PER_WORKER = 4
SCHEDULER_TIMEOUT = "10s"  # how long to try to reach a dask scheduler
Backend = Literal["loky", "threading", "dask"]
BACKENDS: tuple[str, ...] = get_args(Backend)


def replicate_chunks(n_replicates: int, chunk_size: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of consecutive chunks of whole stream blocks (the last may be partial)."""
    if chunk_size % STREAM_BLOCK:
        raise ValueError(f"chunk_size must be a multiple of {STREAM_BLOCK}, got {chunk_size}")
    return [(start, min(start + chunk_size, n_replicates)) for start in range(0, n_replicates, chunk_size)]


def auto_chunk_size(replicates: int, execution: "Execution") -> int:
    """About :data:`CHUNKS_PER_WORKER` chunks per worker, whole stream blocks, at most 64 blocks.

    Results never depend on the chunk size; it only balances the work between workers.
    """
    workers = execution.n_jobs if execution.n_jobs > 0 else (os.cpu_count() or 1)
    blocks = -(-replicates // STREAM_BLOCK)
    per_chunk = -(-blocks // (CHUNKS_PER_WORKER * workers))
    return STREAM_BLOCK * max(1, min(per_chunk, MAX_CHUNK_SIZE // STREAM_BLOCK))


@dataclass(frozen=True)
class Execution:
    """How to run chunks: workers, joblib backend, dask scheduler, progress display."""

    n_jobs: int = 1
    backend: str = "loky"
    scheduler: str | None = None
    progress: bool = False

    def __post_init__(self):
        if isinstance(self.n_jobs, bool) or not isinstance(self.n_jobs, int) or self.n_jobs == 0 or self.n_jobs < -1:
            raise InputError(f"n_jobs must be a positive number of workers or -1, got {self.n_jobs!r}")
        if self.backend not in BACKENDS:
            raise InputError(f"backend must be one of {', '.join(BACKENDS)}, got {self.backend!r}")
        if self.scheduler is not None and self.backend != "dask":
            raise InputError("a scheduler address is only used with backend 'dask'")


@contextlib.contextmanager
def _backend(execution: Execution, shared=None):
    """The joblib backend of ``execution``; on dask, ``shared`` is scattered to every worker first."""
    import joblib

    if execution.backend != "dask":
        with joblib.parallel_config(backend=execution.backend, n_jobs=execution.n_jobs):
            yield
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            "backend 'dask' needs the optional extra: pip install 'robust[dask]'"
        ) from None
    scatter = None if shared is None else [shared]
    if execution.scheduler:
        try:
            client = Client(execution.scheduler, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError) as error:
            raise InputError(f"cannot reach the dask scheduler {execution.scheduler}: {error}") from None
        with client, joblib.parallel_config(backend="dask", scatter=scatter):
            yield
        return
    workers = None if execution.n_jobs == -1 else execution.n_jobs
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster):
        with joblib.parallel_config(backend="dask", scatter=scatter):
            yield


class _Progress:
    """A one-line progress bar on stderr (only when stderr is a terminal)."""

    def __init__(self, total: int, description: str, enabled: bool):
        self.total, self.description = total, description
        self.enabled = enabled and total > 1 and sys.stderr.isatty()
        self.done, self.started, self.drawn = 0, time.perf_counter(), False

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        if not self.drawn and time.perf_counter() - self.started < 0.5:
            return  # a quick job draws no bar
        self.drawn = True
        width = 30
        filled = int(width * self.done / self.total)
        elapsed = time.perf_counter() - self.started
        sys.stderr.write(
            f"\r{self.description}: [{'#' * filled}{'.' * (width - filled)}] "
            f"{self.done}/{self.total} chunks, {elapsed:.1f}s"
        )
        if self.done == self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def map_chunks(
    function: Callable,
    chunks: Sequence,
    execution: Execution,
    *,
    description: str = "working",
    shared=None,
) -> Iterator:
    """Yield ``function(chunk)`` for each chunk, in chunk order, computed per ``execution``;
    with ``shared``, ``function(shared, chunk)``.

    ``function`` must be picklable (a module-level function or a ``functools.partial``)
    for the process backends. ``shared`` is what every chunk reads (a large problem): it is
    passed as a call argument, not inside ``function``, so it reaches the workers once
    rather than once per chunk: on ``loky`` its numpy arrays above 1 MB are written once to
    a memory-mapped file that every worker maps (joblib's memmapping), on ``dask`` it is
    scattered to every worker before the first chunk, and threads share it.
    """
    progress = _Progress(len(chunks), description, execution.progress)
    arguments = (lambda chunk: (chunk,)) if shared is None else (lambda chunk: (shared, chunk))
    if execution.n_jobs == 1 and execution.backend != "dask":
        for chunk in chunks:
            yield function(*arguments(chunk))
            progress.advance()
        return
    import joblib

    with _backend(execution, shared):
        parallel = joblib.Parallel(return_as="generator", pre_dispatch="2*n_jobs")
        for result in parallel(joblib.delayed(function)(*arguments(chunk)) for chunk in chunks):
            yield result
            progress.advance()
