"""The verdict rule: only random schemes decide, cut-offs from [report], borderline marks, sensitivity table."""

import pandas as pd
import pytest

from robust import InputError
from robust.report.verdicts import (
    VerdictRule,
    changed_by,
    deciding_schemes,
    scheme_subsets,
    sobol_cell,
    verdict_of,
    verdict_sensitivity,
    verdicts,
)


def stability(rows):
    """A stability table from (scheme, technology, retention, low, high[, interval, changed_by, replicates])."""
    records = []
    for row in rows:
        scheme, technology, retention, low, high, *rest = row
        interval = rest[0] if rest else "wilson"
        records.append({"scheme": scheme, "technology": technology, "retention": retention,
                        "retention_low": low, "retention_high": high, "interval": interval,
                        "changed_by": rest[1] if len(rest) > 1 else "", "replicates": rest[2] if len(rest) > 2 else 1000})
    return pd.DataFrame(records)


def test_the_lowest_random_retention_decides_with_its_interval():
    rule = VerdictRule()
    assert verdict_of(0.99, 0.985, 0.995, rule) == "robust"
    assert verdict_of(0.96, 0.94, 0.97, rule) == "robust (borderline)"
    assert verdict_of(0.80, 0.79, 0.81, rule) == "sensitive"
    assert verdict_of(0.40, 0.39, 0.41, rule) == "fragile"
    assert verdict_of(0.49, 0.48, 0.51, rule) == "fragile (borderline)"
    table = stability([("technologies", "a", 0.99, 0.98, 1.0), ("noise", "a", 0.7, 0.69, 0.71),
                       ("technologies", "b", 1.0, 0.99, 1.0), ("noise", "b", 0.97, 0.96, 0.98),
                       ("jackknife", "a", 0.05, 0.05, 0.05, "exact"), ("jackknife", "b", 0.05, 0.05, 0.05, "exact")])
    assert deciding_schemes(table) == ["technologies", "noise"]
    # a deterministic share of variants (here 1 of 20 kept) never enters the verdict
    assert verdicts(table, ["a", "b"], rule) == ["sensitive", "robust"]
    assert verdicts(table, ["a", "b"], VerdictRule(robust=0.99, fragile=0.75)) == ["fragile", "sensitive"]


def test_without_a_random_scheme_nothing_is_assessed():
    table = stability([("jackknife", "a", 0.95, 0.95, 0.95, "exact")])
    assert verdicts(table, ["a"], VerdictRule()) == ["not assessed"]
    assert verdicts(None, ["a"], VerdictRule()) == ["not assessed"]


def test_the_sensitivity_table_counts_verdicts_for_every_pair_of_cut_offs():
    table = stability([("noise", "a", 0.92, 0.91, 0.93), ("noise", "b", 0.45, 0.44, 0.46),
                       ("noise", "c", 0.995, 0.99, 1.0)])
    sensitivity = verdict_sensitivity(table, ["a", "b", "c"], VerdictRule()).set_index(["robust_cutoff", "fragile_cutoff"])
    assert len(sensitivity) == 9 and sensitivity["configured"].sum() == 1 and set(sensitivity["schemes"]) == {"noise"}
    assert sensitivity.loc[(0.95, 0.5), ["robust", "sensitive", "fragile"]].tolist() == [1, 1, 1]
    assert sensitivity.loc[(0.9, 0.4), ["robust", "sensitive", "fragile"]].tolist() == [2, 1, 0]
    assert sensitivity.loc[(0.99, 0.6), ["robust", "sensitive", "fragile"]].tolist() == [1, 1, 1]
    assert (sensitivity[["robust", "sensitive", "fragile"]].sum(axis=1) == 3).all()


@pytest.mark.parametrize(("robust", "fragile", "message"), [
    (1.5, 0.5, "robust must be in (0, 1]"), (0.9, 0.0, "fragile must be in (0, 1)"),
    (0.5, 0.6, "fragile must be below robust"), ("0.9", 0.5, "robust must be a number")])
