"""The paper's own statements (section 3), as data, and what the analyses find about each."""

from __future__ import annotations

import pandas as pd

from .verdicts import FRAGILE_RETENTION, ROBUST_RETENTION, scheme_rows


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


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


def statement_frame(scores, stability, comparison) -> pd.DataFrame:
    """Each statement of section 3 with what the analyses find and whether it holds."""
    records = []
    margins = scores.set_index("technology")
    for statement in PAPER_STATEMENTS:
        if statement["kind"] in ("near_capability", "near_dynamism"):
            technology = statement["technology"]
            axis = "capability" if statement["kind"] == "near_capability" else "dynamism"
            margin = margins.loc[technology, axis] - 0.5
            other = ("p_entrench", "p_position") if axis == "capability" else ("p_position", "p_disrupt")
            other_side = {"capability": "weak capability", "dynamism": "strong dynamism"}[axis]
            findings = [f"{axis} {margins.loc[technology, axis]:.6f}, margin {margin:+.4f}"]
            shares = []
            if stability is not None:
                for scheme, row in scheme_rows(stability, technology).iterrows():
                    share = float(row[other[0]] + row[other[1]])
                    shares.append(share)
                    findings.append(f"{other_side} in {_percent(share)} of `{scheme}` replicates")
            if comparison is not None and axis == "capability":
                flips = comparison[(comparison["technology"] == technology)
                                   & (comparison["quadrant"] != margins.loc[technology, "quadrant"])]
                if len(flips):
                    findings.append("quadrant changes under " + ", ".join(f"`{m}`" for m in flips["method"]))
            holds = "yes" if shares and max(shares) >= 0.25 else ("not tested" if not shares else "weakly")
            records.append((statement["quote"], statement["claim"], "; ".join(findings), holds))
        else:
            quadrant = statement["quadrant"]
            members = list(margins.index[margins["quadrant"] == quadrant])
            findings, worst = [], 1.0
            if stability is not None:
                for technology in members:
                    rows = scheme_rows(stability, technology)
                    lowest = float(rows["retention"].min())
                    worst = min(worst, lowest)
                    scheme = rows["retention"].idxmin()
                    findings.append(f"{technology}: lowest retention {lowest:.3f} (`{scheme}`)")
            if stability is None:
                holds = "not tested"
            elif worst >= ROBUST_RETENTION:
                holds = "yes"
            elif worst >= FRAGILE_RETENTION:
                holds = "yes, but sensitive"
            else:
                holds = "only partly"
            records.append((statement["quote"], statement["claim"], "; ".join(findings) or "-", holds))
    return pd.DataFrame(records, columns=["the paper (section 3)", "in English", "what the analyses find",
                                          "holds?"])
