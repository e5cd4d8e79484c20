"""Result folders appear whole or not at all, never replace a folder robust did not write, and keep a user's files."""

import fcntl
import os
import stat

import pandas as pd
import pytest

from robust import InputError
from robust.io.manifest import MANIFEST, package_versions, read_manifest, seal_manifest
from robust.io.results import file_sha256, read_result_table, write_csv, write_json
from robust.io.staging import remove_stale_stages, staged_directory


def hidden(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def result_folder(path, files=("old.csv",)):
    """A folder as robust writes it: the files, then a sealed manifest."""
    path.mkdir()
    for name in files:
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text("x\n1\n")
    seal_manifest(path, {"versions": package_versions()})
    return path


def test_a_complete_stage_replaces_an_earlier_result_folder(tmp_path):
    out = result_folder(tmp_path / "out")
    with staged_directory(out) as stage:
        (stage.path / "new.csv").write_text("x\n2\n")
        assert not (out / "new.csv").exists()  # nothing appears before the stage is complete
    assert sorted(p.name for p in out.iterdir()) == ["new.csv"]
    assert hidden(tmp_path) == []


def test_files_the_manifest_does_not_list_are_carried_over(tmp_path):
    out = result_folder(tmp_path / "out", files=("old.csv", "figures/map.png"))
    (out / "notes.md").write_text("reviewer: check row 3")
    (out / "figures" / "annotated.png").write_bytes(b"mine")
    (out / "drafts" / "empty").mkdir(parents=True)
    (out / ".hidden").write_text("h")
    (out / "link").symlink_to("notes.md")
    with staged_directory(out) as stage:
        (stage.path / "figures").mkdir()
        (stage.path / "figures" / "map.png").write_bytes(b"new")
        (stage.path / "new.csv").write_text("x\n2\n")
    assert (out / "notes.md").read_text() == "reviewer: check row 3"
    assert (out / "figures" / "annotated.png").read_bytes() == b"mine"
    assert (out / "drafts" / "empty").is_dir() and (out / ".hidden").read_text() == "h"
    assert os.readlink(out / "link") == "notes.md"
    assert not (out / "old.csv").exists() and (out / "figures" / "map.png").read_bytes() == b"new"
    assert stage.carried == [".hidden", "drafts", "figures/annotated.png", "link", "notes.md"]
    assert hidden(tmp_path) == []


def test_a_user_file_where_the_new_folder_writes_is_refused_and_nothing_changes(tmp_path):
    out = result_folder(tmp_path / "out")
    (out / "sobol.csv").write_text("my own table")
    with pytest.raises(InputError, match=r"out: 1 file\(s\) that robust did not write are where this run "
                                         r"writes its own: sobol.csv; move them away"):
        with staged_directory(out) as stage:
            (stage.path / "sobol.csv").write_text("x\n")
    assert (out / "sobol.csv").read_text() == "my own table" and (out / "old.csv").is_file()
    assert hidden(tmp_path) == []


def test_a_failed_stage_leaves_the_destination_as_it_was(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        with staged_directory(out) as stage:
            (stage.path / "half.csv").write_text("x\n")
            raise RuntimeError("interrupted")
    assert not out.exists() and hidden(tmp_path) == []


def test_keep_destination_discards_the_stage(tmp_path):
    out = result_folder(tmp_path / "out")
    with staged_directory(out) as stage:
        (stage.path / "new.csv").write_text("x\n")
        stage.keep_destination = True
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "old.csv"] and hidden(tmp_path) == []


@pytest.mark.parametrize("manifest", [None, '{"name": "my web app", "icons": []}', "{not json"])
def test_a_folder_that_is_not_a_result_folder_is_refused(tmp_path, manifest):
    foreign = tmp_path / "webapp"
    (foreign / "data").mkdir(parents=True)
    (foreign / "index.html").write_text("<html>")
    (foreign / "data" / "survey.csv").write_text("precious")
    if manifest is not None:
        (foreign / MANIFEST).write_text(manifest)
    with pytest.raises(InputError, match="webapp: exists and is not a robust result folder"):
        with staged_directory(foreign):
            pass
    assert (foreign / "data" / "survey.csv").read_text() == "precious"
    assert sorted(p.name for p in foreign.iterdir()) == sorted(["data", "index.html"] + ([MANIFEST] if manifest else []))
    assert hidden(tmp_path) == []


def test_stale_staging_folders_are_removed_and_live_ones_kept(tmp_path):
    stale = tmp_path / ".out.partial-abcd1234"
    (stale / "figures").mkdir(parents=True)
    (stale / "scores.csv").write_text("x")
    live = tmp_path / ".other.partial-live0000"
    live.mkdir()
    mine = tmp_path / ".notes.partial-draft"  # not a name robust gives a staging folder
    mine.mkdir()
    descriptor = os.open(live, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)  # as a running robust holds it
    try:
        assert remove_stale_stages(tmp_path) == [stale.name]
    finally:
        os.close(descriptor)
    assert not stale.exists() and live.is_dir() and mine.is_dir()


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_a_result_folder_gets_the_permissions_of_the_umask(tmp_path, umask):
    previous = os.umask(umask)
    try:
        with staged_directory(tmp_path / "out") as stage:
            (stage.path / "t.csv").write_text("x\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o777 & ~umask


def test_manifest_seals_every_file_and_is_written_last(tmp_path):
    write_csv(pd.DataFrame({"a": [0.1, None], "b": ["x", ""]}), tmp_path / "t.csv")
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "f.png").write_bytes(b"png")
    manifest = {"versions": package_versions()}
    files = seal_manifest(tmp_path, manifest)
    assert files == ["figures/f.png", "t.csv", MANIFEST]
    assert manifest["outputs"]["t.csv"] == file_sha256(tmp_path / "t.csv")
    assert manifest["format"] == "robust result folder" and read_manifest(tmp_path) == manifest
    assert (tmp_path / "t.csv").read_text() == "a,b\n0.1,x\n,\n"
    table = read_result_table(tmp_path, "t.csv")
    assert table["a"].isna().tolist() == [False, True] and table["b"].isna().tolist() == [False, True]
    assert read_result_table(tmp_path, "absent.csv") is None
    write_json({"b": 1, "a": "é"}, tmp_path / "d.json")
    assert (tmp_path / "d.json").read_text(encoding="utf-8") == '{\n  "a": "é",\n  "b": 1\n}\n'
    assert {"python", "robust", "numpy", "SALib"} <= set(manifest["versions"])


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", r"manifest.json: is not valid JSON \(line 1, column 2"),
    ('{"outputs": {"../../etc/passwd": "' + "0" * 64 + '"}}', r"manifest.json: was not written by robust"),
    ('{"versions": {"robust": "0.1.0"}, "outputs": {"t.csv": "' + "0" * 64 + '"}}',
     r"manifest.json: predates robust's format marker and the files it lists changed since"),
    ('{"name": "my web app", "outputs": {"t.csv": "' + "0" * 64 + '"}}',
     r"manifest.json: was not written by robust \(no format marker"),
])
def test_a_damaged_or_foreign_manifest_is_one_line(tmp_path, text, message):
    (tmp_path / "t.csv").write_text("x\n")
    (tmp_path / MANIFEST).write_text(text)
    with pytest.raises(InputError, match=message) as caught:
        read_manifest(tmp_path)
    assert "\n" not in str(caught.value)


def test_a_manifest_from_before_the_format_marker_is_recognised_while_its_files_are_intact(tmp_path):
    (tmp_path / "t.csv").write_text("x\n")
    write_json({"versions": {"robust": "0.1.0"}, "outputs": {"t.csv": file_sha256(tmp_path / "t.csv")}},
               tmp_path / MANIFEST)
    assert read_manifest(tmp_path)["outputs"] == {"t.csv": file_sha256(tmp_path / "t.csv")}
