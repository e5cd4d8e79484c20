"""The reviewer report of a result folder: ``report.md`` and a self-contained ``report.html``.

Like the figures, the report is built from the saved tables and ``manifest.json`` alone
(:func:`write_report`), so ``robust plot`` can rebuild it. It states whether the paper is
reproduced, gives one verdict per technology with the cut-offs used, checks the paper's
own statements against the numbers (for the packaged paper data), explains the methods
in plain words and records the provenance.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .datasets import BUILTIN_PREFIX, load_paper2023_published
from .output import read_result_table
from .plots import FIGURES
from .scoring import QUADRANT_NAMES_ZH

ROBUST_RETENTION = 0.95
FRAGILE_RETENTION = 0.5
REPRODUCTION_TOLERANCE = 1e-6
IMPRECISE_WIDTH = 0.5  # a Sobol index whose interval is wider than this is flagged
MAX_REPORT_ROWS = 100  # larger tables list the least stable technologies only
RANDOM_SCHEMES = ("technologies", "noise")
SCHEME_ORDER = ("technologies", "noise", "jackknife", "drop_indicator")


# ------------------------------------------------------------------ blocks


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame


@dataclass(frozen=True)
class Figure:
    path: str      # relative to the result folder
    caption: str


@dataclass(frozen=True)
class Code:
    text: str


def _markdown(blocks) -> str:
    parts = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"{'#' * block.level} {block.text}")
        elif isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Bullets):
            parts.append("\n".join(f"- {item}" for item in block.items))
        elif isinstance(block, Table):
            frame = block.frame.astype(str)
            header = "| " + " | ".join(frame.columns) + " |"
            rule = "|" + "|".join("---" for _ in frame.columns) + "|"
            rows = ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
                    for row in frame.itertuples(index=False)]
            parts.append("\n".join([header, rule, *rows]))
        elif isinstance(block, Figure):
            parts.append(f"![{block.caption}]({block.path})\n\n*{block.caption}*")
        elif isinstance(block, Code):
            parts.append(f"```\n{block.text}\n```")
    return "\n\n".join(parts) + "\n"


def _inline_html(text: str) -> str:
    """Escape, then render the two inline forms the report uses: **bold** and `code`."""
    escaped = html.escape(text)
    pieces = escaped.split("**")
    escaped = "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(pieces))
    pieces = escaped.split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(pieces))


def _html(blocks, folder: Path, title: str) -> str:
    body = []
    for block in blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{_inline_html(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            body.append(f"<p>{_inline_html(block.text)}</p>")
        elif isinstance(block, Bullets):
            body.append("<ul>" + "".join(f"<li>{_inline_html(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Table):
            frame = block.frame.astype(str)
            head = "".join(f"<th>{_inline_html(c)}</th>" for c in frame.columns)
            rows = "".join("<tr>" + "".join(f"<td>{_inline_html(c)}</td>" for c in row) + "</tr>"
                           for row in frame.itertuples(index=False))
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif isinstance(block, Figure):
            data = base64.b64encode((folder / block.path).read_bytes()).decode("ascii")
            body.append(f'<figure><img alt="{html.escape(block.caption)}" '
                        f'src="data:image/png;base64,{data}"><figcaption>'
                        f"{_inline_html(block.caption)}</figcaption></figure>")
        elif isinstance(block, Code):
            body.append(f"<pre>{html.escape(block.text)}</pre>")
    style = ("body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em;line-height:1.45}"
             "table{border-collapse:collapse;font-size:90%;margin:1em 0}"
             "th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left}th{background:#eee}"
             "img{max-width:100%}figure{margin:1.5em 0}figcaption{font-style:italic;color:#333}"
             "pre{background:#f4f4f4;padding:1em;overflow-x:auto}code{background:#f4f4f4}")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
            f"</title><style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


# ------------------------------------------------------------------ content


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def _is_paper(config: dict) -> bool:
    """The packaged paper data under the paper's own model."""
    capability, dynamism = config["capability"], config["dynamism"]
    return (
        config["data"]["path"] == f"{BUILTIN_PREFIX}paper2023"
        and capability["weighting"] == "entropy" and capability["normalize"] == "none"
        and capability["threshold"] == 0.5 and dynamism.get("threshold") == 0.5
        and dynamism.get("amplitudes") in (None, [4.0, 3.0, 2.0, 1.0])
        and capability["indicators"] == ["app_share", "cite_share", "claim_share", "pct_share"]
    )


