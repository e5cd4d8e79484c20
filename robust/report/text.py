"""The report's sentences about the configured model and methods, built from the resolved config.

Each sentence describes what was configured (indicators, weights, amplitudes, thresholds,
scheme settings, factor priors), never a fixed text about the paper's model.
"""

from __future__ import annotations

from ..analyses.sobol.factors import FACTOR_KEYS
from ..core.options import QUADRANT_NAMES_ZH


def probability_text(p: float, low: float | None = None, high: float | None = None) -> str:
    """A probability to three decimals, or to two significant figures below 0.01 (0 stays 0.000),
    with its interval when given: "0.283 [0.277, 0.289]", "0.00055 [0.00031, 0.00098]"."""
    def one(value):
        if value == 0 or value >= 0.01:
            return f"{value:.3f}"
        return f"{value:#.2g}" if value >= 1e-4 else f"{value:.1e}"
    return one(p) if low is None else f"{one(p)} [{one(low)}, {one(high)}]"


def _listing(names) -> str:
    names = [f"`{name}`" for name in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def model_description(config: dict, is_paper: bool) -> str:
    """The base model in one paragraph: capability, dynamism, thresholds, the quadrants."""
    capability, dynamism = config["capability"], config["dynamism"]
    indicators = capability["indicators"]
    weighting = capability["weighting"]
    weights = (f"{weighting}-weighted" if isinstance(weighting, str)
               else "weighted (fixed weights " + "/".join(f"{w:g}" for w in weighting) + ")")
    normalised = NORMALIZE_WORDS.get(capability["normalize"], " of the raw values")
    mean = AGGREGATION_WORDS[capability.get("aggregation", "linear")]
    if "ipc_changes" in dynamism:
        amplitudes = dynamism.get("amplitudes") or [float(len(dynamism["ipc_changes"]) - i)
                                                    for i in range(len(dynamism["ipc_changes"]))]
        raw = (f"the amplitude-weighted sum ({'/'.join(f'{a:g}' for a in amplitudes)} by character position) "
               f"of the cumulative IPC change counts {_listing(dynamism['ipc_changes'])}")
    else:
        raw = f"the precomputed score `{dynamism['score']}`"
    lead = "The base model is the paper's: c" if is_paper else "C"
    return (f"{lead}apability is the {weights} {mean}{normalised} of {len(indicators)} indicator"
            f"{'s' if len(indicators) > 1 else ''} ({_listing(indicators)}); dynamism is {raw}, scaled to "
            f"[0, 1] by the smallest and largest technology. A score at or above its threshold "
            f"({capability['threshold']:g} for capability, {dynamism['threshold']:g} for dynamism) is strong: "
            f"strong capability and weak dynamism is assault ({QUADRANT_NAMES_ZH['assault']}), both weak "
            f"entrench ({QUADRANT_NAMES_ZH['entrench']}), weak capability and strong dynamism position "
            f"({QUADRANT_NAMES_ZH['position']}), both strong disrupt ({QUADRANT_NAMES_ZH['disrupt']}).")


NORMALIZE_WORDS = {
    "none": " of the raw values",
    "minmax": " of the min-max normalised values",
    "zscore": " of the z-scores mapped to (0, 1) by the normal distribution function (0.5 the indicator's mean)",
    "rank": " of the ranks rescaled to [0, 1] (0.5 the median technology)",
}
AGGREGATION_WORDS = {
    "linear": "sum",
    "geometric": "geometric mean (a zero on an indicator of positive weight gives 0)",
    "mazziotta_pareto": "adjusted Mazziotta-Pareto index (the mean penalised for unbalanced indicators)",
}


NORMALIZER_WORDS = {
    "resample_with_self": "re-estimated on each resample together with the scored technology (scores stay "
                          "in [0, 1])",
    "resample": "re-estimated on each resample alone (scores may leave [0, 1])",
    "fixed": "kept at the full sample's (only the weights are re-estimated)",
}


def method_notes(config: dict, schemes, has_weighting: bool, has_sobol: bool) -> list[str]:
    """One plain-words note per analysis that ran, with its configured settings."""
    notes = []
    if has_weighting:
        notes.append("**Alternative weightings.** The capability indicators are re-weighted by other "
                     "objective methods (" + ", ".join(config["weighting"]["methods"]) + "), everything else "
                     "kept; a technology changes quadrant only if its capability crosses the threshold. "
                     "Reported as the number of methods that change the quadrant, not as a probability.")
    bootstrap = config.get("bootstrap", {})
    noise, top_k = bootstrap.get("noise"), bootstrap.get("top_k")
    normalizer = NORMALIZER_WORDS.get(bootstrap.get("normalizer"), "")
    if bootstrap.get("normalizer") == "fixed":
        extremes = "Dynamism keeps the full sample's scale, so only capability moves."
    else:
        extremes = ("Dynamism then depends on a resample only through its smallest and largest raw score, "
                    "whose exact law gives the probability that it is strong with no Monte Carlo error "
                    "(`p_dynamism_strong_exact` in `stability.csv`). This is the plain bootstrap of sample "
                    "extremes, which is known to be unreliable as an estimate of their sampling law (Bickel & "
                    "Freedman 1981, Ann. Statist. 9(6)): read these dynamism probabilities as \"if the "
                    "technologies were a sample like this one\", a sensitivity, not as a sampling error.")
    words = {
        "technologies": "**Resampling the technologies** (`technologies`): had the study drawn another set of "
                        "technologies like these, would the data-driven weights and the min-max scales still "
                        f"place this technology in the same quadrant? The normalisers are {normalizer}. "
                        + extremes,
        "indicator_noise": "**Measurement error of the indicators** (`indicator_noise`): every capability "
                           f"indicator times a log-normal factor of log-sd {noise:g} (a relative error of "
                           f"about {100 * noise:.0f}%); weights re-estimated." if noise else "",
        "count_noise": "**Re-tallying the IPC counts under a Poisson-process model** (`count_noise`): the "
                       "new codes behind the cumulative counts are redrawn from their posterior predictive "
                       "under a Poisson model with Jeffreys' prior, each technology and position on its own (a "
                       "negative binomial; a zero count gets a new code in about 29% of the draws), cumulated "
                       f"again and capped at the list length {top_k}; dynamism re-scaled. Its verdicts say what "
                       "would follow if the counts were Poisson tallies of this size, not what the patents "
                       "are known to do.",
        "noise": "**Both at once** (`noise`): the indicators' measurement error and the counts' re-tally.",
        "patents": "**Resampling the patents** (`patents`): had the database held another sample of patents "
                   "like these, would the shares and the IPC counts, and so the quadrant, be the same? Each "
                   "replicate draws every technology's kept records again with replacement, derives Table 2 "
                   "from them and re-estimates everything: the sampling error of the indicators themselves.",
        "jackknife": "**Leaving one technology out** (`jackknife`): which other technology's presence the "
                     "quadrant depends on (reported as the variants that change it, not as a probability).",
        "drop_indicator": "**Leaving one indicator out** (`drop_indicator`): whether the quadrant rests on a "
                          "single capability indicator (reported as the variants that change it).",
    }
    notes += [words[scheme] for scheme in schemes if words.get(scheme)]
    if has_sobol:
        notes.append("**Sobol sensitivity analysis**: the modelling choices are drawn from these priors "
                     f"together: {sobol_priors(config['sobol']['factors'])}. The retention under the priors is the "
                     "share of evaluations that keep the quadrant, and it mostly reflects the priors' widths. Of "
                     "the variance of the 0/1 output `retained`, the first-order index S1 of a choice is the "
                     "share it explains alone (on average, fixing it removes that share), the total index ST "
                     "the share it takes part in, alone or in interaction. A choice is named as deciding alone "
                     "only when its S1 and ST intervals both lie wholly above every other choice's ST interval; "
                     "otherwise the choices are named jointly with the first-order share of the largest, and "
                     f"nothing is named unless the rarer outcome was seen at least {config['sobol']['min_events']} "
                     "times in every scramble (fewer cannot be apportioned).")
    return notes


def sobol_priors(factors: dict) -> str:
    """The factor priors of a Sobol analysis, in words."""
    words = []
    for key, value in sorted(factors.items(), key=lambda item: FACTOR_KEYS.index(item[0])):
        if key == "weights":
            words.append(f"each base weight times U({1 - value:g}, {1 + value:g}), renormalised")
        elif key == "amplitudes":
            words.append(f"the IPC amplitudes with their order kept (the smallest and each gap times "
                         f"U({1 - value:g}, {1 + value:g}))")
        elif key == "noise":
            words.append(f"every indicator times exp({value:g} Z)")
        elif key in ("capability_threshold", "dynamism_threshold"):
            words.append(f"the {key.replace('_', ' ')} uniform on [{value[0]:g}, {value[1]:g}]")
        else:
            words.append(f"{key.replace('_', ' ')} one of {', '.join(str(v) for v in value)}, equally likely")
    return "; ".join(words)


def closest_tipping_point(technology: str, tipping, data) -> str:
    """The nearest tipping point of each axis in words, from ``tipping.csv`` and ``tipping_data.csv``:
    "capability flips with a 5.1% weight shift or pct_share +12.0%; dynamism flips with one more
    new IPC code at position 2"."""
    row = tipping.set_index("technology").loc[technology]
    parts = []
    capability = []
    if row["weight_radius_linf"] == row["weight_radius_linf"]:  # not NaN
        capability.append(f"a {100 * row['weight_radius_linf']:.1f}% weight shift")
    cells = data[(data["technology"] == technology) & data["relative_change"].notna()]
    if len(cells):
        nearest = cells.loc[cells["relative_change"].abs().idxmin()]
        capability.append(f"{nearest['indicator']} {100 * nearest['relative_change']:+.1f}%")
    parts.append("capability flips with " + " or ".join(capability) if capability
                 else "no reweighting or single cell flips capability")
    if isinstance(row.get("ipc_edit"), str) and row["ipc_edit"]:
        parts.append(f"dynamism flips with {row['ipc_edit']}")
    return "; ".join(parts)
