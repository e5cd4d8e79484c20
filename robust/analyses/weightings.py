"""Alternative weightings side by side: does the choice of weighting change the strategy?

The base model's weighting (the paper: entropy) is compared with other objective
weightings of :mod:`robust.core.weighting`. Everything else (normalisation, amplitudes,
thresholds, and so dynamism) stays the base model's, so a technology can change quadrant
only through its capability crossing the capability threshold.

Definitions
-----------
- The *base method* is the base model's weighting (``"fixed"`` for fixed weights). It is
  always compared and always comes first; listing it among the methods is allowed and
  changes nothing.
- A cell (technology, method) is *fragile* when the technology's quadrant under that
  method differs from its quadrant under the base method. A technology is fragile when
  any of its cells is.

Spec
----
:class:`WeightingSpec` has one setting, ``methods``: the methods to compare with the base
method, from :data:`robust.core.options.WEIGHTING_METHODS` (default: all of them). The
config section ``[weighting]`` takes the same key.

Outputs (written by :mod:`robust.app.sections.weighting`)
---------------------------------------------------------
``weights.csv``
    ``method, indicator, weight`` for every method, the base method first (replaces the
    base-only file the run writes).
``weighting_comparison.csv``
    ``method, technology, capability, dynamism, quadrant``: one row per method and
    technology, methods in order, technologies in input order.
``weighting_agreement.csv``
    One row per technology: ``technology``, one column per method holding the quadrant
    under it, ``agree_with_base`` (how many of the other methods give the base quadrant)
    and ``other_methods`` (how many other methods there are).
``weighting_pairs.csv``
    One row per pair of methods: ``method_a, method_b, kendall_tau`` (Kendall's tau-b of
    the capability scores, :func:`scipy.stats.kendalltau`) and ``same_quadrant`` (the share
    of technologies with the same quadrant under both). A pair whose tau is undefined (a
    method giving every technology the same capability) is left out, with a
    :class:`~robust.core.errors.DegenerateWarning`.
``figures/weighting_heatmap.{png,pdf}``, ``figures/weighting_dots.{png,pdf}``
    :func:`robust.plotting.weightings.plot_weighting_heatmap` and
    :func:`~robust.plotting.weightings.plot_weighting_dots`, drawn from
    ``weighting_comparison.csv`` by :mod:`robust.report.figures`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd

from ..compute.execution import Execution
from ..core import rules
from ..core.display import Displayed
from ..core.errors import DegenerateWarning, InputError
from ..core.model import ScoringModel, checked_raw_dynamism, estimate_weights
from ..core.options import QUADRANTS, WEIGHTING_METHODS
from ..core.scoring import score_with_weights
from ..core.table import IndicatorTable
from ..core.weighting import check_weighting_domain


@dataclass(frozen=True)
class WeightingSpec:
    """``[weighting]``: the methods compared with the base model's weighting."""

    methods: tuple[str, ...] = WEIGHTING_METHODS

    def __post_init__(self):
        object.__setattr__(self, "methods", rules.names(self.methods, "methods", choices=WEIGHTING_METHODS,
                                                        what="method names"))

    def resolved(self) -> dict:
        return {"methods": list(self.methods)}


