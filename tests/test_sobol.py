"""Sobol' sensitivity: known answers, agreement with SALib, factors, seeds, backends, errors."""

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

import robust
from robust import DegenerateWarning, InputError
from robust.cli import main
from robust.parallel import Execution
from robust.sobol import (
    DEFAULT_FACTORS,
    OUTPUTS,
    ScoringFunction,
    SobolFactors,
    SobolSpec,
    check,
    estimate_scramble,
    evaluate,
    root_sequence,
    salib_problem,
    sobol_analysis,
    sobol_indices,
)
from tests.conftest import USER_CONFIG, random_frame

THRESHOLDS = {"capability_threshold": [0.45, 0.55], "dynamism_threshold": [0.45, 0.55]}


def quiet_sobol(table, **options):
    """sobol_analysis without the rare-event warning, which small test designs trigger as
    expected (that warning has its own test)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateWarning)
        return sobol_analysis(table, **options)


def ishigami(unit, a=7.0, b=0.1):
    x = -np.pi + 2 * np.pi * unit
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def linear(unit):
    return unit @ np.array([1.0, 2.0, 3.0, 4.0])


def test_ishigami_closed_form_indices():
    a, b = 7.0, 0.1
    v1, v2, v13 = 0.5 * (1 + b * np.pi**4 / 5) ** 2, a**2 / 8, 8 * b**2 * np.pi**8 / 225
    variance = v1 + v2 + v13
    result = sobol_indices(ishigami, groups=[("x1", 1), ("x2", 1), ("x3", 1)], n=4096,
                           scrambles=4, second_order=True, rng=1)
    first, total = result.first_order(), result.total_order()
    np.testing.assert_allclose(first.estimate[0], [v1 / variance, v2 / variance, 0], atol=0.005)
    np.testing.assert_allclose(total.estimate[0], [(v1 + v13) / variance, v2 / variance, v13 / variance],
                               atol=0.005)
    second = result.second_order_indices().estimate[0]          # pairs (x1,x2), (x1,x3), (x2,x3)
    np.testing.assert_allclose(second, [0, v13 / variance, 0], atol=0.01)
    assert (first.low < first.estimate).all() and (first.estimate < first.high).all()


def test_linear_model_with_a_group_has_closed_form_indices():
    # y = x1 + 2 x2 + 3 x3 + 4 x4, x ~ U(0, 1): S_i = a_i^2 / sum a^2; (x1, x2) is one group
    result = sobol_indices(linear, groups=[("x1x2", 2), ("x3", 1), ("x4", 1)], n=1024,
                           scrambles=3, rng=2)
    expected = [5 / 30, 9 / 30, 16 / 30]
    first, total = result.first_order(), result.total_order()
    np.testing.assert_allclose(first.estimate[0], expected, atol=0.002)
    np.testing.assert_allclose(total.estimate[0], expected, atol=0.002)
    assert (first.low <= expected).all() and (first.high >= expected).all()


def test_a_discrete_factor_that_alone_matters_has_indices_one(paper_table):
    # the capability margin depends on the weighting method only: S1 = ST = 1 for it,
    # exactly 0 for the dynamism threshold
    result = sobol_analysis(paper_table, factors={"weighting": ["entropy", "critic", "equal"],
                                                  "dynamism_threshold": [0.45, 0.55]},
                            n=1024, scrambles=2, outputs=["capability_margin"], rng=3)
    frame = result.to_frame()
    weighting = frame[frame["factor"] == "weighting"]
    assert weighting["applicable"].all()
    np.testing.assert_allclose(weighting["S1"], 1, atol=0.03)
    np.testing.assert_allclose(weighting["ST"], 1, atol=0.03)
    other = frame[frame["factor"] == "dynamism_threshold"]
    assert (other[["S1", "ST", "S1_low", "ST_high"]] == 0).all().all()


def test_discrete_levels_are_equally_likely(paper_table):
    factors = SobolFactors(weighting=("entropy", "critic", "equal"), dynamism_threshold=(0.4, 0.6))
    function = ScoringFunction.build(paper_table, robust.ScoringModel(), factors, ("capability_margin",),
                                     robust.score(paper_table).quadrant)
    unit = np.column_stack([(np.arange(300) + 0.5) / 300, np.full(300, 0.5)])
    margins = function(unit)[:, 0]
    for number, method in enumerate(["entropy", "critic", "equal"]):
        capability = robust.score(paper_table, robust.ScoringModel(weighting=method)).capability[0]
        assert np.allclose(margins[number * 100:(number + 1) * 100], capability - 0.5)


def test_the_design_centre_reproduces_the_base_model_and_each_factor_does_what_it_says(paper_table):
    factors = SobolFactors(weights=0.2, weighting=("entropy", "critic"), amplitudes=0.5, noise=0.3,
                           normalize=("none", "minmax"), leave_out=("none", "app_share"),
                           **THRESHOLDS)
    base = robust.score(paper_table)
    function = ScoringFunction.build(paper_table, robust.ScoringModel(), factors, OUTPUTS, base.quadrant)
    sizes = dict(function.groups)
    assert sizes == {"weights": 4, "weighting": 1, "capability_threshold": 1, "dynamism_threshold": 1,
                     "amplitudes": 4, "noise": 80, "normalize": 1, "leave_out": 1}
    columns = np.cumsum([0] + list(sizes.values()))
    where = {name: slice(columns[i], columns[i + 1]) for i, name in enumerate(sizes)}
    centre = np.full((1, columns[-1]), 0.5)
    for name in ("weighting", "normalize", "leave_out"):
        centre[0, where[name]] = 0.0                                # level 0: the base choice
    out = function(centre).reshape(3, -1)
    np.testing.assert_allclose(out[0], base.capability - 0.5, atol=1e-12)
    np.testing.assert_allclose(out[1], base.dynamism - 0.5, atol=1e-12)
    assert (out[2] == 1).all()

    def capability(row):
        return function(row)[0, :20] + 0.5

    row = centre.copy()
    row[0, where["normalize"]] = 0.9                                # minmax
    minmax = robust.score(paper_table, robust.ScoringModel(normalize="minmax")).capability
    np.testing.assert_allclose(capability(row), minmax, atol=1e-12)
    row = centre.copy()
    row[0, where["leave_out"]] = 0.9                                # drop app_share, re-estimate
    dropped = paper_table.values[:, 1:]
    weights = robust.compute_weights(dropped, "entropy")
    np.testing.assert_allclose(capability(row), dropped @ weights, atol=1e-12)
    row = centre.copy()
    unit_noise = np.random.default_rng(0).uniform(0.05, 0.95, 80)
    row[0, where["noise"]] = unit_noise
    noisy = paper_table.values * np.exp(0.3 * norm.ppf(unit_noise).reshape(20, 4))
    np.testing.assert_allclose(capability(row), noisy @ robust.compute_weights(noisy, "entropy"),
                               atol=1e-12)


@pytest.mark.parametrize("second_order", [False, True], ids=["first-total", "second-order"])
def test_estimators_and_bootstrap_equal_salib_analyze(paper_table, second_order):
    from SALib.analyze.sobol import analyze
    from SALib.sample.sobol import sample

    # the paper model with two grouped factors (weights, amplitudes), margins and a 0/1 output
    result = quiet_sobol(paper_table, n=256, scrambles=2, second_order=second_order,
                            resamples=50, rng=4)
    function = ScoringFunction.build(paper_table, robust.ScoringModel(), DEFAULT_FACTORS, OUTPUTS,
                                     robust.score(paper_table).quadrant)
    problem = salib_problem(function.groups)
    scramble = result.indices.scrambles[1]
    design = sample(problem, 256, calc_second_order=second_order, seed=result.indices.sample_seeds[1])
    values = evaluate(function, design)
    z = norm.ppf(0.975)
    upper = np.triu_indices(len(function.groups), 1)
    checked = np.flatnonzero(scramble.estimable)
    retained = np.arange(40, 60)
    assert checked.size > 40 and np.intersect1d(checked, retained).size > 5
    worst = 0.0
    for column in checked:
        salib = analyze(problem, values[:, column], calc_second_order=second_order, num_resamples=50,
                        seed=scramble.bootstrap_seed)
        pairs = [(salib["S1"], scramble.first[column]), (salib["ST"], scramble.total[column]),
                 (salib["S1_conf"], z * scramble.first_sd[column]),
                 (salib["ST_conf"], z * scramble.total_sd[column])]
        if second_order:
            pairs += [(salib["S2"][upper], scramble.second[column]),
                      (salib["S2_conf"][upper], z * scramble.second_sd[column])]
        worst = max(worst, max(np.abs(ours - theirs).max() for theirs, ours in pairs))
    assert worst < 1e-10


def test_convergence_prefixes_equal_salib_on_the_smaller_design(paper_table):
    from SALib.analyze.sobol import analyze
    from SALib.sample.sobol import sample

    function = ScoringFunction.build(paper_table, robust.ScoringModel(), DEFAULT_FACTORS, ("retained",),
                                     robust.score(paper_table).quadrant)
    problem = salib_problem(function.groups)
    values = evaluate(function, sample(problem, 512, calc_second_order=False, seed=8))
    estimates = estimate_scramble(values, groups=5, resamples=10, seed=1)
    assert estimates.sizes == (64, 128, 256, 512)
    small = values[:128 * 7]                        # the N = 128 design is the prefix
    assert np.array_equal(small, evaluate(function, sample(problem, 128, calc_second_order=False, seed=8)))
    columns = np.flatnonzero(estimates.estimable_by_size[1])
    assert columns.size >= 5
    for column in columns:
        salib = analyze(problem, small[:, column], calc_second_order=False, num_resamples=10, seed=1)
        np.testing.assert_allclose(estimates.first_by_size[1, column], salib["S1"], atol=1e-10)
        np.testing.assert_allclose(estimates.total_by_size[1, column], salib["ST"], atol=1e-10)


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
    robust.output.write_csv(frame, tmp_path / "sobol.csv")
    written = pd.read_csv(tmp_path / "sobol.csv")
    assert written.loc[~written["applicable"], "S1"].isna().all()


def test_a_rare_event_seen_by_some_scrambles_warns_and_counts_them():
    def rare(unit):
        return (unit[:, 0] < 0.004).astype(float)

    with pytest.warns(DegenerateWarning, match=r"1 output\(s\) varied in only some scrambles .*output 0 \(2 of 3\)"):
        result = sobol_indices(rare, groups=[("a", 1), ("b", 1)], n=64, scrambles=3, rng=1)
    pooled = result.first_order()
    assert pooled.used[0, 0] == 2 and np.isfinite(pooled.estimate).all()


def test_same_seed_same_result_different_seed_different(paper_table):
    def run(seed):
        return quiet_sobol(paper_table, factors=THRESHOLDS | {"weights": 0.2}, n=64, scrambles=2,
                              rng=seed).to_frame()

    pd.testing.assert_frame_equal(run(11), run(11))
    assert not run(11)["S1"].equals(run(12)["S1"])
    sequence = root_sequence(11)
    assert sequence.entropy == 11 and sequence.spawn_key == robust.parallel.seed_sequence(11, "sobol").spawn_key


@pytest.mark.parametrize(
    "execution",
    [Execution(n_jobs=2, backend="loky"), Execution(n_jobs=2, backend="threading"),
     Execution(n_jobs=2, backend="dask")],
    ids=["loky", "threading", "dask"],
)
def test_results_are_bit_identical_for_any_backend(paper_table, execution):
    options = {"n": 64, "scrambles": 3, "rng": 6, "second_order": True}
    serial = quiet_sobol(paper_table, **options)
    parallel = quiet_sobol(paper_table, execution=execution, **options)
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
    with pytest.raises(InputError, match=r"\[sobol.factors\] amplitudes applies to IPC change counts, "
                       r"but <DataFrame> gives a precomputed dynamism score \('raw'\)"):
        sobol_analysis(table, n=64)


def test_frame_columns_and_metadata(paper_table):
    result = quiet_sobol(paper_table, factors=THRESHOLDS, n=64, scrambles=2, outputs=["retained"], rng=9)
    frame = result.to_frame()
    assert frame.columns[:9].tolist() == ["technology", "output", "factor", "applicable", "scrambles_used",
                                          "output_mean", "output_mean_low", "output_mean_high",
                                          "output_variance"]
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


def test_cli_run_writes_tables_and_figures_and_matches_the_api(user_study, tmp_path):
    user_study.write_text(USER_CONFIG + """
