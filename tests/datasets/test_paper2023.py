"""The packaged paper data and its provenance."""

import numpy as np
import pandas as pd
import pytest

import robust
from robust.datasets.builtin import builtin_path, data_path
from robust.datasets.paper2023 import parse_ipc_terms


def test_table2_counts_are_the_parsed_terms():
    frame = pd.read_csv(builtin_path("paper2023"), dtype={"ipc_terms": str})
    assert len(frame) == 20 and frame["id"].tolist() == list(range(1, 21))
    for terms, counts in zip(frame["ipc_terms"], frame[["ipc_p1", "ipc_p2", "ipc_p3", "ipc_p4"]].to_numpy()):
        assert parse_ipc_terms(terms) == tuple(counts)


def test_raw_dynamism_range_as_in_method_notes(paper_table):
    raw = paper_table.raw_dynamism([4, 3, 2, 1])
    names = paper_table.technologies
    assert raw.max() == 37 and names[int(raw.argmax())] == "high-pressure common-rail system"
    assert raw.min() == 0 and names[int(raw.argmin())] == "high-strength stainless steel"
    assert np.sort(raw)[-2] == 25


@pytest.mark.parametrize("bad", ["3x1+", "5×2", "3×1+3×2", "two"])
def test_parse_ipc_terms_rejects_malformed_terms(bad):
    with pytest.raises(ValueError):
        parse_ipc_terms(bad)


def test_published_table_lines_up_with_inputs():
    published = robust.load_paper2023_published()
    assert published["name_en"].tolist() == list(robust.load_paper2023().technologies)
    assert set(published["quadrant"]) == set(robust.QUADRANTS)
    assert published.groupby("quadrant").size().to_dict() == {
        "assault": 7, "entrench": 9, "position": 1, "disrupt": 3,
    }


def test_provenance_is_packaged():
    text = data_path("PROVENANCE.md").read_text(encoding="utf-8")
    assert "10.16418/j.issn.1000-3045.20221020003" in text and "Table 2" in text
