"""Benchmarks: `python benchmarks/run.py [NAME ...]` prints one row per measurement.

BLAS is pinned to one thread (set before numpy is imported) and each row compares our code
with its alternative in the same run, so the ratio is meaningful on any machine.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import robust  # noqa: E402
from robust.core.scoring import score_batch  # noqa: E402


def rate(function, units_per_call: int, min_seconds: float = 2.0) -> float:
    """Units per second of ``function()``, timed over at least ``min_seconds`` after a warm-up."""
    function()
    calls, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < min_seconds:
        function()
        calls += 1
    return calls * units_per_call / elapsed


def bench_scorer() -> list[tuple[str, str, str]]:
    """Batch scorer on the paper's size: B models with their own weights, amplitudes, thresholds."""
    table = robust.load_paper2023()
    rng = np.random.default_rng(0)
    batch = 65_536
    weights = rng.dirichlet(np.ones(4), batch)
    amplitudes = rng.uniform(0.5, 1.5, (batch, 4)) * [4, 3, 2, 1]
    cap_t, dyn_t = rng.uniform(0.45, 0.55, batch), rng.uniform(0.45, 0.55, batch)

    def batched():
        return score_batch(table.values, weights, ipc_changes=table.dynamism_inputs,
                           amplitudes=amplitudes, capability_threshold=cap_t,
                           dynamism_threshold=dyn_t)

    def one_by_one():
        for b in range(2_000):
            score_batch(table.values, weights[b], ipc_changes=table.dynamism_inputs,
                        amplitudes=amplitudes[b], capability_threshold=cap_t[b],
                        dynamism_threshold=dyn_t[b])

    ours = rate(batched, batch)
    loop = rate(one_by_one, 2_000)
    return [
        ("scorer: batch of 65,536 paper-sized models", f"{ours:,.0f} models/s", "goal >= 2,000,000/s"),
        ("scorer: same models one call each", f"{loop:,.0f} models/s", f"batch is {ours / loop:,.0f}x faster"),
    ]


def _straightforward_bootstrap(table, replicates: int, seed: int) -> np.ndarray:
    """The obvious vectorised numpy version: materialise each chunk of resamples, then score."""
    from robust.core.weighting import compute_weights

    rng = np.random.default_rng(seed)
    values, raw = table.values, table.raw_dynamism([4, 3, 2, 1])
    m = len(raw)
    counts = np.zeros((m, 4), dtype=np.int64)
    for start in range(0, replicates, 1024):
        rows = rng.integers(0, m, (min(1024, replicates - start), m))
        weights = compute_weights(values[rows], "entropy")
        scores = score_batch(values, weights, raw, dynamism_bounds=(raw[rows].min(1), raw[rows].max(1)))
        codes = scores.quadrant.astype(np.intp) + 4 * np.arange(m)
        counts += np.bincount(codes.ravel(), minlength=4 * m).reshape(m, 4)
    return counts


def _pymcdm_loop_bootstrap(table, replicates: int, seed: int) -> np.ndarray:
    """One replicate at a time with pymcdm's entropy weights (pymcdm normalises by column sums)."""
    from pymcdm.weights import entropy_weights

    rng = np.random.default_rng(seed)
    values, raw = table.values, table.raw_dynamism([4, 3, 2, 1])
    m = len(raw)
    counts = np.zeros((m, 4), dtype=np.int64)
    for _ in range(replicates):
        rows = rng.integers(0, m, m)
        weights = entropy_weights(values[rows])
        low, high = raw[rows].min(), raw[rows].max()
        capability = values @ weights
        dynamism = (raw - low) / (high - low)
        codes = 1 + (dynamism >= 0.5) - (capability >= 0.5) + 2 * ((capability >= 0.5) & (dynamism >= 0.5))
        counts[np.arange(m), codes] += 1
    return counts


