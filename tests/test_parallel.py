"""Random streams and chunked execution: identical results for any chunking, n_jobs, backend."""

import functools

import numpy as np
import pytest

from robust import InputError
from robust.parallel import (
    STREAM_BLOCK,
    Execution,
    draw_blocks,
    map_chunks,
    reduce_chunks,
    replicate_chunks,
    seed_sequence,
    stream,
)


def _normals(rng, count):
    return rng.standard_normal((count, 3))


def _chunk_sum(parent, bounds):
    start, stop = bounds
    return draw_blocks(parent, start, stop, _normals).sum(axis=0)


def test_streams_do_not_depend_on_chunking():
    parent = seed_sequence(42, "bootstrap")
    whole = draw_blocks(parent, 0, 5000, _normals)
    pieces = np.concatenate([draw_blocks(parent, a, b, _normals) for a, b in replicate_chunks(5000, 2048)])
    assert np.array_equal(whole, pieces)
    assert whole.shape == (5000, 3)


def test_named_sequences_and_seeds_differ():
    a = draw_blocks(seed_sequence(1, "bootstrap"), 0, 10, _normals)
    assert not np.array_equal(a, draw_blocks(seed_sequence(1, "sobol"), 0, 10, _normals))
    assert not np.array_equal(a, draw_blocks(seed_sequence(2, "bootstrap"), 0, 10, _normals))
    assert np.array_equal(a, draw_blocks(seed_sequence(1, "bootstrap"), 0, 10, _normals))


def test_stream_is_stateless():
    parent = seed_sequence(3, "x")
    assert stream(parent, 5).random() == stream(parent, 5).random()
    assert stream(parent, 5).random() != stream(parent, 6).random()


def test_chunk_boundaries_must_align_with_stream_blocks():
    with pytest.raises(ValueError, match=f"multiple of {STREAM_BLOCK}"):
        replicate_chunks(100, 1000)
    with pytest.raises(ValueError, match="start must be a multiple"):
        draw_blocks(seed_sequence(1, "x"), 5, 10, _normals)


@pytest.mark.parametrize(
    "execution",
    [Execution(n_jobs=2, backend="loky"), Execution(n_jobs=2, backend="threading"),
     Execution(n_jobs=2, backend="dask")],
    ids=["loky", "threading", "dask"],
)
def test_backends_give_bit_identical_results(execution):
    parent = seed_sequence(7, "bootstrap")
    chunks = replicate_chunks(9000, 2048)
    function = functools.partial(_chunk_sum, parent)
    serial = list(map_chunks(function, chunks, Execution()))
    parallel = list(map_chunks(function, chunks, execution))
    assert len(serial) == len(chunks) == 5
    for a, b in zip(serial, parallel):
        assert np.array_equal(a, b)
    total = reduce_chunks(function, chunks, execution, lambda acc, r: acc + r, np.zeros(3))
    assert np.array_equal(total, sum(serial, np.zeros(3)))


def test_execution_is_validated():
    with pytest.raises(InputError, match="n_jobs must be a positive number"):
        Execution(n_jobs=0)
    with pytest.raises(InputError, match="backend must be one of loky, threading, dask"):
        Execution(backend="mpi")
    with pytest.raises(InputError, match="only used with backend 'dask'"):
        Execution(scheduler="tcp://127.0.0.1:8786")
