"""``[bootstrap]``: the tables of resampling and perturbation (:mod:`robust.analyses.bootstrap`)."""

from __future__ import annotations

from pathlib import Path

from ...analyses.bootstrap.result import BootstrapResult
from ...analyses.bootstrap.spec import RANDOM_SCHEMES, BootstrapSpec
from ...compute.execution import Execution, auto_chunk_size
from ...core.table import IndicatorTable
from ...io.results import write_csv
from ...records.derive import DerivedTable
from ...records.lists import TableOrigin
from ..budget import Cost

# seconds per technology and replicate, measured and rounded up (README, "Benchmarks")
SECONDS_PER_TECHNOLOGY_REPLICATE = {"technologies": 4.0e-6, "indicator_noise": 1.0e-6, "count_noise": 1.5e-6,
                                    "noise": 2.0e-6}
# patents: per kept record and replicate (2.1e-8 to 2.4e-8 measured on 1,000,000 records), and what a step holds
SECONDS_PER_RECORD_REPLICATE = 3.0e-8
BYTES_PER_STEP = 2**21 * 8 * 6  # replicates x (records, cells or slots) of a step, a few int64 arrays each
BYTES_PER_RECORD = 4 + 100       # the resampler: the cell of each position, and at most a cell per record
BYTES_PER_TECHNOLOGY_REPLICATE = 48  # the scores of a chunk of replicates being tallied
HISTOGRAM_BYTES = 1026 * 8 * 6       # per technology: counts, bounds and sums of two histograms


def write(result: BootstrapResult, folder: Path) -> None:
    """``stability.csv``, ``joint.csv``, ``quadrant_probabilities.csv``, ``bootstrap_weights.csv``,
    ``bootstrap_convergence.csv``."""
    write_csv(result.to_frame(), folder / "stability.csv")
    write_csv(result.joint_frame(), folder / "joint.csv")
    write_csv(result.probabilities_frame(), folder / "quadrant_probabilities.csv")
    write_csv(result.weights_frame(), folder / "bootstrap_weights.csv")
    write_csv(result.convergence_frame(), folder / "bootstrap_convergence.csv")


def cost(spec: BootstrapSpec, table: IndicatorTable, execution: Execution, *,
         derived: TableOrigin | None = None) -> Cost:
    """Random schemes: replicates x technologies (``patents``: x kept records); the jackknife
    holds m x m counts."""
    m, k = table.values.shape
    seconds, memory, pieces = 0.0, 0.0, 1
    for scheme in spec.schemes:
        if scheme == "patents" and isinstance(derived, DerivedTable):
            records = int(derived.indicators["n_records"].sum())
            chunk = spec.chunk_size or auto_chunk_size(spec.replicates, execution)
            seconds += spec.replicates * records * SECONDS_PER_RECORD_REPLICATE
            memory = max(memory, BYTES_PER_STEP + records * BYTES_PER_RECORD + m * HISTOGRAM_BYTES)
            pieces = max(pieces, -(-spec.replicates // chunk))
        elif scheme in RANDOM_SCHEMES:
            chunk = spec.chunk_size or auto_chunk_size(spec.replicates, execution)
            seconds += spec.replicates * m * SECONDS_PER_TECHNOLOGY_REPLICATE[scheme]
            memory = max(memory, min(chunk, spec.replicates) * m * BYTES_PER_TECHNOLOGY_REPLICATE
                         + m * HISTOGRAM_BYTES)
            pieces = max(pieces, -(-spec.replicates // chunk))
        elif scheme == "jackknife":
            seconds += m * m * SECONDS_PER_TECHNOLOGY_REPLICATE["technologies"]
            memory = max(memory, 4 * 8.0 * m * m)
        else:
            seconds += k * m * SECONDS_PER_TECHNOLOGY_REPLICATE["technologies"]
    return Cost(seconds=seconds, memory=memory, pieces=pieces)
