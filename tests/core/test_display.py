"""Result objects show themselves in a line (never their arrays) and as a table in a notebook."""

import numpy as np
import pytest

import robust
from robust.core.display import HTML_ROWS
from tests.helpers import THRESHOLDS, quiet_sobol


@pytest.fixture(scope="module")
def results(paper_table):
    base = robust.score(paper_table)
    boot = robust.bootstrap(paper_table, replicates=256, schemes=["technologies", "jackknife"], rng=2)
    sobol = quiet_sobol(paper_table, factors=THRESHOLDS, n=64, scrambles=2, outputs=["retained"], rng=3)
    weightings = robust.compare_weightings(paper_table, methods=["equal", "critic"])
    return {"table": paper_table, "scores": base, "batch": robust.score_batch(paper_table.values, np.full((3, 4), 0.25), paper_table.raw_dynamism([4, 3, 2, 1])),
            "bootstrap": boot, "sobol": sobol, "weightings": weightings}


def test_a_repr_is_the_summary_in_a_line(results):
    for name, result in results.items():
        text = repr(result)
        assert text == f"<{type(result).__name__}: {result.summary()}>", name
        assert len(text.splitlines()) <= 2 and "array(" not in text and len(text) < 400, name
    assert repr(results["scores"]) == ("<ScoreResult: 20 technologies: assault 7, entrench 9, position 1, disrupt 3 "
                                       "(entropy weights; thresholds 0.5, 0.5)>")
    assert repr(results["batch"]) == "<BatchScores: 3 models x 20 technologies>"


def test_a_notebook_shows_the_summary_and_the_first_rows(results):
    html = results["bootstrap"]._repr_html_()
    frame = results["bootstrap"].to_frame()
    assert html.startswith("<p><strong>BootstrapResult</strong>: ") and "<table" in html
    assert html.count("<tr") == min(len(frame), HTML_ROWS) + 1  # the header row and the first rows
    assert f"{len(frame) - HTML_ROWS} more rows" in html
