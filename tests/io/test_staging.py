"""Result folders appear whole or not at all, and never replace a folder that is not one."""

import pandas as pd
import pytest

from robust import InputError
from robust.io.manifest import MANIFEST, package_versions, seal_manifest
from robust.io.results import file_sha256, read_result_table, write_csv, write_json
from robust.io.staging import staged_directory


def hidden(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_complete_stage_replaces_an_earlier_result_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).write_text("{}")
    (out / "old.csv").write_text("x\n1\n")
    with staged_directory(out) as stage:
        (stage.path / "new.csv").write_text("x\n2\n")
        assert not (out / "new.csv").exists()  # nothing appears before the stage is complete
    assert sorted(p.name for p in out.iterdir()) == ["new.csv"]
    assert hidden(tmp_path) == []


def test_a_failed_stage_leaves_the_destination_as_it_was(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        with staged_directory(out) as stage:
            (stage.path / "half.csv").write_text("x\n")
            raise RuntimeError("interrupted")
    assert not out.exists() and hidden(tmp_path) == []


def test_keep_destination_discards_the_stage(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).write_text("{}")
    with staged_directory(out) as stage:
        (stage.path / "new.csv").write_text("x\n")
        stage.keep_destination = True
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST] and hidden(tmp_path) == []


def test_a_folder_that_is_not_a_result_folder_is_refused(tmp_path):
    foreign = tmp_path / "thesis"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    with pytest.raises(InputError, match="exists and is not a robust result folder"):
        with staged_directory(foreign):
            pass
    assert (foreign / "thesis.tex").read_text() == "precious"


def test_manifest_seals_every_file_and_is_written_last(tmp_path):
    write_csv(pd.DataFrame({"a": [0.1, None], "b": ["x", ""]}), tmp_path / "t.csv")
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "f.png").write_bytes(b"png")
    manifest = {"versions": package_versions()}
    files = seal_manifest(tmp_path, manifest)
    assert files == ["figures/f.png", "t.csv", MANIFEST]
    assert manifest["outputs"]["t.csv"] == file_sha256(tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text() == "a,b\n0.1,x\n,\n"
    table = read_result_table(tmp_path, "t.csv")
    assert table["a"].isna().tolist() == [False, True] and table["b"].isna().tolist() == [False, True]
    assert read_result_table(tmp_path, "absent.csv") is None
    write_json({"b": 1, "a": "é"}, tmp_path / "d.json")
    assert (tmp_path / "d.json").read_text(encoding="utf-8") == '{\n  "a": "é",\n  "b": 1\n}\n'
    assert {"python", "robust", "numpy", "SALib"} <= set(manifest["versions"])
