"""Login, logout, CSRF, throttling, activation codes, personal tokens."""

from server.extensions import db
from server.models import ApiToken, User


def test_login_sets_httponly_cookie_and_me_lists_role(client, demo):
    r = client.http.post("/api/auth/login", json={"email": "gerant@demo.test", "password": "demo1234"})
    assert r.status_code == 200
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    me = client.http.get("/api/me").json
    assert me["user"]["email"] == "gerant@demo.test"
    assert [(c["name"], c["role"]) for c in me["companies"]] == [("Boulangerie du Marché", "admin")]
    assert me["firm"]["phone"] == "01 39 04 05 00"


def test_firm_admin_sees_every_company_of_the_firm(auth):
    me = auth("cabinet@demo.test").get("/api/me").json
    assert {(c["name"], c["role"]) for c in me["companies"]} == {
        ("Boulangerie du Marché", "firm_admin"), ("Café des Arts", "firm_admin")}


def test_wrong_password_is_401_in_french(client, demo):
    r = client.http.post("/api/auth/login", json={"email": "gerant@demo.test", "password": "nope"})
    assert r.status_code == 401
    assert r.json["code"] == "invalid_credentials" and "incorrect" in r.json["message"]


def test_login_is_throttled_after_repeated_failures(client, demo):
    for _ in range(5):
        r = client.http.post("/api/auth/login", json={"email": "gerant@demo.test", "password": "x"})
        assert r.status_code == 401
    r = client.http.post("/api/auth/login", json={"email": "gerant@demo.test", "password": "demo1234"})
    assert r.status_code == 429


def test_write_with_cookie_needs_csrf_header(auth, demo):
    c = auth("gerant@demo.test")
    path = f"/api/companies/{demo['bakery']}/customers"
    r = c.http.post(path, json={"name": "Sans jeton"})
    assert r.status_code == 403 and r.json["code"] == "csrf_failed"
    r = c.http.post(path, json={"name": "Mauvais jeton"}, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    assert c.post(path, json={"name": "Avec jeton"}).status_code == 201


def test_logout_ends_the_session(auth):
    c = auth("gerant@demo.test")
    assert c.post("/api/auth/logout").status_code == 204
    assert c.get("/api/me").status_code == 401


def test_activation_code_lets_a_new_user_set_a_password(auth, demo, app, client):
    admin = auth("gerant@demo.test")
    r = admin.post(f"/api/companies/{demo['bakery']}/members",
                   json={"email": "nouveau@demo.test", "name": "Nouveau", "role": "cashier"})
    assert r.status_code == 201
    code = r.json["activation_code"]
    assert code and r.json["activated"] is False
    bad = client.http.post("/api/auth/activate", json={"email": "nouveau@demo.test", "code": "AAAAA-BBBBB",
                                                       "password": "Pain-aux-noix-7"})
    assert bad.status_code == 422 and "code" in bad.json["errors"]
    ok = client.http.post("/api/auth/activate", json={"email": "nouveau@demo.test", "code": code.lower(),
                                                      "password": "Pain-aux-noix-7"})
    assert ok.status_code == 200
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == "nouveau@demo.test")).scalar_one()
        assert user.activation_code_hash is None and user.password_hash.startswith("$argon2id$")
    again = client.http.post("/api/auth/activate", json={"email": "nouveau@demo.test", "code": code,
                                                         "password": "Autre-farine-8"})
    assert again.status_code == 422  # single use


def test_personal_token_is_hashed_at_rest_and_revocable(auth, app, client):
    c = auth("gerant@demo.test")
    r = c.post("/api/auth/tokens", json={"name": "Logiciel de caisse"})
    assert r.status_code == 201
    token = r.json["token"]
    with app.app_context():
        row = db.session.get(ApiToken, r.json["id"])
        assert token not in (row.token_hash, row.prefix) and len(row.token_hash) == 64
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.http.get("/api/me", headers=bearer).json["user"]["email"] == "gerant@demo.test"
    # A bearer write needs no CSRF token.
    assert client.http.post("/api/auth/tokens", json={"name": "x"}, headers=bearer).status_code == 201
    assert c.delete(f"/api/auth/tokens/{r.json['id']}").status_code == 204
    assert client.http.get("/api/me", headers=bearer).status_code == 401
