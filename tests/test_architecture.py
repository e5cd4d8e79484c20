"""The layers of ARCHITECTURE.md hold: every import of every module of robust/ is allowed by its table."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "robust"
MAX_LINES = 500


def allowed_imports() -> dict[str, set[str]]:
    """The "may import" column of ARCHITECTURE.md's table, by layer."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    rules = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"`\w+`", cells[0]):
            rules[cells[0].strip("`")] = set(re.findall(r"`(\w+)`", cells[2]))
    return rules


def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py"))


def dotted(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _enclosing_functions(tree: ast.AST) -> dict[ast.AST, str]:
    """The name of the function each node is in (absent for module-level nodes)."""
    inside = {}
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                inside.setdefault(node, function.name) if node is not function else None
    return inside


def imported(path: Path, *, with_function: bool = False, source: str | None = None) -> list[tuple]:
    """``(module, names, line)`` for every import of robust modules in ``path``, resolved.

    With ``with_function``, a fourth item names the function the import is in (or None);
    ``source`` replaces the file's text (for testing the checker).
    """
    here = dotted(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    inside = _enclosing_functions(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno, inside.get(node))
                      for alias in node.names if alias.name.split(".")[0] == "robust"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] == "robust":
                found.append((module, [alias.name for alias in node.names], node.lineno, inside.get(node)))
    return found if with_function else [item[:3] for item in found]


def layer(module: str) -> str:
    """The layer of a dotted module name (``robust`` itself is the face)."""
    parts = module.split(".")
    return "face" if len(parts) == 1 else parts[1]


def test_the_rule_table_names_every_layer():
    rules = allowed_imports()
    layers = {path.relative_to(PACKAGE).parts[0].removesuffix(".py") for path in modules()}
    assert layers - {"__init__", "__main__"} == set(rules)
    for allowed in rules.values():
        assert allowed <= set(rules)


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_imports_follow_the_layers(path):
    rules = allowed_imports()
    own = layer(dotted(path))
    for module, names, line, function in imported(path, with_function=True):
        if own == "face":
            continue  # robust/__init__.py, the face, may import anything
        target = layer(module)
        if target == "face" and names:  # "from robust import x" or "from . import x" at the top
            target = layer(f"robust.{names[0]}")
            assert (PACKAGE / names[0]).is_dir() or (PACKAGE / f"{names[0]}.py").is_file(), (
                f"{path.name}:{line} imports {names} from the package face")
        if own == "__main__":
            assert target == "app", f"{path.name}:{line}: __main__ may only import the app"
            continue
        assert target != "face", f"{path.relative_to(ROOT)}:{line} imports the package face"
        if target == "plotting" and function == "plot":
            continue  # the one exception: a result's plot() method draws its figure when asked
        assert target == own or target in rules[own], (
            f"{path.relative_to(ROOT)}:{line}: layer {own!r} may not import {module} ({target!r})")


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_private_name_is_imported_across_modules(path):
    for module, names, line in imported(path):
        private = [name for name in names if name.startswith("_") and not name.startswith("__")]
        assert not private, f"{path.relative_to(ROOT)}:{line} imports private {private} from {module}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_is_over_the_size_limit(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines (limit {MAX_LINES})"


def test_the_checker_resolves_imports_and_the_rule_forbids_upward_ones():
    source = ("from ..app.cli import main\nimport robust\nfrom . import rules\n"
              "def plot():\n    from ..plotting.style import new_figure\n")
    found = imported(PACKAGE / "core" / "scoring.py", with_function=True, source=source)
    assert [(module, function) for module, _, _, function in found] == [
        ("robust.app.cli", None), ("robust", None), ("robust.core", None), ("robust.plotting.style", "plot")]
    rules = allowed_imports()
    assert "app" not in rules["core"] and "plotting" not in rules["core"] and "core" in rules["analyses"]
