"""The verdict per technology, from probabilities that can be compared with one cut-off.

Only the random bootstrap schemes give a *probability* that a technology keeps its quadrant
under a model of how the data could have come out otherwise (another sample of technologies,
measurement error of the indicators or of the IPC counts), each with its Monte Carlo error (a
Wilson interval). They decide the verdict:

- **robust**: the retention is at least the robust cut-off under every one of them;
- **fragile**: under some scheme it is below the fragile cut-off (the paper's quadrant is
  kept in fewer than that share of the replicates);
- **sensitive**: otherwise;
- "(borderline)" is added when the Wilson interval of the lowest retention contains a
  cut-off, so that the Monte Carlo error alone could change the verdict.

Everything else is reported beside the verdict, in its own terms, and never compared with
those cut-offs: the deterministic schemes and the weighting comparison as "changed by N of m
variants (names)", the Sobol analysis as the share of evaluations that keep the quadrant
*under the factors' priors* (which it mostly reflects), with the factor(s) that decide it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..analyses.bootstrap.spec import COUNT_MODEL_SCHEMES, RANDOM_SCHEMES, SCHEMES
from ..analyses.sobol.analysis import deciding_factors
from ..core import rules
from ..core.errors import InputError
from .text import closest_tipping_point

ROBUST_CUTOFFS = (0.90, 0.95, 0.99)   # verdict_sensitivity.csv
FRAGILE_CUTOFFS = (0.4, 0.5, 0.6)
VERDICTS = ("robust", "sensitive", "fragile")


@dataclass(frozen=True)
class VerdictRule:
    """The cut-offs of the verdict (the ``[report]`` config section has the same keys)."""

    robust: float = 0.95
    fragile: float = 0.5

    def __post_init__(self):
        robust = rules.number(self.robust, "robust", low=0, high=1, low_open=True)
        fragile = rules.number(self.fragile, "fragile", low=0, high=1, low_open=True, high_open=True)
        if not fragile < robust:
            raise InputError(f"fragile must be below robust, got fragile {fragile:g} and robust {robust:g}")
        object.__setattr__(self, "robust", robust)
        object.__setattr__(self, "fragile", fragile)

    def resolved(self) -> dict:
        return {"robust": self.robust, "fragile": self.fragile}


def scheme_rows(stability: pd.DataFrame, technology: str) -> pd.DataFrame:
    """The stability rows of one technology, indexed by scheme, in the order of the schemes."""
    rows = stability[stability["technology"] == technology].set_index("scheme")
    return rows.loc[[s for s in SCHEMES if s in rows.index]]


def deciding_schemes(stability: pd.DataFrame | None) -> list[str]:
    """The random schemes of a stability table, in their order: the ones that decide the verdict."""
    if stability is None:
        return []
    present = set(stability["scheme"])
    return [scheme for scheme in RANDOM_SCHEMES if scheme in present]


def lowest_retention(stability: pd.DataFrame, technologies, schemes=None) -> pd.DataFrame:
    """Per technology: the deciding scheme with the lowest retention, that retention and its interval.

    ``schemes`` restricts the deciding schemes (default: every random scheme of the table).
    """
    schemes = deciding_schemes(stability) if schemes is None else list(schemes)
    random = stability[stability["scheme"].isin(schemes)].copy()
    random["order"] = random["scheme"].map(schemes.index)
    lowest = random.sort_values(["retention", "order"], kind="stable").groupby("technology", sort=False).first()
    return lowest.loc[list(technologies), ["scheme", "retention", "retention_low", "retention_high"]]


def verdict_of(retention: float, low: float, high: float, rule: VerdictRule) -> str:
    """The verdict of one lowest retention and its interval under ``rule``."""
    verdict = ("fragile" if retention < rule.fragile else "robust" if retention >= rule.robust else "sensitive")
    borderline = any(low < cut <= high for cut in (rule.robust, rule.fragile))
    return verdict + (" (borderline)" if borderline else "")


def verdicts(stability: pd.DataFrame | None, technologies, rule: VerdictRule, schemes=None) -> list[str]:
    """The verdict of each technology (``"not assessed"`` without a random scheme).

    ``schemes`` restricts the deciding schemes (default: every random scheme of the table).
    """
    if not deciding_schemes(stability):
        return ["not assessed"] * len(technologies)
    return _verdicts_of(lowest_retention(stability, technologies, schemes), rule)


def _verdicts_of(lowest: pd.DataFrame, rule: VerdictRule) -> list[str]:
    return [verdict_of(r, lo, hi, rule) for r, lo, hi in
            zip(lowest["retention"], lowest["retention_low"], lowest["retention_high"])]


def verdict_counts(kinds) -> dict[str, int]:
    """How many of each verdict (the borderline mark left out)."""
    kinds = [kind.split(" ")[0] for kind in kinds]
    return {verdict: kinds.count(verdict) for verdict in VERDICTS}


def scheme_subsets(every: list[str]) -> list[list[str]]:
    """The sets of deciding schemes of ``verdict_sensitivity.csv``: every one together (the verdict),
    those that keep the IPC counts (when the count model ran beside others), then each alone."""
    subsets = [every]
    kept = [scheme for scheme in every if scheme not in COUNT_MODEL_SCHEMES]
    if kept and len(kept) < len(every):
        subsets.append(kept)
    if len(every) > 1:
        subsets += [[scheme] for scheme in every if [scheme] not in subsets]
    return subsets


def verdict_sensitivity(stability: pd.DataFrame, technologies, rule: VerdictRule) -> pd.DataFrame:
    """``verdict_sensitivity.csv``: the verdict counts for other cut-offs and other deciding schemes
    (of a stability table with at least one random scheme).

    Columns ``schemes, robust_cutoff, fragile_cutoff, robust, sensitive, fragile, configured``:
    the sets of :func:`scheme_subsets` (``+``-joined), each under every pair of cut-offs;
    ``configured`` marks the verdict's own row.
    """
    every = deciding_schemes(stability)
    records = []
    for schemes in scheme_subsets(every):
        lowest = lowest_retention(stability, technologies, schemes)
        for robust in sorted({*ROBUST_CUTOFFS, rule.robust}):
            for fragile in sorted({*FRAGILE_CUTOFFS, rule.fragile}):
                if fragile >= robust:
                    continue
                counts = verdict_counts(_verdicts_of(lowest, VerdictRule(robust, fragile)))
                records.append({"schemes": "+".join(schemes), "robust_cutoff": robust, "fragile_cutoff": fragile,
                                **counts, "configured": schemes == every and robust == rule.robust
                                and fragile == rule.fragile})
    return pd.DataFrame(records)


def changed_by(stability: pd.DataFrame | None, agreement: pd.DataFrame | None, technology: str) -> str:
    """The deterministic variants that change a technology's quadrant, in words ("-" when none ran)."""
    parts = []
    if agreement is not None:
        row = agreement.set_index("technology").loc[technology]
        methods = [column for column in agreement.columns[1:-2] if column != agreement.columns[1]
                   and row[column] != row[agreement.columns[1]]]
        parts.append(f"weightings {len(methods)} of {row['other_methods']}" + (f" ({', '.join(methods)})" if methods else ""))
    if stability is not None:
        for scheme, row in scheme_rows(stability, technology).iterrows():
            if row["interval"] != "exact":
                continue
            names = [name for name in str(row["changed_by"]).split("; ") if name and name != "nan"]
            parts.append(f"{scheme} {len(names)} of {int(row['replicates'])}" + (f" ({', '.join(names)})" if names else ""))
    return "; ".join(parts) if parts else "-"


