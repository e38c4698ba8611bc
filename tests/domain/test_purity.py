"""domain/ is pure: importing it pulls in no web framework, no database, nothing outside the standard library,
and its source reads no clock and does no I/O. Each import check runs in a fresh interpreter, where pytest and
tests/conftest.py (which loads the Flask app) have imported nothing yet."""

from __future__ import annotations

import ast
import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "domain"
SOURCES = sorted(DOMAIN.glob("*.py"))
FORBIDDEN = {"flask", "sqlalchemy", "flask_sqlalchemy", "marshmallow", "psycopg", "werkzeug", "server", "sync"}


def newly_imported(statement: str) -> set[str]:
    code = (f"import json, sys; before = set(sys.modules); {statement}; "
            "print(json.dumps(sorted(set(sys.modules) - before)))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout))


@pytest.mark.parametrize("module", ["domain", "domain.day", "domain.controls", "domain.journal", "domain.entries"])
def test_importing_domain_loads_only_the_standard_library(module: str) -> None:
    loaded = newly_imported(f"import {module}")
    assert "domain.controls" in loaded, "the check must actually import the package"
    tops = {name.split(".")[0] for name in loaded}
    assert not tops & FORBIDDEN
    assert tops - {"domain"} <= set(sys.stdlib_module_names) | {"_sha2", "_sha256", "_hashlib", "_json"}, tops


def test_the_check_would_notice_flask() -> None:
    assert "flask" in newly_imported("import domain, flask")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_domain_source_imports_only_the_standard_library(path: pathlib.Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0]
    assert all(name.split(".")[0] in sys.stdlib_module_names for name in names), names


NO_IO_MODULES = {"os", "io", "time", "datetime", "random", "secrets", "uuid", "socket", "subprocess", "pathlib",
                 "logging", "threading", "sqlite3", "urllib", "http", "shutil", "tempfile"}
NO_IO_CALLS = {"open", "print", "input", "now", "utcnow", "today", "time", "sleep", "getenv"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_domain_reads_no_clock_and_does_no_io(path: pathlib.Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    froms = [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    # Calendar arithmetic (`date`, `timedelta`) is pure; the clock (`datetime.now`, `date.today`) is refused below.
    pure_dates = {alias.name for node in froms if node.module == "datetime" for alias in node.names}
    assert pure_dates <= {"date", "timedelta"}, f"{path.name} imports {pure_dates} from datetime"
    modules |= {(node.module or "").split(".")[0] for node in froms if node.module != "datetime"}
    assert not modules & NO_IO_MODULES
    calls = {node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
             for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert not calls & NO_IO_CALLS, f"{path.name} calls {calls & NO_IO_CALLS}"


def test_the_package_docstring_states_the_rule() -> None:
    doc = ast.get_docstring(ast.parse((DOMAIN / "__init__.py").read_text(encoding="utf-8"))) or ""
    for words in ("no Flask", "no SQLAlchemy", "no I/O", "standard library only"):
        assert words in doc
