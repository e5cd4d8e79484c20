"""Figures: drawn from the tables, greyscale-safe styles, fonts, and identical bytes on rerun."""

import numpy as np
import pandas as pd
import pytest

from robust import score
from robust.core.errors import FontWarning
from robust.io.results import read_result_table
from robust.plotting import style
from robust.plotting.quadrants import (
    plot_quadrant_map,
    plot_quadrant_probabilities,
    plot_quadrant_probability_panels,
    plot_retention_convergence,
)
from robust.plotting.sobol import (
    plot_sobol_bars,
    plot_sobol_convergence,
    plot_sobol_heatmap,
)
from robust.plotting.style import new_figure, save_figure
from robust.plotting.weightings import plot_weighting_dots, plot_weighting_heatmap
from tests.helpers import THRESHOLDS, quiet_sobol


def test_chinese_labels_need_a_cjk_font(monkeypatch):
    monkeypatch.setattr(style, "cjk_font", lambda: None)
    with pytest.warns(FontWarning, match="fonts-noto-cjk"):
        assert style.technology_labels(["chip"], ["芯片"]) == (["chip"], {})
    monkeypatch.setattr(style, "cjk_font", lambda: "Noto Sans CJK SC")
    labels, font = style.technology_labels(["chip"], ["芯片"], "zh")
    assert labels == ["芯片"] and font["fontfamily"][0] == "Noto Sans CJK SC"
    assert style.technology_labels(["a"], ["Alpha"], "zh") == (["Alpha"], {})


def test_label_modes_give_ids_names_or_both():
    ids, names = ["chip", "LiDAR"], {"chip": "Chip X", "LiDAR": "LiDAR"}
    assert style.technology_labels(ids, names, "en") == (ids, {})
    assert style.technology_labels(ids, names, "zh")[0] == ["Chip X", "LiDAR"]
    assert style.technology_labels(ids, names, "both")[0] == ["chip (Chip X)", "LiDAR"]  # no "LiDAR (LiDAR)"
    with pytest.raises(ValueError, match="labels must be one of en, zh, both"):
        style.technology_labels(ids, names, "fr")


@pytest.mark.parametrize("orientation, across", [("figure3", "capability"), ("figure2", "dynamism")])
def test_the_quadrant_map_puts_capability_across_as_the_papers_figure3(paper_table, orientation, across):
    scores = score(paper_table).to_frame()
    _, ax = new_figure()
    plot_quadrant_map(scores, capability_threshold=0.5, dynamism_threshold=0.5, ax=ax, orientation=orientation,
                      labels=False)
    assert ax.get_xlabel().endswith({"capability": "capability base", "dynamism": "paradigm dynamism"}[across])
    points = np.vstack([c.get_offsets() for c in ax.collections])
    expected = scores[["capability", "dynamism"]].to_numpy()
    expected = expected if orientation == "figure3" else expected[:, ::-1]
    assert sorted(map(tuple, points.round(12))) == sorted(map(tuple, expected.round(12)))
    corners = {text.get_text() for text in ax.texts}
    assert corners == {"assault", "entrench", "position", "disrupt"}
    with pytest.raises(ValueError, match="orientation must be one of figure3, figure2"):
        plot_quadrant_map(scores, capability_threshold=0.5, dynamism_threshold=0.5, orientation="sideways")


def test_no_literal_backticks_in_figure_text(paper_run):
    scores, stability = read_result_table(paper_run, "scores.csv"), read_result_table(paper_run, "stability.csv")
    figure, ax = new_figure()
    plot_quadrant_map(scores, capability_threshold=0.5, dynamism_threshold=0.5, stability=stability, ax=ax)
    texts = [ax.get_title(), *(t.get_text() for t in ax.texts), *(a.get_ylabel() for a in figure.axes)]
    assert not any("`" in text for text in texts)


def test_quadrant_map_colours_points_by_retention(paper_run):
    scores = pd.read_csv(paper_run / "scores.csv")
    stability = pd.read_csv(paper_run / "stability.csv", keep_default_na=False, na_values=[""])
    figure, ax = new_figure()
    plot_quadrant_map(scores, capability_threshold=0.5, dynamism_threshold=0.5, stability=stability, ax=ax)
    coloured = [c for c in ax.collections if c.get_array() is not None]
    assert sum(len(c.get_offsets()) for c in coloured) == 20
    assert len(figure.axes) == 2  # the retention colour bar


def test_saved_figures_are_byte_identical_on_rerun(paper_table, tmp_path):
    contents = []
    for folder in (tmp_path / "a", tmp_path / "b"):
        folder.mkdir()
        figure, ax = new_figure()
        plot_quadrant_map(score(paper_table).to_frame(), capability_threshold=0.5,
                          dynamism_threshold=0.5, ax=ax)
        assert save_figure(figure, folder, "map") == ["figures/map.png", "figures/map.pdf"]
        contents.append([(folder / "figures" / name).read_bytes() for name in ("map.png", "map.pdf")])
    assert contents[0] == contents[1]


