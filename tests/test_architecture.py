"""The house drawn from the code: every import (module level or inside a function) of one room of
``src/checker`` into another must run down the floors of ARCHITECTURE.md, and no module may grow
past ``MAX_LINES``. A new room must be given its floor here (and in ARCHITECTURE.md)."""
import ast
import os

import pytest

from .conftest import ROOT

SRC = os.path.join(ROOT, "src")
PACKAGE = os.path.join(SRC, "checker")
MAX_LINES = 350
# Lowest floor first: a room may import only the rooms listed before it (and itself).
FLOORS = ["hookspecs", "checker", "errors", "numbers", "records", "toolrules", "helpers",
          "readers", "inputs", "fixing", "document", "checks", "plugins", "rules", "engine", "waivers",
          "outputs", "compare", "run", "serve", "cli", "__main__"]


def _modules(src=SRC):
    for folder, dirs, files in os.walk(os.path.join(src, "checker")):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                dotted = os.path.relpath(path, src)[:-3].replace(os.sep, ".")
                is_package = name == "__init__.py"
                yield path, dotted[:-len(".__init__")] if is_package else dotted, is_package


def _is_module(dotted: str, src=SRC) -> bool:
    path = os.path.join(src, *dotted.split("."))
    return os.path.isfile(path + ".py") or os.path.isfile(os.path.join(path, "__init__.py"))


def room_of(dotted: str) -> str:
    """``checker.rules.loader`` -> ``rules``; the package itself (``checker``) is its own room."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def imported(path: str, dotted: str, is_package: bool, src=SRC):
    """(line, module) of every import of a fazhi-lint module in one file, wherever it stands."""
    package = dotted if is_package else dotted.rsplit(".", 1)[0]
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "checker":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "checker":
                target = node.module
            else:
                continue
            for alias in node.names:       # ``from . import baseline`` imports a module, ``from .. import __version__`` does not
                candidate = f"{target}.{alias.name}"
                yield node.lineno, candidate if _is_module(candidate, src) else target


def upward_imports(src=SRC) -> list:
    problems = []
    for path, dotted, is_package in _modules(src):
        own = room_of(dotted)
        for line, target in imported(path, dotted, is_package, src):
            other = room_of(target)
            if other == own:
                continue
            for room in (own, other):
                if room not in FLOORS:
                    problems.append(f"{os.path.relpath(path, ROOT)}:{line}: room {room!r} has no floor in FLOORS")
            if own in FLOORS and other in FLOORS and FLOORS.index(other) > FLOORS.index(own):
                problems.append(f"{os.path.relpath(path, ROOT)}:{line}: {own} imports {target} (up a floor, to {other})")
    return problems


def test_no_import_runs_up_a_floor():
    assert upward_imports() == []


def test_the_check_finds_an_upward_import(tmp_path):
    """The graph is read from the code: an import up a floor, even inside a function, is reported."""
    package = tmp_path / "checker"
    (package / "engine").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "engine" / "__init__.py").write_text("from .. import numbers\n", encoding="utf-8")
    (package / "numbers.py").write_text("def f():\n    from .engine import check_path\n", encoding="utf-8")
    (package / "attic.py").write_text("", encoding="utf-8")
    found = upward_imports(str(tmp_path))
    assert any("numbers.py:2: numbers imports checker.engine (up a floor, to engine)" in p for p in found), found
    assert not any("engine/__init__.py" in p for p in found)          # engine -> numbers runs down
    assert "attic" in {room_of(d) for _, d, _ in _modules(str(tmp_path))} - set(FLOORS)


@pytest.mark.parametrize("path", [p for p, _, _ in _modules()], ids=lambda p: os.path.relpath(p, PACKAGE))
def test_no_module_is_longer_than_the_limit(path):
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().count("\n")
    assert lines <= MAX_LINES, f"{os.path.relpath(path, ROOT)} has {lines} lines: split it by job"


def test_every_room_has_a_floor():
    rooms = {room_of(dotted) for _, dotted, _ in _modules()}
    assert rooms <= set(FLOORS), sorted(rooms - set(FLOORS))


def test_architecture_page_names_every_room():
    with open(os.path.join(ROOT, "ARCHITECTURE.md"), encoding="utf-8") as handle:
        page = handle.read()
    missing = [room for room in FLOORS if room not in ("checker", "__main__")
               and f"`{room}/`" not in page and f"`{room}.py`" not in page]
    assert missing == []
