"""Real browser, real server: gunicorn serving the built PWA on a fresh SQLite file, driven by Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
DIST = ROOT / "pwa" / "dist"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _require(condition: bool, why: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI needs it: {why}")
    pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database with its WAL content (a plain file copy misses what is not checkpointed yet)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


class LiveServer:
    """gunicorn on a loopback port with its own database and its own copy of the PWA build."""

    def __init__(self, workdir: Path, template: Path | None = None) -> None:
        """`template`: an already migrated and seeded SQLite file to copy (saves two app starts per test)."""
        self.workdir = workdir
        self.dist = workdir / "dist"
        shutil.copytree(DIST, self.dist)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        database = workdir / "e2e.sqlite"
        self.env = dict(os.environ, CAISSE_DATABASE_URL=f"sqlite:///{database}",
                        CAISSE_PWA_DIST=str(self.dist), CAISSE_SECRET_KEY="e2e-secret",
                        CAISSE_DEMO_HISTORY="0", FLASK_APP="server")
        bin_dir = Path(sys.executable).parent
        if template is not None:
            _copy_sqlite(template, database)
        else:
            for cmd in (["flask", "db", "upgrade"], ["flask", "seed-demo"]):
                subprocess.run([str(bin_dir / cmd[0]), *cmd[1:]], cwd=ROOT, env=self.env, check=True,
                               capture_output=True)
        self.log = workdir / "gunicorn.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [str(bin_dir / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{self.port}", "server.wsgi:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_text()}")
            try:
                if requests.get(self.url + "/api/openapi.json", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def api(self, email: str, password: str = "demo1234") -> requests.Session:
        """A logged-in API session (the admin's desktop, or a check of what the server holds)."""
        s = requests.Session()
        r = s.post(self.url + "/api/auth/login", json={"email": email, "password": password}, timeout=10)
        r.raise_for_status()
        s.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        return s

    def log_text(self) -> str:
        """What gunicorn and the app wrote (tracebacks of a 500 end up here)."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Any]:
    _require(Path(CHROMIUM).exists(), f"{CHROMIUM} missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fresh database, migrated and demo-seeded once; every LiveServer starts on its own copy."""
    workdir = tmp_path_factory.mktemp("seeded")
    database = workdir / "seeded.sqlite"
    env = dict(os.environ, CAISSE_DATABASE_URL=f"sqlite:///{database}", CAISSE_SECRET_KEY="e2e-secret",
               CAISSE_DEMO_HISTORY="0", FLASK_APP="server")
    bin_dir = Path(sys.executable).parent
    for cmd in (["flask", "db", "upgrade"], ["flask", "seed-demo"]):
        subprocess.run([str(bin_dir / cmd[0]), *cmd[1:]], cwd=ROOT, env=env, check=True, capture_output=True)
    # The database runs in WAL mode: fold the log into the file, so that copying the file copies everything.
    with contextlib.closing(sqlite3.connect(database)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return database


@pytest.fixture
def live_server(tmp_path: Path, seeded_database: Path) -> Iterator[LiveServer]:
    _require((DIST / "index.html").exists(), "the PWA is not built (make pwa)")
    server = LiveServer(tmp_path, template=seeded_database)
    yield server
    server.stop()


@pytest.fixture
def open_tablet(playwright_instance: Any, tmp_path: Path) -> Iterator[Any]:
    """open_tablet(name, viewport=(820, 1180)) -> a persistent Chromium context (a tablet with its own storage)."""
    contexts: list[Any] = []

    def launch(name: str = "tablet", viewport: tuple[int, int] = (820, 1180)) -> Any:
        ctx = playwright_instance.chromium.launch_persistent_context(
            str(tmp_path / f"profile-{name}"), executable_path=CHROMIUM, args=FLAGS, headless=True,
            viewport={"width": viewport[0], "height": viewport[1]}, locale="fr-FR", timezone_id="Europe/Paris")
        contexts.append(ctx)
        return ctx

    yield launch
    for ctx in contexts:
        try:
            ctx.close()
        except Exception:  # noqa: BLE001 - already closed by the test
            pass


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