def reproduction_blocks(scores: pd.DataFrame, config: dict) -> list:
    """Whether the base scores reproduce Table 3 and the section-3 quadrants."""
    blocks = [Heading("Is the paper reproduced?")]
    if not _is_paper(config):
        blocks.append(Paragraph("The data or the base model is not the paper's, so there is nothing to "
                                "reproduce; the base scores are in `scores.csv`."))
        return blocks
    published = load_paper2023_published().set_index("name_en").loc[scores["technology"]]
    capability = np.abs(scores["capability"].to_numpy() - published["capability"].to_numpy()).max()
    dynamism = np.abs(scores["dynamism"].to_numpy() - published["dynamism"].to_numpy()).max()
    matched = int((scores["quadrant"].to_numpy() == published["quadrant"].to_numpy()).sum())
    reproduced = max(capability, dynamism) <= REPRODUCTION_TOLERANCE and matched == len(scores)
    verdict = "**Yes.**" if reproduced else "**No.**"
    blocks.append(Paragraph(
        f"{verdict} Scoring the packaged Table 2 with entropy weights computed exactly (Appendix 2) "
        f"gives every capability within {capability:.1e} and every dynamism within {dynamism:.1e} of "
        f"Table 3 (printed to 6 decimals; tolerance {REPRODUCTION_TOLERANCE:g}), and {matched} of "
        f"{len(scores)} quadrants equal to those of section 3. The paper's printed weights "
        "(0.25/0.23/0.22/0.30) are rounded; the exact ones are in `weights.csv`."))
    return blocks


def verdict_frame(scores, stability, agreement, sobol) -> pd.DataFrame:
    """One row per technology: the evidence and the verdict (see :func:`verdict_rule_text`)."""
    frame = pd.DataFrame({"technology": scores["technology"], "quadrant": scores["quadrant"]})
    if "label" in scores:
        frame.insert(1, "label", scores["label"])
    retentions, lows, highs = [], [], []
    if stability is not None:
        for scheme in [s for s in SCHEME_ORDER if s in set(stability["scheme"])]:
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
    frame["verdict"] = _verdicts(np.array(retentions).reshape(-1, len(frame)),
                                 np.array(lows).reshape(-1, len(frame)),
                                 np.array(highs).reshape(-1, len(frame)), methods_agree)
    return frame


def _verdicts(retention, low, high, methods_agree) -> list[str]:
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


# --- the paper's own statements (packaged paper data only) ---------------------------

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


def _scheme_rows(stability, technology):
    rows = stability[stability["technology"] == technology].set_index("scheme")
    return rows.loc[[s for s in SCHEME_ORDER if s in rows.index]]


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
                for scheme, row in _scheme_rows(stability, technology).iterrows():
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
                    rows = _scheme_rows(stability, technology)
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


METHOD_NOTES = {
    "weighting": "**Alternative weightings.** The capability indicators are re-weighted by other "
                 "defensible objective methods (entropy on column sums, CRITIC with Pearson or Spearman "
                 "correlation, equal weights, standard deviation, MEREC, Gini), everything else kept; a "
                 "technology changes quadrant only if its capability crosses the threshold.",
    "technologies": "**Resampling the technologies** (`technologies`): had the study drawn another set of "
                    "technologies like these, would the entropy weights and the min-max scaling of "
                    "dynamism still place this technology in the same quadrant? Each replicate re-estimates "
                    "them on a resample drawn with replacement and scores all original technologies.",
    "noise": "**Measurement error** (`noise`): every patent ratio is multiplied by a log-normal factor "
             "(about 5% error) and every IPC change count is redrawn as a Poisson count around the "
             "observed one; everything is re-estimated. Systematic errors are not covered.",
    "jackknife": "**Leaving one technology out** (`jackknife`): does the quadrant depend on one other "
                 "technology being in the study? The `changed_by` column of `stability.csv` names them.",
    "drop_indicator": "**Leaving one indicator out** (`drop_indicator`): does the quadrant rest on a "
                      "single capability indicator?",
    "sobol": "**Sobol sensitivity analysis**: the modelling choices (weights, weighting method, "
             "thresholds, IPC amplitudes, ...) are varied together; the total index ST of a choice is "
             "the share of the variance of an output that would vanish if that choice were fixed. For "
             "the 0/1 output `retained` it says which choice decides whether the quadrant holds.",
}


