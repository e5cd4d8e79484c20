"""Config files: strict parsing, defaults, and one message per mistake."""

import pytest

from robust import InputError
from robust.app.config import config_digest, load_config, parse_config
from robust.core.options import WEIGHTING_METHODS
from tests.helpers import ROOT, USER_CONFIG, write_config


def test_user_config_resolves_defaults(user_study):
    config = load_config(user_study)
    assert config.model.weighting == "entropy"
    assert config.model.amplitudes == (4.0, 3.0, 2.0, 1.0)
    assert config.run.seed is None and config.run.n_jobs == 1
    resolved = config.resolved()
    assert resolved["capability"]["indicators"] == ["x0", "x1", "x2"]
    assert config_digest(resolved) == config_digest(load_config(user_study).resolved())
    assert config.data.load().n_technologies == 8


def test_paper_experiment_config_loads():
    config = load_config(ROOT / "experiments" / "paper.toml")
    assert config.data.path == "builtin:paper2023"
    assert config.data.load().n_technologies == 20


def test_the_records_experiment_runs_the_analyses_of_the_paper_experiment():
    """experiments/paper_records.toml is paper.toml with [records] for [data]: every other setting the
    same, so its tables are comparable with paper.toml's (the README says they are equal)."""
    paper = load_config(ROOT / "experiments" / "paper.toml").resolved()
    records = load_config(ROOT / "experiments" / "paper_records.toml").resolved()
    assert "records" in records and "records" not in paper
    paper["figures"]["labels"] = "en"  # the records carry no Chinese names
    for resolved in (paper, records):
        for key in ("data", "records"):
            resolved.pop(key, None)
    assert records == paper


