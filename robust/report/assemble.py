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

import pandas as pd

from ..analyses.bootstrap.spec import COUNT_MODEL_SCHEMES, DEFAULT_SCHEMES
from ..analyses.reproduce import TOLERANCE as REPRODUCTION_TOLERANCE
from ..datasets.paper2023 import (
    PAPER_INDICATORS,
    PAPER_IPC_CHANGES,
    PAPER_PRINTED_WEIGHTS,
    PAPER_RECORDS,
    is_paper_model,
    is_paper_records,
    load_paper2023,
)
from ..io.results import read_result_table, write_csv, write_json
from ..plotting.style import FIGURES
from ..records.spec import REMOVED_COLUMNS
from .explorer import explorer_data, explorer_html, explorer_note
from .figures import figures_spec, quadrant_map_scheme
from .markup import Bullets, Code, Figure, Heading, Interactive, Paragraph, Table, to_html, to_markdown
from .screening import filtering_blocks, morris_blocks, rank_blocks
from .statements import statement_frame
from .summary import reproduction_check, summary_data
from .text import method_notes, model_description, probability_text
from .verdicts import (
    VerdictRule,
    deciding_schemes,
    lowest_retention,
    verdict_counts,
    verdict_frame,
    verdict_sensitivity,
)
from .verdicts import verdicts as verdicts_of  # the name "verdicts" is the verdict table here

MAX_REPORT_ROWS = 100  # larger tables list the least stable technologies only


def reproduction_blocks(scores: pd.DataFrame, config: dict) -> list:
    """Whether the base scores reproduce Table 3 and the section-3 quadrants (the paper's data only)."""
    check = reproduction_check(scores)
    capability, dynamism, matched = check["capability_error"], check["dynamism_error"], check["quadrants_matched"]
    verdict = "**Yes.**" if check["reproduced"] else "**No.**"
    scored = ("the indicators derived from the synthetic records" if is_paper_records(config)
              else "the packaged Table 2")
    return [Heading("Is the paper reproduced?"), Paragraph(
        f"{verdict} Scoring {scored} with entropy weights computed exactly (Appendix 2) "
        f"gives every capability within {capability:.1e} and every dynamism within {dynamism:.1e} of "
        f"Table 3 (printed to 6 decimals; tolerance {REPRODUCTION_TOLERANCE:g}), and {matched} of "
        f"{len(scores)} quadrants equal to those of section 3. The paper's printed weights "
        "(" + "/".join(f"{w:.2f}" for w in PAPER_PRINTED_WEIGHTS) + ") are rounded; the exact ones are in "
        "`weights.csv`.")]


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


def _schemes_text(schemes) -> str:
    return _listing(f"`{scheme}`" for scheme in schemes)


