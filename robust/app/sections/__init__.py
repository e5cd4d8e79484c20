"""The analysis sections of an experiment config, in the order they run.

Each section connects a config table to an analysis: its keys are the fields of the
analysis's spec (read into the spec by :meth:`robust.app.reader.Section.build`, or by the
section's own ``parse`` when it has sub-tables or defaults from an earlier section), ``check`` validates the spec against the
table and the base model before anything is computed, ``cost`` estimates its time and memory
(:mod:`robust.app.budget`), ``run`` is the analysis itself (a
function of table, model, spec, execution and rng) and ``write`` writes its tables into the
(staging) result folder. Each analysis draws its random numbers from its own named seed
sequence (:func:`robust.compute.seeds.analysis_seed`), so adding or removing a section never
changes another one's results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ...analyses.acceptability.analysis import (
    AcceptabilitySpec,
    check_acceptability,
    run_acceptability,
)
from ...analyses.bootstrap.analysis import run_bootstrap
from ...analyses.bootstrap.spec import BootstrapSpec, check_bootstrap
from ...analyses.filtering.analysis import FilteringSpec, check_filtering, run_filtering
from ...analyses.morris.analysis import MorrisSpec, check_morris, run_morris
from ...analyses.sobol.analysis import SobolSpec, check_sobol, run_sobol
from ...analyses.specifications import (
    SpecificationsSpec,
    check_specifications,
    run_specifications,
)
from ...analyses.tipping.analysis import TippingSpec, check_tipping, run_tipping
from ...analyses.weightings import (
    WeightingSpec,
    check_weighting_comparison,
    run_weighting_comparison,
)
from ..reader import Section
from . import acceptability, bootstrap, filtering, morris, sobol, specifications, tipping, weighting


@dataclass(frozen=True)
class AnalysisSection:
    """How the config section ``[name]`` reaches its analysis."""

    name: str
    spec: type
    check: Callable[..., None]
    run: Callable[..., Any]
    write: Callable[..., None]
    cost: Callable[..., Any]  # (spec, table, execution) -> robust.app.budget.Cost
    read: Callable[[Section, dict], Any] | None = None  # (section, the specs parsed before it) -> spec
    derived: bool = False  # check, cost and run also get ``derived=``: the DerivedTable or DerivedLists (or None)

    def parse(self, section: Section, earlier: dict | None = None):
        """The section's spec, validated (errors name the config file and the section); ``earlier`` are the
        specs of the sections before it (``[filtering]`` takes the factors of ``[sobol]``)."""
        return self.read(section, earlier or {}) if self.read is not None else section.build(self.spec)

    def derived_argument(self, derived) -> dict:
        """``{"derived": derived}`` for a section that uses what the table was derived from, else nothing."""
        return {"derived": derived} if self.derived else {}


SECTIONS: dict[str, AnalysisSection] = {
    section.name: section for section in (
        AnalysisSection("weighting", WeightingSpec, check_weighting_comparison, run_weighting_comparison,
                        weighting.write, weighting.cost),
        AnalysisSection("bootstrap", BootstrapSpec, check_bootstrap, run_bootstrap, bootstrap.write,
                        bootstrap.cost, derived=True),
        AnalysisSection("sobol", SobolSpec, check_sobol, run_sobol, sobol.write, sobol.cost, read=sobol.parse,
                        derived=True),
        AnalysisSection("filtering", FilteringSpec, check_filtering, run_filtering, filtering.write,
                        filtering.cost, read=filtering.parse, derived=True),
        AnalysisSection("morris", MorrisSpec, check_morris, run_morris, morris.write, morris.cost,
                        read=morris.parse, derived=True),
        AnalysisSection("tipping", TippingSpec, check_tipping, run_tipping, tipping.write, tipping.cost),
        AnalysisSection("acceptability", AcceptabilitySpec, check_acceptability, run_acceptability,
                        acceptability.write, acceptability.cost),
        AnalysisSection("specifications", SpecificationsSpec, check_specifications, run_specifications,
                        specifications.write, specifications.cost, derived=True),
    )
}
