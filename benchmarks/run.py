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


BENCHMARKS = {"scorer": bench_scorer}


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