def bench_bootstrap() -> list[tuple[str, str, str]]:
    """The `technologies` scheme on the paper data, end to end, beside two alternatives."""
    table = robust.load_paper2023()
    robust.bootstrap(table, schemes=["technologies"], replicates=4096, rng=1)  # warm up imports
    replicates = 2_000_000
    started = time.perf_counter()
    robust.bootstrap(table, schemes=["technologies"], replicates=replicates, rng=1)
    ours = replicates / (time.perf_counter() - started)
    straightforward = rate(lambda: _straightforward_bootstrap(table, 100_000, 1), 100_000)
    loop = rate(lambda: _pymcdm_loop_bootstrap(table, 5_000, 1), 5_000)
    return [
        ("bootstrap `technologies`, paper, ours (all statistics)", f"{ours:,.0f} replicates/s",
         "goal >= 1,000,000/s"),
        ("bootstrap, straightforward numpy over chunks", f"{straightforward:,.0f} replicates/s",
         f"ours {ours / straightforward:.1f}x faster"),
        ("bootstrap, per-replicate loop with pymcdm", f"{loop:,.0f} replicates/s",
         f"ours {ours / loop:.0f}x faster (goal >= 50x)"),
    ]


def bench_sobol() -> list[tuple[str, str, str]]:
    """The [sobol] spec of experiments/paper.toml on the paper data, beside SALib's analyze loop."""
    import warnings

    from SALib.analyze.sobol import analyze
    from SALib.sample.sobol import sample

    from robust.analyses.sobol import analysis, estimators, indices
    from robust.analyses.sobol.factors import DEFAULT_FACTORS
    from robust.analyses.sobol.model import ScoringFunction
    from robust.compute.seeds import analysis_seed

    table = robust.load_paper2023()
    n, scrambles, resamples = 2**14, 5, 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", robust.DegenerateWarning)  # rare flips: reported, not timed
        started = time.perf_counter()
        robust.sobol_analysis(table, n=n, scrambles=scrambles, rng=1)
        end_to_end = time.perf_counter() - started

    # the same designs and outputs again, to time the parts
    function = ScoringFunction.build(table, robust.ScoringModel(), DEFAULT_FACTORS,
                                     analysis.OUTPUTS, robust.score(table).quadrant)
    problem = indices.salib_problem(function.groups)
    root = analysis_seed(1, indices.SEED_NAME)
    seeds = [indices.scramble_seeds(root, s) for s in range(scrambles)]
    started = time.perf_counter()
    designs = [sample(problem, n, calc_second_order=False, seed=seed) for seed, _ in seeds]
    sampling = time.perf_counter() - started
    started = time.perf_counter()
    ours_designs = [indices.saltelli_design(function.groups, n, second_order=False, seed=seed) for seed, _ in seeds]
    vectorised = time.perf_counter() - started
    equal = all(np.array_equal(x, y) for x, y in zip(designs, ours_designs))
    outputs = [indices.evaluate(function, design) for design in designs]
    started = time.perf_counter()
    estimates = [estimators.estimate_scramble(values, groups=len(function.groups), resamples=resamples, seed=seed)
                 for values, (_, seed) in zip(outputs, seeds)]
    ours = time.perf_counter() - started
    # SALib's analyze, one output at a time, on the outputs it can analyse (the estimable ones)
    calls = [(values[:, column], seed) for values, (_, seed), estimate in zip(outputs, seeds, estimates)
             for column in np.flatnonzero(estimate.estimable)]
    timed, started = 0, time.perf_counter()
    while timed < len(calls) and (timed < 3 or time.perf_counter() - started < 10):
        analyze(problem, calls[timed][0], calc_second_order=False, num_resamples=resamples,
                seed=calls[timed][1])
        timed += 1
    salib = (time.perf_counter() - started) / timed * len(calls)
    how = "measured" if timed == len(calls) else f"extrapolated from {timed} of {len(calls)} calls"
    return [
        (f"sobol: paper, {len(function.groups)} factors, n=2^14 x {scrambles} scrambles, "
         f"{len(analysis.OUTPUTS) * table.n_technologies} outputs, end to end",
         f"{end_to_end:.2f} s", "goal < 5 s"),
        (f"sobol: Saltelli designs, {scrambles} scrambles (ours vs SALib.sample.sobol.sample)",
         f"{vectorised:.2f} s / {sampling:.2f} s", f"ours is {sampling / vectorised:,.0f}x faster; arrays equal: {equal}"),
        (f"sobol: our estimators + bootstrap ({resamples} resamples), all {scrambles} scrambles",
         f"{ours:.2f} s", f"{len(calls)} estimable output-scrambles"),
        ("sobol: SALib analyze loop, same outputs and draws", f"{salib:.1f} s",
         f"{how}; ours is {salib / ours:,.0f}x faster"),
    ]


ROOT = Path(__file__).resolve().parents[1]


