"""``summary.json``, the machine-readable verdicts of a result folder, and its terminal summary.

Both are built from the folder's tables like the report (:mod:`robust.report.assemble`):
the verdict counts under the configured rule and schemes, each technology's verdict with its
lowest retention and the scheme that gave it, the joint probability that every technology
keeps its quadrant, and, for the paper's data, whether Table 3 is reproduced.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..analyses.reproduce import TOLERANCE as REPRODUCTION_TOLERANCE
from ..datasets.paper2023 import is_paper_model, load_paper2023_published
from ..io.results import read_result_table
from .verdicts import VERDICTS, VerdictRule, deciding_schemes, lowest_retention, verdict_counts, verdicts

LEAST_STABLE = 5  # technologies named in the terminal summary


def reproduction_check(scores) -> dict:
    """How far the base scores are from Table 3 and how many quadrants match section 3 (the paper's data)."""
    published = load_paper2023_published().set_index("name_en").loc[scores["technology"]]
    capability = float(np.abs(scores["capability"].to_numpy() - published["capability"].to_numpy()).max())
    dynamism = float(np.abs(scores["dynamism"].to_numpy() - published["dynamism"].to_numpy()).max())
    matched = int((scores["quadrant"].to_numpy() == published["quadrant"].to_numpy()).sum())
    return {"reproduced": max(capability, dynamism) <= REPRODUCTION_TOLERANCE and matched == len(scores),
            "capability_error": capability, "dynamism_error": dynamism, "quadrants_matched": matched,
            "tolerance": REPRODUCTION_TOLERANCE}


def summary_data(folder: str | Path, manifest: dict) -> dict:
    """The folder's headline figures as plain data (the content of ``summary.json``)."""
    folder = Path(folder)
    config = manifest["config"]
    rule = VerdictRule(**config.get("report", {}))
    scores = read_result_table(folder, "scores.csv")
    stability = read_result_table(folder, "stability.csv")
    schemes = deciding_schemes(stability)
    technologies = list(scores["technology"])
    kinds = verdicts(stability, technologies, rule)
    rows = []
    lowest = lowest_retention(stability, technologies) if schemes else None
    for technology, quadrant, verdict in zip(technologies, scores["quadrant"], kinds):
        row = {"technology": technology, "quadrant": quadrant, "verdict": verdict}
        if lowest is not None:
            found = lowest.loc[technology]
            row.update(lowest_retention=float(found["retention"]), low=float(found["retention_low"]),
                       high=float(found["retention_high"]), scheme=str(found["scheme"]))
        rows.append(row)
    data = {
        "format": "robust summary", "config_sha256": manifest["config_sha256"], "seed": manifest["seed_entropy"],
        "rule": rule.resolved(), "schemes": schemes,
        "verdicts": verdict_counts(kinds) if schemes else None, "technologies": rows,
    }
    if is_paper_model(config):
        data["paper"] = reproduction_check(scores)
    joint = read_result_table(folder, "joint.csv")
    if joint is not None and schemes:
        every = joint[(joint["statement"] == "every technology keeps its base quadrant") & joint["scheme"].isin(schemes)]
        data["all_keep_their_quadrant"] = {row.scheme: {"probability": float(row.probability), "low": float(row.low),
                                                        "high": float(row.high)} for row in every.itertuples()}
    return data


def terminal_lines(data: dict, report: Path) -> list[str]:
    """The summary a run prints: verdict counts, the least stable technologies, where the report is."""
    lines = []
    paper = data.get("paper")
    if paper is not None:
        lines.append(f"reproduces the paper: {'yes' if paper['reproduced'] else 'NO'} ({paper['quadrants_matched']} of "
                     f"{len(data['technologies'])} quadrants; scores within "
                     f"{max(paper['capability_error'], paper['dynamism_error']):.1e} of Table 3)")
    if data["verdicts"] is not None:
        counts = ", ".join(f"{data['verdicts'][kind]} {kind}" for kind in VERDICTS)
        rule = data["rule"]
        lines.append(f"verdicts: {counts} of {len(data['technologies'])} (schemes {', '.join(data['schemes'])}; "
                     f"robust >= {rule['robust']:g}, fragile < {rule['fragile']:g})")
        ranked = sorted(data["technologies"], key=lambda row: row["lowest_retention"])[:LEAST_STABLE]
        lines.append("least stable: " + "; ".join(
            f"{row['technology']} {row['lowest_retention']:.3f} ({row['scheme']})" for row in ranked))
    else:
        lines.append("verdicts: not assessed (no random bootstrap scheme ran)")
    lines.append(f"report: {report}")
    return lines
