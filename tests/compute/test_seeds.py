"""The one way in for randomness: each rng type has one meaning, streams are keyed and stateless."""

import zlib

import numpy as np
import pytest

from robust.compute.seeds import analysis_seed, child_seed, run_seed, stream
from robust.core.errors import InputError


def first_draw(rng, name):
    return stream(analysis_seed(rng, name), 0, 0).random()


def test_an_int_and_its_seed_sequence_mean_the_same_run():
    assert first_draw(1, "x") == first_draw(np.random.SeedSequence(1), "x")
    root = analysis_seed(11, "sobol")  # what `robust run --seed 11` uses for [sobol]
    assert root.entropy == 11 and root.spawn_key == (zlib.crc32(b"sobol"),)


def test_names_and_seeds_give_independent_streams():
    assert first_draw(1, "bootstrap") != first_draw(1, "sobol")
    assert first_draw(1, "bootstrap") != first_draw(2, "bootstrap")
    assert first_draw(1, "bootstrap") == first_draw(1, "bootstrap")


def test_a_generator_is_advanced_so_consecutive_calls_differ_but_replay_from_its_seed():
    generator = np.random.default_rng(5)
    first, second = first_draw(generator, "x"), first_draw(generator, "x")
    assert first != second
    assert first_draw(np.random.default_rng(5), "x") == first
    assert isinstance(analysis_seed(np.random.default_rng(5), "x").entropy, int)


def test_none_is_fresh_entropy():
    assert run_seed(None).entropy != run_seed(None).entropy


@pytest.mark.parametrize("bad", [-1, 1.5, "7", True])
def test_other_rng_values_are_refused(bad):
    with pytest.raises(InputError, match="rng must be None, a non-negative integer, a SeedSequence or a Generator"):
        analysis_seed(bad, "x")
    with pytest.raises(TypeError):
        analysis_seed(bad, "x")


def test_streams_are_stateless_children():
    parent = analysis_seed(3, "x")
    assert stream(parent, 5, 0).random() == stream(parent, 5, 0).random()
    assert stream(parent, 5, 0).random() != stream(parent, 6, 0).random()
    assert stream(parent, 5, 0).random() != stream(parent, 5, 1).random()
    assert child_seed(parent, 2).spawn_key == parent.spawn_key + (2,)