def _measured_run(argv: list[str]) -> tuple[float, float, float]:
    """Run ``python -m robust ARGV``; wall seconds, peak RSS of the process tree and of one process (MiB)."""
    return _measured_process(["-m", "robust", *argv])


def _measured_process(argv: list[str]) -> tuple[float, float, float]:
    """Run ``python ARGV``; wall seconds, peak RSS of the process tree and of one process (MiB)."""
    import subprocess

    import psutil

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, *argv], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watched = psutil.Process(process.pid)
    peak_tree = peak_one = 0
    while process.poll() is None:
        try:
            sizes = [p.memory_info().rss for p in [watched, *watched.children(recursive=True)]]
        except psutil.Error:
            sizes = []
        if sizes:
            peak_tree, peak_one = max(peak_tree, sum(sizes)), max(peak_one, max(sizes))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"python {' '.join(argv)} failed: {process.stderr.read().decode()}")
    return seconds, peak_tree / 2**20, peak_one / 2**20


def _synthetic_study(folder: Path, m: int, k: int = 12, replicates: int = 10_000) -> Path:
    """A random table of m technologies and k indicators with a `technologies` bootstrap config."""
    import pandas as pd

    rng = np.random.default_rng(m)
    frame = pd.DataFrame({"id": [f"T{i:05d}" for i in range(m)]})
    latent = rng.uniform(0.1, 0.9, m)
    for j in range(k):
        frame[f"x{j}"] = np.clip(latent + rng.normal(0, 0.1, m), 0.01, 0.99).round(4)
    for p in range(4):
        frame[f"ipc{p}"] = rng.poisson(1.5 * (p + 1), m)
    frame.to_csv(folder / f"table_{m}.csv", index=False)
    config = folder / f"study_{m}.toml"
    config.write_text(f"""[data]
path = "table_{m}.csv"
id = "id"
[capability]
indicators = {[f"x{j}" for j in range(k)]}
[dynamism]
ipc_changes = ["ipc0", "ipc1", "ipc2", "ipc3"]
[bootstrap]
replicates = {replicates}
schemes = ["technologies"]
[run]
seed = 1
""".replace("'", '"'))
    return config


def _bootstrap_seconds(out: Path) -> float:
    import json

    return json.loads((out / "manifest.json").read_text())["timings"]["bootstrap_seconds"]


def bench_scale() -> list[tuple[str, str, str]]:
    """10,000 technologies x 12 indicators, 10,000 replicates; and the cost as m doubles."""
    import tempfile

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        config = _synthetic_study(folder, 10_000)
        seconds, tree, one = _measured_run(["run", str(config), "--out", str(folder / "o"), "--jobs", "2",
                                            "--quiet"])
        rows.append(("scale: 10,000 x 12, 10,000 replicates, --jobs 2", f"{seconds:.1f} s wall",
                     f"peak RSS {tree:,.0f} MiB all processes, {one:,.0f} MiB largest (goal <= 60 s, 2 GiB)"))
        costs = []
        for m in (1_000, 2_000, 4_000, 8_000):
            config = _synthetic_study(folder, m)
            _measured_run(["run", str(config), "--out", str(folder / f"o{m}"), "--jobs", "2", "--quiet"])
            costs.append((m, _bootstrap_seconds(folder / f"o{m}")))
        rows += [(f"scale: {m:,} x 12, 10,000 replicates, --jobs 2", f"{s:.2f} s bootstrap",
                  f"{1e9 * s / (m * 10_000):.0f} ns per technology-replicate") for m, s in costs]
    return rows


def bench_parallel() -> list[tuple[str, str, str]]:
    """--jobs 2 against --jobs 1 on a large run (4,000 technologies, 40,000 replicates)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        config = _synthetic_study(folder, 4_000, replicates=40_000)
        times = {}
        for jobs in (1, 2):
            _measured_run(["run", str(config), "--out", str(folder / f"j{jobs}"), "--jobs", str(jobs), "--quiet"])
            times[jobs] = _bootstrap_seconds(folder / f"j{jobs}")
        same = all((folder / "j1" / name).read_bytes() == (folder / "j2" / name).read_bytes()
                   for name in ("stability.csv", "bootstrap_weights.csv"))
    return [("parallel: bootstrap 4,000 x 12, 40,000 replicates", f"{times[1]:.1f} s / {times[2]:.1f} s",
             f"--jobs 2 is {times[1] / times[2]:.2f}x --jobs 1 (goal >= 1.7x); identical files: {same}")]


def bench_paper() -> list[tuple[str, str, str]]:
    """`robust run experiments/paper.toml` end to end, in a fresh process."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        seconds, tree, _ = _measured_run(["run", str(ROOT / "experiments" / "paper.toml"), "--out",
                                          str(Path(folder) / "paper"), "--quiet"])
    return [("robust run experiments/paper.toml (all analyses)", f"{seconds:.1f} s wall",
             f"goal < 60 s; peak RSS {tree:,.0f} MiB")]