def _replace(text, old, new):
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t + "\n[capabilty]\nx = 1\n", r"unknown section \[capabilty\].*did you mean 'capability'"),
        (lambda t: _replace(t, 'normalize = "none"', 'normalise = "none"'), r"\[capability\] unknown key 'normalise'.*did you mean 'normalize'"),
        (lambda t: _replace(t, 'weighting = "entropy"', 'weighting = "entropie"'), r"\[capability\] weighting: unknown value 'entropie'.*did you mean 'entropy'"),
        (lambda t: _replace(t, 'weighting = "entropy"', "weighting = [0.5, 0.5]"), r"\[capability\] weighting: got 2 fixed weights for 3 indicators"),
        (lambda t: _replace(t, 'weighting = "entropy"', "weighting = [0.5, 0.5, 0.5]"), r"fixed weights must sum to 1, they sum to 1.5"),
        (lambda t: _replace(t, 'weighting = "entropy"', "weighting = 3"), r"weighting must be a method name or a list of weights, got an integer 3"),
        (lambda t: _replace(t, "threshold = 0.5\n\n[dynamism]", 'threshold = "0.5"\n\n[dynamism]'), r"\[capability\] threshold must be a number, got a string '0.5'"),
        (lambda t: _replace(t, 'normalize = "none"', 'normalize = "z-score"'), r"\[capability\] normalize: unknown value 'z-score'; allowed: none, minmax, zscore, rank \(did you mean 'zscore'\?\)"),
        (lambda t: _replace(t, 'normalize = "none"', 'aggregation = "geometrc"'), r"\[capability\] aggregation: unknown value 'geometrc'; allowed: linear, geometric, mazziotta_pareto \(did you mean 'geometric'\?\)"),
        (lambda t: _replace(t, 'normalize = "none"', 'aggregation = 2'), r"\[capability\] aggregation must be a string, got an integer 2"),
        (lambda t: _replace(t, 'id = "tech"\n', ""), r"\[data\] id is required"),
        (lambda t: _replace(t, "amplitudes = [4, 3, 2, 1]", "amplitudes = [4, 3, 2]"), r"\[dynamism\] amplitudes: got 3 values for 4 ipc_changes columns"),
        (lambda t: _replace(t, "amplitudes = [4, 3, 2, 1]", "amplitudes = [4, -3, 2, 1]"), r"\[dynamism\] amplitudes must be >= 0, got -3"),
        (lambda t: _replace(t, "amplitudes = [4, 3, 2, 1]", "amplitudes = [0, 0, 0, 0]"), r"\[dynamism\] amplitudes must have at least one positive value"),
        (lambda t: _replace(t, 'normalize = "none"\nthreshold = 0.5', 'normalize = "minmax"\nthreshold = 1.5'), r"\[capability\] threshold must be within \[0, 1\], the range of capability"),
        (lambda t: _replace(t, "amplitudes = [4, 3, 2, 1]\nthreshold = 0.5", "amplitudes = [4, 3, 2, 1]\nthreshold = 1.5"), r"\[dynamism\] threshold must be within \[0, 1\], the range of dynamism: outside it every technology is weak or every one strong; got 1.5"),
        (lambda t: _replace(t, "amplitudes = [4, 3, 2, 1]\nthreshold = 0.5", "amplitudes = [4, 3, 2, 1]\nthreshold = -0.1"), r"\[dynamism\] threshold must be within \[0, 1\].*got -0.1"),
        (lambda t: _replace(t, "amplitudes = [4, 3, 2, 1]", 'score = "dyn"'), r"\[dynamism\] needs exactly one of ipc_changes"),
        (lambda t: _replace(t, 'ipc_changes = ["ipc0", "ipc1", "ipc2", "ipc3"]', 'score = "raw"'), r"\[dynamism\] amplitudes applies only with ipc_changes"),
        (lambda t: t + "\n[run]\nseed = -4\n", r"\[run\] seed must be >= 0, got -4"),
        (lambda t: t + "\n[run]\nn_jobs = 0\n", r"\[run\] n_jobs must be a positive number of workers"),
        (lambda t: t + "\n[run]\nseed = true\n", r"\[run\] seed must be an integer, got a boolean True"),
        (lambda t: _replace(t, 'path = "table.csv"', 'path = "builtin:paper2024"'), r"unknown built-in table 'builtin:paper2024'; allowed: builtin:paper2023"),
        (lambda t: _replace(t, 'indicators = ["x0", "x1", "x2"]', 'indicators = ["x0", "x0"]'), r"\[capability\] indicators lists 'x0' more than once"),
        (lambda t: _replace(t, "[data]", "[data\n"), r"invalid TOML"),
        (lambda t: t + '\n[figures]\norientation = "sideways"\n', r"\[figures\] orientation: unknown value 'sideways'; allowed: figure3, figure2"),
        (lambda t: t + '\n[figures]\nformats = ["png", "svg"]\n', r"\[figures\] formats: unknown value 'svg'"),
        (lambda t: t + '\n[figures]\nlabels = "zh"\n', r"\[figures\] labels = 'zh' needs the names of \[data\] label"),
    ],
)
def test_config_mistakes(tmp_path, edit, message):
    path = write_config(tmp_path, edit(USER_CONFIG))
    with pytest.raises(InputError, match=message) as caught:
        load_config(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_missing_and_binary_config_files(tmp_path):
    with pytest.raises(InputError, match="config file not found"):
        load_config(tmp_path / "none.toml")
    (tmp_path / "b.toml").write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(InputError, match="b.toml: is a binary file, not a TOML config file"):
        load_config(tmp_path / "b.toml")
    (tmp_path / "l.toml").write_bytes("[data]\npath = 'Ä.csv'\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"l.toml: is not UTF-8 text \(byte 0xc4 at offset 15\)"):
        load_config(tmp_path / "l.toml")


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("[bootstrap]\nschemes = [\"technology\"]\n", r"\[bootstrap\] schemes: unknown value 'technology'.*did you mean 'technologies'"),
        ("[bootstrap]\nreplicates = 0\n", r"\[bootstrap\] replicates must be >= 1, got 0"),
        ("[bootstrap]\nnoise = 3\n", r"\[bootstrap\] noise must be a log-sd in \(0, 2\], got 3"),
        ("[bootstrap]\nnoise = 0\n", r"\[bootstrap\] noise must be a log-sd in \(0, 2\]"),
        ("[bootstrap]\nconfidence = 1\n", r"\[bootstrap\] confidence must be in \(0, 1\)"),
        ("[bootstrap]\nnormaliser = \"fixed\"\n", r"\[bootstrap\] unknown key 'normaliser'.*did you mean 'normalizer'"),
        ("[bootstrap]\nnormalizer = \"self\"\n", r"\[bootstrap\] normalizer: unknown value 'self'; allowed: resample_with_self"),
        ("[bootstrap]\nchunk_size = 1500\n", r"chunk_size must be a positive multiple of 1024"),
        ("[run]\nbackend = \"mpi\"\n", r"\[run\] backend: unknown value 'mpi'; allowed: loky, threading, dask"),
        ("[run]\nscheduler = \"tcp://h:1\"\n", r"\[run\] scheduler is only used with backend = \"dask\""),
    ],
)
def test_analysis_and_run_section_mistakes(tmp_path, section, message):
    path = write_config(tmp_path, USER_CONFIG + "\n" + section)
    with pytest.raises(InputError, match=message):
        load_config(path)