def verdict_summary(verdicts: pd.DataFrame, stability: pd.DataFrame | None, rule: VerdictRule,
                    sensitivity: pd.DataFrame | None, *, bold: bool = False) -> str:
    """The verdict counts, the schemes and cut-offs that gave them, and how they move with the cut-offs."""
    schemes = deciding_schemes(stability)
    if not schemes:
        return ("No random bootstrap scheme ran, so no technology has a retention probability to judge: "
                "the verdicts are not assessed.")
    counts = verdict_counts(verdicts["verdict"])
    mark = "**" if bold else ""
    text = (f"Under the random bootstrap scheme{'s' if len(schemes) > 1 else ''} {_schemes_text(schemes)}, "
            f"with a technology robust when it keeps its quadrant with probability at least {rule.robust:g} "
            + (f"under every one of them and fragile when below {rule.fragile:g} under some: " if len(schemes) > 1
               else f"under it and fragile when below {rule.fragile:g}: ")
            + ", ".join(f"{mark}{counts[v]} {v}{mark}" for v in counts) + f" of {len(verdicts)} technologies.")
    if sensitivity is not None and len(sensitivity) > 1:
        together = sensitivity[sensitivity["schemes"] == "+".join(schemes)]
        robust, fragile = together["robust"], together["fragile"]
        text += (f" With the other cut-offs of `verdict_sensitivity.csv` (robust "
                 f"{together['robust_cutoff'].min():g} to {together['robust_cutoff'].max():g}, fragile "
                 f"{together['fragile_cutoff'].min():g} to {together['fragile_cutoff'].max():g}) the robust "
                 f"count {_spread(robust)} and the fragile count {_spread(fragile)}.")
        configured = (sensitivity["robust_cutoff"] == rule.robust) & (sensitivity["fragile_cutoff"] == rule.fragile)
        kept = [scheme for scheme in schemes if scheme not in COUNT_MODEL_SCHEMES]
        if kept and len(kept) < len(schemes):
            row = sensitivity[configured & (sensitivity["schemes"] == "+".join(kept))].iloc[0]
            text += (f" Without the schemes that re-tally the IPC counts under the Poisson-process model "
                     f"({_schemes_text(s for s in schemes if s in COUNT_MODEL_SCHEMES)}), that is under "
                     f"{_schemes_text(kept)}{' together' if len(kept) > 1 else ''}: {row['robust']} robust, "
                     f"{row['sensitive']} sensitive, {row['fragile']} fragile.")
            without = dict(zip(verdicts["technology"], verdicts_of(stability, list(verdicts["technology"]), rule, kept)))
            moved = [t for t, v in zip(verdicts["technology"], verdicts["verdict"])
                     if v.startswith("fragile") and not without[t].startswith("fragile")]
            if moved:
                text += (f" The fragile verdict{'s' if len(moved) > 1 else ''} of {_listing(moved)} "
                         f"rest{'' if len(moved) > 1 else 's'} on the schemes that use that count model (without "
                         "them: " + ", ".join(f"{t} {without[t].split(' ')[0]}" for t in moved) + ").")
        alone = sensitivity[configured & ~sensitivity["schemes"].str.contains("+", regex=False)]
        if len(alone) and len(schemes) > 1:
            text += (" Each scheme alone, with these cut-offs: " + "; ".join(
                f"`{row.schemes}` {row.robust} robust, {row.sensitive} sensitive, {row.fragile} fragile"
                for row in alone.itertuples()) + ".")
    return text


def _spread(counts: pd.Series) -> str:
    """"ranges from 0 to 4" or "stays at 19"."""
    low, high = counts.min(), counts.max()
    return f"stays at {low}" if low == high else f"ranges from {low} to {high}"


def joint_summary(joint: pd.DataFrame | None, schemes, n: int) -> str | None:
    """The probability that every technology keeps its quadrant at once, per deciding scheme."""
    if joint is None or not schemes:
        return None
    rows = joint[(joint["statement"] == "every technology keeps its base quadrant") & joint["scheme"].isin(schemes)]
    parts = [f"{probability_text(p, lo, hi)} under `{s}`" for s, p, lo, hi in
             zip(rows["scheme"], rows["probability"], rows["low"], rows["high"])]
    return f"All {n} technologies keep their quadrants at once with probability " + "; ".join(parts) + " (`joint.csv`)."


def shared_coins(stability: pd.DataFrame | None, rule: VerdictRule) -> list[str]:
    """Sentences naming the technologies whose dynamism side moves on one and the same event under
    `technologies` (only events likely enough to matter: at least one minus the robust cut-off)."""
    if stability is None or "dynamism_flip_group" not in stability or "technologies" not in set(stability["scheme"]):
        return []
    rows = stability[(stability["scheme"] == "technologies") & (stability["dynamism_flip_group"] > 0)]
    sentences = []
    for _, group in rows.groupby("dynamism_flip_group", sort=False):
        first = group.iloc[0]
        strong = first["base_quadrant"] in ("position", "disrupt")
        flip = 1 - first["p_dynamism_strong_exact"] if strong else first["p_dynamism_strong_exact"]
        if len(group) < 2 or flip < 1 - rule.robust:
            continue
        capability_moves = [f"{row.technology} also through its capability side, in "
                            f"{100 * min(row.p_capability_strong, 1 - row.p_capability_strong):.1f}% of the replicates"
                            for row in group.itertuples() if 0 < row.p_capability_strong < 1]
        sentences.append(
            f"Under `technologies`, {_listing(group['technology'])} change their dynamism side on one and the same "
            f"event of the resample's extremes ({first['dynamism_flip_event']}; exact probability {flip:.4f}): "
            f"their {len(group)} retentions are one coin, not {len(group)}"
            + (f" ({'; '.join(capability_moves)})" if capability_moves else "") + ".")
    return sentences


