"""The patents bootstrap on sufficient statistics equals a record-level bootstrap on the same draws."""

import numpy as np
import pandas as pd
import pytest

from robust import InputError
from robust.analyses.bootstrap.analysis import SCHEMES, BootstrapSpec, run_bootstrap
from robust.compute.seeds import analysis_seed, child_seed, stream
from robust.core.model import ScoringModel
from robust.core.scoring import score
from robust.records.derive import derive_from_records
from robust.records.resample import RecordResampler
from robust.records.source import RecordsSource
from robust.records.spec import IPC_COLUMNS, SHARES
from tests.helpers import records_columns, records_spec

SPEC = records_spec(published_before=None, min_citations=0, merge_families=False, top_k=3)
MODEL = ScoringModel(capability_threshold=0.3)  # within the capability range of these records


def random_records(seed=4, m=5, n=40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = np.array(["H01L", "H01M", "H02J", "G06F", "G06K", "A61B", "B01D", "C07D"])
    size = m * n
    return pd.DataFrame({
        "tech": np.repeat([f"T{t}" for t in range(m)], n), "id": [f"P{i:04d}" for i in range(size)],
        "family": [f"F{i}" for i in range(size)],
        "filed": [f"{year}-03-01" for year in rng.integers(1998, 2022, size)], "published": "2022-01-01",
        "country": rng.choice(["CN", "US", "JP"], size), "ipc": [f"{code} 1/00" for code in rng.choice(codes, size)],
        "cited": rng.integers(0, 6, size), "claims": rng.integers(1, 11, size),
        "pct": np.where(rng.random(size) < 0.4, "WO", "")})


@pytest.fixture(scope="module")
def derived():
    return derive_from_records(RecordsSource(frame=random_records()), records_columns(), SPEC)


def by_cell(records: pd.DataFrame) -> pd.DataFrame:
    """The records of each technology in the order of the resampler's positions (by cell)."""
    year = records["filed"].str[:4].astype(int)
    window = np.select([(year >= 2001) & (year <= 2010), (year >= 2011) & (year <= 2021)], [0, 1], 2)
    keys = records.assign(focal=records["country"] == "CN", is_pct=records["pct"] != "", window=window,
                          code=records["ipc"].str[:4])
    return keys.sort_values(["window", "code", "focal", "is_pct", "cited", "claims"], kind="stable")


def record_level_tables(records, positions, replicate):
    """The tables derived, through the whole records pipeline, from the records drawn."""
    drawn = []
    for t, (_, group) in enumerate(records.groupby("tech", sort=False)):
        drawn.append(by_cell(group).iloc[positions[t][replicate]])
    resampled = pd.concat(drawn).assign(id=lambda frame: [f"R{i}" for i in range(len(frame))])
    return derive_from_records(RecordsSource(frame=resampled[records.columns]), records_columns(), SPEC)


def test_the_data_itself_gives_the_derived_table(derived):
    resampler = RecordResampler.build(derived.origin.statistics(cells=True)[0], SPEC)
    shares, changes, degenerate = resampler.derive(resampler.base_counts[None])
    assert np.array_equal(shares[0], derived.indicators[list(SHARES)].to_numpy())
    assert np.array_equal(changes[0], derived.indicators[list(IPC_COLUMNS)].to_numpy()) and not degenerate[0]
    distinct = resampler.derive(resampler.base_counts[None], counting="distinct", top_k=8)[1][0]
    assert np.array_equal(distinct, derived.variants([SPEC.__class__(**{**SPEC.__dict__, "top_k": 8,
                                                                       "ipc_counting": "distinct"})])[0]
                          .indicators[list(IPC_COLUMNS)].to_numpy())


def test_replicates_equal_a_record_level_bootstrap_on_the_same_draws(derived):
    records, model = random_records(), MODEL
    table = derived.to_table()
    spec = BootstrapSpec(replicates=6, schemes=["patents"])
    result = run_bootstrap(table, model, spec, rng=11, keep_replicates=True, derived=derived)
    replicates = result.scheme_summary("patents").replicate_scores
    resampler = RecordResampler.build(derived.origin.statistics(cells=True)[0], SPEC)
    seed = child_seed(analysis_seed(11, "bootstrap"), SCHEMES.index("patents"))
    positions = resampler.positions(stream(seed, 0, 0), 6)  # one step of stream block 0
    for replicate in range(6):
        resampled = record_level_tables(records, positions, replicate)
        expected = score(resampled.to_table(), model)
        assert np.allclose(replicates.capability[replicate], expected.capability, rtol=0, atol=1e-12)
        assert np.allclose(replicates.dynamism[replicate], expected.dynamism, rtol=0, atol=1e-12)
        assert [int(q) for q in replicates.quadrant[replicate]] == [
            ["assault", "entrench", "position", "disrupt"].index(q) for q in expected.quadrant]
    assert len({tuple(row) for row in replicates.quadrant}) > 1  # the resamples differ


def test_the_patents_scheme_does_not_depend_on_workers_or_chunks(derived, parallel_execution):
    table, model = derived.to_table(), MODEL
    one = run_bootstrap(table, model, BootstrapSpec(replicates=2100, schemes=["patents"], chunk_size=1024),
                        rng=3, derived=derived).to_frame()
    two = run_bootstrap(table, model, BootstrapSpec(replicates=2100, schemes=["patents"]), rng=3, derived=derived,
                        execution=parallel_execution).to_frame()
    pd.testing.assert_frame_equal(one, two)
    assert one["retention"].lt(1).any()


def test_patents_needs_records_and_their_columns(derived):
    table = derived.to_table()
    with pytest.raises(InputError, match="schemes: patents resamples patent records; it needs a table derived"):
        run_bootstrap(table, MODEL, BootstrapSpec(replicates=10, schemes=["patents"]))
    narrow = derived.to_table(indicators=["app_share", "n_focal"])
    with pytest.raises(InputError, match="not 'n_focal'"):
        run_bootstrap(narrow, MODEL, BootstrapSpec(replicates=10, schemes=["patents"]), derived=derived)

