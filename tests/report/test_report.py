"""The reviewer report: reproduction, verdicts and the paper's statements, from the saved tables."""

import json
import re

import pandas as pd

from robust.app.config import load_config
from robust.app.experiment import run_experiment
from robust.report.assemble import headline
from tests.helpers import USER_CONFIG


def test_run_writes_figures_and_report(paper_run):
    figures = {p.name for p in (paper_run / "figures").iterdir()}
    for stem in ("quadrant_map", "quadrant_probabilities", "retention_convergence", "weighting_heatmap",
                 "weighting_dots"):
        assert {f"{stem}.png", f"{stem}.pdf"} <= figures
    report = (paper_run / "report.md").read_text()
    assert "## Is the paper reproduced?\n\n**Yes.**" in report
    assert "20 of 20 quadrants" in report
    assert "| chip | 芯片 | assault |" in report and "## The paper's statements" in report
    html = (paper_run / "report.html").read_text()
    assert html.count("data:image/png;base64,") == report.count("![")
    assert 'src="figures' not in html and "http" not in html.split("<body>")[1].split("doi")[0]
    manifest = json.loads((paper_run / "manifest.json").read_text())
    assert "report.html" in manifest["outputs"] and "figures/quadrant_map.pdf" in manifest["outputs"]


def test_the_verdict_names_its_schemes_and_cut_offs_and_reads_only_the_tables(paper_run):
    report = (paper_run / "report.md").read_text()
    assert ("Under the random bootstrap schemes `technologies`, `indicator_noise`, `count_noise` and `noise`, "
            "with a technology robust when it keeps its quadrant with probability at least 0.95") in report
    sensitivity = pd.read_csv(paper_run / "verdict_sensitivity.csv")
    configured = sensitivity[sensitivity["configured"]].iloc[0]
    counts = f"{configured['robust']} robust, {configured['sensitive']} sensitive, {configured['fragile']} fragile of 20"
    assert counts in report
    together = sensitivity[sensitivity["schemes"] == "technologies+indicator_noise+count_noise+noise"]
    assert f"the robust count ranges from {together['robust'].min()} to {together['robust'].max()}" in report
    alone = sensitivity[(sensitivity["schemes"] == "technologies") & (sensitivity["robust_cutoff"] == 0.95)
                        & (sensitivity["fragile_cutoff"] == 0.5)].iloc[0]
    assert f"`technologies` {alone['robust']} robust, {alone['sensitive']} sensitive" in report
    joint = pd.read_csv(paper_run / "joint.csv").set_index(["scheme", "statement"])
    together = joint.loc[("technologies", "every technology keeps its base quadrant")]
    assert f"{together['probability']:.3f} [{together['low']:.3f}, {together['high']:.3f}] under `technologies`" in report
    # the fragile definition no longer claims another quadrant is as likely
    assert "at least as likely" not in report and "kept in fewer than 50% of the replicates" in report
    assert "one coin, not" in report and "exact probability" in report


def test_membership_statements_are_judged_on_the_joint_event(paper_run):
    report = (paper_run / "report.md").read_text()
    joint = pd.read_csv(paper_run / "joint.csv").set_index(["scheme", "statement"])
    exactly = joint.loc[("technologies", "position holds exactly its base members"), "probability"]
    assert f"P(position holds exactly these): {exactly:.3f}" in report
    stability = pd.read_csv(paper_run / "stability.csv").set_index(["scheme", "technology"])
    rail = stability.loc[("technologies", "high-pressure common-rail system"), "retention"]
    assert exactly < rail  # its own retention would overstate the claim


def test_headline_states_the_schemes_and_links_the_sensitivity_table(paper_run):
    text = headline(paper_run, "results/x")
    assert "[`verdict_sensitivity.csv`](results/x/verdict_sensitivity.csv)" in text
    assert "`technologies`, `indicator_noise`, `count_noise` and `noise`" in text
    assert "| technology | paper quadrant | lowest retention (scheme) |" in text


def test_a_user_table_report_describes_the_configured_model_and_does_not_mention_the_paper(user_study, tmp_path):
    user_study.write_text(USER_CONFIG.replace("amplitudes = [4, 3, 2, 1]", "amplitudes = [3, 2, 2, 1]")
                          + "\n[bootstrap]\nreplicates = 1024\nschemes = [\"jackknife\"]\n")
    run_experiment(load_config(user_study), out=tmp_path / "o", seed=1)
    report = (tmp_path / "o" / "report.md").read_text()
    assert "reproduced" not in report and "The paper's statements" not in report and "paper's" not in report
    assert "Capability is the entropy-weighted sum of the raw values of 3 indicators (`x0`, `x1` and `x2`)" in report
    assert "(3/2/2/1 by character position)" in report
    assert "| T000 |" in report and "not assessed" in report
    assert not (tmp_path / "o" / "verdict_sensitivity.csv").exists()


