"""The till link in real Chromium (issue 15): an admin creates a register token and the code mapping in
« Liaison caisse » and tries a CSV import; the till sends its Z report over HTTP with the token; the cashier
finds the Z fields read-only, adds the movements and the count, and closes. The day seals and exports
like a typed one: `verify-journal` passes, the FEC carries the sales and the payments."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import requests
from playwright.sync_api import expect

from tests.e2e.day_helpers import TYPICAL_PAYMENTS, TYPICAL_SALES, close_day, flush
from tests.e2e.helpers import (
    ADMIN,
    add_flow,
    demo_ids,
    ensure_opening_day,
    first_page,
    login,
    norm,
    open_day,
    today,
    type_amount,
    wait_synced,
)

ROOT = Path(__file__).resolve().parents[2]
SALES_CODES = {"PAIN": "Pain", "VIENN": "Viennoiserie", "PATIS": "Pâtisserie"}
PAYMENT_CODES = {"ESP": "cash", "CB": "card", "CHQ": "cheque"}


def wire(french: str) -> str:
    return french.replace(",", ".")


def map_codes(page, demo) -> None:
    """Fill the table of correspondence as an admin types it."""
    for kind, codes, targets in (("sales", SALES_CODES, demo.categories), ("payments", PAYMENT_CODES, demo.methods)):
        for i, (code, target) in enumerate(codes.items()):
            page.get_by_test_id(f"code-{kind}-add").click()
            page.get_by_test_id(f"code-{kind}-{i}").fill(code)
            page.get_by_test_id(f"code-{kind}-{i}-ref").select_option(str(targets[target]))
    page.get_by_test_id("codes-save").click()
    expect(page.get_by_test_id("codes-status")).to_have_text("Correspondance enregistrée.")


def test_a_z_report_sent_by_token_is_completed_in_the_pwa_and_closes_seals_and_exports(
    live_server, open_tablet, artifacts: Path, tmp_path: Path
):
    server = live_server
    admin = server.api(ADMIN)
    demo = demo_ids(server, admin)
    date = today()
    yesterday = (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat()
    for day in (date, yesterday):
        ensure_opening_day(server, demo, day, admin)

    # The admin, at a desktop: a token for the Boutique register, shown once, and the code mapping.
    desk = first_page(open_tablet("desk", (1440, 1000)))
    desk.goto(server.url + "/")
    login(desk, server.url, ADMIN)
    desk.evaluate("() => { location.hash = '#/liaison'; }")
    desk.get_by_test_id("token-label").fill("Logiciel de caisse de la boutique")
    desk.get_by_test_id("token-register").select_option(str(demo.register_id))
    desk.get_by_test_id("token-create").click()
    token = desk.get_by_test_id("token-value").inner_text().strip()
    assert token.startswith("creg_")
    expect(desk.get_by_test_id("token-last-used")).to_have_text("jamais")
    map_codes(desk, demo)

    # A CSV with one wrong row: the import saves nothing and names the line.
    csv = tmp_path / "z.csv"
    csv.write_text(
        "caisse;date;numero_z;nb_ventes;ventes:PAIN;paiements:ESP\n"
        f"Boutique;{yesterday};0900;12;100,00;100,00\n"
        f"Boutique;{yesterday[:4]}-13-01;0901;3;12,345;12\n",
        encoding="utf-8",
    )
    desk.get_by_test_id("import-file").set_input_files(str(csv))
    expect(desk.get_by_test_id("import-line-2")).to_be_visible()
    expect(desk.get_by_test_id("import-column-4")).to_have_value("sales:PAIN")
    desk.get_by_test_id("import-run").click()
    expect(desk.get_by_test_id("import-status")).to_have_text(
        "Rien n’est enregistré : 1 ligne valide, 1 ligne en erreur."
    )
    expect(desk.get_by_test_id("import-line-3")).to_have_attribute("data-status", "error")
    assert "Ventes, 1re colonne remplie, montant" in desk.get_by_test_id("import-line-3").inner_text()
    desk.screenshot(path=str(artifacts / "till-link-admin-1440.png"), full_page=True)
    desk.set_viewport_size({"width": 820, "height": 1180})
    assert desk.evaluate("() => document.documentElement.scrollWidth") <= 820  # usable on a tablet
    desk.screenshot(path=str(artifacts / "till-link-admin-820.png"), full_page=True)
    desk.set_viewport_size({"width": 1440, "height": 1000})

    # The till sends today's Z over HTTP with its token.
    report = {
        "date": date,
        "z_number": "0902",
        "sales_count": 58,
        "sales": [{"code": code, "amount": wire(TYPICAL_SALES[label])} for code, label in SALES_CODES.items()],
        "payments": [{"code": code, "amount": wire(TYPICAL_PAYMENTS[kind])} for code, kind in PAYMENT_CODES.items()],
    }
    r = requests.post(
        f"{server.url}/api/registers/{demo.register_id}/z-reports",
        json=report,
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.text
    desk.reload()
    expect(desk.get_by_test_id("token-last-used")).not_to_have_text("jamais")

    # The cashier completes the day on the tablet: the Z is read-only, the rest is typed as usual.
    page = first_page(open_tablet("tablet"))
    page.goto(server.url + "/")
    login(page, server.url)
    wait_synced(page)
    open_day(page, demo.register_id, date)
    expect(page.get_by_test_id("till-note")).to_have_text("Reçu de la caisse enregistreuse (Z n° 0902).")
    expect(page.get_by_test_id("z-number")).to_be_disabled()
    expect(page.get_by_test_id("z-number")).to_have_value("0902")
    expect(page.get_by_test_id(f"sales-{demo.categories['Pain']}")).to_be_disabled()
    expect(page.get_by_test_id(f"payment-{demo.methods['cash']}")).to_be_disabled()
    expect(page.get_by_test_id("total-ttc")).to_have_text("557,00\u00a0€")
    expect(page.get_by_test_id("till-note-unlock")).to_have_count(0)  # a cashier cannot unlock
    page.screenshot(path=str(artifacts / "till-link-day-locked-820.png"), full_page=False)

    # The admin unlocks the Z from the same day screen (audited); the tablet follows at its next sync.
    open_day(desk, demo.register_id, date)
    desk.get_by_test_id("till-note-unlock").click()
    expect(desk.get_by_test_id("till-note")).to_have_count(0)
    expect(desk.get_by_test_id("z-number")).to_be_enabled()
    assert any(
        e["action"] == "unlock"
        for e in admin.get(f"{server.url}/api/companies/{demo.company_id}/audit", timeout=10).json()["items"]
    )
    page.get_by_test_id("sync-now").click()
    expect(page.get_by_test_id(f"sales-{demo.categories['Pain']}")).to_be_enabled()
    expect(page.get_by_test_id("z-number")).to_have_value("0902")
    cash, cheque = demo.methods["cash"], demo.methods["cheque"]
    type_amount(page, f"opening-{cash}", "150")
    add_flow(page, "cash-out", amount="20", reason="Monnaie pour le marché")
    add_flow(page, "deposit", method=str(cheque), amount="40", slip_number="B-0902", cheque_count="2")
    type_amount(page, f"count-{cash}", "337")  # 150 + 207 − 20
    type_amount(page, f"count-{cheque}", "0")
    expect(page.get_by_test_id("close-day")).to_be_enabled(timeout=25_000)
    page.screenshot(path=str(artifacts / "till-link-day-820.png"), full_page=True)
    flush(page)
    close_day(page)

    # Sealed like a typed day: the journal verifies, the FEC carries the Z and the movements.
    day = admin.get(demo.day_url(server.url, date), timeout=10).json()
    assert day["status"] == "closed" and day["sequence"] and len(day["hash"]) == 64
    assert day["till"] == {"z_number": "0902", "origin": "api", "locked": False}
    bin_dir = Path(sys.executable).parent
    verified = subprocess.run(
        [str(bin_dir / "flask"), "verify-journal"],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0 and "Journal intègre" in verified.stdout, verified.stderr
    fec = admin.get(
        f"{server.url}/api/companies/{demo.company_id}/exports/fec",
        timeout=10,
        params={"from": date, "to": date, "sep": "tab", "encoding": "utf8"},
    )
    assert fec.status_code == 200, fec.text
    rows = [line.split("\t") for line in fec.content.decode("utf-8").splitlines()[1:]]

    def cents(text: str) -> int:
        return round(float(text.replace(",", ".") or 0) * 100)

    assert sum(cents(r[11]) for r in rows) == sum(cents(r[12]) for r in rows)  # balanced
    revenue = sum(cents(r[12]) for r in rows if r[4].startswith(("70", "4457")))
    assert revenue == 55700  # the till's 557,00 TTC: sales HT + output VAT
    debits = sorted(r[11] for r in rows if cents(r[11]))
    assert {"207,00", "310,00", "40,00", "20,00"} <= set(debits)  # payments of the Z, then the cash-out
    assert norm(page.get_by_test_id("day-status").inner_text()) == "Clôturée"


def test_a_day_still_locked_by_the_till_is_completed_and_closed_by_the_cashier_without_any_unlock(
    live_server, open_tablet, artifacts: Path
):
    """No admin touches the day: the Z fields stay read-only, the cashier's movements and count go through,
    the close seals the till's Z."""
    server = live_server
    admin = server.api(ADMIN)
    demo = demo_ids(server, admin)
    date = today()
    ensure_opening_day(server, demo, date, admin)
    base = f"{server.url}/api/companies/{demo.company_id}/till"
    codes = {
        "sales": [{"code": c, "category_id": demo.categories[label]} for c, label in SALES_CODES.items()],
        "payments": [{"code": c, "method_id": demo.methods[kind]} for c, kind in PAYMENT_CODES.items()],
    }
    admin.put(base + "/codes", json=codes, timeout=10).raise_for_status()
    created = admin.post(base + "/tokens", json={"register_id": demo.register_id, "label": "Caisse"}, timeout=10)
    token = created.json()["token"]
    report = {
        "date": date,
        "z_number": "0977",
        "sales_count": 58,
        "sales": [{"code": code, "amount": wire(TYPICAL_SALES[label])} for code, label in SALES_CODES.items()],
        "payments": [{"code": code, "amount": wire(TYPICAL_PAYMENTS[kind])} for code, kind in PAYMENT_CODES.items()],
    }
    r = requests.post(
        f"{server.url}/api/registers/{demo.register_id}/z-reports",
        json=report,
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.text

    page = first_page(open_tablet("tablet"))
    page.goto(server.url + "/")
    login(page, server.url)
    wait_synced(page)
    open_day(page, demo.register_id, date)
    expect(page.get_by_test_id("till-note")).to_have_text("Reçu de la caisse enregistreuse (Z n° 0977).")
    for testid in ("z-number", "sales-count", f"sales-{demo.categories['Pain']}", f"payment-{demo.methods['card']}"):
        expect(page.get_by_test_id(testid)).to_be_disabled()
    expect(page.get_by_test_id("total-ttc")).to_have_text("557,00\u00a0€")
    cash, cheque = demo.methods["cash"], demo.methods["cheque"]
    type_amount(page, f"opening-{cash}", "150")
    add_flow(page, "cash-out", amount="20", reason="Monnaie pour le marché")
    add_flow(page, "deposit", method=str(cheque), amount="40", slip_number="B-0977", cheque_count="2")
    type_amount(page, f"count-{cash}", "337")  # 150 + 207 − 20
    type_amount(page, f"count-{cheque}", "0")
    expect(page.get_by_test_id("close-day")).to_be_enabled(timeout=25_000)
    flush(page)
    # Nothing the cashier typed was refused by the lock: every movement and count is on the server.
    held = admin.get(demo.day_url(server.url, date), timeout=10).json()
    assert {f["kind"] for f in held["flows"]} >= {"cash_out", "deposit"}, held["flows"]
    expect(page.get_by_test_id("z-number")).to_be_disabled()
    page.screenshot(path=str(artifacts / "till-link-locked-day-before-close-820.png"), full_page=True)
    close_day(page)

    day = admin.get(demo.day_url(server.url, date), timeout=10).json()
    assert day["status"] == "closed" and day["sequence"] and len(day["hash"]) == 64
    assert day["till"] == {"z_number": "0977", "origin": "api", "locked": True}  # never unlocked
    assert (day["z_number"], day["sales_count"], day["totals"]["sales_ttc"]) == ("0977", 58, "557.00")
    assert not any(
        e["action"] == "unlock"
        for e in admin.get(f"{server.url}/api/companies/{demo.company_id}/audit", timeout=10).json()["items"]
    )
    verified = subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "verify-journal"],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0 and "Journal intègre" in verified.stdout, verified.stderr
    fec = admin.get(
        f"{server.url}/api/companies/{demo.company_id}/exports/fec",
        timeout=10,
        params={"from": date, "to": date, "sep": "tab", "encoding": "utf8"},
    )
    assert fec.status_code == 200, fec.text
    rows = [line.split("\t") for line in fec.content.decode("utf-8").splitlines()[1:]]

    def cents(text: str) -> int:
        return round(float(text.replace(",", ".") or 0) * 100)

    assert rows and sum(cents(r[11]) for r in rows) == sum(cents(r[12]) for r in rows)
    assert sum(cents(r[12]) for r in rows if r[4].startswith(("70", "4457"))) == 55700
    assert {"207,00", "310,00", "40,00", "20,00"} <= {r[11] for r in rows if cents(r[11])}
