"""Committed results are what the committed code produces (determinism and provenance)."""

import hashlib
import json
from pathlib import Path

import pytest

from robust.cli import main
from robust.config import config_digest, load_config
from robust.experiment import compute_tables, prepare
from robust.parallel import Execution

ROOT = Path(__file__).resolve().parents[1]
PAPER = ROOT / "results" / "paper"
DETERMINISM = Path(__file__).parent / "data" / "determinism"


def _tables(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.csv"))}


def _assert_same_tables(fresh: dict, committed: dict, where: str) -> None:
    assert sorted(fresh) == sorted(committed), where
    differing = [name for name in committed if fresh[name] != committed[name]]
    assert not differing, f"{where}: {differing} differ from a fresh run of the committed code"


def test_small_study_reproduces_its_committed_tables_byte_for_byte(tmp_path):
    out = tmp_path / "fresh"
    assert main(["run", str(DETERMINISM / "study.toml"), "--out", str(out), "--quiet"]) == 0
    _assert_same_tables(_tables(out), _tables(DETERMINISM / "expected"), "tests/data/determinism/expected")


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
    compute_tables(config, prepare(config), tmp_path, Execution())
    _assert_same_tables(_tables(tmp_path), _tables(PAPER), "results/paper")
