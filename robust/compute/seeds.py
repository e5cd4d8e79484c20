"""The one way randomness enters: a run's ``rng`` and an analysis name give its seed sequence.

Every analysis turns its ``rng`` argument into its own root :class:`numpy.random.SeedSequence`
with :func:`analysis_seed`, and derives every stream it draws from with :func:`child_seed`
or :func:`stream` (children addressed by a key, not spawned in order, so a stream depends
only on the seed and its key). The meaning of ``rng``, the same for every analysis:

``None``
    Fresh entropy from the operating system.
``int`` (>= 0)
    The run's seed: the same number gives the same results as ``robust run --seed``.
``SeedSequence``
    The run's root sequence (``SeedSequence(s)`` is the same as the int ``s``).
``Generator``
    Advanced by one draw: 128 random bits from it become the entropy of the run's root
    sequence, so consecutive calls with one Generator give independent results.

The analysis's root is the child of the run's root keyed by the CRC-32 of the analysis
name, so adding or removing an analysis never changes another one's numbers.

Replicates are grouped in *stream blocks* of :data:`STREAM_BLOCK`; replicate ``r`` of an
analysis draws from the streams of block ``r // STREAM_BLOCK``, so results are
bit-identical for any chunk size, number of workers and joblib backend.
"""

from __future__ import annotations

import zlib

import numpy as np

from ..core.errors import InputTypeError

STREAM_BLOCK = 1024


def run_seed(rng) -> np.random.SeedSequence:
    """The run's root sequence from ``rng`` (see the module notes for each type)."""
    if rng is None:
        return np.random.SeedSequence()
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence(int.from_bytes(rng.bytes(16), "little"))
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and rng >= 0:
        return np.random.SeedSequence(int(rng))
    raise InputTypeError(
        f"rng must be None, a non-negative integer, a SeedSequence or a Generator, got {rng!r}"
    )


def analysis_seed(rng, name: str) -> np.random.SeedSequence:
    """The root sequence of the analysis ``name`` for the run seeded by ``rng``.

    Examples
    --------
    >>> analysis_seed(7, "bootstrap").spawn_key == analysis_seed(np.random.SeedSequence(7), "bootstrap").spawn_key
    True
    """
    return child_seed(run_seed(rng), zlib.crc32(name.encode("utf-8")))


def child_seed(parent: np.random.SeedSequence, *key: int) -> np.random.SeedSequence:
    """Child ``key`` of ``parent`` (stateless, unlike ``SeedSequence.spawn``)."""
    return np.random.SeedSequence(parent.entropy, spawn_key=tuple(parent.spawn_key) + tuple(key))


def stream(parent: np.random.SeedSequence, *key: int) -> np.random.Generator:
    """The generator of stream ``key`` of ``parent``: ``PCG64`` on :func:`child_seed`."""
    return np.random.Generator(np.random.PCG64(child_seed(parent, *key)))
