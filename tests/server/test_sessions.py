"""Server-side sessions: a cookie kept from before logout, a password change or « partout » is dead."""

from datetime import timedelta

import pytest

from server.extensions import db
from server.models import UserSession
from server.models.base import utcnow
from tests.conftest import ApiClient

COOKIE = "caisse_session"


def cookie_of(client: ApiClient) -> str:
    return client.http.get_cookie(COOKIE).value


def replay(app, cookie: str, csrf: str | None) -> ApiClient:
    """A fresh client that only holds a copied cookie (as an attacker who kept it would)."""
    other = ApiClient(app)
    other.http.set_cookie(COOKIE, cookie)
    other.csrf = csrf
    return other


def test_the_cookie_holds_a_random_id_whose_hash_only_is_stored(auth, app):
    c = auth("gerant@demo.test")
    value = cookie_of(c)
    assert "." not in value and len(value) >= 40  # not a signed JSON session
    with app.app_context():
        hashes = [row.token_hash for row in db.session.execute(db.select(UserSession)).scalars()]
    assert value not in hashes and len(hashes) == 1 and len(hashes[0]) == 64


def test_a_cookie_kept_from_before_logout_is_refused(auth, app, demo):
    c = auth("gerant@demo.test")
    kept, csrf = cookie_of(c), c.csrf
    assert c.post("/api/auth/logout").status_code == 204
    thief = replay(app, kept, csrf)
    assert thief.get("/api/me").status_code == 401
    r = thief.post(f"/api/companies/{demo['bakery']}/customers", json={"name": "Après déconnexion"})
    assert r.status_code == 401
    r = thief.post("/api/sync/pull", json={"schema": 1, "company_id": demo["bakery"],
                                           "device_id": "7f8d2a4e-0000-4000-8000-000000000001", "cookie": None})
    assert r.status_code == 401


def test_logout_all_ends_every_session_of_the_user_only(auth, app):
    laptop, phone, other = auth("gerant@demo.test"), auth("gerant@demo.test"), auth("caisse@demo.test")
    r = phone.post("/api/auth/logout-all")
    assert r.status_code == 200 and r.json["revoked"] == 2
    assert laptop.get("/api/me").status_code == 401
    assert phone.get("/api/me").status_code == 401
    assert other.get("/api/me").status_code == 200


def test_sessions_are_listed_and_one_can_be_revoked(auth, app):
    laptop = auth("gerant@demo.test")
    phone = ApiClient(app)
    phone.http.post("/api/auth/login", json={"email": "gerant@demo.test", "password": "demo1234"},
                    headers={"User-Agent": "Téléphone de caisse"})
    phone.csrf = phone.http.get("/api/auth/csrf").json["csrf_token"]
    listed = laptop.get("/api/auth/sessions")
    assert listed.status_code == 200 and listed.headers["Cache-Control"] == "no-store"
    rows = listed.json
    assert len(rows) == 2 and [r["current"] for r in rows].count(True) == 1
    phone_row = next(r for r in rows if r["user_agent"] == "Téléphone de caisse")
    assert phone_row["current"] is False and phone_row["created_at"].endswith("+00:00")
    # Another user cannot see nor revoke it.
    cashier = auth("caisse@demo.test")
    assert all(r["user_agent"] != "Téléphone de caisse" for r in cashier.get("/api/auth/sessions").json)
    assert cashier.delete(f"/api/auth/sessions/{phone_row['id']}").status_code == 404
    assert phone.get("/api/me").status_code == 200
    assert laptop.delete(f"/api/auth/sessions/{phone_row['id']}").status_code == 204
    assert phone.get("/api/me").status_code == 401
    assert laptop.get("/api/me").status_code == 200
    assert laptop.delete(f"/api/auth/sessions/{phone_row['id']}").status_code == 404


def test_a_password_change_ends_the_other_sessions_and_checks_the_policy(auth, app, client):
    laptop, phone = auth("gerant@demo.test"), auth("gerant@demo.test")
    weak = phone.post("/api/auth/password", json={"current_password": "demo1234", "new_password": "12345678"})
    assert weak.status_code == 422 and "10 caractères" in weak.json["errors"]["new_password"][0]
    common = phone.post("/api/auth/password", json={"current_password": "demo1234", "new_password": "azertyuiop"})
    assert common.status_code == 422 and "courant" in common.json["errors"]["new_password"][0]
    wrong = phone.post("/api/auth/password", json={"current_password": "nope", "new_password": "Fournil-du-matin"})
    assert wrong.status_code == 422 and "current_password" in wrong.json["errors"]
    assert laptop.get("/api/me").status_code == 200  # refused changes end nothing
    ok = phone.post("/api/auth/password", json={"current_password": "demo1234", "new_password": "Fournil-du-matin"})
    assert ok.status_code == 200
    phone.csrf = ok.json["csrf_token"]
    assert laptop.get("/api/me").status_code == 401
    assert phone.get("/api/me").status_code == 200  # this browser got a new session
    assert client.http.post("/api/auth/login", json={"email": "gerant@demo.test",
                                                     "password": "Fournil-du-matin"}).status_code == 200


def test_a_reset_by_activation_code_ends_every_session(auth, app, demo, client):
    from server.models import User
    from server.services.accounts import issue_activation_code

    kept = auth("caisse@demo.test")
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == "caisse@demo.test")).scalar_one()
        code = issue_activation_code(user)
        db.session.commit()
    r = client.http.post("/api/auth/activate", json={"email": "caisse@demo.test", "code": code,
                                                     "password": "Tiroir-ouvert-2026"})
    assert r.status_code == 200
    assert kept.get("/api/me").status_code == 401


@pytest.mark.parametrize("column, age", [("last_seen_at", "SESSION_IDLE_SECONDS"),
                                         ("expires_at", None)])
def test_idle_and_absolute_expiry(auth, app, column, age):
    c = auth("gerant@demo.test")
    with app.app_context():
        row = db.session.execute(db.select(UserSession)).scalar_one()
        if age:
            setattr(row, column, utcnow() - timedelta(seconds=app.config[age] + 1))
        else:
            row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert c.get("/api/me").status_code == 401


def test_the_csrf_token_belongs_to_the_session(auth, demo):
    a, b = auth("gerant@demo.test"), auth("gerant@demo.test")
    path = f"/api/companies/{demo['bakery']}/customers"
    assert a.csrf != b.csrf
    assert a.http.post(path, json={"name": "x"}, headers={"X-CSRF-Token": b.csrf}).status_code == 403


def test_csrf_without_a_session_is_null(client):
    r = client.http.get("/api/auth/csrf")
    assert r.status_code == 200 and r.json == {"csrf_token": None}


def test_bearer_tokens_still_work_and_survive_logout_all(auth, client):
    c = auth("gerant@demo.test")
    token = c.post("/api/auth/tokens", json={"name": "Compta"}).json["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert c.post("/api/auth/logout-all").status_code == 200
    assert client.http.get("/api/me", headers=bearer).status_code == 200
    assert client.http.get("/api/auth/sessions", headers=bearer).json == []
