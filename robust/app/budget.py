"""How long and how much memory a run will take, estimated before it starts.

Each analysis section estimates its own cost (:class:`Cost`) from its spec and the table's
size, with per-unit times measured on the 2-core development machine (README, "Benchmarks")
and rounded up; the figures are left out. The estimate is rough (within a factor of a few),
enough to refuse what cannot finish: a run estimated to take more than :data:`MAX_HOURS`
hours, or more memory than the machine has, is refused with one line giving the estimate,
unless the caller overrides (``robust run --ignore-estimate``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..compute.execution import Execution, worker_count
from ..core.errors import InputError

MAX_HOURS = 24.0
BASE_MEMORY = 200 * 2**20  # the interpreter, numpy, pandas and matplotlib


@dataclass(frozen=True)
class Cost:
    """What one analysis costs: compute ``seconds`` on one core, ``memory`` (bytes) held by one
    piece of parallel work at a time, and ``pieces`` that can run in parallel."""

    seconds: float = 0.0
    memory: float = 0.0
    pieces: int = 1


@dataclass(frozen=True)
class Estimate:
    """The run's estimated wall time (seconds) and peak memory (bytes), per section and in all."""

    seconds: dict[str, float]
    memory: dict[str, float]
    workers: int

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    @property
    def peak_memory(self) -> float:
        return BASE_MEMORY + max(self.memory.values(), default=0.0)

    def describe(self) -> str:
        """``about 3 s and 250 MiB on 1 worker``."""
        return (f"about {duration(self.total_seconds)} and {size(self.peak_memory)} on "
                f"{self.workers} worker{'s' if self.workers > 1 else ''}")

    def to_dict(self) -> dict:
        return {"seconds": round(self.total_seconds, 3), "memory_bytes": int(self.peak_memory),
                "workers": self.workers}


def duration(seconds: float) -> str:
    """A duration in the largest sensible unit: ``40 s``, ``12 min``, ``5.2 hours``, ``23 days``, ``3e+04 years``."""
    for unit, length, limit in (("s", 1, 120), ("min", 60, 7200), ("hours", 3600, 172800), ("days", 86400, 6.3e7)):
        if seconds < limit:
            return f"{seconds / length:.2g} {unit}" if seconds / length < 10 else f"{seconds / length:.0f} {unit}"
    return f"{seconds / 3.15e7:.2g} years"


def size(count: float) -> str:
    """A number of bytes in MiB, GiB or TiB."""
    for unit, length in (("MiB", 2**20), ("GiB", 2**30)):
        if count < 1024 * length:
            return f"{count / length:.0f} {unit}"
    return f"{count / 2**40:.3g} TiB"


def physical_memory() -> float | None:
    """The machine's memory in bytes, or None where it cannot be read."""
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return None


def estimate(costs: dict[str, Cost], execution: Execution) -> Estimate:
    """Wall time and memory of the analyses run one after the other, each on its workers."""
    workers = worker_count(execution)
    seconds, memory = {}, {}
    for name, cost in costs.items():
        busy = max(1, min(workers, cost.pieces))
        seconds[name] = cost.seconds / busy
        memory[name] = cost.memory * busy
    return Estimate(seconds=seconds, memory=memory, workers=workers)


def check_estimate(found: Estimate, label: str, *, ignore: bool = False) -> None:
    """Refuse a run estimated to take more than :data:`MAX_HOURS` or more than the machine's memory."""
    if ignore or not found.seconds:
        return
    slowest = max(found.seconds, key=found.seconds.get)
    if found.total_seconds > MAX_HOURS * 3600:
        raise InputError(
            f"{label}: the run would take {found.describe()} ([{slowest}] {duration(found.seconds[slowest])}), "
            f"more than the {MAX_HOURS:g}-hour limit; make [{slowest}] smaller, or pass --ignore-estimate "
            "to run it anyway")
    available = physical_memory()
    if available is not None and found.peak_memory > available:
        largest = max(found.memory, key=found.memory.get)
        raise InputError(
            f"{label}: the run would need {size(found.peak_memory)} of memory at once ([{largest}]), more "
            f"than this machine's {size(available)}; make [{largest}] smaller, or pass --ignore-estimate "
            "to run it anyway")
