"""A calendar per register (docs/DECISIONS.md): « Marché du samedi » opens on Saturdays only; a register without
its own pattern follows the company's; dated exceptions of the register win; REST reads and writes it, 422 naming
the field on bad input."""

from __future__ import annotations

from datetime import date

import pytest

from server.extensions import db
from server.models import Company, Register
from server.services.calendar import decide, is_opening_day, opening_days
from server.services.daybook import is_opening_day as reexported
from tests.server.test_days_api import day_url

ALL_WEEK = "1111111"
OPEN = {"base_revision": 0, "comment": "ouvert"}


def test_the_rule_register_exception_then_company_exception_then_pattern():
    saturday, tuesday = date(2026, 3, 14), date(2026, 3, 10)
    market = "0000010"
    assert decide(saturday, ALL_WEEK, {}, market) is True
    assert decide(tuesday, ALL_WEEK, {}, market) is False
    assert decide(tuesday, "0000000", {}, None) is False  # no own pattern: the company's
    assert decide(saturday, ALL_WEEK, {saturday: False}, market) is False  # the company closes: all registers
    assert decide(tuesday, "0000000", {tuesday: True}, market) is False  # its opening: only the followers
    assert decide(tuesday, "0000000", {tuesday: True}, None) is True
    assert decide(saturday, ALL_WEEK, {saturday: False}, market, {saturday: True}) is True  # own exception wins
    assert decide(tuesday, ALL_WEEK, {}, None, {tuesday: False}) is False


@pytest.fixture
def admin(auth, demo):
    return auth("gerant@demo.test")


def cal_url(demo, register: int) -> str:
    return f"/api/companies/{demo['bakery']}/calendar/registers/{demo['bakery_registers'][register]}"


def test_the_demo_market_opens_on_saturdays_only(app, demo, admin):
    market = admin.get(cal_url(demo, 1)).json
    assert market["weekly_pattern"] == [False, False, False, False, False, True, False]
    assert market["follows_company"] is False
    shop = admin.get(cal_url(demo, 0)).json
    assert shop["weekly_pattern"] is None and shop["follows_company"] is True
    registers = admin.get(f"/api/companies/{demo['bakery']}/registers").json
    assert [r["weekly_pattern"] for r in registers] == [None, [False] * 5 + [True, False]]
    with app.app_context():
        company = db.session.get(Company, demo["bakery"])
        register = db.session.get(Register, demo["bakery_registers"][1])
        assert opening_days(company, date(2026, 3, 9), date(2026, 3, 22), register) == [
            date(2026, 3, 14), date(2026, 3, 21)]
        assert reexported(company, date(2026, 3, 10)) is True  # the company opens on Tuesdays
        assert is_opening_day(company, date(2026, 3, 10), register) is False


def test_missing_days_and_writes_follow_the_register_calendar(demo, admin):
    url = day_url(demo, "2026-03-10", register=1)
    r = admin.put(url, json={"base_revision": 0, "comment": "mardi"})
    assert r.status_code == 422 and r.json["code"] == "not_opening_day"
    assert admin.put(day_url(demo, "2026-03-14", register=1),
                     json={"base_revision": 0, "comment": "samedi"}).status_code == 200
    listing = admin.get(day_url(demo, "", register=1).rstrip("/") + "?from=2026-03-09&to=2026-03-22").json
    assert listing["missing"] == ["2026-03-21"]
    shop = admin.get(day_url(demo, "", register=0).rstrip("/") + "?from=2026-03-09&to=2026-03-15").json
    assert shop["missing"] == ["2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13", "2026-03-14", "2026-03-15"]


