"""A first look at the paper from Python: score it, resample it, ask what would change it.

Run from anywhere: ``python examples/quickstart.py [output folder]`` (default ``quickstart/``
in the current folder). It prints what a notebook would show and saves two figures. Every
call is the public API of :mod:`robust`; the README explains each one.
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files, not windows

import robust  # noqa: E402
from robust.plotting.style import new_figure, save_figure  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else "quickstart")

# 1. The paper's Table 2 and its exact rescoring (Table 3).
table = robust.load_paper2023()
print(table)
base = robust.score(table)
print(base)
print(robust.reproduce_paper().summary())

# 2. How often does each technology keep its quadrant when the 20 technologies are resampled?
#    (one seed in, every random draw derived from it; 2,000 replicates take a second or two)
boot = robust.bootstrap(table, replicates=2000, schemes=["technologies", "jackknife"], rng=20230401)
print(boot)
stability = boot.to_frame()
least = stability[stability["scheme"] == "technologies"].nsmallest(3, "retention")
print(least[["technology", "base_quadrant", "retention", "retention_low", "retention_high"]].to_string(index=False))

# 3. How far is each technology from another strategy? Exact, no sampling. An empty radius
#    (NaN) means that no reweighting moves its capability across the threshold.
tipping = robust.tipping_points(table)
print(tipping)
print(tipping.to_frame()[["technology", "capability_margin", "weight_radius_linf"]].head(5).to_string(index=False))

# 4. Two figures a referee can paste: the quadrant map (capability across, as the paper's
#    Figure 3, coloured by retention) and the quadrant probabilities of the resampling.
names = table.column_text("name_zh")  # the Chinese names, drawn beside the ids when a CJK font is installed
figure, ax = new_figure(figsize=(8.5, 7.8))
base.plot(ax=ax, stability=stability, scheme="technologies", names=names)
written = save_figure(figure, out, "quadrant_map", formats=("png",))
figure, ax = new_figure(figsize=(8.0, 7.0))
boot.plot(ax=ax, scheme="technologies")
written += save_figure(figure, out, "quadrant_probabilities", formats=("png",))
print("saved", ", ".join(str(out / name) for name in written))
