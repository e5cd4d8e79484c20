"""Running chunks of work: serially, on joblib's ``loky`` processes or threads, or on dask.

:func:`map_chunks` runs a function over chunks of work and yields the results in chunk
order as they arrive, so a caller can reduce them on the fly and memory stays bounded by
the chunk size. Progress is shown on stderr when asked (:mod:`robust.compute.progress`).
Chunks of replicates are whole stream blocks (:func:`replicate_chunks`), so where the
work runs never changes a result (:mod:`robust.compute.seeds`).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Callable, Iterator, Literal, get_args

from ..core.errors import CappedWarning, InputError
from .progress import ChunkProgress
from .seeds import STREAM_BLOCK

MAX_CHUNK_SIZE = 64 * STREAM_BLOCK
CHUNKS_PER_WORKER = 4
SCHEDULER_TIMEOUT = "10s"  # how long to try to reach a dask scheduler
Backend = Literal["loky", "threading", "dask"]
BACKENDS: tuple[str, ...] = get_args(Backend)


class ReplicateChunks(Sequence):
    """``(start, stop)`` of consecutive chunks of replicates, computed when asked (no list in memory)."""

    def __init__(self, n_replicates: int, chunk_size: int):
        self.n_replicates, self.chunk_size = n_replicates, chunk_size
        self._starts = range(0, n_replicates, chunk_size)

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        start = self._starts[index]
        return start, min(start + self.chunk_size, self.n_replicates)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"ReplicateChunks({self.n_replicates}, {self.chunk_size})"


def replicate_chunks(n_replicates: int, chunk_size: int) -> ReplicateChunks:
    """``(start, stop)`` of consecutive chunks of whole stream blocks (the last may be partial)."""
    if chunk_size % STREAM_BLOCK:
        raise ValueError(f"chunk_size must be a multiple of {STREAM_BLOCK}, got {chunk_size}")
    return ReplicateChunks(n_replicates, chunk_size)


def available_cores() -> int:
    """The cores this process may use (CPU affinity and container quotas respected)."""
    import joblib

    return max(1, joblib.cpu_count())


def worker_count(execution: "Execution", chunks: int | None = None) -> int:
    """The workers to start: ``n_jobs`` (-1: every core), at most the cores and the chunks of work.

    A remote dask scheduler's workers are not capped at the local cores.
    """
    remote = execution.backend == "dask" and execution.scheduler is not None
    cores = available_cores()
    workers = (cores if execution.n_jobs == -1 else execution.n_jobs) if not remote else max(1, execution.n_jobs)
    if not remote:
        workers = min(workers, cores)
    return max(1, workers if chunks is None else min(workers, chunks))


def auto_chunk_size(replicates: int, execution: "Execution") -> int:
    """About :data:`CHUNKS_PER_WORKER` chunks per worker, whole stream blocks, at most 64 blocks.

    Results never depend on the chunk size; it only balances the work between workers.
    """
    workers = worker_count(execution)
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


WATCH_INTERVAL = 0.2  # seconds between a worker's checks that its parent is alive


def die_with_parent(parent: int) -> None:
    """Run in each worker process as it starts: exit as soon as the process ``parent`` is gone.

    A worker whose parent was killed (SIGKILL leaves no chance to stop the workers) would
    otherwise live on, holding the parent's stderr pipe open. A daemon thread checks the
    parent's process id every :data:`WATCH_INTERVAL` seconds.
    """
    def watch():
        while os.getppid() == parent:
            time.sleep(WATCH_INTERVAL)
        os._exit(1)

    threading.Thread(target=watch, name="robust-die-with-parent", daemon=True).start()


@contextlib.contextmanager
def _backend(execution: Execution, shared=None):
    """The joblib backend of ``execution``; on dask, ``shared`` is scattered to every worker first."""
    import joblib

    if execution.backend != "dask":
        options = ({"initializer": die_with_parent, "initargs": (os.getpid(),)}
                   if execution.backend == "loky" else {})
        with joblib.parallel_config(backend=execution.backend, n_jobs=execution.n_jobs, **options):
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
    with joblib.parallel_config(backend="dask", client=_local_client(workers, LocalCluster, Client),
                              scatter=scatter):
        yield


_LOCAL_CLUSTERS: dict = {}  # workers -> (cluster, client): one local cluster per process and size


def _local_client(workers, LocalCluster, Client):
    """A client of this process's local dask cluster with ``workers`` workers, started on first use
    and kept for the next analysis of the run (starting one costs seconds), closed at exit."""
    found = _LOCAL_CLUSTERS.get(workers)
    if found is not None and found[1].status == "running":
        return found[1]
    import atexit

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    client = Client(cluster, set_as_default=False)
    _LOCAL_CLUSTERS[workers] = (cluster, client)
    atexit.register(_close_local, workers)
    return client


def _close_local(workers) -> None:
    cluster, client = _LOCAL_CLUSTERS.pop(workers, (None, None))
    if client is not None:
        client.close()
        cluster.close()


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
    requested, cores = execution.n_jobs, available_cores()
    if requested > cores and not (execution.backend == "dask" and execution.scheduler is not None):
        warnings.warn(f"{requested} workers asked for, but this machine has {cores} cores; using {cores}",
                      CappedWarning, stacklevel=2)
    execution = replace(execution, n_jobs=worker_count(execution, len(chunks)))
    progress = ChunkProgress(len(chunks), description, execution.progress)
    arguments = (lambda chunk: (chunk,)) if shared is None else (lambda chunk: (shared, chunk))
    try:
        if execution.n_jobs == 1 and execution.backend != "dask":
            for chunk in chunks:
                yield function(*arguments(chunk))
                progress.advance()
            return
        import joblib

        _hide_pool_teardown_errors()
        with _backend(execution, shared):
            parallel = joblib.Parallel(return_as="generator", pre_dispatch="2*n_jobs")
            try:
                for result in parallel(joblib.delayed(function)(*arguments(chunk)) for chunk in chunks):
                    yield result
                    progress.advance()
            except Exception as error:
                interrupt = _interrupt_behind(error)
                if interrupt is None:
                    raise
                raise interrupt from None  # the user's Ctrl-C or SIGTERM, not the pool's failure to stop
    finally:
        progress.close()


def _interrupt_behind(error: BaseException) -> KeyboardInterrupt | None:
    """The interrupt (Ctrl-C, SIGTERM) that ``error`` was raised while handling, if any.

    An interrupt can land inside joblib's own bookkeeping (say, while it starts a pool's
    manager thread); stopping the pool then fails with an error of its own, raised while
    handling the interrupt. The interrupt is what the user did and what they should see.
    """
    seen = error.__context__
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return seen
        seen = seen.__context__
    return None


POOL_MANAGER_THREAD = "ExecutorManagerThread"  # the name loky gives the thread that feeds its workers


def _hide_pool_teardown_errors() -> None:
    """Stop printing the ``KeyError`` that loky's manager thread can raise while joblib kills a
    pool (on an interrupt, or after a chunk failed): the workers are already stopped, and
    the traceback would only bury the one-line message. Every other thread's error is
    printed as before."""
    previous = threading.excepthook
    if getattr(previous, "hides_pool_teardown", False):
        return

    def excepthook(args) -> None:
        if (args.thread is not None and args.thread.name == POOL_MANAGER_THREAD
                and issubclass(args.exc_type, KeyError)):
            return
        previous(args)

    excepthook.hides_pool_teardown = True
    threading.excepthook = excepthook
