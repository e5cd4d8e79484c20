"""A user's file: its text, or one line saying why it cannot be read."""

import pytest

from robust import InputError
from robust.io.files import read_user_file, read_user_text


def test_text_without_its_byte_order_mark(tmp_path):
    path = tmp_path / "a.toml"
    path.write_bytes(b"\xef\xbb\xbfkey = 1\n")
    assert read_user_text(path, "a.toml", "config file", text_kind="TOML") == "key = 1\n"
    assert read_user_file(path, "a.toml", "config file").startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "x: config file not found"),
        ("dir", "x: is a directory, not a config file"),
        (b"PK\x03\x04\x00binary", "x: is a binary file, not TOML"),
        ("naïve".encode("latin-1"), r"x: is not UTF-8 text \(byte 0xef at offset 2\)"),
    ],
)
def test_unreadable_files(tmp_path, content, message):
    path = tmp_path / "x"
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_user_text(path, "x", "config file", text_kind="TOML")