[sobol]
n = 64
scrambles = 2
second_order = true

[sobol.factors]
weights = 0.1
capability_threshold = [0.48, 0.52]
dynamism_threshold = [0.48, 0.52]
""")
    out = tmp_path / "out"
    assert main(["run", str(user_study), "--out", str(out), "--seed", "3"]) == 0
    written = pd.read_csv(out / "sobol.csv")
    table = robust.read_table(user_study.parent / "table.csv", id_column="tech", indicators=["x0", "x1", "x2"],
                              ipc_changes=["ipc0", "ipc1", "ipc2", "ipc3"])
    api = quiet_sobol(table, factors={"weights": 0.1, "capability_threshold": [0.48, 0.52],
                                      "dynamism_threshold": [0.48, 0.52]},
                         n=64, scrambles=2, second_order=True, rng=3)
    pd.testing.assert_frame_equal(written, api.to_frame(), check_dtype=False)
    assert len(pd.read_csv(out / "sobol_second_order.csv")) == 8 * 3 * 3
    assert not pd.read_csv(out / "sobol_convergence.csv").empty
    figures = {path.name for path in (out / "figures").iterdir()}
    assert {"sobol_heatmap.png", "sobol_heatmap.pdf", "sobol_convergence.png"} <= figures
    unstable = api.unstable_technologies()
    assert unstable and all(any(name.startswith(f"sobol_bars_{api.technologies.index(t) + 1:02d}_")
                                for name in figures) for t in unstable)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["config"]["sobol"]["factors"]["weights"] == 0.1


def test_cli_rejects_a_factor_that_does_not_apply(user_study, capsys):
    user_study.write_text(USER_CONFIG + '\n[sobol]\n[sobol.factors]\nleave_out = ["none", "x9"]\nweights = 0.1\n')
    assert main(["validate", str(user_study)]) == 2
    assert "[sobol.factors] leave_out: 'x9' is not an indicator; allowed: none, x0, x1, x2" in capsys.readouterr().err


def _config_error(body):
    from robust.config import parse_config
    import tomllib
    from pathlib import Path

    return lambda: parse_config(tomllib.loads(USER_CONFIG + body), Path("study.toml"))


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
        check(SobolSpec(factors=SobolFactors(**factors)), table, model or robust.ScoringModel())
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
         r"weighting: unknown level 'entropie'.*did you mean 'entropy'"),
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
        (lambda: SobolSpec(outputs=("retaind",)), InputError, r"outputs: unknown output 'retaind'.*did you mean 'retained'"),
        (lambda: SobolSpec(outputs=("retained", "retained")), InputError, r"outputs lists an output more than once"),
        (lambda: SobolSpec(outputs="retained"), InputError, r"outputs must be a non-empty list"),
        (lambda: SobolSpec(second_order=1), TypeError, r"second_order must be true or false"),
        (lambda: SobolSpec(factors={"weights": 0.2}), TypeError, r"factors must be SobolFactors"),
        (_check_error({"weights": 0.1, "noise": 0.1}, "one indicator"), InputError,
         r"\[sobol.factors\] weights needs at least 2 capability indicators; <DataFrame> has 1 \('x0'\)"),
        (_check_error({"weights": 0.1, "leave_out": ("none", "x00")}), InputError,
         r"'x00' is not an indicator; allowed: none, x0, x1, x2 \(did you mean 'x0'\?\)"),
        (_check_error({"noise": 0.1, "leave_out": ("none", "x0")}, model=robust.ScoringModel(weighting=(1.0, 0, 0))),
         InputError, r"leaving out 'x0' leaves only zero fixed weights"),
        (_check_error({"noise": 0.1, "weights": 0.1}, "wide"), InputError,
         r"the factors need 10803 variables \(noise alone 3600 x 3\), more than the 10600"),
        (_config_error('\n[sobol]\nn = 100\n'), InputError, r"study.toml: \[sobol\] n must be a power of two"),
        (_config_error('\n[sobol]\n[sobol.factors]\nweigths = 0.2\n'), InputError,
         r"study.toml: \[sobol.factors\] unknown key 'weigths'.*did you mean 'weights'"),
        (_config_error('\n[sobol]\n[sobol.factors]\nweights = 2\nnoise = 0.1\n'), InputError,
         r"study.toml: \[sobol.factors\] weights: the spread must be in \(0, 1\)"),
        (lambda: root_sequence(-1), TypeError, r"rng must be None, a non-negative integer"),
        (lambda: estimate_scramble(np.zeros((64 * 4, 1)), groups=2, seed=0), ValueError, r"seed must be >= 1"),
        (lambda: estimate_scramble(np.zeros((32 * 4, 1)), groups=2, seed=1), ValueError,
         r"values must hold N \* \(G \+ 2\) rows with N a power of two >= 64"),
        (lambda: sobol_indices(linear, groups=[("a", 4)], n=64), InputError,
         r"groups must name at least 2 distinct factors"),
    ],
)
def test_each_mistake_has_its_own_message(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_plots_and_their_argument_errors(paper_table):
    result = quiet_sobol(paper_table, factors=THRESHOLDS, n=64, scrambles=2, rng=10)
    from robust.plots import new_figure, plot_sobol_bars, plot_sobol_convergence

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
