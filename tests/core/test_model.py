"""The single-model API: the paper reproduced, generalisations, and model validation."""

import warnings

import numpy as np
import pandas as pd
import pytest

import robust
from robust import DegenerateWarning, InputError, ScoringModel, score, table_from_frame
from robust.core.model import default_amplitudes
from robust.datasets.builtin import builtin_path


def test_reproduces_table3_and_figure3():
    reproduction = robust.reproduce_paper()
    assert reproduction.passed
    assert reproduction.max_capability_diff < 5e-7
    assert reproduction.max_dynamism_diff < 5e-7
    assert reproduction.quadrants_matched == 20
    assert "REPRODUCED" in reproduction.report()


def test_dynamism_is_raw_over_37_exactly(paper_table):
    result = score(paper_table)
    assert np.array_equal(result.dynamism, result.raw_dynamism / 37)


def test_fragile_points_named_in_the_method_notes(paper_table):
    result = score(paper_table).to_frame().set_index("technology")
    assert result.loc["chip", "capability"] == pytest.approx(0.501087, abs=5e-7)
    assert result.loc["lithium-battery separator", "dynamism"] == pytest.approx(0.486486, abs=5e-7)


def test_rounded_printed_weights_miss_table3(paper_table):
    published = robust.load_paper2023_published()
    rounded = score(paper_table, ScoringModel(weighting=(0.25, 0.23, 0.22, 0.30)))
    miss = np.abs(rounded.capability - published["capability"]).max()
    assert 1e-3 < miss < 3e-3


def test_row_order_does_not_change_any_technology(paper_table):
    frame = pd.read_csv(builtin_path("paper2023"))
    shuffled = frame.sample(frac=1, random_state=1).reset_index(drop=True)
    kwargs = dict(id_column="name_en", indicators=list(paper_table.indicators),
                  ipc_changes=list(paper_table.dynamism_columns))
    base = score(table_from_frame(frame, **kwargs)).to_frame().set_index("technology")
    moved = score(table_from_frame(shuffled, **kwargs)).to_frame().set_index("technology")
    pd.testing.assert_frame_equal(base.loc[moved.index], moved, check_exact=False, rtol=0, atol=1e-15)


def test_precomputed_dynamism_score_column():
    frame = pd.DataFrame({"id": ["a", "b", "c", "d"], "x": [0.1, 0.6, 0.3, 0.8],
                          "y": [0.2, 0.9, 0.5, 0.4], "dyn": [3.0, -1.0, 7.0, 1.0]})
    table = table_from_frame(frame, id_column="id", indicators=["x", "y"], dynamism_score="dyn")
    result = score(table, ScoringModel(weighting="equal", normalize="minmax"))
    np.testing.assert_allclose(result.dynamism, [0.5, 0.0, 1.0, 0.25])
    np.testing.assert_allclose(result.capability, [0.0, (5 / 7 + 1) / 2, (2 / 7 + 3 / 7) / 2, (1 + 2 / 7) / 2])
    with pytest.raises(InputError, match="amplitudes apply to IPC change counts"):
        score(table, ScoringModel(amplitudes=(1.0,)))


def test_default_amplitudes_follow_the_number_of_positions():
    assert default_amplitudes(4) == (4.0, 3.0, 2.0, 1.0)
    assert default_amplitudes(2) == (2.0, 1.0)


