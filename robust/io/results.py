"""The tables and JSON documents of a result folder: written deterministically, read back faithfully."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV with shortest round-trip floats and ``\\n`` line ends, so reruns diff clean."""
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def read_result_table(folder: Path, name: str) -> pd.DataFrame | None:
    """A table of a result folder (empty cells stay empty, never "NA" strings), or None if absent."""
    path = Path(folder) / name
    return pd.read_csv(path, keep_default_na=False, na_values=[""]) if path.is_file() else None


def write_json(document: dict, path: Path) -> None:
    """JSON with sorted keys and a final newline, so reruns diff clean."""
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
