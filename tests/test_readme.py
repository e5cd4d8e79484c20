"""The README's numbers are computed, not typed in: they must match the committed results."""

from pathlib import Path

from robust.report.assemble import headline

ROOT = Path(__file__).resolve().parents[1]


def test_readme_headline_is_the_committed_paper_results():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert headline(ROOT / "results" / "paper", "results/paper") in readme


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in setup.splitlines() if line.startswith("python3 -m venv")]
    assert len(commands) == 2
    assert "robust run experiments/paper.toml" in commands[0]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
