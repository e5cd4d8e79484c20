"""Benchmarks: `python benchmarks/run.py [NAME ...]` prints one row per measurement.

BLAS is pinned to one thread (set before numpy is imported) and each row compares our code
with its alternative in the same run, so the ratio is meaningful on any machine.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import robust  # noqa: E402
from robust.scoring import score_batch  # noqa: E402


def rate(function, units_per_call: int, min_seconds: float = 2.0) -> float:
    """Units per second of ``function()``, timed over at least ``min_seconds`` after a warm-up."""
    function()
    calls, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < min_seconds:
        function()
        calls += 1
    return calls * units_per_call / elapsed


def bench_scorer() -> list[tuple[str, str, str]]:
    """Batch scorer on the paper's size: B models with their own weights, amplitudes, thresholds."""
    table = robust.load_paper2023()
    rng = np.random.default_rng(0)
    batch = 65_536
    weights = rng.dirichlet(np.ones(4), batch)
    amplitudes = rng.uniform(0.5, 1.5, (batch, 4)) * [4, 3, 2, 1]
    cap_t, dyn_t = rng.uniform(0.45, 0.55, batch), rng.uniform(0.45, 0.55, batch)

    def batched():
        return score_batch(table.values, weights, ipc_changes=table.dynamism_inputs,
                           amplitudes=amplitudes, capability_threshold=cap_t,
                           dynamism_threshold=dyn_t)

    def one_by_one():
        for b in range(2_000):
            score_batch(table.values, weights[b], ipc_changes=table.dynamism_inputs,
                        amplitudes=amplitudes[b], capability_threshold=cap_t[b],
                        dynamism_threshold=dyn_t[b])

    ours = rate(batched, batch)
    loop = rate(one_by_one, 2_000)
    return [
        ("scorer: batch of 65,536 paper-sized models", f"{ours:,.0f} models/s", "goal >= 2,000,000/s"),
        ("scorer: same models one call each", f"{loop:,.0f} models/s", f"batch is {ours / loop:,.0f}x faster"),
    ]


def _straightforward_bootstrap(table, replicates: int, seed: int) -> np.ndarray:
    """The obvious vectorised numpy version: materialise each chunk of resamples, then score."""
    from robust.weighting import compute_weights

    rng = np.random.default_rng(seed)
    values, raw = table.values, table.raw_dynamism([4, 3, 2, 1])
    m = len(raw)
    counts = np.zeros((m, 4), dtype=np.int64)
    for start in range(0, replicates, 1024):
        rows = rng.integers(0, m, (min(1024, replicates - start), m))
        weights = compute_weights(values[rows], "entropy")
        scores = score_batch(values, weights, raw, dynamism_bounds=(raw[rows].min(1), raw[rows].max(1)))
        codes = scores.quadrant.astype(np.intp) + 4 * np.arange(m)
        counts += np.bincount(codes.ravel(), minlength=4 * m).reshape(m, 4)
    return counts


def _pymcdm_loop_bootstrap(table, replicates: int, seed: int) -> np.ndarray:
    """One replicate at a time with pymcdm's entropy weights (pymcdm normalises by column sums)."""
    from pymcdm.weights import entropy_weights

    rng = np.random.default_rng(seed)
    values, raw = table.values, table.raw_dynamism([4, 3, 2, 1])
    m = len(raw)
    counts = np.zeros((m, 4), dtype=np.int64)
    for _ in range(replicates):
        rows = rng.integers(0, m, m)
        weights = entropy_weights(values[rows])
        low, high = raw[rows].min(), raw[rows].max()
        capability = values @ weights
        dynamism = (raw - low) / (high - low)
        codes = 1 + (dynamism >= 0.5) - (capability >= 0.5) + 2 * ((capability >= 0.5) & (dynamism >= 0.5))
        counts[np.arange(m), codes] += 1
    return counts


def bench_bootstrap() -> list[tuple[str, str, str]]:
    """The `technologies` scheme on the paper data, end to end, beside two alternatives."""
    table = robust.load_paper2023()
    robust.bootstrap(table, schemes=["technologies"], replicates=4096, rng=1)  # warm up imports
    replicates = 2_000_000
    started = time.perf_counter()
    robust.bootstrap(table, schemes=["technologies"], replicates=replicates, rng=1)
    ours = replicates / (time.perf_counter() - started)
    straightforward = rate(lambda: _straightforward_bootstrap(table, 100_000, 1), 100_000)
    loop = rate(lambda: _pymcdm_loop_bootstrap(table, 5_000, 1), 5_000)
    return [
        ("bootstrap `technologies`, paper, ours (all statistics)", f"{ours:,.0f} replicates/s",
         "goal >= 1,000,000/s"),
        ("bootstrap, straightforward numpy over chunks", f"{straightforward:,.0f} replicates/s",
         f"ours {ours / straightforward:.1f}x faster"),
        ("bootstrap, per-replicate loop with pymcdm", f"{loop:,.0f} replicates/s",
         f"ours {ours / loop:.0f}x faster (goal >= 50x)"),
    ]


BENCHMARKS = {"scorer": bench_scorer, "bootstrap": bench_bootstrap}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", choices=[[]] + list(BENCHMARKS), help="default: all")
    args = parser.parse_args(argv)
    names = args.names or list(BENCHMARKS)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"numpy {np.__version__}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    rows = [row for name in names for row in BENCHMARKS[name]()]
    width = max(len(row[0]) for row in rows)
    for what, figure, note in rows:
        print(f"{what:<{width}}  {figure:>22}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
