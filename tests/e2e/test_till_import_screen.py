"""The CSV import of Z reports in « Liaison caisse », in real Chromium (issue 15): a file whose amount columns
carry the shop's own names (« Rayon pain », « Especes ») is previewed with those columns listed as ignored and
its rows refused; the admin maps them through the column selects to codes of the table of correspondence, the
preview follows, a dry run with « seulement les lignes valides » saves nothing, the import saves the valid row
and the server's day holds its sales line. A register token shown at creation is gone after a reload."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.helpers import ADMIN, demo_ids, ensure_opening_day, first_page, login, today


def test_unmapped_columns_are_shown_ignored_then_mapped_to_codes_through_the_selects_and_imported(
    live_server, open_tablet, artifacts: Path, tmp_path: Path
):
    server = live_server
    admin = server.api(ADMIN)
    demo = demo_ids(server, admin)
    yesterday = (dt.date.fromisoformat(today()) - dt.timedelta(days=1)).isoformat()
    ensure_opening_day(server, demo, yesterday, admin)
    base = f"{server.url}/api/companies/{demo.company_id}/till"
    codes = {
        "sales": [{"code": "PAIN", "category_id": demo.categories["Pain"]}],
        "payments": [{"code": "ESP", "method_id": demo.methods["cash"]}],
    }
    admin.put(base + "/codes", json=codes, timeout=10).raise_for_status()
    day_before = admin.get(demo.day_url(server.url, yesterday), timeout=10).json()

    desk = first_page(open_tablet("desk", (1280, 1000)))
    desk.goto(server.url + "/")
    login(desk, server.url, ADMIN)
    desk.evaluate("() => { location.hash = '#/liaison'; }")

    # A token is shown once: after a reload its value is nowhere on the page.
    desk.get_by_test_id("token-label").fill("Caisse de la boutique")
    desk.get_by_test_id("token-create").click()
    token = desk.get_by_test_id("token-value").inner_text().strip()
    assert token.startswith("creg_")
    desk.reload()
    expect(desk.get_by_test_id("tokens")).to_contain_text("Caisse de la boutique")
    expect(desk.get_by_test_id("token-value")).to_have_count(0)
    assert token[5:] not in desk.content()

    csv = tmp_path / "z-boutique.csv"
    csv.write_text(
        "caisse;date;numero_z;nb_ventes;Rayon pain;Especes\n"
        f"Boutique;{yesterday};0950;12;118,40;118,40\n"
        f"Boutique;{yesterday[:4]}-13-01;0951;3;12,345;12\n",
        encoding="utf-8",
    )
    desk.get_by_test_id("import-file").set_input_files(str(csv))
    ignored = desk.get_by_test_id("import-ignored")
    expect(ignored).to_have_text("Colonnes ignorées (valeurs non importées) : Rayon pain, Especes.")
    pain = desk.get_by_test_id("import-column-4")
    expect(desk.get_by_test_id("import-column-5")).to_have_value("ignore")
    expect(pain).to_have_value("ignore")
    assert "sales:PAIN" in pain.locator("option").evaluate_all("(os) => os.map((o) => o.value)")
    desk.get_by_test_id("import-dry-run").click()
    expect(desk.get_by_test_id("import-status")).to_have_text("Essai : 0 ligne valide, 2 lignes en erreur.")
    expect(desk.get_by_test_id("import-line-2")).to_contain_text("sans vente ni paiement")
    desk.screenshot(path=str(artifacts / "till-import-ignored-1280.png"), full_page=True)

    # Mapped through the real selects: the preview follows each change.
    pain.select_option(label="Ventes — code PAIN (Pain)")
    expect(ignored).to_have_text("Colonne ignorée (valeurs non importées) : Especes.")
    desk.get_by_test_id("import-column-5").select_option("payments:ESP")
    expect(ignored).to_be_hidden()
    expect(desk.get_by_test_id("import-column-4")).to_have_value("sales:PAIN")
    expect(desk.get_by_test_id("import-line-2")).to_contain_text("PAIN 118,40 / ESP 118,40")

    # « Valid rows only », tried first: nothing is saved by the dry run.
    desk.get_by_test_id("import-valid-only").check()
    desk.get_by_test_id("import-dry-run").click()
    expect(desk.get_by_test_id("import-status")).to_have_text("Essai : 1 ligne valide, 1 ligne en erreur.")
    expect(desk.get_by_test_id("import-line-3")).to_have_attribute("data-status", "error")
    expect(desk.get_by_test_id("import-line-3").locator("td").nth(1)).to_have_text(f"{yesterday[:4]}-13-01")
    assert admin.get(demo.day_url(server.url, yesterday), timeout=10).json() == day_before
    desk.screenshot(path=str(artifacts / "till-import-mapped-1280.png"), full_page=True)

    desk.get_by_test_id("import-run").click()
    expect(desk.get_by_test_id("import-status")).to_have_text("Import enregistré : 1 ligne valide, 1 ligne en erreur.")
    expect(desk.get_by_test_id("import-line-2")).to_have_attribute("data-status", "applied")
    day = admin.get(demo.day_url(server.url, yesterday), timeout=10).json()
    assert day["till"] == {"z_number": "0950", "origin": "csv", "locked": True}
    assert [(s["category_id"], s["amount"]) for s in day["sales"]] == [(demo.categories["Pain"], "118.40")]
    assert [(p["method_id"], p["amount"]) for p in day["payments"]] == [(demo.methods["cash"], "118.40")]
    assert day["sales_count"] == 12 and day["totals"]["sales_ttc"] == "118.40"