def test_bootstrap_section_resolves_without_execution_settings(tmp_path):
    path = write_config(tmp_path, USER_CONFIG + "\n[bootstrap]\nchunk_size = 2048\n[run]\nn_jobs = 2\n")
    resolved = load_config(path).resolved()
    assert resolved["bootstrap"] == {
        "replicates": 10000, "schemes": ["technologies", "indicator_noise", "count_noise", "noise", "jackknife",
                                         "drop_indicator"],
        "normalizer": "resample_with_self", "noise": 0.05, "top_k": 20, "confidence": 0.95}
    assert "n_jobs" not in resolved["run"]
    assert resolved["report"] == {"robust": 0.95, "fragile": 0.5}


def test_old_bootstrap_keys_still_work_and_warn(tmp_path):
    from robust.core.errors import DeprecatedOptionWarning

    path = write_config(tmp_path, USER_CONFIG + "\n[bootstrap]\nrenormalize = false\ncount_noise = false\n"
                        "schemes = [\"noise\"]\n")
    with pytest.warns(DeprecatedOptionWarning):
        resolved = load_config(path).resolved()["bootstrap"]
    assert resolved["normalizer"] == "fixed" and resolved["schemes"] == ["indicator_noise"]


@pytest.mark.parametrize(("section", "message"), [
    ("[report]\nrobust = 1.2\n", r"\[report\] robust must be in \(0, 1\], got 1.2"),
    ("[report]\nfragile = 0.97\n", r"\[report\] fragile must be below robust"),
    ("[report]\nrobus = 0.9\n", r"\[report\] unknown key 'robus'; allowed: robust, fragile \(did you mean 'robust'\?\)"),
])
def test_report_section_mistakes(tmp_path, section, message):
    with pytest.raises(InputError, match=message):
        load_config(write_config(tmp_path, USER_CONFIG + "\n" + section))


def test_minimal_config_takes_the_paper_defaults(tmp_path):
    path = write_config(tmp_path, """
        [data]
        path = "builtin:paper2023"
        id = "name_en"
        [capability]
        indicators = ["app_share", "cite_share", "claim_share", "pct_share"]
        [dynamism]
        ipc_changes = ["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]
        """)
    config = load_config(path)
    assert config.model.weighting == "entropy" and config.model.normalize == "none"
    assert (config.model.capability_threshold, config.model.dynamism_threshold) == (0.5, 0.5)
    assert config.model.amplitudes is None and config.data.label is None


def test_label_column_must_exist(tmp_path):
    path = write_config(tmp_path, """
        [data]
        path = "builtin:paper2023"
        id = "name_en"
        label = "name_cn"
        [capability]
        indicators = ["app_share"]
        [dynamism]
        ipc_changes = ["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]
        """)
    with pytest.raises(InputError, match="builtin:paper2023: no column 'name_cn' for labels"):
        load_config(path).data.load()


def test_a_folder_given_as_config_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="is a directory, not a config file"):
        load_config(tmp_path)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ('methods = ["critic", "merek"]', r"\[weighting\] methods: unknown value 'merek'; allowed: .*did you mean 'merec'"),
        ('method = ["critic"]', r"\[weighting\] unknown key 'method'; allowed: methods \(did you mean 'methods'\?\)"),
    ],
)
def test_config_section_mistakes(tmp_path, section, message):
    path = write_config(tmp_path, USER_CONFIG + f"\n[weighting]\n{section}\n")
    with pytest.raises(InputError, match=message):
        load_config(path)


