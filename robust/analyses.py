"""The analyses an experiment config can ask for, one config section each.

Each analysis lives in its own module, which provides four functions:

``parse_section(section: config.Section) -> Spec``
    Read and validate the ``[name]`` section (a frozen dataclass with ``resolved() -> dict``
    giving every setting that can change a result).
``check(spec, table, model) -> None``
    Validate the spec against the data and the base model, before anything is computed;
    raise :class:`robust.errors.InputError`.
``run_section(spec, context: RunContext) -> Result``
    Compute (the result is a frozen dataclass of the module).
``write_section(result, folder: pathlib.Path) -> None``
    Write the result's tables and figures into the (staging) result folder.

The registry maps the section name to the module; analyses run in this order. Each
analysis draws its random numbers from its own named seed sequence
(:func:`robust.parallel.seed_sequence`), so adding or removing an analysis never changes
another one's results.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from .model import ScoreResult, ScoringModel
from .parallel import Execution
from .table import IndicatorTable

ANALYSES: dict[str, str] = {
    "weighting": "robust.compare",
    "bootstrap": "robust.bootstrap",
    "sobol": "robust.sobol",
}


@dataclass(frozen=True)
class RunContext:
    """What every analysis receives: the data, the base model and its scores, seed, execution."""

    table: IndicatorTable
    model: ScoringModel
    base: ScoreResult
    seed: int
    execution: Execution


def analysis_module(name: str) -> ModuleType:
    """The module implementing the ``[name]`` section."""
    return importlib.import_module(ANALYSES[name])
