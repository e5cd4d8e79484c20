"""The paper's own statements (section 3), as data, and what the analyses find about each.

Each statement is judged on the event it states, under the same schemes and cut-offs as the
verdicts (:mod:`robust.report.verdicts`):

- "X lies next to a threshold": the probability that X falls on the other side of it; the
  statement holds when that side is not negligible (at least one minus the robust cut-off)
  under some scheme.
- "Quadrant Q applies to A, B, C": a joint statement about all its members at once, the
  probability that Q holds exactly those technologies (``joint.csv``); it holds robustly when
  that probability is at least the robust cut-off under every scheme, is sensitive down to
  the fragile cut-off, and does not hold reliably below it.
"""

from __future__ import annotations

import pandas as pd

from .verdicts import VerdictRule, deciding_schemes

PAPER_STATEMENTS = (
    {
        "quote": "值得注意的是，芯片处于靠近纵坐标轴的位置，中国芯片技术能力基础相对较弱……技术突破方向依旧以各技术领域局部技术突破为主",
        "claim": "The chip sits next to the capability threshold: its capability base is weak, and its "
                 "strategy is in practice a local breakthrough (assault in name, entrench in substance).",
        "technology": "chip", "kind": "near_capability",
    },
    {
        "quote": "值得注意的是，锂电池隔膜技术处于靠近横坐标轴的位置……技术策略可能从挖壕策略向卡位策略转换",
        "claim": "The lithium-battery separator sits next to the dynamism threshold: its strategy may "
                 "switch from entrench to position.",
        "technology": "lithium-battery separator", "kind": "near_dynamism",
    },
    {
        "quote": "卡位策略。适用的“卡脖子”技术主要是高压共轨系统",
        "claim": "Position applies (only) to the high-pressure common-rail system.",
        "quadrant": "position", "kind": "group",
    },
    {
        "quote": "颠覆策略适用的“卡脖子”技术有航空发动机、真空蒸镀机和铣刀等",
        "claim": "Disrupt applies to the aero-engine, the vacuum evaporator and the milling cutter.",
        "quadrant": "disrupt", "kind": "group",
    },
    {
        "quote": "攻坚策略。适用的“卡脖子”技术有激光雷达、高强度不锈钢、环氧树脂、焊接电源、芯片、航空钢材和电子显微镜等",
        "claim": "Assault applies to LiDAR, high-strength stainless steel, epoxy resin, the welding power "
                 "source, the chip, aviation steel and the electron microscope.",
        "quadrant": "assault", "kind": "group",
    },
    {
        "quote": "挖壕策略。适用的“卡脖子”技术有光刻机、高端轴承钢、燃料电池、重型燃气轮机、触觉传感器、手机射频、加速度传感器、光刻胶和锂电池隔膜等",
        "claim": "Entrench applies to the other nine technologies.",
        "quadrant": "entrench", "kind": "group",
    },
)


def _probabilities(rows: pd.DataFrame, column: str) -> str:
    return "; ".join(f"{p:.3f} [{lo:.3f}, {hi:.3f}] (`{scheme}`)" for scheme, p, lo, hi in
                     zip(rows["scheme"], rows[column], rows[f"{column}_low"], rows[f"{column}_high"]))


def near_threshold_finding(statement: dict, scores: pd.DataFrame, stability: pd.DataFrame,
                           rule: VerdictRule) -> tuple[str, str]:
    """What the analyses find about a technology said to lie next to a threshold, and whether it holds."""
    technology = statement["technology"]
    axis = "capability" if statement["kind"] == "near_capability" else "dynamism"
    score = scores.set_index("technology").loc[technology, axis]
    strong = score >= 0.5
    rows = stability[(stability["technology"] == technology)
                     & stability["scheme"].isin(deciding_schemes(stability))].copy()
    if strong:  # the other side is the weak one
        rows[f"p_{axis}_weak"] = 1 - rows[f"p_{axis}_strong"]
        rows[f"p_{axis}_weak_low"] = 1 - rows[f"p_{axis}_strong_high"]
        rows[f"p_{axis}_weak_high"] = 1 - rows[f"p_{axis}_strong_low"]
    other = f"p_{axis}_{'weak' if strong else 'strong'}"
    finding = (f"{axis} {score:.6f} ({'strong' if strong else 'weak'}, margin {score - 0.5:+.4f}); "
               f"P({axis} {'weak' if strong else 'strong'}): {_probabilities(rows, other)}")
    if axis == "dynamism" and "p_dynamism_strong_exact" in rows and rows["p_dynamism_strong_exact"].notna().any():
        exact = rows["p_dynamism_strong_exact"].dropna().iloc[0]
        finding += f"; exactly {exact if not strong else 1 - exact:.4f} under `technologies`"
    largest = rows[other].max()
    if largest >= 1 - rule.robust:
        scheme = rows.loc[rows[other].idxmax(), "scheme"]
        return finding, f"yes: the other side has probability {largest:.3f} under `{scheme}`"
    return finding, f"no: the other side stays below {1 - rule.robust:.2f} under every scheme"


def membership_finding(statement: dict, joint: pd.DataFrame, rule: VerdictRule) -> tuple[str, str]:
    """What the joint probabilities say about a quadrant's list of members, and whether it holds."""
    quadrant = statement["quadrant"]
    exact = joint[joint["statement"] == f"{quadrant} holds exactly its base members"]
    kept = joint[joint["statement"] == f"every base member of {quadrant} keeps it"]
    describe = lambda rows: "; ".join(f"{p:.3f} [{lo:.3f}, {hi:.3f}] (`{s}`)" for s, p, lo, hi in
                                      zip(rows["scheme"], rows["probability"], rows["low"], rows["high"]))
    finding = (f"P({quadrant} holds exactly these): {describe(exact)}; P(all of these keep {quadrant}, "
               f"others may join): {describe(kept)}")
    lowest = exact.loc[exact["probability"].idxmin()]
    if lowest["probability"] >= rule.robust:
        return finding, "yes, robustly"
    if lowest["probability"] < rule.fragile:
        return finding, f"not reliably: {lowest['probability']:.3f} under `{lowest['scheme']}`"
    return finding, f"yes, but sensitive: {lowest['probability']:.3f} under `{lowest['scheme']}`"


def statement_frame(scores: pd.DataFrame, stability: pd.DataFrame | None, joint: pd.DataFrame | None,
                    rule: VerdictRule) -> pd.DataFrame:
    """Each statement of section 3 with what the analyses find and whether it holds."""
    schemes = deciding_schemes(stability)
    records = []
    for statement in PAPER_STATEMENTS:
        if not schemes:
            finding, holds = "-", "not tested (no random bootstrap scheme)"
        elif statement["kind"] == "group":
            if joint is None:
                finding, holds = "-", "not tested"
            else:
                finding, holds = membership_finding(statement, joint[joint["scheme"].isin(schemes)], rule)
        else:
            finding, holds = near_threshold_finding(statement, scores, stability, rule)
        records.append((statement["quote"], statement["claim"], finding, holds))
    return pd.DataFrame(records, columns=["the paper (section 3)", "in English", "what the analyses find", "holds?"])
