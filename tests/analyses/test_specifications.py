"""Data-construction choices: the full grid, the Sobol' factors of the same names, their errors."""

import numpy as np
import pytest

from robust import InputError
from robust.analyses.sobol.analysis import SobolSpec, run_sobol
from robust.analyses.sobol.factors import SobolFactors
from robust.analyses.sobol.model import ScoringFunction
from robust.analyses.specifications import (
    SpecificationsSpec,
    run_specifications,
)
from robust.core.model import ScoringModel
from robust.core.scoring import score
from robust.records.derive import derive_from_records
from robust.records.source import RecordsSource
from robust.records.spec import IPC_COLUMNS, SHARES
from tests.helpers import records_columns, records_spec
from tests.records.test_resample import random_records

SPEC = records_spec(published_before=None, top_k=3)
MODEL = ScoringModel(capability_threshold=0.3)  # within the capability range of these records


@pytest.fixture(scope="module")
def derived():
    return derive_from_records(RecordsSource(frame=random_records(n=60)), records_columns(), SPEC)


def test_every_specification_is_the_table_of_its_settings(derived):
    grid = SpecificationsSpec(top_k=[2, 3, 5], split_year=[2008, 2010], ipc_counting=["cumulative", "distinct"],
                              min_citations=[0, 1], merge_families=[True, False])
    result = run_specifications(derived.to_table(), MODEL, grid, derived=derived)
    frame = result.to_frame()
    assert len(result.settings) == 3 * 2 * 2 * 2 * 2 and len(frame) == 48 * 5
    for number in (1, 17, 48):
        setting = result.settings[number - 1]
        table = derive_from_records(RecordsSource(frame=random_records(n=60)), records_columns(),
                                    SPEC.with_choices(setting)).to_table()
        expected = score(table, MODEL)
        rows = frame[frame["specification"] == number]
        assert rows[["top_k", "split_year", "ipc_counting", "min_citations", "merge_families"]].iloc[0].tolist() == [
            setting[key] for key in ("top_k", "split_year", "ipc_counting", "min_citations", "merge_families")]
        assert np.allclose(rows["capability"], expected.capability, rtol=0, atol=1e-12)
        assert rows["quadrant"].tolist() == list(expected.quadrant)
    shares = result.shares_frame()
    assert np.allclose(shares["share"], frame.groupby("technology", sort=False)["kept"].mean().to_numpy())
    assert np.allclose(shares[[c for c in shares if c.startswith("p_")]].sum(axis=1), 1)
    assert shares["share"].lt(1).any()  # the choices matter on these records


def test_sobol_data_factors_score_the_table_a_sample_draws(derived):
    table = derived.to_table()
    factors = SobolFactors(top_k=[2, 3, 5], ipc_counting=["cumulative", "distinct"])
    base = score(table, MODEL).quadrant
    function = ScoringFunction.build(table, MODEL, factors, ("capability_margin", "dynamism_margin"),
                                     base, derived=derived)
    unit = np.array([[0.9, 0.7], [0.1, 0.2]])  # top_k 5 and distinct; top_k 2 and cumulative
    outputs = function(unit)
    for row, (top_k, counting) in enumerate([(5, "distinct"), (2, "cumulative")]):
        variant = derived.variants([SPEC.__class__(**{**SPEC.__dict__, "top_k": top_k, "ipc_counting": counting})])[0]
        expected = score(variant.to_table(), MODEL)
        assert np.allclose(outputs[row, :5], expected.capability - MODEL.capability_threshold, rtol=0, atol=1e-12)
        assert np.allclose(outputs[row, 5:], expected.dynamism - 0.5, rtol=0, atol=1e-12)
    result = run_sobol(table, MODEL, SobolSpec(n=64, scrambles=2, outputs=("retained",), factors=factors),
                       rng=2, derived=derived)
    assert set(result.to_frame()["factor"]) == {"top_k", "ipc_counting"}


@pytest.mark.parametrize(("levels", "message"), [
    ({"top_k": [20]}, "top_k must be a list of at least 2 levels"),
    ({"top_k": [10, 10]}, r"top_k: the levels must differ"),
    ({"ipc_counting": ["cumulative", "first"]}, "ipc_counting: unknown value 'first'"),
    ({"min_citations": [-1, 1]}, "min_citations"),
    ({}, "give the levels of at least one choice"),
])
def test_grid_levels_are_checked(levels, message):
    with pytest.raises(InputError, match=message):
        SpecificationsSpec(**levels)


def test_data_choices_need_records_and_years_inside_the_windows(derived):
    table = derived.to_table()
    with pytest.raises(InputError, match="top_k: .*need a table derived from records"):
        run_specifications(table, MODEL, SpecificationsSpec(top_k=[2, 3]))
    with pytest.raises(InputError, match="split_year: 2021 must leave both windows a year: from 2001 to 2020"):
        run_specifications(table, MODEL, SpecificationsSpec(split_year=[2010, 2021]), derived=derived)
    with pytest.raises(InputError, match="not 'n_focal'"):
        run_specifications(derived.to_table(indicators=[*SHARES[:2], "n_focal"], ipc_changes=IPC_COLUMNS),
                           MODEL, SpecificationsSpec(top_k=[2, 3]), derived=derived)
    with pytest.raises(InputError, match="need a table derived from records .* or IPC counts from ranked lists"):
        run_sobol(table, MODEL, SobolSpec(n=64, scrambles=2, factors=SobolFactors(
            top_k=[2, 3], weights=0.2)))
