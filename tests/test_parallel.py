"""Random streams and chunked execution: identical results for any chunking, n_jobs, backend."""

import functools

import numpy as np
import pytest

from robust import InputError
from robust.parallel import STREAM_BLOCK, Execution, map_chunks, replicate_chunks, seed_sequence, stream


def _chunk_sum(parent, bounds):
    """Sum of normal draws of the stream blocks in [start, stop), block by block."""
    start, stop = bounds
    total = np.zeros(3)
    for block in range(start // STREAM_BLOCK, -(-stop // STREAM_BLOCK)):
        count = min(STREAM_BLOCK, stop - block * STREAM_BLOCK)
        total = total + stream(parent, block, 0).standard_normal((count, 3)).sum(axis=0)
    return total


def test_named_sequences_and_seeds_differ():
    def first(seed, name):
        return stream(seed_sequence(seed, name), 0, 0).random()

    assert first(1, "bootstrap") != first(1, "sobol")
    assert first(1, "bootstrap") != first(2, "bootstrap")
    assert first(1, "bootstrap") == first(1, "bootstrap")
    assert first(np.random.SeedSequence(1), "x") == first(1, "x") == first(np.random.default_rng(1), "x")


def test_stream_is_stateless():
    parent = seed_sequence(3, "x")
    assert stream(parent, 5, 0).random() == stream(parent, 5, 0).random()
    assert stream(parent, 5, 0).random() != stream(parent, 6, 0).random()
    assert stream(parent, 5, 0).random() != stream(parent, 5, 1).random()


def test_chunks_align_with_stream_blocks():
    assert replicate_chunks(5000, 2048) == [(0, 2048), (2048, 4096), (4096, 5000)]
    with pytest.raises(ValueError, match=f"multiple of {STREAM_BLOCK}"):
        replicate_chunks(100, 1000)


@pytest.mark.parametrize(
    "execution",
    [Execution(n_jobs=2, backend="loky"), Execution(n_jobs=2, backend="threading"),
     Execution(n_jobs=2, backend="dask")],
    ids=["loky", "threading", "dask"],
)
def test_backends_give_bit_identical_results_in_chunk_order(execution):
    parent = seed_sequence(7, "bootstrap")
    chunks = replicate_chunks(9000, 2048)
    function = functools.partial(_chunk_sum, parent)
    serial = list(map_chunks(function, chunks, Execution()))
    parallel = list(map_chunks(function, chunks, execution))
    assert len(serial) == len(chunks) == 5
    for a, b in zip(serial, parallel):
        assert np.array_equal(a, b)


def test_execution_is_validated():
    with pytest.raises(InputError, match="n_jobs must be a positive number"):
        Execution(n_jobs=0)
    with pytest.raises(InputError, match="backend must be one of loky, threading, dask"):
        Execution(backend="mpi")
    with pytest.raises(InputError, match="only used with backend 'dask'"):
        Execution(scheduler="tcp://127.0.0.1:8786")
