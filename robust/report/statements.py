"""The paper's own statements (section 3), as data, and what the analyses find about each.

Each statement is judged on the event it states, under the same schemes and cut-offs as the
verdicts (:mod:`robust.report.verdicts`):

- "X lies next to a threshold": how near X is among all technologies (the rank of its
  distance to the threshold) and the probability that X falls on the other side; the statement
  holds when that side is not negligible (at least one minus the robust cut-off) under some
  scheme.
- "X's capability base is relatively weak": its rank among the technologies of its quadrant,
  and whether the weak side is the more likely one (probability above one half) under some scheme.
- "Quadrant Q applies to A, B, C (etc.)" or "mainly to A": the paper's lists are open ("等",
  "主要是"), so the event is that every listed member keeps Q, others may join (``joint.csv``);
  it holds robustly when that probability is at least the robust cut-off under every scheme,
  is sensitive down to the fragile cut-off, and does not hold reliably below it. The
  probability that Q holds exactly those members is shown beside it.
"""

from __future__ import annotations

import pandas as pd

from .text import probability_text
from .verdicts import VerdictRule, deciding_schemes

PAPER_STATEMENTS = (
    {
        "quote": "值得注意的是，芯片处于靠近纵坐标轴的位置",
        "claim": "The chip sits next to the capability threshold (the vertical axis of Figure 3).",
        "technology": "chip", "kind": "near_capability",
    },
    {
        "quote": "中国芯片技术能力基础相对较弱，处于跟跑在国外领先国家之后，技术突破方向依旧以各技术领域局部技术突破为主",
        "claim": "China's chip capability base is relatively weak, and its breakthrough is still mainly local "
                 "(the entrench strategy's kind, though the chip is assault).",
        "technology": "chip", "kind": "weak_capability",
    },
    {
        "quote": "值得注意的是，锂电池隔膜技术处于靠近横坐标轴的位置……技术策略可能从挖壕策略向卡位策略转换",
        "claim": "The lithium-battery separator sits next to the dynamism threshold (the horizontal axis): "
                 "its strategy may switch from entrench to position.",
        "technology": "lithium-battery separator", "kind": "near_dynamism",
    },
    {
        "quote": "卡位策略。适用的“卡脖子”技术主要是高压共轨系统",
        "claim": "Position applies mainly to the high-pressure common-rail system.",
        "quadrant": "position", "kind": "group",
    },
    {
        "quote": "颠覆策略适用的“卡脖子”技术有航空发动机、真空蒸镀机和铣刀等",
        "claim": "Disrupt applies to the aero-engine, the vacuum evaporator, the milling cutter and others.",
        "quadrant": "disrupt", "kind": "group",
    },
    {
        "quote": "攻坚策略。适用的“卡脖子”技术有激光雷达、高强度不锈钢、环氧树脂、焊接电源、芯片、航空钢材和电子显微镜等",
        "claim": "Assault applies to LiDAR, high-strength stainless steel, epoxy resin, the welding power "
                 "source, the chip, aviation steel, the electron microscope and others.",
        "quadrant": "assault", "kind": "group",
    },
    {
        "quote": "挖壕策略。适用的“卡脖子”技术有光刻机、高端轴承钢、燃料电池、重型燃气轮机、触觉传感器、手机射频、加速度传感器、光刻胶和锂电池隔膜等",
        "claim": "Entrench applies to the other nine technologies and others.",
        "quadrant": "entrench", "kind": "group",
    },
)


def _probabilities(rows: pd.DataFrame, column: str) -> str:
    return "; ".join(f"{probability_text(p, lo, hi)} (`{scheme}`)" for scheme, p, lo, hi in
                     zip(rows["scheme"], rows[column], rows[f"{column}_low"], rows[f"{column}_high"]))


def _side_rows(stability: pd.DataFrame, technology: str, axis: str) -> pd.DataFrame:
    """The deciding schemes' rows of one technology, with P(axis weak) and its interval beside P(strong)."""
    rows = stability[(stability["technology"] == technology)
                     & stability["scheme"].isin(deciding_schemes(stability))].copy()
    rows[f"p_{axis}_weak"] = 1 - rows[f"p_{axis}_strong"]
    rows[f"p_{axis}_weak_low"] = 1 - rows[f"p_{axis}_strong_high"]
    rows[f"p_{axis}_weak_high"] = 1 - rows[f"p_{axis}_strong_low"]
    return rows


def _ordinal(rank: int) -> str:
    """"" for 1, else "2nd ", "3rd ", "4th ", ..."""
    return "" if rank == 1 else {2: "2nd ", 3: "3rd "}.get(rank, f"{rank}th ")


def _nearness(scores: pd.DataFrame, technology: str, axis: str, threshold: float) -> str:
    """"the nearest of the 20" / "tied nearest with B" / "the 3rd nearest of 20", by |score - threshold|."""
    distance = (scores.set_index("technology")[axis] - threshold).abs().round(12)
    own = distance.loc[technology]
    rank = int((distance < own).sum()) + 1
    ties = [t for t in distance.index[distance == own] if t != technology]
    words = f"the {'tied ' if ties else ''}{_ordinal(rank)}nearest of the {len(distance)} technologies"
    return words + (f" (with {', '.join(ties)})" if ties else "")