RECORD_COLUMNS = {"technology": "Tech Field", "patent": "Pub No", "family": "Family ID",
                  "filed": "Application Date", "published": "Publication Date", "country": "Applicant Country",
                  "ipc": "Main IPC", "citations": "Times Cited", "claims": "Claims", "pct": "PCT Application No"}


def _record_chunk(rng: np.random.Generator, start: int, n: int, pool: np.ndarray):
    """n synthetic export rows: 100 technologies, families of 1-3 documents, 300 subclasses each."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def text(values):
        return pc.cast(pa.array(values), pa.string())

    size = rng.choice([1, 2, 3], n, p=[0.8, 0.15, 0.05])
    family = np.repeat(np.arange(n), size)[:n] + start
    lead = np.maximum.accumulate(np.where(np.r_[True, family[1:] != family[:-1]], np.arange(n), 0))
    technology = rng.integers(0, len(pool), n)[lead]
    filed = np.datetime64("1995-01-01") + rng.integers(0, 26 * 365 + 120, n).astype("timedelta64[D]")
    filed = np.where(lead == np.arange(n), filed, filed[lead] + rng.integers(0, 365, n).astype("timedelta64[D]"))
    published = filed + rng.integers(150, 900, n).astype("timedelta64[D]")
    countries = np.array(["CN", "US", "JP", "KR", "DE", "FR", "GB", "TW"])
    country = countries[rng.choice(8, n, p=[0.4, 0.2, 0.12, 0.1, 0.07, 0.04, 0.04, 0.03])][lead]
    code = pool[technology, np.minimum(rng.zipf(1.5, n) - 1, pool.shape[1] - 1)]
    cited = np.minimum(np.floor(rng.lognormal(1.2, 1.2, n)) * (rng.random(n) < 0.8), 5000).astype(np.int64)
    return pa.table({
        "Pub No": pc.binary_join_element_wise(pa.array(country), text(np.arange(start, start + n) + 10**9), "A", ""),
        "Tech Field": pc.binary_join_element_wise("technology ", text(technology), ""),
        "Family ID": pc.binary_join_element_wise("F", text(family), ""),
        "Application Date": pc.cast(pa.array(filed, pa.date32()), pa.string()),
        "Publication Date": pc.cast(pa.array(published, pa.date32()), pa.string()),
        "Applicant Country": pa.array(country),
        "Main IPC": pc.binary_join_element_wise(pa.array(code), text(rng.integers(1, 100, n)), " ", "/00"),
        "Times Cited": pa.array(cited),
        "Claims": pa.array(np.clip(np.round(rng.lognormal(np.log(11), 0.5, n)), 1, 40).astype(np.int64)),
        "PCT Application No": pc.if_else(pa.array(rng.random(n) < 0.2), "PCT/X", pa.scalar(None, pa.string())),
    })


def _subclass_pool(rng: np.random.Generator) -> np.ndarray:
    """300 subclass codes for each of 100 technologies."""
    letters = np.array([chr(65 + i) for i in range(26)])
    return np.array([[f"{'ABCDEFGH'[(t + k % 3) % 8]}{rng.integers(1, 100):02d}{rng.choice(letters)}"
                      for k in range(300)] for t in range(100)])


def _synthetic_records(folder: Path, n: int) -> tuple[Path, Path]:
    """The same n synthetic records as records.csv and records.parquet (written in chunks)."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    rng = np.random.default_rng(12)
    pool = _subclass_pool(rng)
    schema = _record_chunk(rng, 0, 10, pool).schema
    paths = folder / "records.csv", folder / "records.parquet"
    with pcsv.CSVWriter(paths[0], schema) as csv_file, pq.ParquetWriter(paths[1], schema) as parquet_file:
        for start in range(0, n, 1_000_000):
            chunk = _record_chunk(rng, start, min(1_000_000, n - start), pool)
            csv_file.write_table(chunk)
            parquet_file.write_table(chunk)
    return paths