def report_blocks(folder: Path, manifest: dict) -> tuple[list, str]:
    """The report's blocks and its title, from the tables in ``folder`` and the manifest."""
    config = manifest["config"]
    scores = read_result_table(folder, "scores.csv")
    stability = read_result_table(folder, "stability.csv")
    agreement = read_result_table(folder, "weighting_agreement.csv")
    comparison = read_result_table(folder, "weighting_comparison.csv")
    sobol = read_result_table(folder, "sobol.csv")
    title = f"Robustness report: {Path(manifest['config_file']).stem}"
    blocks: list = [Heading(title, 1), Paragraph(
        f"Produced by robust {manifest['versions']['robust']} from `{manifest['config_file']}` "
        f"(config SHA-256 `{manifest['config_sha256'][:16]}…`, seed {manifest['seed_entropy']}); "
        f"data `{config['data']['path']}`. Every number below is read from the tables in this folder.")]
    blocks += reproduction_blocks(scores, config)

    verdicts = verdict_frame(scores, stability, agreement, sobol)
    kinds = verdicts["verdict"].str.split(" ").str[0]
    counts = kinds.value_counts()
    summary = (", ".join(f"{counts.get(v, 0)} {v}" for v in ("robust", "sensitive", "fragile"))
               + f" of {len(verdicts)} technologies.")
    shown = verdicts
    if len(verdicts) > MAX_REPORT_ROWS:
        rank = kinds.map({"fragile": 0, "sensitive": 1, "robust": 2})
        shown = verdicts.loc[sorted(rank.sort_values(kind="stable").index[:MAX_REPORT_ROWS])]
        summary += (f" The table lists {MAX_REPORT_ROWS} of them, the fragile first, then the "
                    "sensitive, in input order; `stability.csv` has every technology.")
    blocks += [
        Heading("Verdict per technology"),
        Paragraph(summary),
        Table(shown),
        Paragraph(verdict_rule_text(agreement is not None, sobol is not None)),
    ]
    if _is_paper(config):
        blocks += [Heading("The paper's statements"), Table(statement_frame(scores, stability, comparison)),
                   Paragraph("A statement about a technology near a threshold *holds* when at least a "
                             "quarter of the replicates of some scheme already put it on the other side; "
                             "a quadrant assignment holds when every member keeps it with retention of at "
                             f"least {ROBUST_RETENTION} (\"sensitive\" down to {FRAGILE_RETENTION}).")]

    figures = [
        ("quadrant_map", "Quadrant map: base scores, percentile intervals, colour = retention."),
        *[(f"quadrant_probabilities_{s}", f"Quadrant probabilities under `{s}`, sorted by retention.")
          for s in SCHEME_ORDER],
        *[(f"retention_convergence_{s}", f"Retention against the number of `{s}` replicates.")
          for s in RANDOM_SCHEMES],
        ("weighting_heatmap", "Capability and quadrant under each weighting method."),
        ("sobol_heatmap", "Sobol total indices of `retained` (technologies x modelling choices)."),
        ("sobol_convergence", "Sobol indices against the sample size."),
    ]
    shown = [Figure(f"{FIGURES}/{stem}.png", caption) for stem, caption in figures
             if (folder / FIGURES / f"{stem}.png").is_file()]
    if shown:
        blocks += [Heading("Figures"), *shown]

    notes = [METHOD_NOTES[key] for key in ("weighting", *SCHEME_ORDER, "sobol")
             if key == "weighting" and agreement is not None
             or key in SCHEME_ORDER and stability is not None and key in set(stability["scheme"])
             or key == "sobol" and sobol is not None]
    blocks += [Heading("Methods in plain words"), Paragraph(
        "The base model is the paper's: capability is the entropy-weighted sum of four patent ratios, "
        "dynamism the amplitude-weighted count of IPC changes scaled to [0, 1] by the smallest and "
        "largest technology, and a score at or above 0.5 is strong: strong capability and weak "
        f"dynamism is assault ({QUADRANT_NAMES_ZH['assault']}), both weak entrench "
        f"({QUADRANT_NAMES_ZH['entrench']}), weak capability and strong dynamism position "
        f"({QUADRANT_NAMES_ZH['position']}), both strong disrupt ({QUADRANT_NAMES_ZH['disrupt']})."),
        Bullets(tuple(notes))]
    versions = ", ".join(f"{k} {v}" for k, v in sorted(manifest["versions"].items()))
    blocks += [Heading("Provenance"), Bullets((
        f"config file `{manifest['config_file']}`, SHA-256 of the resolved config `{manifest['config_sha256']}`",
        f"data SHA-256 `{manifest['data_sha256']}`",
        f"seed entropy {manifest['seed_entropy']} (rerun with `--seed {manifest['seed_entropy']}`)",
        f"versions: {versions}",
    )), Code(json.dumps(config, indent=2, ensure_ascii=False, sort_keys=True))]
    return blocks, title


