"""The SYNTHETIC paper records: Table 2 exactly through the paper's measurement, realistic marginals."""

import numpy as np
import pandas as pd
import pytest

import robust
from robust.compute.seeds import analysis_seed, stream
from robust.datasets import paper2023_records as generator
from robust.datasets.paper2023 import (
    PAPER_INDICATORS,
    PAPER_IPC_CHANGES,
    PAPER_RECORDS_SPEC,
)
from robust.records.derive import derive_table
from robust.records.engine import record_statistics
from robust.records.source import RecordsSource


@pytest.fixture(scope="module")
def statistics():
    source = RecordsSource(frame=generator.paper2023_records_arrow(), label="builtin:paper2023_records")
    return record_statistics(source, generator.PAPER_RECORDS_COLUMNS, PAPER_RECORDS_SPEC)


def test_the_paper_measurement_gives_table2_exactly(statistics):
    derived = derive_table(statistics, PAPER_RECORDS_SPEC)
    table2 = robust.load_paper2023()
    assert derived.indicators["technology"].tolist() == list(table2.technologies)
    assert (derived.indicators[list(PAPER_INDICATORS)].to_numpy() == table2.values).all()  # the same floats
    assert (derived.indicators[list(PAPER_IPC_CHANGES)].to_numpy() == table2.dynamism_inputs).all()
    sizes = generator.paper2023_records_sizes()
    assert derived.indicators["n_records"].tolist() == sizes["n"].tolist()
    assert (derived.indicators["removed_published_before"] > 0).all()
    assert (derived.indicators["removed_merge_families"] > 0).all()


def test_both_counting_readings_give_table2(statistics):
    from dataclasses import replace

    distinct = derive_table(statistics, replace(PAPER_RECORDS_SPEC, ipc_counting="distinct"))
    assert (distinct.indicators[list(PAPER_IPC_CHANGES)].to_numpy() == robust.load_paper2023().dynamism_inputs).all()


def test_marginals_are_realistic():
    records = generator.paper2023_records_arrow().to_pandas()
    cited = records["Times Cited"]
    assert cited.max() > 30 * cited.median() and (cited == 0).any()  # heavy tail; never-cited records
    assert records["Claims"].between(1, 40).all()
    pct = records["PCT Application No"].notna().groupby(records["Tech Field"]).mean()
    assert (pct < 0.5).all()
    families = records.groupby(["Tech Field", "Family ID"]).size()
    assert set(families) == {1, 2, 3}
    filed, published = pd.to_datetime(records["Application Date"]), pd.to_datetime(records["Publication Date"])
    assert (filed.dt.year < 2001).any() and (published >= "2021-06-01").any() and (published > filed).all()
    assert records["Pub No"].is_unique and records["Main IPC"].str.contains(r"^[a-h]\d\d[a-z] ", regex=True).any()


def test_a_technology_is_built_from_its_own_fixed_stream():
    root = analysis_seed(generator.RECORDS_SEED, generator.SEED_NAME)
    row = generator._table2().iloc[10]
    shares = [generator.Fraction(row[name]) for name in PAPER_INDICATORS]
    changes = tuple(int(row[name]) for name in PAPER_IPC_CHANGES)
    first, sizes = generator._technology(stream(root, 10), 10, row["name_en"], shares, changes)
    second, _ = generator._technology(stream(root, 10), 10, row["name_en"], shares, changes)
    assert first.equals(second) and sizes["n"] * shares[0] == sizes["n_focal"]
    assert np.array_equal(first.column("Tech Field").unique().to_numpy(zero_copy_only=False), [row["name_en"]])
