"""The examples run as a user runs them, and print what they promise."""

import subprocess
import sys

from tests.helpers import ROOT


def test_quickstart_runs_and_saves_its_figures(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "quickstart.py"), str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "REPRODUCED" in done.stdout and "<BootstrapResult: 2 schemes (technologies, jackknife)" in done.stdout
    assert {p.name for p in (tmp_path / "out" / "figures").iterdir()} == {"quadrant_map.png",
                                                                          "quadrant_probabilities.png"}