def pandas_indicators(path: str, windows=((2001, 2010), (2011, 2021)), cutoff="2021-06-01", min_citations=1,
                      top_k=20, focal="CN"):
    """The straightforward pandas version of the records pipeline (the same checks, filters and counts)."""
    import pandas as pd

    c = RECORD_COLUMNS
    frame = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path, dtype=str, keep_default_na=False)
    technology = frame[c["technology"]].astype(str).str.strip()
    filed_text = frame[c["filed"]].astype(str).str.strip()
    year_only = filed_text.str.fullmatch(r"\d{4}")
    filed = pd.to_datetime(filed_text.where(~year_only, filed_text + "-01-01"), format="%Y-%m-%d", errors="coerce")
    published = pd.to_datetime(frame[c["published"]].astype(str).str.strip(), format="%Y-%m-%d", errors="coerce")
    citations, claims = (pd.to_numeric(frame[c[name]], errors="coerce") for name in ("citations", "claims"))
    code = frame[c["ipc"]].astype(str).str.replace(r"\s", "", regex=True).str.upper().str[:4]
    bad = ((technology == "") | filed.isna() | published.isna() | ~code.str.fullmatch(r"[A-Z]\d\d[A-Z]")
           | ~(citations >= 0) | (citations % 1 != 0) | ~(claims >= 0) | (claims % 1 != 0))
    if bad.any() or frame[c["patent"]].duplicated().any():
        raise ValueError("bad records")
    pct = frame[c["pct"]].fillna("").astype(str).str.strip().str.lower()
    records = pd.DataFrame({
        "technology": technology, "patent": frame[c["patent"]], "family": frame[c["family"]], "filed": filed,
        "focal": frame[c["country"]].astype(str).str.strip().str.upper() == focal,
        "pct": ~pct.isin(["", "0", "false", "no", "n", "f"]), "code": code,
        "citations": citations.astype("int64"), "claims": claims.astype("int64")})
    order = pd.Series(np.arange(len(records))).groupby(records["technology"].to_numpy()).min().sort_values().index
    records = records[(published < pd.Timestamp(cutoff)) & (records["citations"] >= min_citations)]
    records = records.sort_values(["technology", "family", "filed", "patent"]).drop_duplicates(["technology", "family"])
    records = records.assign(citations_focal=records["citations"] * records["focal"],
                             claims_focal=records["claims"] * records["focal"], pct_focal=records["pct"] & records["focal"])
    totals = records.groupby("technology").agg(
        n=("focal", "size"), n_focal=("focal", "sum"), citations=("citations", "sum"),
        citations_focal=("citations_focal", "sum"), claims=("claims", "sum"), claims_focal=("claims_focal", "sum"),
        pct=("pct", "sum"), pct_focal=("pct_focal", "sum")).loc[order]
    table = pd.DataFrame({"technology": order, "app_share": (totals.n_focal / totals.n).to_numpy(),
                          "cite_share": (totals.citations_focal / totals.citations).to_numpy(),
                          "claim_share": (totals.claims_focal / totals.claims).to_numpy(),
                          "pct_share": (totals.pct_focal / totals.pct).to_numpy()})
    year = records["filed"].dt.year
    tops = []
    for first, last in windows:
        counts = records[(year >= first) & (year <= last)].groupby(["technology", "code"]).size()
        counts = counts.rename("count").reset_index().sort_values(["technology", "count", "code"],
                                                                  ascending=[True, False, True])
        tops.append(counts.groupby("technology").head(top_k))
    earlier, later = tops
    for p in range(1, 5):
        known = set(zip(earlier["technology"], earlier["code"].str[:p]))
        new = [(t, code[:p]) not in known for t, code in zip(later["technology"], later["code"])]
        table[f"ipc_p{p}"] = later[new].groupby("technology").size().reindex(order, fill_value=0).to_numpy()
    return table


RECORDS_SCRIPT = """
import sys
import pandas as pd
sys.path.insert(0, {benchmarks!r})
if sys.argv[1] == "pandas":
    from run import pandas_indicators
    pandas_indicators(sys.argv[2]).to_csv(sys.argv[3], index=False)
else:
    import datetime
    from robust.records.derive import derive_from_records
    from robust.records.spec import RecordColumns, RecordsSpec
    from robust.io.results import write_csv
    from run import RECORD_COLUMNS
    spec = RecordsSpec(windows=((2001, 2010), (2011, 2021)), published_before=datetime.date(2021, 6, 1))
    write_csv(derive_from_records(sys.argv[2], RecordColumns(**RECORD_COLUMNS), spec).indicators, sys.argv[3])
"""