def test_config_section_defaults_to_every_method(tmp_path):
    config = load_config(write_config(tmp_path, USER_CONFIG + "\n[weighting]\n"))
    assert config.analyses["weighting"].methods == WEIGHTING_METHODS
    assert config.resolved()["weighting"] == {"methods": list(WEIGHTING_METHODS)}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("\n[sobol]\nn = 100\n", r"^study.toml: \[sobol\] n must be a power of two"),
        ("\n[sobol]\n[sobol.factors]\nweigths = 0.2\n",
         r"^study.toml: \[sobol.factors\] unknown key 'weigths'.*did you mean 'weights'"),
        ("\n[sobol]\n[sobol.factors]\nweights = 2\nnoise = 0.1\n",
         r"^study.toml: \[sobol.factors\] weights: the spread must be in \(0, 1\)"),
        ("\n[sobol]\nfactor = 1\n", r"^study.toml: \[sobol\] unknown key 'factor'.*did you mean 'factors'"),
    ],
)
def test_sobol_section_mistakes(body, message):
    import tomllib
    from pathlib import Path

    with pytest.raises(InputError, match=message):
        parse_config(tomllib.loads(USER_CONFIG + body), Path("study.toml"))


def test_a_config_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + USER_CONFIG.encode("utf-8"))
    assert load_config(path).data.id == "tech"


def test_the_composite_options_reach_the_model_and_the_scores(tmp_path):
    import numpy as np
    import pandas as pd

    from robust import ScoringModel, score
    from robust.app.experiment import prepare
    from tests.helpers import random_frame

    random_frame(np.random.default_rng(7)).to_csv(tmp_path / "table.csv", index=False)
    body = USER_CONFIG.replace('normalize = "none"', 'normalize = "rank"\naggregation = "mazziotta_pareto"')
    config = load_config(write_config(tmp_path, body))
    assert (config.model.normalize, config.model.aggregation) == ("rank", "mazziotta_pareto")
    assert config.resolved()["capability"]["aggregation"] == "mazziotta_pareto"
    table, base, _ = prepare(config)
    expected = score(table, ScoringModel(normalize="rank", aggregation="mazziotta_pareto"))
    assert np.array_equal(base.capability, expected.capability)
    negative = pd.read_csv(tmp_path / "table.csv")
    negative.loc[2, "x1"] = -0.3
    negative.to_csv(tmp_path / "table.csv", index=False)
    geometric = load_config(write_config(tmp_path, USER_CONFIG.replace('normalize = "none"',
                                                                      'aggregation = "geometric"')))
    with pytest.raises(InputError, match=r"study.toml: \[capability\] aggregation: 'geometric' with normalize = "
                                         r"\"none\" needs non-negative values, but .*table.csv has -0.3 in column "
                                         r"'x1', row 3 \(id 'T002'\)"):
        prepare(geometric)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("\n[filtering]\nn = 100\n", r"^study.toml: \[filtering\] n must be >= 256"),
        ("\n[filtering]\nrule_dens = 0.9\n", r"^study.toml: \[filtering\] unknown key 'rule_dens'.*did you mean"),
        ("\n[filtering]\n[filtering.factors]\nnoise = -1\nweights = 0.2\n",
         r"^study.toml: \[filtering.factors\] noise: the log-scale standard deviation must be > 0"),
        ("\n[morris]\nlevels = 3\n", r"^study.toml: \[morris\] levels must be even"),
        ("\n[morris]\n[morris.factors]\nweigths = 0.2\n",
         r"^study.toml: \[morris.factors\] unknown key 'weigths'.*did you mean 'weights'"),
    ],
)
def test_filtering_and_morris_section_mistakes(body, message):
    import tomllib
    from pathlib import Path

    with pytest.raises(InputError, match=message):
        parse_config(tomllib.loads(USER_CONFIG + body), Path("study.toml"))


def test_filtering_and_morris_take_the_sobol_factors_unless_given_their_own():
    import tomllib
    from pathlib import Path

    from robust.analyses.sobol.factors import DEFAULT_FACTORS

    sobol = "\n[sobol]\n[sobol.factors]\nweights = 0.1\nnoise = 0.05\n"
    own = "\n[morris]\n[morris.factors]\nnoise = 0.2\ncapability_threshold = [0.4, 0.6]\n"
    config = parse_config(tomllib.loads(USER_CONFIG + sobol + "\n[filtering]\n" + own), Path("study.toml"))
    assert config.analyses["filtering"].factors == config.analyses["sobol"].factors
    assert config.resolved()["filtering"]["factors"] == {"weights": 0.1, "noise": 0.05}
    assert config.resolved()["morris"]["factors"] == {"capability_threshold": [0.4, 0.6], "noise": 0.2}
    alone = parse_config(tomllib.loads(USER_CONFIG + "\n[filtering]\n"), Path("study.toml"))
    assert alone.analyses["filtering"].factors == DEFAULT_FACTORS
