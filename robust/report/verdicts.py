"""The verdict per technology: robust, sensitive or fragile, from the retentions of every analysis."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..analyses.bootstrap.analysis import SCHEMES

ROBUST_RETENTION = 0.95
FRAGILE_RETENTION = 0.5
IMPRECISE_WIDTH = 0.5  # a Sobol index whose interval is wider than this is flagged


def scheme_rows(stability: pd.DataFrame, technology: str) -> pd.DataFrame:
    """The stability rows of one technology, indexed by scheme, in the order of the schemes."""
    rows = stability[stability["technology"] == technology].set_index("scheme")
    return rows.loc[[s for s in SCHEMES if s in rows.index]]


def verdict_frame(scores, stability, agreement, sobol) -> pd.DataFrame:
    """One row per technology: the evidence and the verdict (see :func:`verdict_rule_text`)."""
    frame = pd.DataFrame({"technology": scores["technology"], "quadrant": scores["quadrant"]})
    if "label" in scores:
        frame.insert(1, "label", scores["label"])
    retentions, lows, highs = [], [], []
    if stability is not None:
        for scheme in [s for s in SCHEMES if s in set(stability["scheme"])]:
            rows = stability[stability["scheme"] == scheme].set_index("technology").loc[frame["technology"]]
            retention = rows["retention"].to_numpy()
            retentions.append(retention)
            lows.append(rows["retention_low"].to_numpy())
            highs.append(rows["retention_high"].to_numpy())
            if rows["interval"].iloc[0] == "wilson":
                frame[f"retention: {scheme}"] = [
                    f"{r:.3f} [{lo:.3f}, {hi:.3f}]"
                    for r, lo, hi in zip(retention, rows["retention_low"], rows["retention_high"])]
            else:
                frame[f"retention: {scheme}"] = [f"{r:.3f}" for r in retention]
    methods_agree = np.ones(len(frame), dtype=bool)
    if agreement is not None:
        rows = agreement.set_index("technology").loc[frame["technology"]]
        methods_agree = (rows["agree_with_base"] == rows["other_methods"]).to_numpy()
        frame["weightings agreeing"] = [f"{a}/{n}" for a, n in zip(rows["agree_with_base"], rows["other_methods"])]
    if sobol is not None:
        cells, retention, low, high = _sobol_summary(sobol, frame["technology"])
        frame["Sobol: retention; main choice (ST)"] = cells
        retentions.append(retention)
        lows.append(low)
        highs.append(high)
    frame["verdict"] = verdicts_from(np.array(retentions).reshape(-1, len(frame)),
                                 np.array(lows).reshape(-1, len(frame)),
                                 np.array(highs).reshape(-1, len(frame)), methods_agree)
    return frame


def verdicts_from(retention, low, high, methods_agree) -> list[str]:
    """Verdict per technology (columns) from the retentions under each scheme (rows).

    The scheme with the lowest retention decides; "(borderline)" is added when its
    interval contains the cut-off that decided.
    """
    verdicts = []
    for i in range(retention.shape[1]):
        if retention.shape[0] == 0:
            verdicts.append("robust" if methods_agree[i] else "sensitive")
            continue
        j = int(np.argmin(retention[:, i]))
        lowest, lo, hi = retention[j, i], low[j, i], high[j, i]
        if lowest < FRAGILE_RETENTION:
            verdict, cut = "fragile", FRAGILE_RETENTION
        elif lowest >= ROBUST_RETENTION and methods_agree[i]:
            verdict, cut = "robust", ROBUST_RETENTION
        else:
            verdict = "sensitive"
            cut = ROBUST_RETENTION if lowest >= (FRAGILE_RETENTION + ROBUST_RETENTION) / 2 else FRAGILE_RETENTION
            if lowest >= ROBUST_RETENTION:  # decided by the weightings, not by a retention
                cut = None
        borderline = cut is not None and lo < cut <= hi
        verdicts.append(verdict + (" (borderline)" if borderline else ""))
    return verdicts


def _sobol_summary(sobol: pd.DataFrame, technologies):
    """Per technology: the Sobol retention (and its interval) and the choice with the largest ST."""
    rows = sobol[sobol["output"] == "retained"]
    m = len(technologies)
    cells, retention, low, high = [], np.ones(m), np.ones(m), np.ones(m)
    for i, technology in enumerate(technologies):
        own = rows[rows["technology"] == technology]
        if own.empty:
            cells.append("-")
            continue
        first = own.iloc[0]
        retention[i] = first["output_mean"]
        low[i] = first.get("output_mean_low", retention[i])
        high[i] = first.get("output_mean_high", retention[i])
        if not bool(first["applicable"]):
            cells.append(f"{retention[i]:.3f}; none (the quadrant never changes)")
            continue
        top = own.loc[own["ST"].idxmax()]
        imprecise = top["ST_high"] - top["ST_low"] > IMPRECISE_WIDTH
        cells.append(f"{retention[i]:.3f}; {top['factor']} ({top['ST']:.2f}"
                     + (", imprecise: a rare event)" if imprecise else ")"))
    return cells, retention, low, high


def verdict_rule_text(has_weighting: bool, has_sobol: bool) -> str:
    """The rule behind the verdicts, in words."""
    agree = " and every alternative weighting gives the same quadrant" if has_weighting else ""
    sobol = " (and over the Sobol evaluations)" if has_sobol else ""
    return (
        f"Verdicts: **robust** when the retention is at least {ROBUST_RETENTION} under every "
        f"resampling scheme{sobol}{agree}; **fragile** when under some scheme it is below "
        f"{FRAGILE_RETENTION} (another quadrant is then at least as likely as the paper's); "
        "**sensitive** otherwise. Retention is the probability that the technology keeps the "
        "base model's quadrant; for the random schemes the bracket is its Wilson interval (the "
        "Monte Carlo error), the deterministic schemes enumerate every variant and have none. "
        "The Sobol column gives the share of Sobol model evaluations that keep the quadrant and "
        "the modelling choice with the largest total index for that 0/1 output (flagged "
        f"imprecise when its interval is wider than {IMPRECISE_WIDTH}, as for an output that "
        "changes in a handful of evaluations). A verdict is "
        "marked (borderline) when the interval of the deciding retention contains the cut-off.")