def bench_records() -> list[tuple[str, str, str]]:
    """10 million synthetic records (CSV and Parquet) to indicators.csv: DuckDB beside pandas, fresh processes."""
    import tempfile

    import pandas as pd

    n = 10_000_000
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        script = folder / "records.py"
        script.write_text(RECORDS_SCRIPT.format(benchmarks=str(Path(__file__).resolve().parent)))
        for path in _synthetic_records(folder, n):
            kind = path.suffix.lstrip(".").replace("parquet", "Parquet").replace("csv", "CSV")
            size = path.stat().st_size / 2**20
            ours = _measured_process([str(script), "duckdb", str(path), str(folder / "ours.csv")])
            theirs = _measured_process([str(script), "pandas", str(path), str(folder / "pandas.csv")])
            same = _same_indicators(pd.read_csv(folder / "ours.csv"), pd.read_csv(folder / "pandas.csv"))
            rows += [
                (f"records: {n:,} ({kind}, {size:,.0f} MiB) to indicators.csv, DuckDB", f"{ours[0]:.1f} s wall",
                 f"peak RSS {ours[1]:,.0f} MiB (goal <= 2 GiB)"),
                ("records: the same, straightforward pandas", f"{theirs[0]:.1f} s wall",
                 f"peak RSS {theirs[1]:,.0f} MiB; DuckDB {theirs[0] / ours[0]:.1f}x faster (goal >= 3x); "
                 f"same table: {same}"),
            ]
    return rows


PATENTS_SCRIPT = """
import datetime, sys, time
import numpy as np
sys.path.insert(0, {benchmarks!r})
from run import RECORD_COLUMNS, _record_chunk, _subclass_pool
from robust.analyses.bootstrap.analysis import BootstrapSpec, run_bootstrap
from robust.compute.execution import Execution
from robust.core.model import ScoringModel
from robust.records.derive import RecordsInput
from robust.records.resample import RecordResampler
from robust.records.source import RecordsSource
from robust.records.spec import RecordColumns, RecordsSpec
rng = np.random.default_rng(12)
records = _record_chunk(rng, 0, int(sys.argv[1]), _subclass_pool(rng))
spec = RecordsSpec(windows=((2001, 2010), (2011, 2021)), min_citations=0, merge_families=False)
derived = RecordsInput(RecordsSource(frame=records), RecordColumns(**RECORD_COLUMNS), spec).derive(cells=True)
del records
started = time.perf_counter()
result = run_bootstrap(derived.to_table(), ScoringModel(capability_threshold=0.4),  # within the capability range
                       BootstrapSpec(replicates=int(sys.argv[2]), schemes=["patents"]),
                       execution=Execution(n_jobs=int(sys.argv[3])), rng=1, derived=derived)
seconds = time.perf_counter() - started
cells = RecordResampler.build(derived.statistics, spec).n_cells
result.to_frame().to_csv(sys.argv[4] + ".csv", index=False)
with open(sys.argv[4], "w") as handle:
    handle.write(f"{{seconds}} {{int(derived.indicators['n_records'].sum())}} {{cells}}")
"""


def bench_patents() -> list[tuple[str, str, str]]:
    """The patents bootstrap: 1,000,000 kept records x 2,000 replicates, --jobs 2 and 1 (bootstrap time alone)."""
    import filecmp
    import tempfile

    n, replicates = 1_000_000, 2000
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "patents.py"
        script.write_text(PATENTS_SCRIPT.format(benchmarks=str(Path(__file__).resolve().parent)))
        measured = {}
        for jobs in (2, 1):
            out = Path(folder) / f"jobs{jobs}"
            wall, tree, largest = _measured_process([str(script), str(n), str(replicates), str(jobs), str(out)])
            seconds, kept, cells = out.read_text().split()
            measured[jobs] = float(seconds)
            rows.append((f"patents: {int(kept):,} records ({int(cells):,} cells) x {replicates:,} replicates, "
                         f"--jobs {jobs}", f"{float(seconds):.1f} s",
                         ("goal <= 60 s (bootstrap alone, records already read); " if jobs == 2 else "")
                         + f"process {wall:.0f} s wall, peak RSS {tree:,.0f} MiB all processes, "
                           f"{largest:,.0f} MiB largest"))
        same = filecmp.cmp(Path(folder) / "jobs2.csv", Path(folder) / "jobs1.csv", shallow=False)
        rows[-1] = (*rows[-1][:2], rows[-1][2] + f"; --jobs 2 is {measured[1] / measured[2]:.2f}x; "
                    f"identical stability.csv: {same}")
    return rows


