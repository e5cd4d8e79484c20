"""The what-if explorer of ``report.html``: sliders for the weights, thresholds and amplitudes.

The page carries the technologies' inputs as JSON and scores them in the browser with the
model's exact formulas (:data:`SCORER_JS`): capability the weighted sum of the indicators (the
weights renormalised to sum to one; min-max normalised first when the model does), dynamism
the amplitude-weighted IPC counts (or the precomputed score) min-max scaled over the
technologies (0 for a zero range), ``score >= threshold`` strong. No server and no external
script: it works from the file alone. ``tests/report/test_explorer.py`` runs the same
JavaScript in Node.js and compares it with the Python scorer.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from ..core.options import QUADRANTS
from ..io.results import read_result_table

SCORER_JS = """
function robustScore(data, weights, amplitudes, capabilityThreshold, dynamismThreshold) {
  var m = data.values.length, k = data.indicators.length, total = 0, j, i;
  for (j = 0; j < k; j++) total += weights[j];
  var w = weights.map(function (x) { return total > 0 ? x / total : 1 / k; });
  var inputs = data.values;
  if (data.normalize === "minmax") {
    inputs = data.values.map(function (row) { return row.slice(); });
    for (j = 0; j < k; j++) {
      var lo = Infinity, hi = -Infinity;
      for (i = 0; i < m; i++) { lo = Math.min(lo, data.values[i][j]); hi = Math.max(hi, data.values[i][j]); }
      for (i = 0; i < m; i++) inputs[i][j] = hi > lo ? (data.values[i][j] - lo) / (hi - lo) : 0;
    }
  }
  var raw = data.dynamism.map(function (row) {
    if (data.ipc_counts) {
      var s = 0;
      for (var p = 0; p < row.length; p++) s += amplitudes[p] * row[p];
      return s;
    }
    return row[0];
  });
  var rlo = Math.min.apply(null, raw), rhi = Math.max.apply(null, raw);
  var quadrants = ["assault", "entrench", "position", "disrupt"];
  return inputs.map(function (row, index) {
    var c = 0;
    for (var q = 0; q < k; q++) c += w[q] * row[q];
    var d = rhi > rlo ? (raw[index] - rlo) / (rhi - rlo) : 0;
    var strongC = c >= capabilityThreshold, strongD = d >= dynamismThreshold;
    var code = strongC ? (strongD ? 3 : 0) : (strongD ? 2 : 1);
    return {capability: c, dynamism: d, quadrant: quadrants[code]};
  });
}
"""

PAGE_JS = """
(function () {
  var data = JSON.parse(document.getElementById("explorer-data").textContent);
  var root = document.getElementById("explorer");
  var state = {weights: data.weights.slice(), amplitudes: (data.amplitudes || []).slice(),
               capability: data.capability_threshold, dynamism: data.dynamism_threshold};
  function slider(label, value, max, onChange) {
    var row = document.createElement("label");
    row.className = "slider";
    var input = document.createElement("input");
    input.type = "range"; input.min = 0; input.max = max; input.step = max / 1000; input.value = value;
    var shown = document.createElement("output");
    shown.textContent = Number(value).toFixed(3);
    input.addEventListener("input", function () { shown.textContent = Number(input.value).toFixed(3);
      onChange(Number(input.value)); draw(); });
    row.appendChild(document.createTextNode(label + " "));
    row.appendChild(input); row.appendChild(shown);
    root.querySelector(".controls").appendChild(row);
  }
  data.indicators.forEach(function (name, j) {
    slider("weight of " + name, state.weights[j], 1, function (v) { state.weights[j] = v; }); });
  if (data.ipc_counts) data.amplitudes.forEach(function (a, p) {
    slider("amplitude of position " + (p + 1), a, 2 * Math.max.apply(null, data.amplitudes),
           function (v) { state.amplitudes[p] = v; }); });
  slider("capability threshold", state.capability, 1, function (v) { state.capability = v; });
  slider("dynamism threshold", state.dynamism, 1, function (v) { state.dynamism = v; });
  var svg = root.querySelector("svg"), size = 460, pad = 40;
  function esc(text) { return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); }
  function sx(v) { return pad + v * (size - 2 * pad); }
  function sy(v) { return size - pad - v * (size - 2 * pad); }
  function draw() {
    var scores = robustScore(data, state.weights, state.amplitudes, state.capability, state.dynamism);
    var parts = ['<rect x="' + pad + '" y="' + pad + '" width="' + (size - 2 * pad) + '" height="' +
                 (size - 2 * pad) + '" fill="none" stroke="black"/>',
                 '<line x1="' + sx(state.capability) + '" y1="' + pad + '" x2="' + sx(state.capability) +
                 '" y2="' + (size - pad) + '" stroke="black" stroke-dasharray="4 3"/>',
                 '<line x1="' + pad + '" y1="' + sy(state.dynamism) + '" x2="' + (size - pad) + '" y2="' +
                 sy(state.dynamism) + '" stroke="black" stroke-dasharray="4 3"/>',
                 '<text x="' + (size / 2) + '" y="' + (size - 8) + '" text-anchor="middle">capability</text>',
                 '<text x="12" y="' + (size / 2) + '" transform="rotate(-90 12 ' + (size / 2) +
                 ')" text-anchor="middle">dynamism</text>'];
    [0, 0.25, 0.5, 0.75, 1].forEach(function (t) {
      parts.push('<text x="' + sx(t) + '" y="' + (size - pad + 14) + '" font-size="10" text-anchor="middle">' +
                 t + '</text><text x="' + (pad - 4) + '" y="' + (sy(t) + 3) + '" font-size="10" ' +
                 'text-anchor="end">' + t + '</text>');
    });
    [["position", pad + 4, pad + 14, "start"], ["disrupt", size - pad - 4, pad + 14, "end"],
     ["entrench", pad + 4, size - pad - 6, "start"], ["assault", size - pad - 4, size - pad - 6, "end"]]
      .forEach(function (q) {
        parts.push('<text x="' + q[1] + '" y="' + q[2] + '" font-size="11" font-style="italic" fill="#555" ' +
                   'text-anchor="' + q[3] + '">' + q[0] + '</text>'); });
    var changed = [];
    scores.forEach(function (s, i) {
      var moved = s.quadrant !== data.base_quadrant[i];
      if (moved) changed.push(data.technologies[i] + ": " + data.base_quadrant[i] + " \\u2192 " + s.quadrant);
      var x = sx(Math.max(0, Math.min(1.05, s.capability))), y = sy(Math.max(0, Math.min(1.05, s.dynamism)));
      var tip = esc(data.labels[i]) + ": capability " + s.capability.toFixed(4) + ", dynamism " +
                s.dynamism.toFixed(4) + ", " + s.quadrant;
      parts.push('<circle cx="' + x + '" cy="' + y + '" r="5" fill="' + (moved ? "black" : "white") +
                 '" stroke="black"><title>' + tip + '</title></circle><text x="' + (x + 7) + '" y="' + (y - 5) +
                 '" font-size="9">' + esc(data.labels[i]) + '</text>');
    });
    svg.innerHTML = parts.join("");
    root.querySelector(".changes").textContent = changed.length ?
      "Changed quadrant (filled points): " + changed.join("; ") : "Every technology keeps its base quadrant.";
  }
  draw();
})();
"""


def explorer_data(folder: Path, config: dict) -> dict | None:
    """The explorer's data from a folder's tables, or None when ``inputs.csv`` is missing."""
    inputs, weights = read_result_table(folder, "inputs.csv"), read_result_table(folder, "weights.csv")
    scores = read_result_table(folder, "scores.csv")
    if inputs is None or weights is None or scores is None:
        return None
    capability, dynamism = config["capability"], config["dynamism"]
    indicators = capability["indicators"]
    columns = dynamism.get("ipc_changes") or [dynamism["score"]]
    base = weights[weights["method"] == weights["method"].iloc[0]].set_index("indicator").loc[indicators, "weight"]
    amplitudes = dynamism.get("amplitudes") or [float(len(columns) - i) for i in range(len(columns))]
    labels = scores["label"] if "label" in scores else scores["technology"]
    return {
        "technologies": list(inputs["technology"]),
        "labels": [str(label) for label in labels],
        "indicators": list(indicators),
        "values": inputs[indicators].to_numpy(dtype=float).tolist(),
        "normalize": capability["normalize"],
        "weights": base.to_numpy(dtype=float).tolist(),
        "ipc_counts": "ipc_changes" in dynamism,
        "dynamism": inputs[columns].to_numpy(dtype=float).tolist(),
        "amplitudes": amplitudes if "ipc_changes" in dynamism else None,
        "capability_threshold": capability["threshold"],
        "dynamism_threshold": dynamism["threshold"],
        "base_quadrant": [q for q in scores["quadrant"]],
        "quadrants": list(QUADRANTS),
    }


def explorer_html(data: dict) -> str:
    """The explorer as an HTML fragment: controls, the quadrant map (SVG), the data and the script."""
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return (
        '<section id="explorer"><p>Move the weights (renormalised to sum to one), the thresholds and the '
        "amplitudes: the map is scored again in the page with the model's formulas. Filled points have left "
        "their base quadrant; hover over a point for its scores. The weights are held fixed, not estimated "
        'again from the data.</p><div class="controls"></div>'
        '<svg viewBox="0 0 460 460" width="460" height="460" role="img" aria-label="quadrant map"></svg>'
        f'<p class="changes"></p><script type="application/json" id="explorer-data">{payload}</script>'
        f"<script>{SCORER_JS}{PAGE_JS}</script></section>"
    )


def explorer_note() -> str:
    return html.escape("The what-if explorer (sliders for the weights, thresholds and amplitudes) is in report.html.")
