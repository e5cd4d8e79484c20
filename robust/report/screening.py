"""The report's blocks on why quadrants flip and how ranks move: filtering and rules, Morris, ranks.

Every sentence is read from ``filtering.csv``, ``filtering_quadrants.csv``, ``rules.csv``,
``morris.csv``, ``ranks.csv`` and ``sobol.csv`` of the folder (and the resolved config for the
settings); nothing is recomputed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..analyses.filtering.result import rule_sentence
from ..analyses.ranks import average_shift
from ..analyses.sobol.factors import DISCRETE_FACTORS
from .markup import Heading, Paragraph, Table
from .text import probability_text, sobol_priors

MORRIS_NEGLIGIBLE = 0.01  # a variable whose mu_star is at most this share of the largest is negligible
MORRIS_LISTED = 12         # at most this many negligible variables are named


def share_text(p: float, low: float, high: float) -> str:
    """A share with its interval; a share just below 1 keeps the digits that tell it from 1 ("0.99988")."""
    def one(value):
        if 0.999 < value < 1:
            return f"{value:.{min(9, int(np.floor(-np.log10(1 - value))) + 2)}f}"  # two figures of 1 - value
        return probability_text(value)
    return f"{one(p)} [{one(low)}, {one(high)}]"


def discrete_levels(factors: dict) -> dict:
    """The levels of each discrete factor of a resolved ``factors`` table."""
    return {name: tuple(value) for name, value in factors.items() if name in DISCRETE_FACTORS}


def filtering_blocks(filtering: pd.DataFrame, quadrants: pd.DataFrame, rules: pd.DataFrame,
                     scores: pd.DataFrame, spec: dict) -> list:
    """Per technology that leaves its quadrant in some draw: the retention over the draws, where it goes,
    the variable with the largest distance and the rule under which it keeps its quadrant."""
    n, share = spec["n"], spec["rule_share"]
    base = dict(zip(scores["technology"], scores["quadrant"]))
    retained = filtering[filtering["output"] == "retained"]
    rows = []
    for technology in scores["technology"]:
        own = quadrants[quadrants["technology"] == technology].set_index("quadrant")
        quadrant = base[technology]
        kept = own.loc[quadrant]
        if kept["probability"] == 1:
            continue
        flips = round(n * (1 - kept["probability"]))
        other = own.drop(quadrant)["probability"].idxmax()
        variables = retained[retained["technology"] == technology]
        estimable = bool(variables["estimable"].iloc[0])
        top = variables.loc[variables["ks"].idxmax()]
        counted = f"{flips} flip{'s' if flips != 1 else ''}"
        strongest = (f"{top['factor']}: {top['ks']:.2f} [{top['low']:.2f}, {top['high']:.2f}]"
                     if estimable else f"not estimable ({counted}, fewer than {spec['min_events']})")
        own_rules = rules[rules["technology"] == technology]
        if len(own_rules):
            rule = rule_sentence(quadrant, own_rules, discrete_levels(spec["factors"]))
            if not estimable:
                rule += f"; from only {counted}, not a finding"
        else:
            rare = "leaves" if flips < n - flips else "keeps"
            rule = f"{rare} it in fewer than {share:.0%} of the draws: no rule sought"
        rows.append((technology, quadrant, share_text(kept["probability"], kept["low"], kept["high"]),
                     f"{other} ({probability_text(own.loc[other, 'probability'])})", strongest, rule))
    text = (f"The modelling choices were drawn {n:,} times ({'a Latin hypercube' if spec['design'] == 'lhs' else 'a scrambled Sobol design'}) "
            f"from these priors: {sobol_priors(spec['factors'])}. For each technology and input variable, "
            "`filtering.csv` gives the Kolmogorov-Smirnov distance between the variable's values in the draws "
            "that keep the quadrant and in those that leave it (a discrete choice: the total-variation distance "
            f"of its levels), its permutation p-value with its Monte Carlo error (`p_value_se`; {spec['permutations']} "
            "relabellings where ties make the exact value unavailable) and a bootstrap interval "
            f"({spec['resamples']} resamples); `in_<quadrant>` rows say the same of being in each quadrant. "
            f"Fewer than {spec['min_events']} draws on the rarer side make a row not estimable. The rule "
            f"(`rules.csv`) is the box of variable ranges found by PRIM peeling (target density "
            f"{spec['rule_density']:g}) in which the technology keeps its quadrant: its density is the share of "
            "the box's draws that keep it, its coverage the share of all the draws that keep it that lie in the box.")
    blocks = [Heading("Why quadrants flip: Monte Carlo filtering and rules"), Paragraph(text)]
    if rows:
        blocks.append(Table(pd.DataFrame(rows, columns=[
            "technology", "base quadrant", "retention over the draws", "most likely other quadrant",
            "largest distance [interval]", "rule"])))
    else:
        blocks.append(Paragraph(f"No technology leaves its quadrant in any of the {n:,} draws."))
    return blocks


def morris_blocks(morris: pd.DataFrame, spec: dict) -> list:
    """The variables without a noticeable elementary effect, and the largest effect per output."""
    varying = morris[morris["varies"].astype(bool)]
    largest = varying.groupby(["technology", "output"], sort=False)["mu_star"].transform("max")
    negligible = (varying["mu_star"] <= MORRIS_NEGLIGIBLE * largest).groupby(varying["factor"], sort=False).all()
    names = list(negligible[negligible].index)
    variables = morris["factor"].nunique()
    listed = ", ".join(f"`{name}`" for name in names[:MORRIS_LISTED])
    more = f" and {len(names) - MORRIS_LISTED} more" if len(names) > MORRIS_LISTED else ""
    text = (f"Morris screening (`morris.csv`; {spec['trajectories']} one-at-a-time trajectories of {spec['levels']} "
            f"levels over {variables} input variables; priors: {sobol_priors(spec['factors'])}): ")
    if names:
        text += (f"{len(names)} of the {variables} variables {'has' if len(names) == 1 else 'have'} an effect "
                 "(mu*) of at most "
                 f"{MORRIS_NEGLIGIBLE:.0%} of the largest one for every technology and output that varies "
                 f"({listed}{more}): candidates to fix in a variance-based analysis.")
    else:
        text += (f"every one of the {variables} variables has an effect (mu*) above {MORRIS_NEGLIGIBLE:.0%} of the "
                 "largest for some technology and output that varies.")
    rows = []
    for output, own in varying.groupby("output", sort=False):
        top = own.loc[own.groupby("technology", sort=False)["mu_star"].idxmax()]
        counts = top["factor"].value_counts()
        rows.append((output, int(top["technology"].nunique()),
                     "; ".join(f"{factor} ({count})" for factor, count in counts.items())))
    table = pd.DataFrame(rows, columns=["output", "technologies whose output varies",
                                        "variable with the largest mu* (technologies)"])
    return [Heading("Screening: Morris elementary effects"), Paragraph(text), Table(table)]


def rank_blocks(ranks: pd.DataFrame, sobol: pd.DataFrame | None) -> list:
    """The average shift in ranks of each analysis and the widest rank intervals."""
    shifts = average_shift(ranks)
    parts = []
    for name, shift in shifts.items():
        part = f"{shift:.3f} under `{name}`"
        if name == "sobol" and sobol is not None and "rank_shift" in set(sobol["output"]):
            row = sobol[sobol["output"] == "rank_shift"].iloc[0]
            part += (f" ({row['output_mean_low']:.3f} to {row['output_mean_high']:.3f} over the scrambles, "
                     "`rank_shift` in `sobol.csv`)")
        parts.append(part)
    width = ranks["high"] - ranks["low"]
    widest = ranks.loc[width.idxmax()]
    fixed = ranks.groupby("technology", sort=False).apply(
        lambda rows: bool(((rows["low"] == rows["base_rank"]) & (rows["high"] == rows["base_rank"])).all()),
        include_groups=False)
    m = ranks["technology"].nunique()
    text = ("Capability ranks in the OECD/JRC form (`ranks.csv`, Saisana, Saltelli & Tarantola 2005): the average "
            "over the technologies of the mean absolute shift from the base rank (the average shift in ranks) is "
            + "; ".join(parts) + f". The widest 5-95% rank interval is {widest['technology']}'s under "
            f"`{widest['analysis']}` (ranks {widest['low']} to {widest['high']}, base {widest['base_rank']}); "
            f"{int(fixed.sum())} of the {m} technologies keep their base rank over the whole 5-95% interval "
            "of every analysis.")
    return [Heading("Ranks"), Paragraph(text)]
