"""robust: how much to trust a composite-indicator study.

The first case is Yu, Wang, Zhao & Bai (2023), which scores 20 Chinese chokepoint
technologies on capability and paradigm dynamism and assigns each to a strategy
quadrant. The package rebuilds that scorer exactly (:func:`score`,
:func:`reproduce_paper`) on a vectorised core (:func:`score_batch`), compares the
paper's weighting with other objective weightings (:func:`compare_weightings`), measures
how stable each quadrant is under resampling and perturbation (:func:`bootstrap`) and says
which modelling choice drives each technology's quadrant (:func:`sobol_analysis`) and where
in the choices it holds (:func:`monte_carlo_filtering`),
how far each technology is from another quadrant (:func:`tipping_points`) and how likely
each quadrant is over the weight space (:func:`acceptability`). :func:`run_experiment` runs a
whole experiment config (as ``robust run``) and returns every analysis's result. Starting
from patent records instead of a finished table, :func:`derive_from_records` rebuilds the
paper's measurement (Table 2) at the scale of real exports; :func:`paper2023_records` is a
SYNTHETIC record set calibrated to the paper's Table 2. With only the ranked IPC lists of
the two windows, :func:`derive_from_lists` counts the IPC changes by the same rules.

This module is the package's face: it imports from every layer and nothing imports it.
The layers and what each may import are in ``ARCHITECTURE.md`` (checked by
``tests/test_architecture.py``).
"""

from .analyses.acceptability.analysis import AcceptabilityResult, acceptability
from .analyses.bootstrap.analysis import bootstrap
from .analyses.bootstrap.result import BootstrapResult
from .analyses.filtering.analysis import monte_carlo_filtering
from .analyses.filtering.result import FilteringResult
from .analyses.morris.analysis import MorrisResult, morris_screening
from .analyses.reproduce import (
    RecordsReproduction,
    Reproduction,
    reproduce_paper,
    reproduce_paper_records,
)
from .analyses.sobol.analysis import sobol_analysis
from .analyses.sobol.factors import SobolFactors
from .analyses.sobol.indices import SobolIndices, sobol_indices
from .analyses.sobol.result import SobolResult
from .analyses.tipping.analysis import TippingResult, tipping_points
from .analyses.weightings import WeightingComparison, compare_weightings
from .app.config import load_config
from .app.experiment import RunSummary, run_experiment
from .compute.execution import Execution
from .core.errors import DegenerateWarning, InputError
from .core.model import ScoringModel
from .core.options import QUADRANTS, WEIGHTING_METHODS
from .core.scoring import BatchScores, ScoreResult, score, score_batch
from .core.table import IndicatorTable, table_from_frame
from .core.weighting import compute_weights
from .datasets.paper2023 import (
    load_paper2023,
    load_paper2023_published,
    parse_ipc_terms,
)
from .datasets.paper2023_records import paper2023_records, paper2023_records_sizes
from .io.tables import read_table
from .records.derive import DerivedTable, derive_from_records, derive_table
from .records.engine import RecordStatistics, record_statistics
from .records.ipc import ipc_change_counts
from .records.lists import (
    DerivedLists,
    ListsSpec,
    RankedLists,
    derive_from_lists,
    read_ranked_lists,
    table_with_lists,
)
from .records.source import RecordsSource
from .records.spec import RecordColumns, RecordsSpec
from .version import __version__

__all__ = [
    "QUADRANTS",
    "WEIGHTING_METHODS",
    "AcceptabilityResult",
    "BatchScores",
    "BootstrapResult",
    "DegenerateWarning",
    "DerivedLists",
    "DerivedTable",
    "Execution",
    "FilteringResult",
    "IndicatorTable",
    "InputError",
    "ListsSpec",
    "MorrisResult",
    "RankedLists",
    "RecordColumns",
    "RecordStatistics",
    "RecordsReproduction",
    "RecordsSource",
    "RecordsSpec",
    "Reproduction",
    "ScoreResult",
    "RunSummary",
    "ScoringModel",
    "SobolFactors",
    "SobolIndices",
    "SobolResult",
    "TippingResult",
    "WeightingComparison",
    "__version__",
    "acceptability",
    "bootstrap",
    "compare_weightings",
    "compute_weights",
    "derive_from_lists",
    "derive_from_records",
    "derive_table",
    "ipc_change_counts",
    "load_config",
    "load_paper2023",
    "load_paper2023_published",
    "monte_carlo_filtering",
    "morris_screening",
    "paper2023_records",
    "paper2023_records_sizes",
    "parse_ipc_terms",
    "read_ranked_lists",
    "read_table",
    "record_statistics",
    "reproduce_paper",
    "reproduce_paper_records",
    "run_experiment",
    "score",
    "score_batch",
    "sobol_analysis",
    "sobol_indices",
    "table_from_frame",
    "table_with_lists",
    "tipping_points",
]
