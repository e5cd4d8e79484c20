"""Committed results are what the committed code computes: exactly in meaning, within a tolerance in the last bits.

Floating-point results can differ in the last bits between machines (libm, BLAS kernels),
so committed tables are compared with a fresh run cell by cell: numbers within
rtol 1e-12 / atol 1e-14 (:mod:`robust.io.compare`), every other cell exactly.
"""

import hashlib
import json

import pytest

from robust import Execution
from robust.app.config import config_digest, load_config
from robust.app.experiment import compute_tables, prepare
from robust.io.compare import compare_table
from robust.io.results import read_result_table, write_csv
from robust.report.verdicts import VerdictRule, verdict_sensitivity
from tests.helpers import ROOT, assert_tables_agree

PAPER = ROOT / "results" / "paper"
DETERMINISM = ROOT / "tests" / "data" / "determinism"


def test_small_study_reproduces_its_committed_tables(tmp_path):
    config = load_config(DETERMINISM / "study.toml")
    compute_tables(config, prepare(config), tmp_path, Execution())
    assert_tables_agree(tmp_path, DETERMINISM / "expected")


@pytest.fixture(scope="module")
def paper_manifest():
    return json.loads((PAPER / "manifest.json").read_text(encoding="utf-8"))


def test_committed_paper_results_come_from_the_committed_config(paper_manifest):
    config = load_config(ROOT / "experiments" / "paper.toml")
    seeded = config.with_seed(paper_manifest["seed_entropy"])
    assert paper_manifest["config"] == seeded.resolved()
    assert paper_manifest["config_sha256"] == config_digest(seeded.resolved())
    for name, digest in paper_manifest["outputs"].items():
        assert hashlib.sha256((PAPER / name).read_bytes()).hexdigest() == digest, name


def test_committed_paper_tables_are_what_the_code_computes(paper_manifest, tmp_path):
    config = load_config(ROOT / "experiments" / "paper.toml").with_seed(paper_manifest["seed_entropy"])
    compute_tables(config, prepare(config), tmp_path, Execution(n_jobs=2))  # the same for any workers
    assert_tables_agree(tmp_path, PAPER)


def test_the_committed_verdict_sensitivity_is_what_the_report_derives_from_the_committed_tables(
        paper_manifest, tmp_path):
    rule = VerdictRule(**paper_manifest["config"]["report"])
    stability, scores = read_result_table(PAPER, "stability.csv"), read_result_table(PAPER, "scores.csv")
    write_csv(verdict_sensitivity(stability, scores["technology"], rule), tmp_path / "verdict_sensitivity.csv")
    assert compare_table(tmp_path / "verdict_sensitivity.csv", PAPER / "verdict_sensitivity.csv") is None