@dataclass(frozen=True, repr=False)
class WeightingComparison(Displayed):
    """Scores of one table under several weighting methods, the base method first.

    Attributes
    ----------
    technologies, indicators : tuple of str
    methods : tuple of str
        The base method first (``"fixed"`` for fixed weights), then the others in the
        order asked for.
    model : ScoringModel
        The base model; every method shares its normalisation, amplitudes and thresholds.
    weights : ndarray, shape (n_methods, k)
    capability : ndarray, shape (n_methods, m)
    dynamism : ndarray, shape (m,)
        The same under every method.
    quadrant : tuple of tuple of str
        ``quadrant[method][technology]``, one of :data:`robust.core.options.QUADRANTS`.
    source : str
        Where the table came from.
    """

    technologies: tuple[str, ...]
    indicators: tuple[str, ...]
    methods: tuple[str, ...]
    model: ScoringModel
    weights: np.ndarray
    capability: np.ndarray
    dynamism: np.ndarray
    quadrant: tuple[tuple[str, ...], ...]
    source: str = ""

    @property
    def base_method(self) -> str:
        return self.methods[0]

    @property
    def fragile(self) -> np.ndarray:
        """Boolean ``(n_methods, m)``: the quadrant differs from the base method's."""
        quadrant = np.array(self.quadrant)
        return quadrant != quadrant[0]

    def summary(self) -> str:
        """``8 methods; 1 of 20 technologies changes quadrant under some method (chip)``."""
        changed = [t for i, t in enumerate(self.technologies)
                   if any(q[i] != self.quadrant[0][i] for q in self.quadrant[1:])]
        names = f" ({', '.join(changed[:5])}{', ...' if len(changed) > 5 else ''})" if changed else ""
        verb = "changes" if len(changed) == 1 else "change"
        return (f"{len(self.methods)} methods ({self.methods[0]} the base); {len(changed)} of "
                f"{len(self.technologies)} technologies {verb} quadrant under some method{names}")

    def to_frame(self) -> pd.DataFrame:
        """Columns ``method, technology, capability, dynamism, quadrant``.

        One row per method and technology: methods in order (base first), technologies in
        input order within each method.
        """
        n_methods, m = self.capability.shape
        return pd.DataFrame(
            {
                "method": np.repeat(self.methods, m),
                "technology": list(self.technologies) * n_methods,
                "capability": self.capability.ravel(),
                "dynamism": np.tile(self.dynamism, n_methods),
                "quadrant": [q for row in self.quadrant for q in row],
            }
        )

    def weights_frame(self) -> pd.DataFrame:
        """Columns ``method, indicator, weight``, methods in order (base first)."""
        n_methods, k = self.weights.shape
        return pd.DataFrame(
            {
                "method": np.repeat(self.methods, k),
                "indicator": list(self.indicators) * n_methods,
                "weight": self.weights.ravel(),
            }
        )

    def agreement(self) -> pd.DataFrame:
        """Per technology: the quadrant under each method and the agreement with the base.

        Columns ``technology``, one per method (its quadrant), ``agree_with_base`` (how many
        of the other methods give the base method's quadrant) and ``other_methods``.
        """
        frame = pd.DataFrame({"technology": list(self.technologies)})
        for method, quadrants in zip(self.methods, self.quadrant):
            frame[method] = list(quadrants)
        others = len(self.methods) - 1
        frame["agree_with_base"] = others - self.fragile.sum(axis=0)
        frame["other_methods"] = others
        return frame

    def pairs(self) -> pd.DataFrame:
        """Per pair of methods: Kendall's tau of the capability scores and quadrant agreement.

        Columns ``method_a, method_b, kendall_tau, same_quadrant`` (share of technologies in
        the same quadrant), pairs in method order. A pair involving a method under which
        every technology has the same capability has no tau: it is left out, with a
        :class:`~robust.core.errors.DegenerateWarning`.
        """
        from scipy.stats import kendalltau

        quadrant = np.array(self.quadrant)
        flat = [j for j, row in enumerate(self.capability) if row.min() == row.max()]
        for j in flat:
            warnings.warn(
                f"{self.source}: every technology has the same capability under "
                f"{self.methods[j]}, so its Kendall's tau is undefined; its pairs are left out",
                DegenerateWarning,
                stacklevel=2,
            )
        rows = [
            {
                "method_a": self.methods[a],
                "method_b": self.methods[b],
                "kendall_tau": float(kendalltau(self.capability[a], self.capability[b]).statistic),
                "same_quadrant": float(np.mean(quadrant[a] == quadrant[b])),
            }
            for a, b in combinations(range(len(self.methods)), 2)
            if a not in flat and b not in flat
        ]
        return pd.DataFrame(rows, columns=["method_a", "method_b", "kendall_tau", "same_quadrant"])

    def changes(self) -> pd.DataFrame:
        """The fragile cells: ``technology, base_quadrant, method, quadrant, capability``.

        Technologies in input order, methods in order; empty when no method changes any
        quadrant.
        """
        fragile = self.fragile
        rows = [
            {
                "technology": technology,
                "base_quadrant": self.quadrant[0][i],
                "method": self.methods[j],
                "quadrant": self.quadrant[j][i],
                "capability": float(self.capability[j, i]),
            }
            for i, technology in enumerate(self.technologies)
            for j in range(1, len(self.methods))
            if fragile[j, i]
        ]
        return pd.DataFrame(
            rows, columns=["technology", "base_quadrant", "method", "quadrant", "capability"]
        )

    def plot(self, ax=None):
        """The heatmap: technologies x methods, coloured by quadrant, fragile cells hatched.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Draw into it (e.g. a subplot of your figure); default a new pyplot figure.

        Returns
        -------
        matplotlib Axes
            The axes drawn on: ``ax.figure.savefig("name.png")`` saves it.
        """
        from ..plotting.weightings import plot_weighting_heatmap

        return plot_weighting_heatmap(self.to_frame(), threshold=self.model.capability_threshold, ax=ax)


