"""The reviewer report of a result folder: ``report.md`` and a self-contained ``report.html``.

Like the figures, the report is built from the saved tables and ``manifest.json`` alone
(:func:`write_report`), so ``robust plot`` can rebuild it. It states whether the paper is
reproduced, gives one verdict per technology with the cut-offs used
(:mod:`~robust.report.verdicts`), checks the paper's own statements against the numbers
(for the packaged paper data, :mod:`~robust.report.statements`), explains the methods in
plain words and records the provenance.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..analyses.bootstrap.analysis import RANDOM_SCHEMES, SCHEMES
from ..analyses.reproduce import TOLERANCE as REPRODUCTION_TOLERANCE
from ..core.options import QUADRANT_NAMES_ZH
from ..datasets.paper2023 import (
    PAPER_INDICATORS,
    PAPER_IPC_CHANGES,
    PAPER_PRINTED_WEIGHTS,
    PAPER_RECORDS,
    is_paper_model,
    is_paper_records,
    load_paper2023,
    load_paper2023_published,
)
from ..io.results import read_result_table
from ..plotting.style import FIGURES
from ..records.spec import REMOVED_COLUMNS
from .markup import (
    Bullets,
    Code,
    Figure,
    Heading,
    Paragraph,
    Table,
    to_html,
    to_markdown,
)
from .statements import statement_frame
from .verdicts import (
    FRAGILE_RETENTION,
    ROBUST_RETENTION,
    scheme_rows,
    verdict_frame,
    verdict_rule_text,
)

MAX_REPORT_ROWS = 100  # larger tables list the least stable technologies only


def reproduction_blocks(scores: pd.DataFrame, config: dict) -> list:
    """Whether the base scores reproduce Table 3 and the section-3 quadrants."""
    blocks = [Heading("Is the paper reproduced?")]
    if not is_paper_model(config):
        blocks.append(Paragraph("The data or the base model is not the paper's, so there is nothing to "
                                "reproduce; the base scores are in `scores.csv`."))
        return blocks
    published = load_paper2023_published().set_index("name_en").loc[scores["technology"]]
    capability = np.abs(scores["capability"].to_numpy() - published["capability"].to_numpy()).max()
    dynamism = np.abs(scores["dynamism"].to_numpy() - published["dynamism"].to_numpy()).max()
    matched = int((scores["quadrant"].to_numpy() == published["quadrant"].to_numpy()).sum())
    reproduced = max(capability, dynamism) <= REPRODUCTION_TOLERANCE and matched == len(scores)
    verdict = "**Yes.**" if reproduced else "**No.**"
    scored = ("the indicators derived from the synthetic records" if is_paper_records(config)
              else "the packaged Table 2")
    blocks.append(Paragraph(
        f"{verdict} Scoring {scored} with entropy weights computed exactly (Appendix 2) "
        f"gives every capability within {capability:.1e} and every dynamism within {dynamism:.1e} of "
        f"Table 3 (printed to 6 decimals; tolerance {REPRODUCTION_TOLERANCE:g}), and {matched} of "
        f"{len(scores)} quadrants equal to those of section 3. The paper's printed weights "
        "(" + "/".join(f"{w:.2f}" for w in PAPER_PRINTED_WEIGHTS) + ") are rounded; the exact ones are in `weights.csv`."))
    return blocks


def records_blocks(folder: Path, config: dict) -> list:
    """Where the indicator table came from, when it was derived from patent records."""
    records = config["records"]
    indicators = read_result_table(folder, "indicators.csv")
    removed = indicators[list(REMOVED_COLUMNS)].sum()
    kept, focal = int(indicators["n_records"].sum()), int(indicators["n_focal"].sum())
    steps = "; ".join(f"{column.removeprefix('removed_')} removed {int(count):,}" for column, count in removed.items())
    (first, last), (second, end) = records["windows"]
    blocks = [Heading("From patent records"), Paragraph(
        f"The indicator table was derived from the patent records `{records['path']}`: "
        f"{kept + int(removed.sum()):,} records read; {steps}; {kept:,} kept, {focal:,} of them focal "
        f"({records['focal_country']}). `indicators.csv` is the derived table, `ipc_top.csv` the top "
        f"{records['top_k']} subclasses of the windows {first}-{last} and {second}-{end} (counting "
        f"`{records['ipc_counting']}`; claims `{records['claims_ratio']}`, PCT `{records['pct_ratio']}`).")]
    if records["path"] == PAPER_RECORDS:
        blocks.append(Paragraph(
            "**These records are SYNTHETIC.** They are constructed so that the paper's measurement gives its "
            "Table 2; they are calibrated to the published aggregates only, are not the paper's patents, and "
            "their sample sizes are assumptions (the paper gives none)."))
    if is_paper_records(config):
        table2 = load_paper2023()
        derived = indicators.set_index("technology").reindex(list(table2.technologies))
        ratios = int((derived[list(PAPER_INDICATORS)].round(4).to_numpy() == table2.values).sum())
        counts = int((derived[list(PAPER_IPC_CHANGES)].to_numpy() == table2.dynamism_inputs).sum())
        blocks.append(Paragraph(
            f"Derived beside printed: {ratios} of {table2.values.size} ratios of Table 2 equal to its 4 printed "
            f"decimals and {counts} of {table2.dynamism_inputs.size} IPC counts equal (`robust reproduce --records` "
            "shows them side by side)."))
    return blocks


def lists_blocks(folder: Path, config: dict) -> list:
    """Where the IPC counts came from, when they were derived from ranked IPC lists."""
    lists = config["dynamism"]["ipc_lists"]
    top = read_result_table(folder, "ipc_top.csv")
    longest = int(top.groupby(["technology", "window"]).size().max())
    windows = " and ".join(top["window"].astype(str).drop_duplicates())
    top_k = "every listed code" if lists["top_k"] is None else f"the top {lists['top_k']}"
    return [Heading("IPC counts from ranked lists"), Paragraph(
        f"The IPC change counts were derived from the ranked IPC lists `{lists['path']}` of the windows "
        f"{windows}: {top_k} of each list (at most {longest} codes compared), counting `{lists['ipc_counting']}`. "
        "`indicators.csv` is the table with them, `ipc_top.csv` the lists as compared.")]


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
    "patents": "**Resampling the patents** (`patents`): had the database held another sample of patents "
               "like these, would the shares and the IPC counts, and so the quadrant, be the same? Each "
               "replicate draws every technology's kept records again with replacement, derives Table 2 "
               "from them and re-estimates everything: the sampling error of the indicators themselves.",
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
        f"data `{(config.get('data') or config['records'])['path']}`. Every number below is read from the "
        "tables in this folder.")]
    if "records" in config:
        blocks += records_blocks(folder, config)
    if "ipc_lists" in config["dynamism"]:
        blocks += lists_blocks(folder, config)
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
    if is_paper_model(config):
        blocks += [Heading("The paper's statements"), Table(statement_frame(scores, stability, comparison)),
                   Paragraph("A statement about a technology near a threshold *holds* when at least a "
                             "quarter of the replicates of some scheme already put it on the other side; "
                             "a quadrant assignment holds when every member keeps it with retention of at "
                             f"least {ROBUST_RETENTION} (\"sensitive\" down to {FRAGILE_RETENTION}).")]

    figures = [
        ("quadrant_map", "Quadrant map: base scores, percentile intervals, colour = retention."),
        *[(f"quadrant_probabilities_{s}", f"Quadrant probabilities under `{s}`, sorted by retention.")
          for s in SCHEMES],
        *[(f"retention_convergence_{s}", f"Retention against the number of `{s}` replicates.")
          for s in RANDOM_SCHEMES],
        ("weighting_heatmap", "Capability and quadrant under each weighting method."),
        ("specification_shares", "Quadrant under every specification of the data-construction choices."),
        ("sobol_heatmap", "Sobol total indices of `retained` (technologies x modelling choices)."),
        ("sobol_convergence", "Sobol indices against the sample size."),
    ]
    shown = [Figure(f"{FIGURES}/{stem}.png", caption) for stem, caption in figures
             if (folder / FIGURES / f"{stem}.png").is_file()]
    if shown:
        blocks += [Heading("Figures"), *shown]

    notes = [METHOD_NOTES[key] for key in ("weighting", *SCHEMES, "sobol")
             if key == "weighting" and agreement is not None
             or key in SCHEMES and stability is not None and key in set(stability["scheme"])
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
        rows = scheme_rows(stability, scores["technology"].iloc[i])
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
    (folder / "report.md").write_text(to_markdown(blocks), encoding="utf-8")
    (folder / "report.html").write_text(to_html(blocks, folder, title), encoding="utf-8")
    return ["report.md", "report.html"]
