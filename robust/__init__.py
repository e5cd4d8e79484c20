"""robust: how much to trust a composite-indicator study.

The first case is Yu, Wang, Zhao & Bai (2023), which scores 20 Chinese chokepoint
technologies on capability and paradigm dynamism and assigns each to a strategy
quadrant. The package rebuilds that scorer exactly (:func:`score`,
:func:`reproduce_paper`) on a vectorised core (:func:`score_batch`), compares the
paper's weighting with other objective weightings (:func:`compare_weightings`), measures
how stable each quadrant is under resampling and perturbation (:func:`bootstrap`) and says
which modelling choice drives each technology's quadrant (:func:`sobol_analysis`).
"""

from .bootstrap import BootstrapResult, bootstrap
from .compare import WeightingComparison, compare_weightings
from .datasets import load_paper2023, load_paper2023_published, parse_ipc_terms
from .errors import DegenerateWarning, InputError
from .model import ScoreResult, ScoringModel, score
from .reproduce import Reproduction, reproduce_paper
from .scoring import QUADRANTS, BatchScores, score_batch
from .sobol import (
    SobolFactors,
    SobolIndices,
    SobolResult,
    sobol_analysis,
    sobol_indices,
)
from .table import IndicatorTable, read_table, table_from_frame
from .weighting import WEIGHTING_METHODS, compute_weights

__version__ = "0.1.0"

__all__ = [
    "QUADRANTS",
    "WEIGHTING_METHODS",
    "BatchScores",
    "BootstrapResult",
    "DegenerateWarning",
    "IndicatorTable",
    "InputError",
    "Reproduction",
    "ScoreResult",
    "ScoringModel",
    "SobolFactors",
    "SobolIndices",
    "SobolResult",
    "WeightingComparison",
    "bootstrap",
    "compare_weightings",
    "compute_weights",
    "load_paper2023",
    "load_paper2023_published",
    "parse_ipc_terms",
    "read_table",
    "reproduce_paper",
    "score",
    "score_batch",
    "sobol_analysis",
    "sobol_indices",
    "table_from_frame",
]