def test_register_exceptions_and_pattern_over_rest(demo, admin, auth):
    base = cal_url(demo, 1)
    wednesday = {"date": "2026-03-18", "is_open": True, "label": "Foire de printemps"}
    created = admin.post(base + "/exceptions", json=wednesday)
    assert created.status_code == 201 and created.json["label"] == "Foire de printemps"
    again = admin.post(base + "/exceptions", json=wednesday)
    assert again.status_code == 422 and "date" in again.json["errors"]
    assert admin.put(day_url(demo, "2026-03-18", register=1), json=OPEN).status_code == 200
    assert admin.get(base).json["exceptions"][0]["date"] == "2026-03-18"
    shop_exceptions = admin.get(cal_url(demo, 0)).json["exceptions"]
    assert shop_exceptions == []  # the other register is not touched
    company_wide = admin.get(f"/api/companies/{demo['bakery']}/calendar/exceptions").json
    assert all(e["date"] != "2026-03-18" for e in company_wide)
    other = cal_url(demo, 0) + f"/exceptions/{created.json['id']}"
    assert admin.delete(other).status_code == 404  # not this register's
    assert admin.delete(base + f"/exceptions/{created.json['id']}").status_code == 204
    assert admin.get(base).json["exceptions"] == []

    for bad in ([1, 0, 0, 0, 0, 1, 0], [True] * 6, "0000010", [True] * 8):
        r = admin.put(base, json={"weekly_pattern": bad})
        assert r.status_code == 422 and "weekly_pattern" in r.json["errors"], bad
    r = admin.patch(f"/api/companies/{demo['bakery']}/registers/{demo['bakery_registers'][1]}",
                    json={"weekly_pattern": ["x"] * 7})
    assert r.status_code == 422 and "weekly_pattern" in r.json["errors"]
    closed = ["Cochez au moins un jour d’ouverture."]  # a register's own week with no opening day
    r = admin.put(base, json={"weekly_pattern": [False] * 7})
    assert r.status_code == 422 and r.json["errors"]["weekly_pattern"] == closed
    r = admin.patch(f"/api/companies/{demo['bakery']}/registers/{demo['bakery_registers'][1]}",
                    json={"weekly_pattern": [False] * 7})
    assert r.status_code == 422 and r.json["errors"]["weekly_pattern"] == closed
    assert admin.get(base).json["weekly_pattern"] == [False] * 5 + [True, False]  # unchanged
    assert admin.put(base, json={}).status_code == 422
    follows = admin.put(base, json={"weekly_pattern": None})
    assert follows.status_code == 200 and follows.json["follows_company"] is True
    assert admin.put(day_url(demo, "2026-03-10", register=1), json=OPEN).status_code == 200
    sundays = admin.put(base, json={"weekly_pattern": [False] * 6 + [True]})
    assert sundays.json["weekly_pattern"] == [False] * 6 + [True]
    till = auth("caisse@demo.test")
    assert till.put(base, json={"weekly_pattern": None}).status_code == 403
    cafe = f"/api/companies/{demo['cafe']}/calendar/registers/{demo['bakery_registers'][1]}"
    assert admin.get(cafe).status_code in (403, 404)
    for huge in (2**70, 2**31):  # ids no column holds: 404, never a 500
        assert admin.get(f"/api/companies/{demo['bakery']}/calendar/registers/{huge}").status_code == 404
        assert admin.delete(base + f"/exceptions/{huge}").status_code == 404


def test_a_register_exception_reaches_devices_in_the_calendar_entity(demo, admin):
    """The PWA decides opening days offline: a register's own exceptions are pulled with the company's calendar
    (schema/pull-calendar.schema.json), sent again when one is added or deleted."""
    from tests.server.test_pull_contract import errors
    from tests.server.test_sync_pull import download

    replica, cookie, _pages = download(admin, demo["bakery"], None, 500)
    calendar = replica[("calendar", str(demo["bakery"]))]
    assert calendar["register_exceptions"] == [] and errors("calendar", calendar) == []
    created = admin.post(cal_url(demo, 1) + "/exceptions",
                         json={"date": "2026-03-18", "is_open": True, "label": "Foire de printemps"}).json
    replica, cookie, _pages = download(admin, demo["bakery"], cookie, 500, replica)
    calendar = replica[("calendar", str(demo["bakery"]))]
    assert calendar["register_exceptions"] == [{"id": created["id"], "register_id": demo["bakery_registers"][1],
                                                "date": "2026-03-18", "is_open": True, "label": "Foire de printemps"}]
    assert errors("calendar", calendar) == []
    assert admin.delete(cal_url(demo, 1) + f"/exceptions/{created['id']}").status_code == 204
    replica, cookie, _pages = download(admin, demo["bakery"], cookie, 500, replica)
    assert replica[("calendar", str(demo["bakery"]))]["register_exceptions"] == []  # the deletion is sent too
    # The schema refuses an undocumented field and an exception without its register.
    assert errors("calendar", {**calendar, "colour": "red"})
    assert errors("calendar", {**calendar, "register_exceptions": [{"id": 1, "date": "2026-03-18", "is_open": True,
                                                                    "label": ""}]})
