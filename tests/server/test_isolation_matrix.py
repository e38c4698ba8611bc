"""Walk EVERY path of the OpenAPI document: anonymous → 401, another company's user → 404/403,
a cashier on an admin write → 403. New endpoints join the matrix automatically."""

from __future__ import annotations

import re
import uuid

import pytest

from server.extensions import db
from server.models import Customer, PaymentMethod, Register, SalesCategory, Supplier

PUBLIC = {"/api/auth/login", "/api/auth/activate", "/api/auth/csrf", "/api/auth/logout", "/api/openapi.json",
          "/api/health"}
UNSAFE = {"post", "put", "patch", "delete"}
# Writes a cashier is allowed to make (the day and its flows, sync, own account); everything else is admin-only.
CASHIER_WRITE = re.compile(r"/days/\{[a-z_]+\}(/flows|/close)?$|^/api/sync/|^/api/auth/|/days$")
RESOURCE_MODELS = {"registers": Register, "categories": SalesCategory, "payment-methods": PaymentMethod,
                   "customers": Customer, "suppliers": Supplier}


def _operations(app):
    spec = app.test_client().get("/api/openapi.json").json
    for path, item in sorted(spec["paths"].items()):
        for method in sorted(m for m in item if m in {"get", "post", "put", "patch", "delete"}):
            yield path, method


def _fill(app, path: str, company_id: int) -> str:
    """Replace path parameters with real ids belonging to `company_id`."""
    with app.app_context():
        def first(model):
            return db.session.execute(db.select(model.id).where(model.company_id == company_id)
                                      .order_by(model.id)).scalars().first()

        segments = path.replace(".{fmt}", ".pdf").split("/")  # a file's format (reports: monthly.pdf|csv|xlsx)
        for i, seg in enumerate(segments):
            if not seg.startswith("{"):
                continue
            name = seg[1:-1]
            previous = segments[i - 1] if i else ""
            if name == "cid":
                value = company_id
            elif name == "rid" or previous == "registers":
                value = first(Register)
            elif previous in RESOURCE_MODELS:
                value = first(RESOURCE_MODELS[previous])
            elif name == "date":
                value = "2026-03-14"
            elif name == "year":
                value = 2026
            else:
                value = 1
            segments[i] = str(value)
        return "/".join(segments)


def _body(path: str, company_id: int) -> dict:
    envelope = {"schema": 1, "company_id": company_id, "device_id": str(uuid.uuid4())}
    if path == "/api/sync/push":
        return {**envelope, "mutations": []}
    if path == "/api/sync/pull":
        return {**envelope, "cookie": None}
    return {}


def test_matrix_covers_the_api(app):
    paths = {p for p, _ in _operations(app)}
    assert "/api/companies/{cid}" in paths and "/api/companies/{cid}/categories/{item_id}" in paths
    assert len(list(_operations(app))) >= 30


def test_anonymous_gets_401_everywhere(app, demo, client):
    for path, method in _operations(app):
        if path in PUBLIC:
            continue
        url = _fill(app, path, demo["bakery"])
        r = client.http.open(url, method=method.upper(), json=_body(path, demo["bakery"]))
        assert r.status_code == 401, (method, url, r.status_code)
        assert r.json["code"] == "unauthorized"


def test_other_company_user_gets_404_or_403_everywhere(app, demo, auth):
    outsider = auth("cafe@demo.test")  # admin of Café des Arts, nothing at the bakery
    checked = 0
    for path, method in _operations(app):
        if "{cid}" not in path and not path.startswith("/api/sync/"):
            continue
        url = _fill(app, path, demo["bakery"])
        r = outsider.open(method.upper(), url, json=_body(path, demo["bakery"]))
        assert r.status_code in (403, 404), (method, url, r.status_code, r.json)
        checked += 1
    assert checked >= 25


def test_cashier_gets_403_on_admin_writes(app, demo, auth):
    cashier = auth("caisse@demo.test")
    checked = 0
    for path, method in _operations(app):
        if "{cid}" not in path or method not in UNSAFE or CASHIER_WRITE.search(path):
            continue
        url = _fill(app, path, demo["bakery"])
        r = cashier.open(method.upper(), url, json=_body(path, demo["bakery"]))
        assert r.status_code == 403, (method, url, r.status_code, r.json)
        checked += 1
    assert checked >= 12


def test_company_list_and_creation_are_scoped(auth, demo):
    outsider = auth("cafe@demo.test")
    assert [c["id"] for c in outsider.get("/api/companies").json] == [demo["cafe"]]
    assert outsider.post("/api/companies", json={"name": "X", "siren": "443061841"}).status_code == 403


@pytest.mark.parametrize("resource", sorted(RESOURCE_MODELS))
def test_an_item_of_another_company_is_404_even_under_own_company(app, demo, auth, resource):
    """Own company id in the URL, other company's item id: still 404."""
    outsider = auth("cafe@demo.test")
    with app.app_context():
        model = RESOURCE_MODELS[resource]
        foreign = db.session.execute(db.select(model.id).where(model.company_id == demo["bakery"])).scalars().first()
    assert foreign is not None, f"the demo must hold {resource} at the bakery for this check"
    url = f"/api/companies/{demo['cafe']}/{resource}/{foreign}"
    assert outsider.get(url).status_code == 404
    assert outsider.patch(url, json={"active": False}).status_code == 404
