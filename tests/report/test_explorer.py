"""The what-if explorer: its JavaScript scorer against the Python one, its data, the page in a browser."""

import json
import re
import shutil
import subprocess

import numpy as np
import pytest

from robust import ScoringModel, score
from robust.core.table import IndicatorTable
from robust.report.explorer import SCORER_JS, explorer_data
from tests.helpers import PAPER_INDICATORS, PAPER_IPC

NODE = shutil.which("node")
CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(name)), None)


def _embedded(report_html: str) -> dict:
    found = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', report_html, re.S)
    return json.loads(found.group(1).replace("<\\/", "</"))


def _models(rng, count):
    """Random weights, amplitudes and thresholds the sliders can reach."""
    for _ in range(count):
        yield (rng.dirichlet(np.ones(4)), rng.uniform(0, 8, 4), rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7))


def _python_quadrants(table: IndicatorTable, weights, amplitudes, cap_t, dyn_t, normalize="none"):
    model = ScoringModel(weighting=tuple(weights / weights.sum()), amplitudes=tuple(amplitudes), normalize=normalize,
                         capability_threshold=cap_t, dynamism_threshold=dyn_t)
    return [str(q) for q in score(table, model).quadrant]


def test_the_embedded_data_are_the_folder_tables(paper_run, paper_table):
    data = _embedded((paper_run / "report.html").read_text())
    assert data == explorer_data(paper_run, json.loads((paper_run / "manifest.json").read_text())["config"])
    assert data["technologies"] == list(paper_table.technologies)
    assert np.array_equal(np.array(data["values"]), paper_table.values)
    assert np.array_equal(np.array(data["dynamism"]), paper_table.dynamism_inputs)
    assert data["base_quadrant"] == [str(q) for q in score(paper_table).quadrant]
    assert data["indicators"] == PAPER_INDICATORS and len(data["amplitudes"]) == len(PAPER_IPC)


@pytest.mark.skipif(NODE is None, reason="needs Node.js to run the page's JavaScript")
@pytest.mark.parametrize("normalize", ["none", "minmax"])
def test_the_page_formula_gives_the_scorer_quadrants(paper_run, paper_table, normalize):
    data = _embedded((paper_run / "report.html").read_text())
    data["normalize"] = normalize
    models = list(_models(np.random.default_rng(8), 60))
    models.append((np.array(data["weights"]), np.array(data["amplitudes"]), 0.5, 0.5))
    calls = [[list(w), list(a), c, d] for w, a, c, d in models]
    program = (SCORER_JS + "\nvar data = " + json.dumps(data) + ";\nvar calls = " + json.dumps(calls) + ";\n"
               "console.log(JSON.stringify(calls.map(function (c) {"
               " return robustScore(data, c[0], c[1], c[2], c[3]); })));")
    output = subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True, timeout=60).stdout
    pages = json.loads(output)
    for (weights, amplitudes, cap_t, dyn_t), page in zip(models, pages):
        expected = score(paper_table, ScoringModel(weighting=tuple(weights / weights.sum()), normalize=normalize,
                                                   amplitudes=tuple(amplitudes), capability_threshold=cap_t,
                                                   dynamism_threshold=dyn_t))
        assert [p["quadrant"] for p in page] == [str(q) for q in expected.quadrant]
        assert np.allclose([p["capability"] for p in page], expected.capability, rtol=0, atol=1e-12)
        assert np.allclose([p["dynamism"] for p in page], expected.dynamism, rtol=0, atol=1e-12)
    # the page's starting point is the base model: nothing has moved
    assert [p["quadrant"] for p in pages[-1]] == data["base_quadrant"]


@pytest.mark.skipif(CHROMIUM is None, reason="needs a headless Chromium")
def test_the_explorer_runs_in_a_real_browser_offline(paper_run, tmp_path):
    page = tmp_path / "report.html"
    shutil.copy(paper_run / "report.html", page)
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
                          "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    explorer = dom.split('<section id="explorer">')[1]
    assert "Every technology keeps its base quadrant." in explorer        # the script ran and agrees at the base
    drawn = explorer.split("<svg")[1].split("</svg>")[0]                 # the map the script drew
    assert drawn.count("<circle") == 20 and explorer.count('type="range"') == 4 + 4 + 2