def test_result_frames_have_the_documented_columns(paper_table):
    result = score(paper_table)
    assert result.to_frame().columns.tolist() == [
        "technology", "capability", "dynamism", "quadrant", "raw_dynamism"]
    weights = result.weights_frame()
    assert weights.columns.tolist() == ["method", "indicator", "weight"]
    assert weights["weight"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weighting": "topsis"}, "unknown method 'topsis'"),
        ({"weighting": (0.5, -0.1, 0.6)}, "non-negative"),
        ({"weighting": (0.5, 0.6)}, "sum to 1, they sum to 1.1"),
        ({"normalize": "zscore"}, "unknown option 'zscore'"),
        ({"amplitudes": (0.0, 0.0)}, "at least one positive"),
        ({"amplitudes": (1e308, 1.0)}, r"amplitudes: 1e\+308 is too large"),
        ({"dynamism_threshold": 1.5}, r"dynamism_threshold must be within \[0, 1\], the range of dynamism"),
        ({"dynamism_threshold": -0.1}, r"dynamism_threshold must be within \[0, 1\].*got -0.1"),
        ({"normalize": "minmax", "capability_threshold": 1.5}, r"capability_threshold must be within \[0, 1\]"),
    ],
)
def test_model_rejects_bad_settings(kwargs, message):
    with pytest.raises(InputError, match=message):
        ScoringModel(**kwargs)


def test_model_rejects_wrong_types():
    with pytest.raises(TypeError, match="capability_threshold must be a number"):
        ScoringModel(capability_threshold="0.5")


def test_fixed_weights_of_the_wrong_length(paper_table):
    with pytest.raises(InputError, match="got 3 fixed weights for 4 indicators"):
        score(paper_table, ScoringModel(weighting=(0.2, 0.3, 0.5)))


def test_dynamism_constant_for_every_technology_is_an_error():
    frame = pd.DataFrame({"id": ["a", "b", "c"], "x": [0.1, 0.6, 0.3], "p1": [1, 1, 1], "p2": [0, 0, 0]})
    table = table_from_frame(frame, id_column="id", indicators=["x"], ipc_changes=["p1", "p2"], label="t.csv")
    with pytest.raises(InputError, match=r"t.csv: dynamism is the same \(2\) for every technology"):
        score(table)


def test_plot_returns_axes(paper_table):
    import matplotlib

    matplotlib.use("Agg")
    ax = score(paper_table).plot()
    assert ax.get_xlabel() == "technological capability base"
    matplotlib.pyplot.close(ax.figure)


def test_weighting_outside_its_domain_names_the_table_method_and_indicator():
    frame = pd.DataFrame({"id": ["a", "b", "c"], "x": [0.1, 0.0, 0.3], "y": [0.2, 0.6, 0.1], "p1": [0, 1, 2]})
    table = table_from_frame(frame, id_column="id", indicators=["x", "y"], ipc_changes=["p1"], label="t.csv")
    with pytest.raises(InputError) as caught:
        score(table, ScoringModel(weighting="merec"))
    assert str(caught.value) == (
        "t.csv: merec weighting needs positive values (it takes the logarithm of min / value), "
        "but indicator 'x' is 0 in row 2"
    )


def test_a_capability_threshold_outside_what_capability_can_take_on_the_table_is_refused(paper_table):
    low, high = paper_table.values.min(), paper_table.values.max()
    assert score(paper_table, ScoringModel(capability_threshold=high)).quadrant  # the edge is allowed
    for threshold in (-0.1, 1.5, high + 0.01):
        with pytest.raises(InputError, match=rf"capability_threshold must be within \[{low:g}, {high:g}\], "
                                             r"the range of capability on builtin:paper2023"):
            score(paper_table, ScoringModel(capability_threshold=threshold))


def test_raw_indicators_outside_0_1_warn_once_naming_the_column():
    frame = pd.DataFrame({"id": ["a", "b", "c"], "x": [0.1, 0.6, 0.3], "y": [2.0, -1.0, 5.0], "p1": [0, 1, 2]})
    table = table_from_frame(frame, id_column="id", indicators=["x", "y"], ipc_changes=["p1"], label="t.csv")
    with pytest.warns(DegenerateWarning) as caught:
        score(table, ScoringModel(capability_threshold=1.0))
    assert [str(w.message) for w in caught] == [
        "t.csv: indicator 'y' has values outside [0, 1] (from -1 to 5); with normalize = \"none\" capability is "
        "the weighted mean of the raw values, so its threshold is on their scale"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        score(table, ScoringModel(normalize="minmax"))  # normalised: no scale to warn about