def test_core_result_plots_itself_on_the_axes_given(paper_table):
    _, ax = new_figure()
    assert score(paper_table).plot(ax=ax) is ax
    assert ax.get_xlabel() == "technological capability base"


def test_quadrant_probability_bars_start_with_the_base_quadrant(paper_run):
    stability = read_result_table(paper_run, "stability.csv")
    _, ax = new_figure()
    assert plot_quadrant_probabilities(stability, scheme="technologies", ax=ax) is ax
    rows = stability[stability["scheme"] == "technologies"]
    first_segments = [patch for patch in ax.patches if patch.get_x() == 0]
    assert len(first_segments) == (rows["retention"] > 0).sum() == 20
    widths = sorted(round(patch.get_width(), 12) for patch in first_segments)
    assert widths == sorted(round(value, 12) for value in rows["retention"])
    assert "Wilson 95% interval" in ax.get_title()


def test_exact_schemes_claim_no_interval(paper_run):
    stability = read_result_table(paper_run, "stability.csv")
    _, ax = new_figure()
    plot_quadrant_probabilities(stability, scheme="jackknife", ax=ax)
    assert "exact" in ax.get_title() and "interval" not in ax.get_title()


def test_quadrant_probability_panels_share_one_order(paper_run):
    stability = read_result_table(paper_run, "stability.csv")
    figure, _ = new_figure()
    figure.clear()
    axes = plot_quadrant_probability_panels(stability, figure=figure)
    schemes = list(dict.fromkeys(stability["scheme"]))
    assert [ax.get_title().split("\n")[0] for ax in axes] == schemes
    jackknife = axes[schemes.index("jackknife")].get_title()
    assert "variants (exact)" in jackknife
    labels = [tick.get_text() for tick in axes[0].get_yticklabels()]
    assert len(labels) == 20 and all(ax.get_shared_y_axes().joined(axes[0], ax) for ax in axes)


def test_retention_curves_show_only_technologies_that_move(paper_run):
    convergence = read_result_table(paper_run, "bootstrap_convergence.csv")
    figure, _ = new_figure()
    figure.clear()
    axes = plot_retention_convergence(convergence, figure=figure)
    final = convergence.groupby(["technology", "scheme"])["retention"].last().groupby("technology").min()
    visible = [ax for ax in axes if ax.get_visible()]
    assert len(visible) == min(12, int((final < 1).sum())) > 0
    schemes = convergence["scheme"].nunique()
    assert all(len(ax.lines) == schemes for ax in visible)
    styles = {(line.get_linestyle(), line.get_marker()) for line in visible[0].lines}
    assert len(styles) == schemes  # each scheme its own line style and marker: readable in greyscale


def test_weighting_figures_hatch_and_ring_exactly_the_changed_cells(paper_run):
    comparison = read_result_table(paper_run, "weighting_comparison.csv")
    changed = 1  # the chip under critic
    _, ax = new_figure()
    plot_weighting_heatmap(comparison, threshold=0.5, ax=ax)
    assert len([patch for patch in ax.patches if patch.get_hatch()]) == changed
    _, ax = new_figure()
    plot_weighting_dots(comparison, threshold=0.5, ax=ax)
    rings = [c for c in ax.collections if c.get_label().startswith("quadrant differs")]
    assert len(rings[0].get_offsets()) == changed


def test_sobol_figures_mark_not_applicable_cells(paper_table):
    result = quiet_sobol(paper_table, factors=THRESHOLDS, n=64, scrambles=2, outputs=["retained"], rng=3)
    frame = result.to_frame()
    _, ax = new_figure()
    plot_sobol_heatmap(frame, scrambles=2, ax=ax)
    not_applicable = (~frame.drop_duplicates("technology")["applicable"]).sum()
    assert sum(text.get_text() == "n/a" for text in ax.texts) == 2 * not_applicable
    _, ax = new_figure()
    plot_sobol_bars(frame, "chip", scrambles=2, ax=ax)
    assert len(ax.patches) == 4  # S1 and ST for each of the two factors
    assert ax.get_ylim()[1] < 1.1 and all(0 <= patch.get_height() <= 1 for patch in ax.patches)
    _, ax = new_figure()
    plot_sobol_convergence(result.convergence_frame(), "chip", ax=ax)
    assert len(ax.lines) == 2


def test_sobol_estimates_outside_the_unit_interval_are_drawn_at_the_bound_and_marked(paper_table):
    result = quiet_sobol(paper_table, factors=THRESHOLDS, n=64, scrambles=2, outputs=["retained"], rng=3)
    frame = result.to_frame()
    chip = (frame["technology"] == "chip") & (frame["output"] == "retained")
    frame.loc[chip, "ST"] = 2.16
    _, ax = new_figure()
    plot_sobol_bars(frame, "chip", scrambles=2, ax=ax)
    assert max(patch.get_height() for patch in ax.patches) == 1.0
    marked = [c for c in ax.collections if c.get_label().startswith("estimate outside [0, 1]")]
    assert len(marked) == 1 and len(marked[0].get_offsets()) == chip.sum()
