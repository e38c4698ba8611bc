"""Request limits: body size, JSON depth, huge path integers, malformed JSON — 4xx JSON, never 500."""

import pytest

from server.security import json_depth


def test_a_body_over_the_limit_is_413_before_being_read(client, demo, app):
    body = b'{"email": "a@b.fr", "password": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    r = client.http.post("/api/auth/login", data=body, content_type="application/json")
    assert r.status_code == 413 and r.json["code"] == "too_large" and "Kio" in r.json["message"]


def test_the_large_body_paths_get_the_larger_limit(app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    c = app.test_client()
    body = b"x" * 5000
    assert c.post("/api/companies/1/customers", data=body).status_code == 413
    assert c.post("/api/companies/1/import", data=body).status_code != 413  # 401/404: not refused for size


@pytest.mark.parametrize("logged_in", [False, True])
def test_json_nested_deeper_than_the_limit_is_400_without_parsing(client, auth, demo, logged_in):
    c = auth("gerant@demo.test") if logged_in else client
    deep = "[" * 1000 + "]" * 1000
    for path in ("/api/auth/login", f"/api/companies/{demo['bakery']}/customers", "/api/sync/push"):
        r = c.post(path, data=deep, content_type="application/json")
        assert r.status_code == 400 and r.json["code"] == "too_deep", (path, r.status_code)
    ok = c.post("/api/auth/login", json={"email": "personne@demo.test", "password": "{" * 100})
    assert ok.status_code == 401  # brackets inside strings do not count


def test_json_depth_counts_only_structure():
    assert json_depth(b'{"a": [1, {"b": "[[[["}]}') == 3
    assert json_depth(b'"\\"[[["') == 0
    assert json_depth(b"[" * 40) == 40


@pytest.mark.parametrize("path", [
    "/api/companies/{big}", "/api/companies/{bakery}/customers/{big}", "/api/companies/{big}/budgets/2026",
    "/api/auth/tokens/{big}", "/api/companies/{bakery}/budgets/{big}", "/api/auth/sessions/{big}",
])
def test_integers_beyond_the_database_range_in_a_path_are_404(auth, demo, path):
    c = auth("gerant@demo.test")
    for big in (2**31, 2**53 - 1, 2**63, 2**64 + 1, 10**30):
        url = path.format(big=big, bakery=demo["bakery"])
        for method in ("GET", "DELETE", "PATCH", "PUT"):
            r = c.open(method, url, json={})
            assert r.status_code in (404, 405), (method, url, r.status_code)
            assert r.is_json


def test_malformed_json_is_400_in_french(auth, demo):
    c = auth("gerant@demo.test")
    r = c.post(f"/api/companies/{demo['bakery']}/customers", data='{"name": ', content_type="application/json")
    assert r.status_code == 400 and "JSON" in r.json["message"]


@pytest.mark.parametrize("company_id", [2**31, 2**53 - 1])
def test_a_sync_body_naming_a_company_beyond_the_database_range_is_404(auth, company_id):
    c = auth("caisse@demo.test")
    body = {"schema": 1, "company_id": company_id, "device_id": "7f8d2a4e-0000-4000-8000-000000000002"}
    assert c.post("/api/sync/push", json={**body, "mutations": []}).status_code == 404
    assert c.post("/api/sync/pull", json={**body, "cookie": None}).status_code == 404
