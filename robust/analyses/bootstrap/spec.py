"""What a bootstrap asks for: the schemes, the normaliser, the noise, and the checks against a table."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal, get_args

from ...compute.seeds import STREAM_BLOCK
from ...core import rules
from ...core.errors import DeprecatedOptionWarning, SpecError
from ...core.ipc import DEFAULT_TOP_K, first_non_cumulative
from ...core.model import ScoringModel
from ...core.table import IndicatorTable
from ...records.derive import DerivedTable
from ...records.lists import TableOrigin
from ...records.spec import IPC_COLUMNS, SHARES

# The position of a scheme in SCHEMES keys its random stream: append new schemes at the end.
Scheme = Literal["technologies", "noise", "jackknife", "drop_indicator", "indicator_noise", "count_noise",
                 "patents"]
SCHEMES: tuple[str, ...] = get_args(Scheme)
RANDOM_SCHEMES: tuple[str, ...] = ("technologies", "indicator_noise", "count_noise", "noise", "patents")
# the random schemes that re-tally the IPC counts under the Poisson-process model (robust.analyses.bootstrap.noise)
COUNT_MODEL_SCHEMES: tuple[str, ...] = ("count_noise", "noise")
DEFAULT_SCHEMES: tuple[str, ...] = ("technologies", "indicator_noise", "count_noise", "noise", "jackknife",
                                    "drop_indicator")  # any table (patents needs patent records)
Normalizer = Literal["resample_with_self", "resample", "fixed"]
NORMALIZERS: tuple[str, ...] = get_args(Normalizer)


@dataclass(frozen=True)
class BootstrapSpec:
    """What to resample and how (the ``[bootstrap]`` config section has the same keys).

    Parameters
    ----------
    replicates : int
        Replicates of each random scheme (:data:`RANDOM_SCHEMES`).
    schemes : sequence of str
        Any of :data:`SCHEMES` (see :mod:`robust.analyses.bootstrap.analysis`); default
        :data:`DEFAULT_SCHEMES` (``patents`` needs patent records).
    normalizer : {"resample_with_self", "resample", "fixed"}
        The min-max normalisers under ``technologies`` and ``jackknife``: re-estimated on
        each resample together with the scored technology (the default: scores stay in
        [0, 1]), on the resample alone (scores may leave [0, 1]), or fixed at the full
        sample's (only the weights are re-estimated). For dynamism, and for capability on
        raw values (the paper), the first two give the same quadrants (for thresholds in
        (0, 1], except in a resample whose raw scores are all equal); with ``normalize =
        "minmax"`` the first keeps each indicator's normalised value within [0, 1], which can
        move a technology's weighted sum across the capability threshold.
    noise : float
        Log-sd of the multiplicative measurement error of the indicators (``indicator_noise``,
        ``noise``), in (0, 2].
    top_k : int
        Length of the lists of top IPC subclasses behind the counts: ``count_noise`` caps the
        cumulative counts at it (:mod:`robust.analyses.bootstrap.noise`).
    confidence : float
        Level of every interval, in (0, 1).
    chunk_size : int, optional
        Replicates per parallel task, a multiple of 1024 (default: about four tasks per
        worker, at most 65,536 replicates each); it only decides how work is split.
    renormalize : bool, optional
        Deprecated name: ``True`` is ``normalizer = "resample"``, ``False`` is ``"fixed"``.
    count_noise : bool, optional
        Deprecated flag of the old ``noise`` scheme: ``False`` replaces ``noise`` by
        ``indicator_noise`` (``count_noise`` is now a scheme of its own).
    """

    replicates: int = 10_000
    schemes: tuple[str, ...] = DEFAULT_SCHEMES
    normalizer: str | None = None
    noise: float = 0.05
    top_k: int = DEFAULT_TOP_K
    confidence: float = 0.95
    chunk_size: int | None = None
    renormalize: bool | None = None
    count_noise: bool | None = None

    def __post_init__(self):
        checked = {
            "replicates": rules.integer(self.replicates, "replicates", low=1),
            "schemes": rules.names(self.schemes, "schemes", choices=SCHEMES, what="scheme names"),
            "noise": rules.number(self.noise, "noise", low=0, high=2, low_open=True, what="a log-sd"),
            "top_k": rules.integer(self.top_k, "top_k", low=1),
            "confidence": rules.number(self.confidence, "confidence", low=0, high=1, low_open=True,
                                       high_open=True),
        }
        normalizer = self.normalizer
        if self.renormalize is not None:
            if normalizer is not None:
                raise SpecError("renormalize: give normalizer or its old name renormalize, not both")
            normalizer = "resample" if rules.flag(self.renormalize, "renormalize") else "fixed"
            warnings.warn(f"renormalize is deprecated: use normalizer = {normalizer!r} (the same), or the "
                          "default \"resample_with_self\" (the same quadrants, scores within [0, 1])",
                          DeprecatedOptionWarning, stacklevel=3)
        checked["normalizer"] = rules.text("resample_with_self" if normalizer is None else normalizer,
                                           "normalizer", choices=NORMALIZERS)
        if self.count_noise is not None:
            if not rules.flag(self.count_noise, "count_noise") and "noise" in checked["schemes"]:
                renamed = ("indicator_noise" if s == "noise" else s for s in checked["schemes"])
                checked["schemes"] = tuple(dict.fromkeys(renamed))
            warnings.warn("count_noise is no longer a flag: list the schemes \"indicator_noise\" (the "
                          "indicators only), \"count_noise\" (the IPC counts only) or \"noise\" (both)",
                          DeprecatedOptionWarning, stacklevel=3)
        if self.chunk_size is not None:
            size = rules.integer(self.chunk_size, "chunk_size")
            if size < STREAM_BLOCK or size % STREAM_BLOCK:
                raise SpecError(f"chunk_size must be a positive multiple of {STREAM_BLOCK}, got {size}")
        for name, value in checked.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "renormalize", None)
        object.__setattr__(self, "count_noise", None)

    def resolved(self) -> dict:
        """Settings that can change a result (``chunk_size`` cannot)."""
        return {
            "replicates": self.replicates,
            "schemes": list(self.schemes),
            "normalizer": self.normalizer,
            "noise": self.noise,
            "top_k": self.top_k,
            "confidence": self.confidence,
        }


def check_bootstrap(spec: BootstrapSpec, table: IndicatorTable, model: ScoringModel, *,
                    derived: TableOrigin | None = None) -> None:
    """Reject a spec the table cannot support, before computing (:class:`~robust.core.errors.SpecError`).

    ``derived``: what the table was derived from (``patents`` needs patent records).
    """
    k = len(table.indicators)
    if "patents" in spec.schemes:
        if not isinstance(derived, DerivedTable):
            raise SpecError("schemes: patents resamples patent records; it needs a table derived from "
                            "records (a [records] section)" + (
                                ", not from ranked IPC lists" if derived is not None else ""))
        other = [name for name in table.indicators if name not in SHARES] + (
            [name for name in table.dynamism_columns if name not in IPC_COLUMNS] if table.ipc_counts
            else list(table.dynamism_columns))
        if other:
            raise SpecError(f"schemes: patents re-derives the columns {', '.join(SHARES + IPC_COLUMNS)} "
                            f"from the records, not {other[0]!r}")
    if "drop_indicator" in spec.schemes:
        if k < 2:
            raise SpecError("schemes: drop_indicator needs at least 2 capability indicators")
        if not isinstance(model.weighting, str):
            for j, name in enumerate(table.indicators):
                if sum(w for i, w in enumerate(model.weighting) if i != j) <= 0:
                    raise SpecError(
                        f"schemes: drop_indicator: leaving out {name!r} leaves fixed weights that sum to 0"
                    )
    resampling = [scheme for scheme in ("technologies", "jackknife") if scheme in spec.schemes]
    if resampling and model.normalize in ("zscore", "rank") and spec.normalizer != "fixed":
        raise SpecError(
            f"schemes: {' and '.join(resampling)} re-estimate the normalisation on each resample, which is "
            f"implemented for normalize = \"none\" and \"minmax\"; with normalize = \"{model.normalize}\" "
            "use normalizer = \"fixed\" (the full sample's) or leave them out")
    if "jackknife" in spec.schemes and table.n_technologies < 4:
        raise SpecError("schemes: jackknife needs at least 4 technologies")
    if "count_noise" in spec.schemes and not table.ipc_counts:
        raise SpecError(f"schemes: count_noise perturbs IPC change counts, but {table.source} gives a "
                        f"precomputed dynamism score ({table.dynamism_columns[0]!r}); use noise for it")
    if table.ipc_counts and {"count_noise", "noise"} & set(spec.schemes):
        broken = first_non_cumulative(table.dynamism_inputs, spec.top_k)
        if broken is not None:
            row, position = broken
            column = table.dynamism_columns[position]
            value = table.dynamism_inputs[row, position]
            reason = (f"is above top_k = {spec.top_k}" if value > spec.top_k else
                      f"is below the count before it ({table.dynamism_inputs[row, position - 1]:g})")
            raise SpecError(
                f"schemes: count_noise needs cumulative IPC counts (never decreasing from one position to "
                f"the next, at most top_k), but {table.source} column {column!r}, row {row + 1} "
                f"(id {table.technologies[row]!r}): {value:g} {reason}")