def near_threshold_finding(statement: dict, scores: pd.DataFrame, stability: pd.DataFrame,
                           rule: VerdictRule, thresholds: dict) -> tuple[str, str]:
    """What the analyses find about a technology said to lie next to a threshold, and whether it holds."""
    technology = statement["technology"]
    axis = "capability" if statement["kind"] == "near_capability" else "dynamism"
    threshold = thresholds[axis]
    score = scores.set_index("technology").loc[technology, axis]
    strong = score >= threshold
    rows = _side_rows(stability, technology, axis)
    other = f"p_{axis}_{'weak' if strong else 'strong'}"
    nearness = _nearness(scores, technology, axis, threshold)
    finding = (f"{axis} {score:.6f} ({'strong' if strong else 'weak'}, margin {score - threshold:+.4f}: "
               f"{nearness}); P({axis} {'weak' if strong else 'strong'}): {_probabilities(rows, other)}")
    if axis == "dynamism" and rows["p_dynamism_strong_exact"].notna().any():
        exact = rows["p_dynamism_strong_exact"].dropna().iloc[0]
        finding += f"; exactly {exact if not strong else 1 - exact:.4f} under `technologies`"
    largest = rows[other].max()
    if _never_moves(stability, axis, scores, threshold):
        return finding, f"not tested: no deciding scheme moves any technology's {axis} side"
    if largest >= 1 - rule.robust:
        scheme = rows.loc[rows[other].idxmax(), "scheme"]
        return finding, (f"yes: {nearness}, and the other side has probability {largest:.3f} under "
                         f"`{scheme}`")
    return finding, f"no: the other side stays below {1 - rule.robust:.2f} under every scheme"


def _never_moves(stability: pd.DataFrame, axis: str, scores: pd.DataFrame, threshold: float) -> bool:
    """Whether no deciding scheme ever put any technology on the other side of ``axis`` (e.g. a
    normaliser kept at the full sample's holds dynamism still)."""
    rows = stability[stability["scheme"].isin(deciding_schemes(stability))]
    base_strong = rows["technology"].map(scores.set_index("technology")[axis] >= threshold)
    p = rows[f"p_{axis}_strong"]
    return bool(((p == 1) & base_strong | (p == 0) & ~base_strong).all())


def weak_capability_finding(statement: dict, scores: pd.DataFrame, stability: pd.DataFrame,
                            thresholds: dict) -> tuple[str, str]:
    """Whether a technology's capability is weak relative to its quadrant, and whether weak is its likelier side."""
    technology = statement["technology"]
    own = scores.set_index("technology")
    quadrant = own.loc[technology, "quadrant"]
    peers = own[own["quadrant"] == quadrant]["capability"].sort_values()
    rank = list(peers.index).index(technology) + 1
    rows = _side_rows(stability, technology, "capability")
    finding = (f"capability {own.loc[technology, 'capability']:.6f}, the {_ordinal(rank)}lowest "
               f"of the {len(peers)} {quadrant} technologies; P(capability weak): "
               f"{_probabilities(rows, 'p_capability_weak')}")
    largest = rows["p_capability_weak"].max()
    scheme = rows.loc[rows["p_capability_weak"].idxmax(), "scheme"]
    relative = ("relatively weak, yes: the lowest of its quadrant" if rank == 1
                else f"relatively weak only in part: the {_ordinal(rank)}lowest of its quadrant")
    if largest > 0.5:
        return finding, f"{relative}; weak is the likelier side under `{scheme}` ({largest:.3f})"
    return finding, (f"{relative}; but not weak as a side: strong stays the likelier under every scheme "
                     f"(weak at most {largest:.3f}, `{scheme}`)")


def membership_finding(statement: dict, joint: pd.DataFrame, rule: VerdictRule) -> tuple[str, str]:
    """What the joint probabilities say about a quadrant's (open) list of members, and whether it holds."""
    quadrant = statement["quadrant"]
    kept = joint[joint["statement"] == f"every base member of {quadrant} keeps it"]
    exact = joint[joint["statement"] == f"{quadrant} holds exactly its base members"]
    describe = lambda rows: "; ".join(f"{probability_text(p, lo, hi)} (`{s}`)" for s, p, lo, hi in
                                      zip(rows["scheme"], rows["probability"], rows["low"], rows["high"]))
    finding = (f"P(all of these keep {quadrant}, others may join): {describe(kept)}; "
               f"P({quadrant} holds exactly these): {describe(exact)}")
    lowest = kept.loc[kept["probability"].idxmin()]
    words = probability_text(lowest["probability"])
    if lowest["probability"] >= rule.robust:
        return finding, "yes, robustly"
    if lowest["probability"] < rule.fragile:
        return finding, f"not reliably: {words} under `{lowest['scheme']}`"
    return finding, f"yes, but sensitive: {words} under `{lowest['scheme']}`"


def statement_frame(scores: pd.DataFrame, stability: pd.DataFrame | None, joint: pd.DataFrame | None,
                    rule: VerdictRule, thresholds: dict | None = None) -> pd.DataFrame:
    """Each statement of section 3 with what the analyses find and whether it holds.

    ``thresholds`` maps ``capability`` and ``dynamism`` to the model's thresholds (default 0.5).
    """
    thresholds = {"capability": 0.5, "dynamism": 0.5, **(thresholds or {})}
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
        elif statement["kind"] == "weak_capability":
            finding, holds = weak_capability_finding(statement, scores, stability, thresholds)
        else:
            finding, holds = near_threshold_finding(statement, scores, stability, rule, thresholds)
        records.append((statement["quote"], statement["claim"], finding, holds))
    return pd.DataFrame(records, columns=["the paper (section 3)", "in English", "what the analyses find", "holds?"])