def headline(folder: str | Path) -> str:
    """The README's summary of a result folder: the verdict counts and every technology not robust.

    For each, its lowest retention with the scheme, and the Sobol choice that decides it.
    """
    folder = Path(folder)
    scores, stability = read_result_table(folder, "scores.csv"), read_result_table(folder, "stability.csv")
    verdicts = verdict_frame(scores, stability, read_result_table(folder, "weighting_agreement.csv"),
                             read_result_table(folder, "sobol.csv"))
    kinds = verdicts["verdict"].str.split(" ").str[0]
    counts = kinds.value_counts()
    lines = [", ".join(f"**{counts.get(v, 0)} {v}**" for v in ("robust", "sensitive", "fragile"))
             + f" of {len(verdicts)} technologies. Not robust:", "",
             "| technology | paper quadrant | lowest bootstrap retention (scheme) | weightings agreeing | "
             "Sobol: retention; decided by (ST) | verdict |",
             "|---|---|---|---|---|---|"]
    for i in np.flatnonzero(kinds.to_numpy() != "robust"):
        rows = _scheme_rows(stability, scores["technology"].iloc[i])
        scheme = rows["retention"].idxmin()
        sobol_cell = verdicts.get("Sobol: retention; main choice (ST)", pd.Series(["-"] * len(verdicts))).iloc[i]
        lines.append(f"| {scores['technology'].iloc[i]} | {scores['quadrant'].iloc[i]} | "
                     f"{rows.loc[scheme, 'retention']:.3f} (`{scheme}`) | "
                     f"{verdicts['weightings agreeing'].iloc[i] if 'weightings agreeing' in verdicts else '-'} | "
                     f"{sobol_cell} | {verdicts['verdict'].iloc[i]} |")
    return "\n".join(lines) + "\n"


def write_report(folder: str | Path, manifest: dict) -> list[str]:
    """Write ``report.md`` and the self-contained ``report.html`` into a result folder.

    ``manifest`` is the run's manifest (``manifest.json``; its ``outputs`` are not used).
    """
    folder = Path(folder)
    blocks, title = report_blocks(folder, manifest)
    (folder / "report.md").write_text(_markdown(blocks), encoding="utf-8")
    (folder / "report.html").write_text(_html(blocks, folder, title), encoding="utf-8")
    return ["report.md", "report.html"]

