"""Sobol' sensitivity: known answers, agreement with SALib, factors, seeds, backends, errors."""

import math

import numpy as np
import pandas as pd
import pytest

import robust
from robust import InputError, SobolFactors, sobol_analysis
from robust.analyses.sobol.analysis import SobolSpec, check_sobol
from robust.io.results import write_csv
from tests.helpers import THRESHOLDS, quiet_sobol, random_frame


def test_outputs_that_never_vary_are_not_applicable_never_zero(paper_table, tmp_path):
    # only capability factors vary: every dynamism margin is constant
    result = quiet_sobol(paper_table, factors={"weights": 0.2, "capability_threshold": [0.45, 0.55]},
                            n=64, scrambles=2, rng=5)
    frame = result.to_frame()
    constant = frame[frame["output"] == "dynamism_margin"]
    assert len(constant) == 40 and not constant["applicable"].any()
    assert (constant["scrambles_used"] == 0).all()
    index_columns = [c for c in frame.columns if c.startswith(("S1", "ST"))]
    assert constant[index_columns].isna().all().all()
    used = frame["scrambles_used"]                  # rare events: intervals need 2 scrambles
    assert frame.loc[used >= 2, index_columns].notna().all().all()
    assert frame.loc[used == 1, ["S1", "ST", "S1_boot_low", "ST_scramble_max"]].notna().all().all()
    lidar = frame[(frame["technology"] == "LiDAR") & (frame["output"] == "retained")]
    assert not lidar["applicable"].any() and (lidar["output_mean"] == 1).all()
    write_csv(frame, tmp_path / "sobol.csv")
    written = pd.read_csv(tmp_path / "sobol.csv")
    assert written.loc[~written["applicable"], "S1"].isna().all()


def test_same_seed_same_result_different_seed_different(paper_table):
    def run(seed):
        return quiet_sobol(paper_table, factors=THRESHOLDS | {"weights": 0.2}, n=64, scrambles=2,
                              rng=seed).to_frame()

    pd.testing.assert_frame_equal(run(11), run(11))
    assert not run(11)["S1"].equals(run(12)["S1"])
    assert run(11).equals(quiet_sobol(paper_table, factors=THRESHOLDS | {"weights": 0.2}, n=64, scrambles=2,
                                      rng=np.random.SeedSequence(11)).to_frame())


def test_results_are_bit_identical_for_any_backend(paper_table, parallel_execution):
    options = {"n": 64, "scrambles": 3, "rng": 6, "second_order": True}
    serial = quiet_sobol(paper_table, **options)
    parallel = quiet_sobol(paper_table, execution=parallel_execution, **options)
    for ours, theirs in zip(serial.indices.scrambles, parallel.indices.scrambles):
        for name in ("first", "total", "first_sd", "total_sd", "second", "second_sd", "first_by_size"):
            assert np.array_equal(getattr(ours, name), getattr(theirs, name), equal_nan=True)
    pd.testing.assert_frame_equal(serial.to_frame(), parallel.to_frame())


def test_precomputed_dynamism_score_tables_are_analysed(paper_table):
    frame = random_frame(np.random.default_rng(1))
    frame["raw"] = frame[["ipc0", "ipc1"]].sum(axis=1)
    table = robust.table_from_frame(frame, id_column="tech", indicators=["x0", "x1", "x2"],
                                    dynamism_score="raw")
    result = quiet_sobol(table, factors={"weights": 0.3, "normalize": ["none", "minmax"]} | THRESHOLDS,
                            n=64, scrambles=2, rng=7)
    frame = result.to_frame()
    assert set(frame["factor"]) == {"weights", "capability_threshold", "dynamism_threshold", "normalize"}
    assert len(frame) == 8 * 3 * 4
    with pytest.raises(InputError, match=r"^amplitudes applies to IPC change counts, "
                       r"but <DataFrame> gives a precomputed dynamism score \('raw'\)"):
        sobol_analysis(table, n=64)


def test_frame_columns_and_metadata(paper_table):
    result = quiet_sobol(paper_table, factors=THRESHOLDS, n=64, scrambles=2, outputs=["retained"], rng=9)
    frame = result.to_frame()
    assert frame.columns[:12].tolist() == ["technology", "output", "factor", "applicable", "events", "estimable",
                                           "out_of_range", "scrambles_used", "output_mean", "output_mean_low",
                                           "output_mean_high", "output_variance"]
    assert {"S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high", "ST_boot_low", "ST_scramble_max"} <= set(frame)
    assert len(frame) == 20 * 2
    assert result.metadata["seed_entropy"] == 9 and result.metadata["n"] == 64
    assert len(result.metadata["scramble_seeds"]) == 2 and min(min(result.metadata["scramble_seeds"])) >= 1
    assert "SALib" in result.metadata["versions"]
    convergence = result.convergence_frame()
    assert convergence["n"].unique().tolist() == [64]
    applicable = frame[frame["applicable"]]
    assert len(convergence) == len(applicable)
    np.testing.assert_allclose(convergence["ST"], applicable["ST"])


