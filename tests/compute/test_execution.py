"""Chunked execution: identical results in chunk order for any chunking, n_jobs and backend."""

import contextlib
import functools

import numpy as np
import pytest

from robust import Execution, InputError
from robust.compute import execution as execution_module
from robust.compute.execution import (
    auto_chunk_size,
    map_chunks,
    replicate_chunks,
    worker_count,
)
from robust.compute.seeds import STREAM_BLOCK, analysis_seed, stream
from robust.core.errors import CappedWarning


def _chunk_sum(parent, bounds):
    """Sum of normal draws of the stream blocks in [start, stop), block by block."""
    start, stop = bounds
    total = np.zeros(3)
    for block in range(start // STREAM_BLOCK, -(-stop // STREAM_BLOCK)):
        count = min(STREAM_BLOCK, stop - block * STREAM_BLOCK)
        total = total + stream(parent, block, 0).standard_normal((count, 3)).sum(axis=0)
    return total


def test_chunks_align_with_stream_blocks():
    assert replicate_chunks(5000, 2048) == [(0, 2048), (2048, 4096), (4096, 5000)]
    huge = replicate_chunks(10**12, 65536)  # computed when asked: no list of 15 million chunks
    assert len(huge) == 15258790 and huge[-1] == (999999995904, 10**12)
    with pytest.raises(ValueError, match=f"multiple of {STREAM_BLOCK}"):
        replicate_chunks(100, 1000)


def test_automatic_chunks_are_whole_blocks_about_four_per_worker(monkeypatch):
    monkeypatch.setattr(execution_module, "available_cores", lambda: 8)
    assert auto_chunk_size(20_000, Execution()) == 5 * STREAM_BLOCK
    assert auto_chunk_size(20_000, Execution(n_jobs=2)) == 3 * STREAM_BLOCK
    assert auto_chunk_size(100, Execution(n_jobs=2)) == STREAM_BLOCK
    assert auto_chunk_size(10**7, Execution()) == 64 * STREAM_BLOCK


def test_backends_give_bit_identical_results_in_chunk_order(parallel_execution):
    parent = analysis_seed(7, "bootstrap")
    chunks = replicate_chunks(9000, 2048)
    function = functools.partial(_chunk_sum, parent)
    serial = list(map_chunks(function, chunks, Execution()))
    parallel = list(map_chunks(function, chunks, parallel_execution))
    assert len(serial) == len(chunks) == 5
    for a, b in zip(serial, parallel):
        assert np.array_equal(a, b)


class Shared:
    """What every chunk reads: a large array; counts how often the parent pickles it."""

    pickled = 0

    def __init__(self, size: int):
        self.values = np.arange(size, dtype=np.float64)

    def __getstate__(self):
        Shared.pickled += 1
        return self.__dict__


def _shared_sum(shared: Shared, bounds) -> tuple:
    start, stop = bounds
    return float(shared.values[start:stop].sum()), isinstance(shared.values, np.memmap)


def test_shared_data_reaches_the_workers_once(parallel_execution):
    shared = Shared(2**18)  # 2 MiB, above joblib's 1 MB memmapping threshold
    pickled = []
    for chunk_size in (4 * STREAM_BLOCK, 64 * STREAM_BLOCK):
        chunks = replicate_chunks(2**18, chunk_size)
        Shared.pickled = 0
        results = list(map_chunks(_shared_sum, chunks, parallel_execution, shared=shared))
        assert [total for total, _ in results] == [float(np.arange(a, b).sum()) for a, b in chunks]
        pickled.append(Shared.pickled)
        if parallel_execution.backend == "loky":  # pickled with each chunk, its array mapped from one file
            assert all(mapped for _, mapped in results)
    if parallel_execution.backend == "dask":  # scattered to the workers: as often for 64 chunks as for 4
        assert pickled[0] == pickled[1] <= parallel_execution.n_jobs + 1
    elif parallel_execution.backend == "threading":
        assert pickled == [0, 0]


def test_execution_is_validated():
    with pytest.raises(InputError, match="n_jobs must be a positive number"):
        Execution(n_jobs=0)
    with pytest.raises(InputError, match="backend must be one of loky, threading, dask"):
        Execution(backend="mpi")
    with pytest.raises(InputError, match="only used with backend 'dask'"):
        Execution(scheduler="tcp://127.0.0.1:8786")


def test_workers_are_capped_at_the_cores_and_the_chunks_with_a_warning(monkeypatch):
    monkeypatch.setattr(execution_module, "available_cores", lambda: 2)
    assert worker_count(Execution(n_jobs=1000)) == 2 and worker_count(Execution(n_jobs=-1), chunks=5) == 2
    assert worker_count(Execution(n_jobs=1000), chunks=1) == 1
    assert worker_count(Execution(n_jobs=8, backend="dask", scheduler="tcp://10.0.0.5:8786")) == 8  # remote
    assert auto_chunk_size(100_000, Execution(n_jobs=1000)) == auto_chunk_size(100_000, Execution(n_jobs=2))
    started = []
    original = execution_module._backend

    @contextlib.contextmanager
    def recording(execution, shared=None):
        started.append(execution.n_jobs)
        with original(execution, shared):
            yield

    monkeypatch.setattr(execution_module, "_backend", recording)
    many = Execution(n_jobs=1000, backend="threading")
    with pytest.warns(CappedWarning, match="1000 workers asked for, but this machine has 2 cores; using 2"):
        assert list(map_chunks(abs, [-1, -2, -3], many)) == [1, 2, 3]
    with pytest.warns(CappedWarning):
        assert list(map_chunks(abs, [-4], many)) == [4]  # one chunk: run here, no worker started
    assert started == [2]


def test_an_interrupt_that_breaks_the_pool_is_raised_as_the_interrupt(monkeypatch):
    """Ctrl-C or SIGTERM can land while joblib starts its pool; stopping it then fails with an
    error of its own (seen: ``RuntimeError: cannot join thread``). The user sees the interrupt."""
    import joblib

    class BrokenOnInterrupt:
        def __init__(self, **options):
            pass

        def __call__(self, calls):
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt:
                raise RuntimeError("cannot join thread before it is started")  # noqa: B904

    monkeypatch.setattr(joblib, "Parallel", BrokenOnInterrupt)
    monkeypatch.setattr(execution_module, "available_cores", lambda: 2)
    with pytest.raises(KeyboardInterrupt) as raised:
        list(map_chunks(abs, [-1, -2, -3], Execution(n_jobs=2, backend="threading")))
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_a_genuine_error_of_a_chunk_is_raised_unchanged(parallel_execution):
    with pytest.raises(TypeError, match="bad operand type for abs"):
        list(map_chunks(abs, [-1, "two", -3], parallel_execution))


def test_the_pool_managers_teardown_keyerror_is_not_printed_but_other_thread_errors_are(monkeypatch, capsys):
    import threading

    def printing(args):
        print(f"{args.thread.name}: {args.exc_type.__name__}")

    monkeypatch.setattr(threading, "excepthook", printing)
    execution_module._hide_pool_teardown_errors()
    installed = threading.excepthook
    execution_module._hide_pool_teardown_errors()
    assert threading.excepthook is installed  # once, not stacked

    def failing(error):
        raise error

    for name, error in [(execution_module.POOL_MANAGER_THREAD, KeyError(1)), ("other", KeyError(1)),
                        (execution_module.POOL_MANAGER_THREAD, ValueError("x"))]:
        thread = threading.Thread(target=failing, args=(error,), name=name)
        thread.start()
        thread.join()
    assert capsys.readouterr().out.splitlines() == ["other: KeyError", "ExecutorManagerThread: ValueError"]
