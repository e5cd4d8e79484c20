"""The result of a Sobol' analysis of the scoring model, and its tables (``sobol.csv`` and the rest)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd

from ...core.display import Displayed
from .factors import SobolFactors
from .indices import Pooled, SobolIndices

DEFAULT_MIN_EVENTS = 100


@dataclass(frozen=True, repr=False)
class SobolResult(Displayed):
    """Sobol' indices of each technology's outputs under the uncertain modelling choices.

    Attributes
    ----------
    technologies : tuple of str
    outputs : tuple of str
        The analysed outputs (a subset of :data:`OUTPUTS`).
    factors : SobolFactors
    base_quadrant : tuple of str
        The base model's quadrant of each technology (``retained`` compares with it).
    indices : SobolIndices
        Per-scramble estimates, columns ordered output-major (``o * m + i``).
    metadata : dict
        Seed entropy and spawn key, sizes, scramble seeds, package versions.
    min_events : int
        The rare-event rule: a 0/1 output whose minority class was seen fewer times than
        this in some scramble is not estimable (its indices are not findings).
    """

    technologies: tuple[str, ...]
    outputs: tuple[str, ...]
    factors: SobolFactors
    base_quadrant: tuple[str, ...]
    indices: SobolIndices
    metadata: dict
    min_events: int = DEFAULT_MIN_EVENTS

    def summary(self) -> str:
        """``5 factors, n = 16384 x 5 scrambles; 10 of 20 technologies can leave their quadrant``."""
        sizes = f"n = {self.metadata.get('n')} x {self.metadata.get('scrambles')} scrambles"
        text = f"{len(self.factors.names)} factors ({', '.join(self.factors.names)}), {sizes}"
        if "retained" in self.outputs:
            text += f"; {len(self.unstable_technologies())} of {len(self.technologies)} technologies can leave " \
                    "their quadrant"
        return text

    def _frame(self, **per_factor: Sequence[str]) -> pd.DataFrame:
        """``technology, output`` and the ``per_factor`` label columns, one row per
        technology, output and entry of the labels (technology-major)."""
        m, outputs = len(self.technologies), len(self.outputs)
        repeat = len(next(iter(per_factor.values())))
        frame = pd.DataFrame({
            "technology": np.repeat(np.array(self.technologies, dtype=object), outputs * repeat),
            "output": np.tile(np.repeat(np.array(self.outputs, dtype=object), repeat), m),
        })
        for name, labels in per_factor.items():
            frame[name] = np.tile(np.array(labels, dtype=object), m * outputs)
        return frame

    def _order(self, array: np.ndarray, repeat: int = 1) -> np.ndarray:
        """(O, ...) output-major values to technology-major rows, each repeated ``repeat`` times."""
        m, outputs = len(self.technologies), len(self.outputs)
        ordered = array.reshape((outputs, m) + array.shape[1:]).swapaxes(0, 1).reshape(-1)
        return np.repeat(ordered, repeat)

    def _add_pooled(self, frame: pd.DataFrame, label: str, pooled: Pooled) -> None:
        for suffix, array in (("", pooled.estimate), ("_low", pooled.low), ("_high", pooled.high),
                              ("_boot_low", pooled.boot_low), ("_boot_high", pooled.boot_high),
                              ("_scramble_min", pooled.minimum), ("_scramble_max", pooled.maximum)):
            frame[label + suffix] = self._order(array)

    def to_frame(self) -> pd.DataFrame:
        """One row per technology, output and factor (input, output and factor order).

        Columns
        -------
        technology, output, factor
            ``factor`` is the config key.
        applicable
            False when the output never varies for the technology; its index cells are
            then empty (NaN): no variance, nothing to apportion.
        events
            For a 0/1 output (``retained``), the smallest number, over the scrambles, of
            design rows in its minority class (how often the rare outcome was seen); empty
            for the margins.
        estimable
            The indices are findings: the output varies, at least 2 scrambles estimate it, and
            a 0/1 output was seen at least ``min_events`` times in its minority class in every
            scramble. When False the index cells are kept (raw) but must not be read as findings.
        out_of_range
            S1 or ST lies outside [0, 1] (kept raw; a share of variance cannot, so it is a sign
            of estimation error).
        scrambles_used
            Scrambles in which the indices are defined (all of them unless a rare event;
            with 0 the index cells are empty, with 1 the interval cells).
        output_mean, output_mean_low, output_mean_high
            Mean of the raw output over all model evaluations and its interval over the
            scrambles; for ``retained``, the retention (share of evaluations in the base
            model's quadrant).
        output_variance
            Variance of the raw output (mean over scrambles).
        S1, S1_low, S1_high, ST, ST_low, ST_high
            First-order and total indices (mean over scrambles) and their Student-t
            interval from the spread between scrambles.
        S1_boot_low, S1_boot_high, ST_boot_low, ST_boot_high
            Bootstrap interval: ``index -+ z * bootstrap standard error``.
        S1_scramble_min, S1_scramble_max, ST_scramble_min, ST_scramble_max
            Smallest and largest estimate of a single scramble.
        """
        indices = self.indices
        g = len(indices.groups)
        frame = self._frame(factor=indices.groups)
        mean = indices.output_mean()
        per_output = {
            "applicable": indices.applicable, "scrambles_used": indices.estimable.sum(axis=0),
            "output_mean": mean.estimate, "output_mean_low": mean.low, "output_mean_high": mean.high,
            "output_variance": indices.output_variance(),
        }
        for name, array in per_output.items():
            frame[name] = self._order(array, g)
        self._add_pooled(frame, "S1", indices.first_order())
        self._add_pooled(frame, "ST", indices.total_order())
        events = self._order(indices.events.min(axis=0), g)  # -1: not a 0/1 output
        column = pd.array(events, dtype="Int64")
        column[events < 0] = pd.NA
        frame["events"] = column
        frame["estimable"] = self._order(indices.findings(self.min_events), g)
        outside = lambda column: ((frame[column] < 0) | (frame[column] > 1)).fillna(False).to_numpy(dtype=bool)
        frame["out_of_range"] = outside("S1") | outside("ST")
        return frame[FRAME_COLUMNS]

    def convergence_frame(self) -> pd.DataFrame:
        """Indices against the base sample size, for the applicable outputs.

        Columns ``n, technology, output, factor, scrambles_used, S1, S1_low, S1_high, ST,
        ST_low, ST_high`` (point estimates on the first ``n`` base points of each scramble,
        pooled as in :meth:`to_frame`; no bootstrap). Cells are empty where fewer scrambles
        than needed (1 for the index, 2 for the interval) saw the output vary.
        """
        first, total = self.indices.convergence()
        g = len(self.indices.groups)
        applicable = self._order(self.indices.applicable, g)
        frames = []
        for index, size in enumerate(self.indices.sizes):
            frame = self._frame(factor=self.indices.groups)
            frame.insert(0, "n", size)
            frame["scrambles_used"] = self._order(first.used[index])
            for label, pooled in (("S1", first), ("ST", total)):
                for suffix, array in (("", pooled.estimate), ("_low", pooled.low), ("_high", pooled.high)):
                    frame[label + suffix] = self._order(array[index])
            frames.append(frame[applicable])
        return pd.concat(frames, ignore_index=True)

    def second_order_frame(self) -> pd.DataFrame:
        """Second-order indices: one row per technology, output and factor pair.

        Columns ``technology, output, factor, factor_2, applicable, S2, S2_low, S2_high,
        S2_boot_low, S2_boot_high, S2_scramble_min, S2_scramble_max`` (as in :meth:`to_frame`).
        """
        pooled = self.indices.second_order_indices()
        pairs = list(combinations(self.indices.groups, 2))
        frame = self._frame(factor=[a for a, _ in pairs], factor_2=[b for _, b in pairs])
        frame["applicable"] = self._order(self.indices.applicable, len(pairs))
        self._add_pooled(frame, "S2", pooled)
        return frame

    def unstable_technologies(self) -> tuple[str, ...]:
        """Technologies whose retention is below 1 (``retained`` varies), in input order."""
        if "retained" not in self.outputs:
            return ()
        m = len(self.technologies)
        start = self.outputs.index("retained") * m
        varies = self.indices.applicable[start:start + m]
        return tuple(t for t, flag in zip(self.technologies, varies) if flag)

    def plot(self, ax=None, **kwargs):
        """Heatmap of the total indices; ``kwargs`` as :func:`robust.plotting.sobol.plot_sobol_heatmap`.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Draw into it (e.g. a subplot of your figure); default a new pyplot figure.

        Returns
        -------
        matplotlib Axes
            The axes drawn on: ``ax.figure.savefig("name.png")`` saves it.
        """
        from ...plotting.sobol import plot_sobol_heatmap

        return plot_sobol_heatmap(self.to_frame(), scrambles=len(self.indices.scrambles),
                                  confidence=self.indices.confidence, ax=ax, **kwargs)


FRAME_COLUMNS = [
    "technology", "output", "factor", "applicable", "events", "estimable", "out_of_range", "scrambles_used",
    "output_mean", "output_mean_low", "output_mean_high", "output_variance",
    "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high",
    "S1_boot_low", "S1_boot_high", "ST_boot_low", "ST_boot_high",
    "S1_scramble_min", "S1_scramble_max", "ST_scramble_min", "ST_scramble_max",
]
