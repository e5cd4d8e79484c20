"""The SYNTHETIC paper records: Table 2 exactly through the paper's measurement, realistic marginals."""

import numpy as np
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
from tests.helpers import ROOT


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
    import pyarrow.compute as pc

    records = generator.paper2023_records_arrow()
    cited = records.column("Times Cited").to_numpy()
    assert cited.max() > 30 * np.median(cited) and (cited == 0).any()  # heavy tail; never-cited records
    claims = records.column("Claims").to_numpy()
    assert claims.min() >= 1 and claims.max() <= 40
    groups = records.group_by("Tech Field").aggregate([("PCT Application No", "count"), ("Pub No", "count")])
    assert (pc.divide(pc.cast(groups["PCT Application No_count"], "float64"), groups["Pub No_count"]).to_numpy()
            < 0.5).all()
    families = records.group_by(["Tech Field", "Family ID"]).aggregate([("Pub No", "count")])
    assert set(families["Pub No_count"].to_numpy()) == {1, 2, 3}
    filed, published = (pc.cast(records.column(name), "date32") for name in ("Application Date", "Publication Date"))
    assert pc.any(pc.less(filed, pc.strptime("2001-01-01", "%Y-%m-%d", "s").cast("date32"))).as_py()
    assert pc.any(pc.greater_equal(published, pc.strptime("2021-06-01", "%Y-%m-%d", "s").cast("date32"))).as_py()
    assert pc.all(pc.greater(published, filed)).as_py()
    assert pc.count_distinct(records.column("Pub No")).as_py() == len(records)
    assert pc.any(pc.match_substring_regex(records.column("Main IPC"), r"^[a-h]\d\d[a-z] ")).as_py()


def test_a_technology_is_built_from_its_own_fixed_stream():
    root = analysis_seed(generator.RECORDS_SEED, generator.SEED_NAME)
    row = generator._table2().iloc[10]
    shares = [generator.Fraction(row[name]) for name in PAPER_INDICATORS]
    changes = tuple(int(row[name]) for name in PAPER_IPC_CHANGES)
    first, sizes = generator._technology(stream(root, 10), 10, row["name_en"], shares, changes)
    second, _ = generator._technology(stream(root, 10), 10, row["name_en"], shares, changes)
    assert first.equals(second) and sizes["n"] * shares[0] == sizes["n_focal"]
    assert np.array_equal(first.column("Tech Field").unique().to_numpy(zero_copy_only=False), [row["name_en"]])


def test_the_readme_states_the_assumed_sizes(statistics):
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    derived = derive_table(statistics, PAPER_RECORDS_SPEC)
    table = derived.indicators
    removed = table[["removed_published_before", "removed_min_citations", "removed_merge_families"]].sum()
    read = int(table["n_records"].sum() + removed.sum())
    assert (f"{read:,} records in all, of which {int(table['n_records'].sum()):,} are kept "
            f"({table['n_records'].min():,} to {table['n_records'].max():,} per technology") in readme
    assert (f"the filters remove {removed.iloc[0]:,} (published on or after 2021-06-01), {removed.iloc[1]:,} "
            f"(never cited) and {removed.iloc[2]:,} (further family members)") in readme
    assert f"records: {derived.summary()}" in readme
    cited = generator.paper2023_records_arrow().column("Times Cited").to_numpy()
    assert f"median {np.median(cited):g}, maximum {cited.max()}" in readme


def test_the_records_are_the_same_in_every_process():
    """No set or dict order of strings (which PYTHONHASHSEED changes between processes) reaches a record."""
    import os
    import subprocess
    import sys

    program = ("import pandas as pd; from robust.datasets.paper2023_records import paper2023_records; "
               "print(int(pd.util.hash_pandas_object(paper2023_records(), index=False).sum()))")
    runs = [subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True,
                             env=dict(os.environ, PYTHONHASHSEED=seed)) for seed in ("1", "2")]
    digests = [run.communicate(timeout=300)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs) and digests[0] == digests[1] != ""