def test_the_verdict_says_which_fragile_verdicts_rest_on_the_count_model(paper_run):
    report = (paper_run / "report.md").read_text()
    sensitivity = pd.read_csv(paper_run / "verdict_sensitivity.csv")
    kept = sensitivity[(sensitivity["schemes"] == "technologies+indicator_noise") & (sensitivity["robust_cutoff"] == 0.95)
                       & (sensitivity["fragile_cutoff"] == 0.5)].iloc[0]
    assert (f"Without the schemes that re-tally the IPC counts under the Poisson-process model (`count_noise` and "
            f"`noise`), that is under `technologies` and `indicator_noise` together: {kept['robust']} robust") in report
    stability = pd.read_csv(paper_run / "stability.csv")
    lowest = stability[stability["scheme"].isin(["technologies", "indicator_noise"])].groupby("technology")["retention"].min()
    every = stability[stability["scheme"].isin(["technologies", "indicator_noise", "count_noise", "noise"])]
    fragile_only_with_counts = [t for t, r in every.groupby("technology", sort=False)["retention"].min().items()
                                if r < 0.5 and lowest[t] >= 0.5]
    assert fragile_only_with_counts                       # the paper has some (aero-engine, milling cutter, ...)
    named = report.split("on the schemes that use that count model (without them: ")[1].split(")")[0]
    assert all(t in named for t in fragile_only_with_counts)


def test_the_statements_rank_nearness_and_judge_open_lists_on_every_member_keeping_it(paper_run):
    report = (paper_run / "report.md").read_text()
    assert "margin +0.0011: the nearest of the 20 technologies" in report
    assert "the tied nearest of the 20 technologies (with vacuum evaporator)" in report
    assert "the lowest of the 7 assault technologies" in report
    joint = pd.read_csv(paper_run / "joint.csv").set_index(["scheme", "statement"])
    kept = joint.xs("every base member of disrupt keeps it", level="statement")["probability"]
    lowest = kept.idxmin()
    assert f"not reliably: {kept[lowest]:.3f} under `{lowest}`" in report or kept.min() >= 0.5
    assert "Position applies mainly to the high-pressure common-rail system." in report


def test_the_report_has_the_tipping_column_acceptability_and_the_explorer(paper_run):
    report = (paper_run / "report.md").read_text()
    header = next(line for line in report.splitlines() if line.startswith("| technology | label |"))
    assert header.endswith("| closest tipping point | verdict |")
    assert "capability flips with a 5.1% weight shift" in report
    assert "## Acceptability over the weight space" in report and "## What if: the explorer" in report
    html = (paper_run / "report.html").read_text()
    assert '<section id="explorer">' in html and "<script src" not in html


def test_small_probabilities_keep_two_significant_figures():
    from robust.report.text import probability_text

    assert probability_text(0.283, 0.2768, 0.2893) == "0.283 [0.277, 0.289]"
    assert probability_text(0.00055, 0.00031, 0.00098) == "0.00055 [0.00031, 0.00098]"
    assert probability_text(0.0017, 0.0012, 0.0024) == "0.0017 [0.0012, 0.0024]"
    assert probability_text(0.0, 0.0, 0.00019) == "0.000 [0.000, 0.00019]"
    assert probability_text(3e-5) == "3.0e-05"


def test_the_html_report_has_contents_real_markup_and_the_config_folded(paper_run):
    html = (paper_run / "report.html").read_text()
    body = html.split("<body>")[1]
    headings = re.findall(r'<h2 id="([^"]+)">', body)
    assert "figures" in headings and "provenance" in headings
    contents = body.split('<nav class="contents">')[1].split("</nav>")[0]
    assert all(f'href="#{anchor}"' in contents for anchor in headings)
    assert "<strong>Yes.</strong>" in body and "**" not in body  # emphasis rendered, not shown as asterisks
    assert body.count("<details") == 1 and "&quot;capability&quot;" in body.split("<details")[1]
    assert len(html.encode()) < 2_500_000


def test_figures_in_pdf_only_are_linked_not_embedded(paper_run, tmp_path):
    import shutil

    copy = shutil.copytree(paper_run, tmp_path / "copy")
    manifest = json.loads((copy / "manifest.json").read_text())
    for png in (copy / "figures").glob("*.png"):
        png.unlink()
    from robust.report.assemble import write_report

    write_report(copy, manifest)
    html = (copy / "report.html").read_text()
    assert "data:image/png" not in html and 'href="figures/quadrant_map.pdf"' in html