def check_weighting_comparison(spec: WeightingSpec, table: IndicatorTable, model: ScoringModel) -> None:
    """Every method must be defined for the table (e.g. no zero under ``merec``)."""
    for method in spec.methods:
        try:
            check_weighting_domain(table.values, method, table.indicators)
        except InputError as error:
            raise InputError(f"{table.source}: {error}") from None


def run_weighting_comparison(table: IndicatorTable, model: ScoringModel, spec: WeightingSpec, *,
                             execution: Execution | None = None, rng=None) -> WeightingComparison:
    """The comparison a :class:`WeightingSpec` asks for (deterministic: ``execution`` and ``rng`` are unused)."""
    if not isinstance(table, IndicatorTable):
        raise TypeError(f"table must be an IndicatorTable, got {type(table).__name__}")
    if not isinstance(model, ScoringModel):
        raise TypeError(f"model must be a ScoringModel, got {type(model).__name__}")
    base = model.weighting_label
    others = tuple(method for method in spec.methods if method != base)
    check_weighting_comparison(spec, table, model)
    raw = checked_raw_dynamism(table, model)
    weights = np.stack(
        [estimate_weights(table, model.weighting)] + [estimate_weights(table, method) for method in others]
    )
    scores = score_with_weights(table, model, weights, raw)
    return WeightingComparison(
        technologies=table.technologies,
        indicators=table.indicators,
        methods=(base,) + others,
        model=model,
        weights=weights,
        capability=scores.capability,
        dynamism=scores.dynamism[0],
        quadrant=tuple(tuple(QUADRANTS[code] for code in row) for row in scores.quadrant),
        source=table.source,
    )


def compare_weightings(
    table: IndicatorTable, methods: Sequence[str] = WEIGHTING_METHODS, *, model: ScoringModel | None = None
) -> WeightingComparison:
    """Score a table under several weighting methods, everything else as in the base model.

    Parameters
    ----------
    table : IndicatorTable
        From :func:`robust.read_table`, :func:`robust.table_from_frame` or
        :func:`robust.load_paper2023`.
    methods : sequence of str
        Methods of :data:`robust.WEIGHTING_METHODS` to compare with the base model's
        weighting (default: all). The base method is always included, first.
    model : ScoringModel, optional
        The base model (default: the paper's, with entropy weights).

    Returns
    -------
    WeightingComparison

    Raises
    ------
    InputError
        For an unknown or repeated method, or data outside a method's domain (e.g. a zero
        under ``merec``), before anything is computed.

    Warns
    -----
    DegenerateWarning
        For each degenerate convention a method applies (see :mod:`robust.core.weighting`).

    Examples
    --------
    >>> from robust import load_paper2023
    >>> comparison = compare_weightings(load_paper2023(), ["critic", "equal"])
    >>> comparison.methods
    ('entropy', 'critic', 'equal')
    >>> comparison.changes()[["technology", "method", "quadrant"]].values.tolist()
    [['chip', 'critic', 'entrench']]
    """
    spec = WeightingSpec(methods=methods)
    return run_weighting_comparison(table, ScoringModel() if model is None else model, spec)
