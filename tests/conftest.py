"""Fixtures: `app`, `client`, `auth`, `demo`; `--db=sqlite|postgres` picks the database of the whole run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from server import create_app
from server.extensions import db

PG_URL = os.environ.get("CAISSE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/caisse_test")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", default="sqlite", choices=["sqlite", "postgres"], help="database for the run")


def _prepare_postgres() -> str:
    """(Re)create the test database; in CI an unreachable server fails the run, elsewhere it skips."""
    url = make_url(PG_URL)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    except Exception as exc:  # noqa: BLE001 - any connection failure means "no PostgreSQL here"
        if os.environ.get("CI"):
            pytest.exit(f"PostgreSQL is required in CI and unreachable at {url.host}:{url.port}: {exc}", 3)
        pytest.skip(f"PostgreSQL unreachable at {url.host}:{url.port} ({exc.__class__.__name__}); "
                    "start it or run with --db=sqlite", allow_module_level=True)
    finally:
        admin.dispose()
    return PG_URL


@pytest.fixture(scope="session")
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--db"))


@pytest.fixture(scope="session")
def pg_url(db_kind: str) -> str | None:
    return _prepare_postgres() if db_kind == "postgres" else None


@pytest.fixture
def database_url(pg_url: str | None, tmp_path: Any) -> str:
    return pg_url or f"sqlite:///{tmp_path / 'caisse.sqlite'}"


@pytest.fixture
def app(database_url: str, tmp_path: Any) -> Iterator[Any]:
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "LOGIN_MAX_FAILURES": 5,
    })
    app.instance_path = str(tmp_path)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            db.drop_all()
        db.engine.dispose()


class ApiClient:
    """A test client that remembers the CSRF token of its session and sends it on writes."""

    def __init__(self, app: Any) -> None:
        self.http = app.test_client()
        self.csrf: str | None = None

    def login(self, email: str, password: str = "demo1234") -> ApiClient:
        r = self.http.post("/api/auth/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.json
        self.csrf = r.json["csrf_token"]
        return self

    def open(self, method: str, path: str, **kw: Any) -> Any:
        headers = dict(kw.pop("headers", {}) or {})
        if self.csrf and method != "GET":
            headers.setdefault("X-CSRF-Token", self.csrf)
        return self.http.open(path, method=method, headers=headers, **kw)

    def get(self, path: str, **kw: Any) -> Any:
        return self.open("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.open("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> Any:
        return self.open("PUT", path, **kw)

    def patch(self, path: str, **kw: Any) -> Any:
        return self.open("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.open("DELETE", path, **kw)


@pytest.fixture
def client(app: Any) -> ApiClient:
    return ApiClient(app)


@pytest.fixture
def demo(app: Any) -> dict[str, Any]:
    """The demo data, with the ids tests need."""
    from tests.factories import demo_ids

    with app.app_context():
        from server.demo.seed import seed

        seed()
        return demo_ids()


@pytest.fixture
def auth(app: Any, demo: dict[str, Any]) -> Any:
    """auth('gerant@demo.test') -> a logged-in ApiClient."""

    def login(email: str) -> ApiClient:
        return ApiClient(app).login(email)

    return login