def _same_indicators(ours, theirs) -> bool:
    columns = ["technology", "app_share", "cite_share", "claim_share", "pct_share", "ipc_p1", "ipc_p2", "ipc_p3",
               "ipc_p4"]
    return bool(ours[columns].equals(theirs[columns]))


BASELINE = "2e8459e"  # main before issue 14 (figures, report and progress rebuilt; Sobol design vectorised)


def _checkout(ref: str, folder: Path) -> Path:
    """A detached git worktree of ``ref`` in ``folder`` (removed by :func:`_remove_checkout`)."""
    import subprocess

    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(folder), ref],
                   check=True, capture_output=True)
    return folder


def _remove_checkout(folder: Path) -> None:
    import subprocess

    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], capture_output=True)


def _timed_cli(code: Path, argv: list[str]) -> float:
    """Wall seconds of ``python -m robust ARGV`` with the package imported from ``code``."""
    import subprocess

    env = dict(os.environ, PYTHONPATH=str(code))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "robust", *argv], env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"robust {' '.join(argv)} ({code}) failed: {done.stderr.strip()}")
    return time.perf_counter() - started


def bench_pipeline(baseline: str = BASELINE) -> list[tuple[str, str, str]]:
    """`robust run` on experiments/paper.toml and quick.toml with ``baseline`` (a git ref, checked
    out in a temporary worktree) and with this checkout, one after the other in the same run:
    this checkout runs the baseline's configs (the same work: the speed goal), then the same
    with ``--no-figures`` (the analyses and the report alone), then its own configs (which ask
    for more analyses); whether every table the baseline wrote is unchanged."""
    import tempfile

    from robust.io.compare import compare_tables

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        before = _checkout(baseline, folder / "baseline")
        try:
            for stem in ("paper", "quick"):
                for jobs in ("1", "2"):
                    runs = {"baseline": (before, before, []), "the same config": (ROOT, before, []),
                            "the same config, --no-figures": (ROOT, before, ["--no-figures"]),
                            "this checkout's config (more analyses)": (ROOT, ROOT, [])}
                    times = {}
                    for number, (name, (code, configs, extra)) in enumerate(runs.items()):
                        out = folder / f"run{number}_{stem}_{jobs}"
                        times[name] = (_timed_cli(code, ["run", str(configs / "experiments" / f"{stem}.toml"),
                                                         "--out", str(out), "--jobs", jobs, "--quiet", *extra]), out)
                    written = times["baseline"][1]
                    tables = [p.name for p in written.glob("*.csv") if p.name != "verdict_sensitivity.csv"]
                    for name in list(runs)[1:]:
                        seconds, out = times[name]
                        changed = compare_tables(written, out, names=tables)
                        rows.append((f"pipeline: robust run {stem}.toml --jobs {jobs}, {name}",
                                     f"{seconds:.1f} s / {times['baseline'][0]:.1f} s",
                                     f"{seconds / times['baseline'][0]:.0%} of {baseline}'s wall time"
                                     + (" (goal <= 40%)" if name == "the same config" else "")
                                     + f"; {len(tables) - len(changed)} of {len(tables)} tables unchanged"
                                     + ("" if not changed else ": " + "; ".join(str(c) for c in changed))))
        finally:
            _remove_checkout(before)
    return rows


BENCHMARKS = {
    "scorer": bench_scorer,
    "bootstrap": bench_bootstrap,
    "sobol": bench_sobol,
    "paper": bench_paper,
    "scale": bench_scale,
    "parallel": bench_parallel,
    "records": bench_records,
    "patents": bench_patents,
    "pipeline": bench_pipeline,
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", choices=[[]] + list(BENCHMARKS), help="default: all")
    args = parser.parse_args(argv)
    names = args.names or list(BENCHMARKS)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"numpy {np.__version__}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    rows = [row for name in names for row in BENCHMARKS[name]()]
    width = max(len(row[0]) for row in rows)
    for what, figure, note in rows:
        print(f"{what:<{width}}  {figure:>22}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