def test_cut_offs_are_checked(robust, fragile, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)").replace("]", r"\]")):
        VerdictRule(robust=robust, fragile=fragile)


def test_variants_are_named_not_turned_into_probabilities():
    table = stability([("jackknife", "a", 0.95, 0.95, 0.95, "exact", "b", 20), ("noise", "a", 1, 1, 1)])
    agreement = pd.DataFrame({"technology": ["a"], "entropy": ["assault"], "critic": ["entrench"],
                              "equal": ["assault"], "agree_with_base": [1], "other_methods": [2]})
    assert changed_by(table, agreement, "a") == "weightings 1 of 2 (critic); jackknife 1 of 20 (b)"
    assert changed_by(None, None, "a") == "-"


def test_sobol_cells_name_a_factor_only_when_it_decides_alone():
    def rows(st, low, high, estimable=True, applicable=True):
        return pd.DataFrame({"technology": "a", "output": "retained", "factor": ["x", "y"], "applicable": applicable,
                             "estimable": estimable, "events": 500, "output_mean": 0.8, "output_mean_low": 0.79,
                             "output_mean_high": 0.81, "ST": st, "ST_low": low, "ST_high": high,
                             "S1": [v * 0.9 for v in st], "S1_low": [v * 0.9 for v in low]})
    assert sobol_cell(rows([0.9, 0.1], [0.8, 0.0], [1.0, 0.2]), "a").endswith("decided by x")
    assert sobol_cell(rows([0.9, 0.8], [0.7, 0.6], [1.1, 1.0]), "a").endswith(
        "decided jointly by x x y (interaction; S1 of x 0.81)")
    assert "too rare to apportion (500 events" in sobol_cell(rows([0.9, 0.1], [0.8, 0.0], [1.0, 0.2], estimable=False), "a")
    assert sobol_cell(rows([0.0, 0.0], [0, 0], [0, 0], applicable=False), "a").endswith("never changes")


def test_the_sensitivity_table_also_shows_each_scheme_alone():
    table = stability([("technologies", "a", 0.99, 0.98, 1.0), ("noise", "a", 0.7, 0.69, 0.71)])
    sensitivity = verdict_sensitivity(table, ["a"], VerdictRule())
    assert list(dict.fromkeys(sensitivity["schemes"])) == ["technologies+noise", "technologies", "noise"]
    configured = sensitivity[(sensitivity["robust_cutoff"] == 0.95) & (sensitivity["fragile_cutoff"] == 0.5)]
    assert configured[["robust", "sensitive"]].values.tolist() == [[0, 1], [1, 0], [0, 1]]


def test_the_sensitivity_table_shows_the_schemes_that_keep_the_counts():
    table = stability([("technologies", "a", 0.99, 0.98, 1.0), ("indicator_noise", "a", 0.97, 0.96, 0.98),
                       ("count_noise", "a", 0.4, 0.39, 0.41), ("noise", "a", 0.45, 0.44, 0.46)])
    assert scheme_subsets(["technologies", "indicator_noise", "count_noise", "noise"]) == [
        ["technologies", "indicator_noise", "count_noise", "noise"], ["technologies", "indicator_noise"],
        ["technologies"], ["indicator_noise"], ["count_noise"], ["noise"]]
    assert scheme_subsets(["count_noise"]) == [["count_noise"]]
    assert scheme_subsets(["technologies", "count_noise"]) == [["technologies", "count_noise"], ["technologies"],
                                                               ["count_noise"]]
    sensitivity = verdict_sensitivity(table, ["a"], VerdictRule())
    configured = sensitivity[(sensitivity["robust_cutoff"] == 0.95) & (sensitivity["fragile_cutoff"] == 0.5)]
    kept = configured[configured["schemes"] == "technologies+indicator_noise"].iloc[0]
    assert (kept["robust"], kept["fragile"]) == (1, 0)
