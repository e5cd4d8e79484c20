"""Alternative weightings side by side: API, degenerate input, config section, outputs, README."""

import re

import numpy as np
import pandas as pd
import pytest
from scipy.stats import kendalltau

import robust
from robust import (
    DegenerateWarning,
    InputError,
    ScoringModel,
    compare_weightings,
    score,
    table_from_frame,
)
from robust.analyses.weightings import WeightingSpec
from robust.app.config import load_config
from robust.core.options import WEIGHTING_METHODS
from tests.helpers import ROOT, no_missing


@pytest.fixture(scope="module")
def paper_comparison():
    return compare_weightings(robust.load_paper2023())


def _small_table(columns: dict, label="t.csv"):
    frame = pd.DataFrame({"id": [f"T{i}" for i in range(5)], **columns, "p1": [0, 1, 2, 3, 4]})
    names = [name for name in columns]
    return table_from_frame(frame, id_column="id", indicators=names, ipc_changes=["p1"], label=label)


def test_every_method_scores_as_the_single_model_api(paper_table, paper_comparison):
    assert paper_comparison.methods == WEIGHTING_METHODS  # entropy, the base, first
    for j, method in enumerate(paper_comparison.methods):
        alone = score(paper_table, ScoringModel(weighting=method))
        assert np.array_equal(paper_comparison.capability[j], alone.capability)
        assert np.array_equal(paper_comparison.weights[j], alone.weights)
        assert paper_comparison.quadrant[j] == alone.quadrant
        assert np.array_equal(paper_comparison.dynamism, alone.dynamism)


def test_base_method_comes_first_once_and_fixed_weights_are_a_base(paper_table):
    comparison = compare_weightings(paper_table, ["equal", "critic", "entropy"])
    assert comparison.methods == ("entropy", "equal", "critic")
    fixed = compare_weightings(paper_table, ["equal"], model=ScoringModel(weighting=(0.25, 0.25, 0.25, 0.25)))
    assert fixed.methods == ("fixed", "equal")
    assert np.array_equal(fixed.capability[0], fixed.capability[1])
    assert not fixed.fragile.any()


def test_frames_have_the_documented_columns_and_order(paper_table, paper_comparison):
    frame = paper_comparison.to_frame()
    assert frame.columns.tolist() == ["method", "technology", "capability", "dynamism", "quadrant"]
    assert len(frame) == 20 * len(WEIGHTING_METHODS)
    assert frame["technology"].iloc[:20].tolist() == list(paper_table.technologies)
    assert frame["method"].unique().tolist() == list(WEIGHTING_METHODS)
    critic = frame[frame["method"] == "critic"]
    assert np.array_equal(critic["capability"], paper_comparison.capability[2])
    weights = paper_comparison.weights_frame()
    assert weights.columns.tolist() == ["method", "indicator", "weight"]
    assert weights.groupby("method", sort=False)["weight"].sum().to_numpy() == pytest.approx(1.0)
    assert weights["method"].iloc[0] == "entropy"


def test_agreement_counts_the_methods_that_keep_the_base_quadrant(paper_comparison):
    agreement = paper_comparison.agreement()
    assert agreement.columns.tolist() == ["technology", *WEIGHTING_METHODS, "agree_with_base", "other_methods"]
    others = agreement[list(WEIGHTING_METHODS[1:])]
    expected = others.eq(agreement["entropy"], axis=0).sum(axis=1)
    assert agreement["agree_with_base"].tolist() == expected.tolist()
    assert (agreement["other_methods"] == len(WEIGHTING_METHODS) - 1).all()
    assert agreement["agree_with_base"].min() < 7  # the paper has a fragile technology
    assert no_missing(agreement)


def test_pairs_hold_kendalls_tau_and_the_share_of_equal_quadrants(paper_comparison):
    pairs = paper_comparison.pairs()
    n = len(WEIGHTING_METHODS)
    assert len(pairs) == n * (n - 1) // 2
    assert pairs.columns.tolist() == ["method_a", "method_b", "kendall_tau", "same_quadrant"]
    row = pairs[(pairs["method_a"] == "entropy") & (pairs["method_b"] == "critic")].iloc[0]
    cap = paper_comparison.capability
    assert row["kendall_tau"] == kendalltau(cap[0], cap[2]).statistic
    quadrant = np.array(paper_comparison.quadrant)
    assert row["same_quadrant"] == np.mean(quadrant[0] == quadrant[2])
    assert no_missing(pairs)


def test_changes_list_exactly_the_fragile_cells(paper_comparison):
    changes = paper_comparison.changes()
    assert len(changes) == paper_comparison.fragile.sum() > 0
    for row in changes.itertuples():
        j = paper_comparison.methods.index(row.method)
        i = paper_comparison.technologies.index(row.technology)
        assert row.quadrant == paper_comparison.quadrant[j][i] != row.base_quadrant


@pytest.mark.parametrize(
    ("methods", "error", "message"),
    [
        ("critic", TypeError, "methods must be a list of method names, got a string 'critic'"),
        ([], InputError, "methods must be a non-empty list of method names"),
        (["critic", "topsis"], InputError, "methods: unknown value 'topsis'; allowed: entropy"),
        (["critic", "critic"], InputError, "methods lists 'critic' more than once"),
    ],
)
def test_bad_method_lists(paper_table, methods, error, message):
    with pytest.raises(error, match=re.escape(message)):
        compare_weightings(paper_table, methods)
    with pytest.raises(error, match=re.escape(message)):
        WeightingSpec(methods=methods)