def _listing(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


TIPPING_NOTE = (
    "The closest tipping point of each axis is exact (`tipping.csv`, `tipping_data.csv`): for capability, "
    "the smallest relative change of the weights (each weight times 1 + e with |e| at most this, "
    "renormalised) that reaches the threshold, or the single indicator cell change (the other cells kept, "
    "the data-driven weights estimated again) that does; for dynamism, the fewest added or removed new IPC "
    "codes (the counts kept cumulative, the scale estimated again) that move it across.")


def _run_date(manifest: dict) -> str:
    """" on 2026-12-02 01:40 UTC" from the manifest's timestamp (empty for a folder written before it)."""
    stamp = (manifest.get("environment") or {}).get("timestamp")
    return f" on {stamp[:10]} {stamp[11:16]} UTC" if isinstance(stamp, str) and len(stamp) >= 16 else ""


def figure_captions(config: dict, mapped: str | None, paper: bool) -> list[tuple[str, str]]:
    """Each figure's stem and caption: what it shows and what to read from it."""
    threshold = config["capability"]["threshold"]
    across = "capability across, dynamism up" if figures_spec(config).orientation == "figure3" \
        else "dynamism across, capability up"
    if paper and figures_spec(config).orientation == "figure3":
        across += ", as the paper's Figure 3"
    return [
        ("quadrant_map", f"Where each technology stands ({across})"
         + (f", with the percentile intervals of its scores under `{mapped}` as bars and its retention as the "
            "colour: a light point, or a bar that crosses a dashed threshold, is a quadrant that may not hold."
            if mapped else ".")),
        ("quadrant_probabilities", "The probability of each quadrant per technology under each scheme (one "
         "panel per scheme): the first segment is the base model's quadrant, so a short first segment is an unstable "
         "technology, and the colours of the rest say where it goes."),
        ("retention_convergence", "Retention against the number of replicates, one panel per technology and one "
         "line per scheme: flat lines mean the replicates suffice; the gaps between lines are the differences "
         "between the uncertainty models."),
        ("weighting_heatmap", "Capability and quadrant of each technology under each objective weighting method; "
         "hatched, framed cells change quadrant."),
        ("weighting_dots", f"Capability under each weighting method against the threshold {threshold:g} "
         "(dashed); the right panel zooms on the technologies within 0.02 of it, where a circled marker has "
         "changed quadrant."),
        ("sobol_heatmap", "Total Sobol index ST of `retained`: which modelling choice (column) takes part in "
         "moving each technology (row) out of its quadrant; n/a: it never moves; rare: too few moves to "
         "apportion."),
        ("sobol_bars", "First-order (hatched) and total (grey) Sobol indices of each choice, for each technology "
         "that can move: S1 close to ST means the choice acts alone, ST well above S1 that it acts through its "
         "interactions with the others."),
        ("sobol_convergence", "ST against the base sample size n for the least stable technologies: curves that "
         "settle mean n suffices."),
        ("filtering_heatmap", "Monte Carlo filtering of `retained`: for each technology that leaves its quadrant in "
         "some draw, the distance between each input variable's values in the draws that keep and that leave the "
         "quadrant; a large distance is a variable that decides it, and its rule says where; rare: too few flips."),
        ("rank_intervals", "Capability rank under the base model (bar) and the median rank with its 5-95% interval "
         "under each uncertainty analysis (`ranks.csv`): a long interval is a rank that cannot be relied on."),

        ("specification_shares", "Quadrant under every specification of the data-construction choices: per "
         "technology the share of the specifications in each quadrant, its base quadrant first (the number at "
         "the bar's end is the share that keeps it), the least kept at the top."),
    ]


def figure_blocks(folder: Path, config: dict, scores: pd.DataFrame, mapped: str | None, paper: bool) -> list:
    """The figures section: every figure drawn, in PNG when there is one (else a link to its file)."""
    captions = figure_captions(config, mapped, paper)
    captions += [(path.stem, f"Weight space of {_technology_of(path.stem, scores)}: where on the simplex its "
                  "capability is strong (hatched), with the base weights and the central weights of each quadrant.")
                 for path in sorted((folder / FIGURES).glob("weight_space_*.*")) if path.suffix in (".png", ".pdf")]
    shown = []
    for stem, caption in dict.fromkeys(captions):
        found = [folder / FIGURES / f"{stem}.{suffix}" for suffix in ("png", "pdf")]
        found = [path for path in found if path.is_file()]
        if found:
            shown.append(Figure(f"{FIGURES}/{found[0].name}", caption))
    return [Heading("Figures"), *shown] if shown else []


def _technology_of(stem: str, scores: pd.DataFrame) -> str:
    """The technology of a ``weight_space_<NN>_<name>`` figure (its row number)."""
    return str(scores["technology"].iloc[int(stem.split("_")[2]) - 1])


def acceptability_blocks(acceptability: pd.DataFrame, scores: pd.DataFrame, config: dict) -> list:
    """The acceptability of each technology's base quadrant over the weight space, and the most likely other."""
    spec = config["acceptability"]
    prior = ("uniform on the simplex (Dirichlet(1))" if spec["weights"] == "uniform"
             else f"Dirichlet({spec['weights']:g} x the base weights)")
    rows = []
    for technology, quadrant in zip(scores["technology"], scores["quadrant"]):
        own = acceptability[acceptability["technology"] == technology].set_index("quadrant")
        base = own.loc[quadrant]
        other = own.drop(quadrant)["acceptability"].idxmax()
        exact = "" if base["exact"] != base["exact"] else f"{base['exact']:.4f}"
        rows.append((technology, quadrant, f"{base['acceptability']:.4f} [{base['low']:.4f}, {base['high']:.4f}]",
                     exact or "-", f"{base['confidence_factor']:.3f}" if base["confidence_factor"] == base["confidence_factor"] else "-",
                     f"{other} ({own.loc[other, 'acceptability']:.4f})"))
    frame = pd.DataFrame(rows, columns=["technology", "base quadrant", "acceptability (Monte Carlo)", "exact",
                                        "confidence factor", "most acceptable other quadrant"])
    order = spec.get("order")
    constraint = "" if not order else (
        " under the ordinal constraints " + (" >= ".join(order) if isinstance(order[0], str)
                                             else ", ".join(" ".join(pair) for pair in order)))
    text = (f"With the weights drawn {prior}{constraint} ({spec['samples']:,} draws), the capability threshold "
            f"{_threshold_words(spec['capability_threshold'], config['capability']['threshold'])} and the "
            f"dynamism threshold {_threshold_words(spec['dynamism_threshold'], config['dynamism']['threshold'])}: "
            "the probability of each technology's base quadrant (`acceptability.csv`; the exact value when the "
            "capability threshold is fixed and the prior uniform with no constraint), and the confidence "
            "factor, the probability of that quadrant with the central weights, the mean weights of the draws "
            "that give it (`central_weights.csv`). The weights move capability only; dynamism keeps its base "
            "score.")
    return [Heading("Acceptability over the weight space"), Paragraph(text), Table(frame)]


def _threshold_words(value, base) -> str:
    if value is None:
        return f"fixed at {base:g}"
    if isinstance(value, list):
        return f"uniform on [{value[0]:g}, {value[1]:g}]"
    return f"fixed at {value:g}"


def verdict_rule_text(rule: VerdictRule) -> str:
    """The rule behind the verdicts, in words."""
    return (
        f"Verdicts: **robust** when the retention (the probability of keeping the base quadrant) is at least "
        f"{rule.robust:g} under every random bootstrap scheme; **fragile** when under some scheme it is below "
        f"{rule.fragile:g} (the base quadrant is then kept in fewer than {100 * rule.fragile:g}% of the "
        "replicates); **sensitive** otherwise; (borderline) when the Wilson interval of the lowest retention "
        "(its Monte Carlo error) contains a cut-off. The deterministic variants (other weightings, leaving out "
        "one technology or one indicator) are listed as the variants that change the quadrant, and the Sobol "
        "retention is the share of evaluations that keep it under the factors' priors: both are shown beside "
        "the verdict and do not enter it, because neither is a probability of the same kind.")


def report_blocks(folder: Path, manifest: dict) -> tuple[list, str, pd.DataFrame | None]:
    """The report's blocks, its title and the verdict sensitivity table, from the folder's tables."""
    config = manifest["config"]
    rule = VerdictRule(**config.get("report", {}))
    scores = read_result_table(folder, "scores.csv")
    stability = read_result_table(folder, "stability.csv")
    agreement = read_result_table(folder, "weighting_agreement.csv")
    joint = read_result_table(folder, "joint.csv")
    sobol = read_result_table(folder, "sobol.csv")
    tipping, tipping_data = read_result_table(folder, "tipping.csv"), read_result_table(folder, "tipping_data.csv")
    acceptability = read_result_table(folder, "acceptability.csv")
    paper = is_paper_model(config)
    title = f"Robustness report: {Path(manifest['config_file']).stem}"
    blocks: list = [Heading(title, 1), Paragraph(
        f"Produced by robust {manifest['versions']['robust']}{_run_date(manifest)} from `{manifest['config_file']}` "
        f"(config SHA-256 `{manifest['config_sha256'][:16]}…`, seed {manifest['seed_entropy']}); "
        f"data `{(config.get('data') or config['records'])['path']}`. Every number below is read from the "
        "tables in this folder.")]
    if "records" in config:
        blocks += records_blocks(folder, config)
    if "ipc_lists" in config["dynamism"]:
        blocks += lists_blocks(folder, config)
    if paper:
        blocks += reproduction_blocks(scores, config)

    verdicts = verdict_frame(scores, stability, agreement, sobol, rule, tipping, tipping_data)
    schemes = deciding_schemes(stability)
    sensitivity = verdict_sensitivity(stability, scores["technology"], rule) if schemes else None
    summary = verdict_summary(verdicts, stability, rule, sensitivity)
    shown = verdicts
    if len(verdicts) > MAX_REPORT_ROWS:
        rank = verdicts["verdict"].str.split(" ").str[0].map({"fragile": 0, "sensitive": 1, "robust": 2})
        shown = verdicts.loc[sorted(rank.sort_values(kind="stable").index[:MAX_REPORT_ROWS])]
        summary += (f" The table lists {MAX_REPORT_ROWS} of them, the fragile first, then the "
                    "sensitive, in input order; `stability.csv` has every technology.")
    blocks += [Heading("Verdict per technology"), Paragraph(summary)]
    together = joint_summary(joint, schemes, len(verdicts))
    blocks += [Paragraph(together)] if together else []
    blocks += [Table(shown), Paragraph(verdict_rule_text(rule)), *map(Paragraph, shared_coins(stability, rule))]
    if tipping is not None:
        blocks.append(Paragraph(TIPPING_NOTE))
    if acceptability is not None:
        blocks += acceptability_blocks(acceptability, scores, config)
    filtering = read_result_table(folder, "filtering.csv")
    if filtering is not None:
        blocks += filtering_blocks(filtering, read_result_table(folder, "filtering_quadrants.csv"),
                                   read_result_table(folder, "rules.csv"), scores, config["filtering"])
    morris = read_result_table(folder, "morris.csv")
    if morris is not None:
        blocks += morris_blocks(morris, config["morris"])
    ranks = read_result_table(folder, "ranks.csv")
    if ranks is not None and len(ranks):
        blocks += rank_blocks(ranks, sobol)
    explorer = explorer_data(folder, config)
    if explorer is not None:
        blocks += [Heading("What if: the explorer"), Interactive(explorer_html(explorer), explorer_note())]
    if paper:
        blocks += [Heading("The paper's statements"),
                   Paragraph("Each statement is judged on the event it states, with the verdicts' cut-offs and "
                             "schemes: a technology \"next to a threshold\" by how near it is among the "
                             "technologies and the probability of the other side; a \"relatively weak\" base by "
                             "its rank in its quadrant and whether weak is the likelier side; a quadrant's list "
                             "of members, which the paper leaves open (\"等\", \"主要是\"), by the joint "
                             "probability that every listed member keeps the quadrant (the probability that "
                             "it holds exactly them is shown beside it)."),
                   Table(statement_frame(scores, stability, joint, rule,
                                         {"capability": config["capability"]["threshold"],
                                          "dynamism": config["dynamism"]["threshold"]}))]

    mapped = quadrant_map_scheme(stability)
    blocks += figure_blocks(folder, config, scores, mapped, paper)

    ran = [s for s in (*DEFAULT_SCHEMES, "patents") if stability is not None and s in set(stability["scheme"])]
    blocks += [Heading("Methods in plain words"), Paragraph(model_description(config, paper)),
               Bullets(tuple(method_notes(config, ran, agreement is not None, sobol is not None)))]
    versions = ", ".join(f"{k} {v}" for k, v in sorted(manifest["versions"].items()))
    blocks += [Heading("Provenance"), Bullets((
        f"config file `{manifest['config_file']}`, SHA-256 of the resolved config `{manifest['config_sha256']}`",
        f"data SHA-256 `{manifest['data_sha256']}`",
        f"seed entropy {manifest['seed_entropy']} (rerun with `--seed {manifest['seed_entropy']}`)",
        f"versions: {versions}",
    )), Code(json.dumps(config, indent=2, ensure_ascii=False, sort_keys=True))]
    return blocks, title, sensitivity


def headline(folder: str | Path, link: str) -> str:
    """The README's summary of a result folder: the verdict and every technology not robust.

    ``link`` is how the README refers to the folder (for the link to ``verdict_sensitivity.csv``).
    """
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    rule = VerdictRule(**manifest["config"].get("report", {}))
    scores, stability = read_result_table(folder, "scores.csv"), read_result_table(folder, "stability.csv")
    agreement, sobol = read_result_table(folder, "weighting_agreement.csv"), read_result_table(folder, "sobol.csv")
    verdicts = verdict_frame(scores, stability, agreement, sobol, rule)
    sensitivity = read_result_table(folder, "verdict_sensitivity.csv")
    summary = verdict_summary(verdicts, stability, rule, sensitivity, bold=True)
    summary = summary.replace("`verdict_sensitivity.csv`", f"[`verdict_sensitivity.csv`]({link}/verdict_sensitivity.csv)")
    lowest = lowest_retention(stability, scores["technology"])
    changed = verdicts.get("changed by (variants)", pd.Series(["-"] * len(verdicts)))
    sobol_cells = verdicts.get("Sobol: retention under the priors", pd.Series(["-"] * len(verdicts)))
    lines = [summary + " Not robust:", "",
             "| technology | paper quadrant | lowest retention (scheme) | changed by (variants) | "
             "Sobol: retention under the priors | verdict |",
             "|---|---|---|---|---|---|"]
    for i, verdict in enumerate(verdicts["verdict"]):
        if verdict.startswith("robust"):
            continue
        technology = scores["technology"].iloc[i]
        row = lowest.loc[technology]
        lines.append(f"| {technology} | {scores['quadrant'].iloc[i]} | {row['retention']:.3f} "
                     f"[{row['retention_low']:.3f}, {row['retention_high']:.3f}] (`{row['scheme']}`) | "
                     f"{changed.iloc[i]} | {sobol_cells.iloc[i]} | {verdict} |")
    return "\n".join(lines) + "\n"


def write_report(folder: str | Path, manifest: dict) -> list[str]:
    """Write ``report.md``, the self-contained ``report.html``, ``summary.json``
    (:mod:`robust.report.summary`) and ``verdict_sensitivity.csv``.

    ``manifest`` is the run's manifest (``manifest.json``; its ``outputs`` are not used).
    Returns the files written.
    """
    folder = Path(folder)
    blocks, title, sensitivity = report_blocks(folder, manifest)
    (folder / "report.md").write_text(to_markdown(blocks), encoding="utf-8")
    (folder / "report.html").write_text(to_html(blocks, folder, title), encoding="utf-8")
    write_json(summary_data(folder, manifest), folder / "summary.json")
    written = ["report.md", "report.html", "summary.json"]
    if sensitivity is not None:
        write_csv(sensitivity, folder / "verdict_sensitivity.csv")
        written.append("verdict_sensitivity.csv")
    return written
