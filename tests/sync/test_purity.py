"""sync/ is a pure core: importing it pulls in no web framework, no database; only the standard
library and domain/ (pure itself: tests/domain/test_purity.py), whose money parser and value rules
sync uses so that a push and a REST write get the same verdict.

Each check runs in a fresh interpreter, where nothing has been imported yet by pytest or by
tests/conftest.py (which loads the Flask app).
"""

from __future__ import annotations

import ast
import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SYNC = ROOT / "sync"
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "marshmallow", "psycopg", "server")


def imported_after(statement: str) -> set[str]:
    code = f"import json, sys; {statement}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout))


@pytest.mark.parametrize("module", ["sync", "sync.merge", "sync.pull", "sync.handlers", "sync.plan"])
def test_importing_sync_loads_neither_flask_nor_sqlalchemy(module: str) -> None:
    loaded = imported_after(f"import {module}")
    assert "sync.merge" in loaded, "the check must actually import the engine"
    assert not {name.split(".")[0] for name in loaded} & set(FORBIDDEN)


def test_the_check_would_notice_flask() -> None:
    loaded = imported_after("import sync, flask")
    assert "flask" in loaded


def stdlib_or_sync(name: str) -> bool:
    top = name.split(".")[0]
    return top in ("sync", "domain", "__future__") or top in sys.stdlib_module_names


@pytest.mark.parametrize("path", sorted(SYNC.glob("*.py")), ids=lambda p: p.name)
def test_sync_imports_only_the_standard_library(path: pathlib.Path) -> None:
    tree = ast.parse(path.read_text())
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert names and all(stdlib_or_sync(name) for name in names), names


NO_IO_MODULES = {"os", "io", "time", "random", "secrets", "uuid", "socket", "subprocess", "pathlib", "logging",
                 "threading", "sqlite3", "urllib", "http"}
NO_IO_CALLS = {"open", "print", "input", "now", "utcnow", "today", "time", "sleep"}


@pytest.mark.parametrize("path", sorted(SYNC.glob("*.py")), ids=lambda p: p.name)
def test_sync_reads_no_clock_and_does_no_io(path: pathlib.Path) -> None:
    tree = ast.parse(path.read_text())
    modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not modules & NO_IO_MODULES
    calls = {node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
             for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert not calls & NO_IO_CALLS, f"{path.name} calls {calls & NO_IO_CALLS}"
