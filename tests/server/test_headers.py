"""Security headers, no-store on the API, Secure cookie over HTTPS, 405 with the right Allow,
OpenAPI agreeing with the answers, budget years in range."""

import re
from pathlib import Path

import pytest

from server import create_app
from server.extensions import db


@pytest.mark.parametrize("path", ["/", "/api/health", "/api/openapi.json", "/api/me"])
def test_every_answer_has_the_security_headers(client, path):
    r = client.http.get(path)
    r.close()
    csp = r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in r.headers  # plain HTTP: no HSTS


def test_api_answers_are_never_cached(auth):
    c = auth("gerant@demo.test")
    for path in ("/api/me", "/api/auth/csrf", "/api/auth/tokens", "/api/auth/sessions"):
        assert c.get(path).headers["Cache-Control"] == "no-store", path
    assert c.post("/api/auth/tokens", json={"name": "x"}).headers["Cache-Control"] == "no-store"


def test_the_built_pwa_has_no_inline_script():
    index = Path(__file__).resolve().parents[2] / "pwa" / "dist" / "index.html"
    if not index.exists():
        pytest.skip("pwa/dist not built (make pwa)")
    html = index.read_text()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts), scripts
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers either


def test_https_gets_hsts_and_a_secure_cookie(app, demo):
    c = app.test_client()
    r = c.post("https://localhost/api/auth/login", json={"email": "gerant@demo.test", "password": "demo1234"})
    assert r.status_code == 200
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = next(v for v in r.headers.getlist("Set-Cookie") if v.startswith("caisse_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_behind_a_trusted_proxy_the_forwarded_scheme_counts(database_url, demo, app):
    proxied = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret",
                          "TRUST_PROXY": 1})
    c = proxied.test_client()
    try:
        r = c.post("/api/auth/login", json={"email": "gerant@demo.test", "password": "demo1234"},
                   headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.4"})
    finally:
        with proxied.app_context():
            db.session.remove()
            db.engine.dispose()
    assert r.status_code == 200
    assert "Secure" in next(v for v in r.headers.getlist("Set-Cookie") if v.startswith("caisse_session="))
    # Without trust, the same headers change nothing.
    r = app.test_client().post("/api/auth/login", json={"email": "gerant@demo.test", "password": "demo1234"},
                               headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in next(v for v in r.headers.getlist("Set-Cookie") if v.startswith("caisse_session="))


@pytest.mark.parametrize("method, path, allow", [
    ("GET", "/api/auth/login", {"POST"}),
    ("PUT", "/api/auth/login", {"POST"}),
    ("DELETE", "/api/me", {"GET"}),
    ("POST", "/api/sync/pull/", None),
    ("GET", "/api/sync/push", {"POST"}),
])
def test_a_wrong_method_under_api_is_405_with_the_right_allow(client, demo, method, path, allow):
    r = client.http.open(path, method=method)
    if allow is None:
        assert r.status_code in (404, 308)
        return
    assert r.status_code == 405 and r.is_json and r.json["code"] == "method_not_allowed"
    assert set(r.headers["Allow"].replace(" ", "").split(",")) == allow


def test_openapi_error_code_is_a_string_and_times_have_a_zone(client):
    spec = client.http.get("/api/openapi.json").json
    schemas = spec["components"]["schemas"]
    assert schemas["Error"]["properties"]["code"]["type"] == "string"
    assert schemas["Token"]["properties"]["created_at"]["format"] == "date-time"
    csrf = spec["paths"]["/api/auth/csrf"]["get"]["responses"]["200"]
    assert "schema" in csrf["content"]["application/json"]


def test_token_dates_carry_their_time_zone(auth):
    c = auth("gerant@demo.test")
    created = c.post("/api/auth/tokens", json={"name": "Compta"}).json["created_at"]
    assert created.endswith("+00:00")


@pytest.mark.parametrize("year, status", [(0, 422), (1999, 422), (2101, 422), (99999, 422), (2026, 200)])
def test_budget_years_are_bounded(auth, demo, year, status):
    c = auth("gerant@demo.test")
    url = f"/api/companies/{demo['bakery']}/budgets/{year}"
    for r in (c.get(url), c.put(url, json={"months": []})):
        assert r.status_code == status, (year, r.json)
        if status == 422:
            assert "year" in r.json["errors"]
