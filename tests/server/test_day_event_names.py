"""Who closed a day, by name: the day's events carry the closer's display name, only while that user
belongs to the day's company (a name is never read across companies)."""

from __future__ import annotations

from server.extensions import db
from server.models import Membership
from tests.server.test_days_api import close_balanced, day_url, user_named


def test_the_admin_reads_the_name_of_the_cashier_who_closed(auth, demo, app):
    url = day_url(demo, "2026-03-10")
    assert close_balanced(auth("caisse@demo.test"), url, demo).status_code == 200
    events = auth("gerant@demo.test").get(url).json["events"]
    with app.app_context():
        cashier = user_named("caisse@demo.test").id
    assert [(e["kind"], e["user_id"], e["user_name"]) for e in events] == [("close", cashier, "Camille Caissière")]


def test_a_closer_no_longer_in_the_company_has_no_name(auth, demo, app):
    url = day_url(demo, "2026-03-10")
    assert close_balanced(auth("caisse@demo.test"), url, demo).status_code == 200
    admin = auth("gerant@demo.test")
    with app.app_context():
        cashier = user_named("caisse@demo.test").id
        db.session.execute(db.delete(Membership).where(Membership.user_id == cashier))
        db.session.commit()
    events = admin.get(url).json["events"]
    assert [(e["user_id"], e["user_name"]) for e in events] == [(cashier, None)]
