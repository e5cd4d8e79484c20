"""``[bootstrap]``: the tables of resampling and perturbation (:mod:`robust.analyses.bootstrap`)."""

from __future__ import annotations

from pathlib import Path

from ...analyses.bootstrap.result import BootstrapResult
from ...io.results import write_csv


def write(result: BootstrapResult, folder: Path) -> None:
    """``stability.csv``, ``joint.csv``, ``quadrant_probabilities.csv``, ``bootstrap_weights.csv``,
    ``bootstrap_convergence.csv``."""
    write_csv(result.to_frame(), folder / "stability.csv")
    write_csv(result.joint_frame(), folder / "joint.csv")
    write_csv(result.probabilities_frame(), folder / "quadrant_probabilities.csv")
    write_csv(result.weights_frame(), folder / "bootstrap_weights.csv")
    write_csv(result.convergence_frame(), folder / "bootstrap_convergence.csv")