def _check_error(factors, frame_edit=None, model=None):
    def run():
        frame = random_frame(np.random.default_rng(1))
        indicators = ["x0", "x1", "x2"]
        if frame_edit == "one indicator":
            indicators = ["x0"]
        elif frame_edit == "wide":
            frame = pd.concat([frame] * 450, ignore_index=True)
            frame["tech"] = [f"T{i}" for i in range(len(frame))]
        table = robust.table_from_frame(frame, id_column="tech", indicators=indicators,
                                        ipc_changes=["ipc0", "ipc1", "ipc2", "ipc3"])
        check_sobol(SobolSpec(factors=SobolFactors(**factors)), table, model or robust.ScoringModel())
    return run


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: SobolFactors(weights=1.5, weighting=("entropy", "equal")), InputError,
         r"weights: the spread must be in \(0, 1\)"),
        (lambda: SobolFactors(noise=0, weights=0.1), InputError, r"noise: the log-scale standard deviation must be > 0"),
        (lambda: SobolFactors(capability_threshold=(0.5,), weights=0.1), InputError,
         r"capability_threshold must be a range \[low, high\]"),
        (lambda: SobolFactors(dynamism_threshold=(0.6, 0.4), weights=0.1), InputError,
         r"dynamism_threshold: the range \[low, high\] needs low < high"),
        (lambda: SobolFactors(weighting=("entropie", "equal"), weights=0.1), InputError,
         r"weighting: unknown value 'entropie'.*did you mean 'entropy'"),
        (lambda: SobolFactors(normalize=("none", "none"), weights=0.1), InputError, r"normalize lists 'none' more than once"),
        (lambda: SobolFactors(leave_out=("none",), weights=0.1), InputError, r"leave_out needs at least 2 levels"),
        (lambda: SobolFactors(weights=0.1), InputError, r"factors: give at least 2 factors"),
        (lambda: SobolFactors(weights="wide", noise=0.1), TypeError, r"weights must be a number"),
        (lambda: SobolFactors(weights=math.inf, noise=0.1), InputError, r"weights must be finite"),
        (lambda: SobolFactors(weighting="entropy", weights=0.1), TypeError, r"weighting must be a list of levels"),
        (lambda: SobolFactors(leave_out=("none", 3), weights=0.1), TypeError, r"leave_out must hold strings"),
        (lambda: SobolFactors.from_mapping({"weigths": 0.2}), InputError,
         r"factors: unknown key 'weigths'.*did you mean 'weights'"),
        (lambda: SobolSpec(n=1000), InputError, r"n must be a power of two >= 64"),
        (lambda: SobolSpec(n=64.0), TypeError, r"n must be an integer"),
        (lambda: SobolSpec(scrambles=1), InputError, r"scrambles must be >= 2"),
        (lambda: SobolSpec(resamples=1), InputError, r"resamples must be >= 2"),
        (lambda: SobolSpec(confidence=1.0), InputError, r"confidence must be in \(0, 1\)"),
        (lambda: SobolSpec(outputs=("retaind",)), InputError, r"outputs: unknown value 'retaind'.*did you mean 'retained'"),
        (lambda: SobolSpec(outputs=("retained", "retained")), InputError, r"outputs lists 'retained' more than once"),
        (lambda: SobolSpec(outputs="retained"), TypeError, r"outputs must be a list of outputs, got a string"),
        (lambda: SobolSpec(second_order=1), TypeError, r"second_order must be true or false"),
        (lambda: SobolSpec(factors={"weights": 0.2}), TypeError, r"factors must be SobolFactors"),
        (_check_error({"weights": 0.1, "noise": 0.1}, "one indicator"), InputError,
         r"^weights needs at least 2 capability indicators; <DataFrame> has 1 \('x0'\)"),
        (_check_error({"weights": 0.1, "leave_out": ("none", "x00")}), InputError,
         r"'x00' is not an indicator; allowed: none, x0, x1, x2 \(did you mean 'x0'\?\)"),
        (_check_error({"noise": 0.1, "leave_out": ("none", "x0")}, model=robust.ScoringModel(weighting=(1.0, 0, 0))),
         InputError, r"leaving out 'x0' leaves only zero fixed weights"),
        (_check_error({"noise": 0.1, "weights": 0.1}, "wide"), InputError,
         r"the factors need 10803 variables \(noise alone 3600 x 3\), more than the 10600"),
    ],
)
def test_each_mistake_has_its_own_message(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_plots_and_their_argument_errors(paper_table):
    result = quiet_sobol(paper_table, factors=THRESHOLDS, n=64, scrambles=2, rng=10)
    from robust.plotting.sobol import plot_sobol_bars, plot_sobol_convergence
    from robust.plotting.style import new_figure

    _, ax = new_figure()
    assert result.plot(ax=ax) is ax and "retained" in ax.get_title()
    frame = result.to_frame()
    _, ax = new_figure()
    assert plot_sobol_bars(frame, "chip", scrambles=2, ax=ax, output="capability_margin") is ax
    _, ax = new_figure()
    assert plot_sobol_convergence(result.convergence_frame(), "chip", ax=ax) is ax
    with pytest.raises(ValueError, match=r"output must be one of the analysed outputs"):
        result.plot(ax=ax, output="quadrant")
    with pytest.raises(ValueError, match=r"index must be 'ST' or 'S1'"):
        result.plot(ax=ax, index="S2")
    with pytest.raises(ValueError, match=r"technology 'laser' is not in the result"):
        plot_sobol_bars(frame, "laser", scrambles=2, ax=ax)
    with pytest.raises(ValueError, match=r"second-order indices were not computed"):
        result.second_order_frame()
    assert result.unstable_technologies() == (
        "chip", "vacuum evaporator", "accelerometer", "lithium-battery separator", "epoxy resin",
        "electron microscope")