def sobol_cell(sobol: pd.DataFrame | None, technology: str) -> str:
    """The Sobol retention of a technology under the priors, with the deciding factor(s) when estimable."""
    if sobol is None:
        return "-"
    rows = sobol[(sobol["output"] == "retained") & (sobol["technology"] == technology)]
    if rows.empty:
        return "-"
    first = rows.iloc[0]
    cell = f"{first['output_mean']:.3f} [{first['output_mean_low']:.3f}, {first['output_mean_high']:.3f}]"
    if not bool(first["applicable"]):
        return cell + "; never changes"
    if not bool(first.get("estimable", True)):
        return cell + f"; too rare to apportion ({int(first['events'])} events in the rarest scramble)"
    names, alone = deciding_factors(list(rows["factor"]), rows["S1_low"], rows["ST"], rows["ST_low"], rows["ST_high"])
    if alone:
        return cell + f"; decided by {names[0]}"
    top = rows.set_index("factor").loc[names[0]]
    return cell + f"; decided jointly by {' x '.join(names)} (interaction; S1 of {names[0]} {top['S1']:.2f})"


def verdict_frame(scores, stability, agreement, sobol, rule: VerdictRule, tipping=None, tipping_data=None) -> pd.DataFrame:
    """One row per technology: the evidence, the closest tipping points and the verdict (see the module notes)."""
    technologies = list(scores["technology"])
    frame = pd.DataFrame({"technology": technologies, "quadrant": scores["quadrant"]})
    if "label" in scores:
        frame.insert(1, "label", scores["label"])
    for scheme in deciding_schemes(stability):
        rows = stability[stability["scheme"] == scheme].set_index("technology").loc[technologies]
        frame[f"retention: {scheme}"] = [f"{r:.3f} [{lo:.3f}, {hi:.3f}]" for r, lo, hi in
                                         zip(rows["retention"], rows["retention_low"], rows["retention_high"])]
    if agreement is not None or (stability is not None and set(stability["scheme"]) - set(RANDOM_SCHEMES)):
        frame["changed by (variants)"] = [changed_by(stability, agreement, t) for t in technologies]
    if sobol is not None:
        frame["Sobol: retention under the priors"] = [sobol_cell(sobol, t) for t in technologies]
    if tipping is not None and tipping_data is not None:
        frame["closest tipping point"] = [closest_tipping_point(t, tipping, tipping_data) for t in technologies]
    frame["verdict"] = verdicts(stability, technologies, rule)
    return frame
