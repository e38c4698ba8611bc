"""Login throttling: an attacker elsewhere never locks the real user out; brute force stays bounded."""

from server.services.passwords import password_problems

GOOD = {"email": "gerant@demo.test", "password": "demo1234"}
BAD = {"email": "gerant@demo.test", "password": "wrong-guess"}


def login(app, body, address, cookies=None):
    c = app.test_client()
    for name, value in (cookies or {}).items():
        c.set_cookie(name, value, path="/api/auth")
    return c.post("/api/auth/login", json=body, environ_base={"REMOTE_ADDR": address})


def test_failures_from_one_address_never_block_the_right_password_from_another(app, demo):
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 2):
        assert login(app, BAD, "203.0.113.9").status_code in (401, 429)
    assert login(app, GOOD, "203.0.113.9").status_code == 429  # the attacker's address is locked
    r = login(app, GOOD, "198.51.100.7")  # the real user, elsewhere
    assert r.status_code == 200


def test_one_address_trying_many_accounts_is_stopped(app, demo):
    app.config["LOGIN_IP_MAX_FAILURES"] = 6
    for i in range(6):
        login(app, {"email": f"victime{i}@demo.test", "password": "x"}, "203.0.113.50")
    assert login(app, GOOD, "203.0.113.50").status_code == 429
    assert login(app, GOOD, "203.0.113.51").status_code == 200


def test_a_distributed_attack_on_one_account_is_bounded_but_the_known_browser_gets_in(app, demo):
    app.config["LOGIN_ACCOUNT_MAX_FAILURES"] = 8
    known = login(app, GOOD, "198.51.100.7")
    assert known.status_code == 200
    known_cookie = next(c for c in known.headers.getlist("Set-Cookie") if c.startswith("caisse_known="))
    value = known_cookie.split(";")[0].split("=", 1)[1]
    for i in range(8):  # one guess from each of many addresses: no pair nor address lock applies
        assert login(app, BAD, f"203.0.113.{i}").status_code == 401
    # Bounded: the next guess, from yet another address, is refused even with the right password...
    assert login(app, GOOD, "203.0.113.200").status_code == 429
    # ...while the user's usual browser still logs in.
    assert login(app, GOOD, "192.0.2.33", cookies={"caisse_known": value}).status_code == 200
    forged = login(app, GOOD, "192.0.2.34", cookies={"caisse_known": value[:-2] + "xx"})
    assert forged.status_code == 429


def test_counters_live_in_the_database_and_a_success_clears_only_its_pair(app, demo):
    from server.extensions import db
    from server.models import LoginFailure

    for _ in range(3):
        login(app, BAD, "203.0.113.9")
    with app.app_context():
        rows = db.session.execute(db.select(LoginFailure)).scalars().all()
        assert sorted(r.failures for r in rows) == [3, 3, 3]  # pair, address, account
    assert login(app, GOOD, "203.0.113.9").status_code == 200
    with app.app_context():
        assert sorted(r.failures for r in db.session.execute(db.select(LoginFailure)).scalars()) == [3, 3]


def test_password_policy_in_french():
    assert password_problems("12345678") == ["Le mot de passe doit contenir au moins 10 caractères."]
    assert "courant" in password_problems("1234567890")[0]
    assert "courant" in password_problems("Password2024!")[0]  # a common word with digits stuck on
    assert "courant" in password_problems("aaaaaaaaaaaa")[0]
    assert "e-mail" in password_problems("gerant-du-fournil", "gerant@demo.test")[0]
    assert password_problems("Fournil-du-matin", "gerant@demo.test") == []