def test_bad_table_and_model_types(paper_table):
    with pytest.raises(TypeError, match="table must be an IndicatorTable, got DataFrame"):
        compare_weightings(pd.DataFrame())
    with pytest.raises(TypeError, match="model must be a ScoringModel, got str"):
        compare_weightings(paper_table, model="entropy")


def test_data_outside_a_methods_domain_is_rejected_before_any_work():
    table = _small_table({"x": [0.0, 0.2, 0.4, 0.6, 0.8], "y": [0.5, 0.1, 0.9, 0.3, 0.7]})
    with pytest.raises(InputError) as caught:
        compare_weightings(table, ["critic", "merec"])  # no warning may come first either
    assert str(caught.value) == (
        "t.csv: merec weighting needs positive values (it takes the logarithm of min / value), "
        "but indicator 'x' is 0 in row 1"
    )


def test_constant_indicator_is_warned_per_method_and_gives_no_missing_value():
    with pytest.warns(DegenerateWarning, match="indicator 'c' is the same for every technology"):
        table = _small_table({"x": [0.1, 0.2, 0.4, 0.6, 0.8], "y": [0.5, 0.1, 0.9, 0.3, 0.7], "c": [0.0] * 5})
    with pytest.warns(DegenerateWarning) as caught:
        comparison = compare_weightings(table)
    messages = {str(w.message) for w in caught}
    for method in WEIGHTING_METHODS:
        if method != "equal":
            assert f"t.csv: indicator 'c' is constant, so {method} gives it weight 0" in messages
    data_driven = [j for j, method in enumerate(comparison.methods) if method != "equal"]
    assert (comparison.weights[data_driven, 2] == 0).all()
    for frame in (comparison.to_frame(), comparison.weights_frame(), comparison.agreement(), comparison.pairs()):
        assert no_missing(frame)


def test_perfectly_correlated_indicators_fall_back_for_critic_with_a_warning():
    x = [0.1, 0.2, 0.4, 0.6, 0.8]
    table = _small_table({"x": x, "y": [2 * v + 1 for v in x]})
    with pytest.warns(DegenerateWarning, match="critic weights are undefined for this table"):
        comparison = compare_weightings(table, ["critic"])
    assert comparison.weights[1].tolist() == [0.5, 0.5]


def test_constant_capability_leaves_its_pairs_out_with_a_warning():
    x = np.array([0.1, 0.2, 0.4, 0.6, 0.8])
    table = _small_table({"x": x, "y": 1 - x})  # equal weights give every technology 0.5
    comparison = compare_weightings(table, ["equal", "gini"])
    with pytest.warns(DegenerateWarning, match="same capability under equal, so its Kendall's tau is undefined"):
        pairs = comparison.pairs()
    assert pairs[["method_a", "method_b"]].values.tolist() == [["entropy", "gini"]]
    assert no_missing(pairs)


def test_heatmap_hatches_exactly_the_fragile_cells_and_dots_ring_them(paper_comparison):
    from robust.plotting.style import new_figure
    from robust.plotting.weightings import plot_weighting_dots

    _, ax = new_figure()
    assert paper_comparison.plot(ax=ax) is ax
    hatched = [patch for patch in ax.patches if patch.get_hatch()]
    assert len(hatched) == paper_comparison.fragile.sum()
    assert len(ax.texts) == paper_comparison.capability.size
    _, ax = new_figure()
    plot_weighting_dots(paper_comparison.to_frame(), threshold=0.5, ax=ax)
    rings = [c for c in ax.collections if c.get_label().startswith("quadrant differs")]
    assert len(rings) == 1 and len(rings[0].get_offsets()) == paper_comparison.fragile.sum()
    assert [t.get_text() for t in ax.get_yticklabels()][1] == "* chip"


def _markdown_changes(comparison) -> str:
    """The README table: every technology that changes quadrant, under which method."""
    base = comparison.base_method
    lines = [
        f"| technology | quadrant under {base} (capability) | method | quadrant under it (capability) |",
        "|---|---|---|---|",
    ]
    for row in comparison.changes().itertuples():
        i = comparison.technologies.index(row.technology)
        lines.append(
            f"| {row.technology} | {row.base_quadrant} ({comparison.capability[0, i]:.4f}) | "
            f"{row.method} | {row.quadrant} ({row.capability:.4f}) |"
        )
    return "\n".join(lines) + "\n"


def test_readme_shows_the_computed_quadrant_changes_for_the_paper():
    config = load_config(ROOT / "experiments" / "paper.toml")
    comparison = compare_weightings(
        config.data.load(), config.analyses["weighting"].methods, model=config.model
    )
    assert set(comparison.methods) == set(WEIGHTING_METHODS)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\n" + _markdown_changes(comparison) + "\n" in readme
    unchanged = len(comparison.technologies) - comparison.changes()["technology"].nunique()
    assert f"The other {unchanged} technologies keep their quadrant under every method" in readme
    # the explanation that follows the table
    assert len(WEIGHTING_METHODS) == 8 and "all eight methods" in readme
    chip = comparison.technologies.index("chip")
    assert "sits 0.0011 above the" in readme and round(comparison.capability[0, chip] - 0.5, 4) == 0.0011
    pct = comparison.indicators.index("pct_share")
    critic = comparison.methods.index("critic")
    assert comparison.weights[critic, pct] > comparison.weights[0, pct]
    correlation = np.corrcoef(config.data.load().values.T)
    assert np.argmin(correlation.sum(axis=0)) == pct
    assert np.argmin(config.data.load().values[chip]) == pct
