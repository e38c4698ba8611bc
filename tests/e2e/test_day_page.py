"""The day page on a tablet: a typical day fits in 2.5 screens, totals stay in view, toasts never cover a field;
proper French; a closed day reads as a document that admins can reopen with a reason; it prints on A4."""

from __future__ import annotations

import re
from io import BytesIO

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.day_helpers import close_day, flush, start_day, type_typical_day
from tests.e2e.helpers import ADMIN, add_flow, first_page, login, norm, open_day, open_flow_form, today, wait_synced

TABLET = (820, 1180)


def test_typical_day_fits_a_tablet_with_totals_in_view(live_server, open_tablet, artifacts):
    server = live_server
    _admin, demo, _ctx, page = start_day(server, open_tablet, "fit", TABLET)
    page.screenshot(path=str(artifacts / "day-fit-empty-820.png"), full_page=True)
    # No movement form open by default: one « Ajouter » per section.
    expect(page.locator("form.flow-form:visible")).to_have_count(0)
    for section in page.locator("[data-testid^=section-]").filter(has=page.locator("details.adder")).all():
        expect(section.locator("details.adder > summary")).to_have_count(1)
    type_typical_day(page, demo)
    flush(page)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.evaluate("() => window.scrollTo(0, 0)")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.screenshot(path=str(artifacts / "day-fit-820.png"), full_page=True)
    assert height <= 2.5 * TABLET[1], f"the typical day is {height} px tall on the tablet"

    # Scrolled to the count: totals, difference and the way to the closing are still on screen.
    page.get_by_test_id(f"count-{demo.methods['cash']}").scroll_into_view_if_needed()
    page.evaluate("() => window.scrollBy(0, 400)")
    summary = page.get_by_test_id("day-summary")
    box = summary.bounding_box()
    assert box is not None and 0 <= box["y"] < TABLET[1] and box["y"] + box["height"] <= TABLET[1], box
    assert norm(page.get_by_test_id("sticky-ttc").inner_text()) == "557,00 €"
    assert norm(page.get_by_test_id("sticky-rest").inner_text()) == "0,00 €"
    assert norm(page.get_by_test_id(f"sticky-diff-{demo.methods['cash']}").inner_text()) == "-1,50 €"
    expect(page.get_by_test_id("sticky-close")).to_be_visible()

    # A toast (after adding a movement) never covers a field: it sits over the status bar.
    form = open_flow_form(page, "cash-in")
    form.get_by_test_id("cash-in-amount").fill("5")
    form.get_by_test_id("add-cash-in").click()
    toast = page.get_by_test_id("toast").last
    expect(toast).to_have_text(re.compile(r"Apport de 5,00\s€ enregistré\."))
    tbox = toast.bounding_box()
    bar = page.locator("footer.statusbar").bounding_box()
    assert tbox and bar and tbox["y"] >= bar["y"] - 1, (tbox, bar)
    covered = page.evaluate("""(t) => [...document.querySelectorAll('input, select, textarea')].filter((el) => {
        const r = el.getBoundingClientRect();
        if (!r.width || !r.height || r.bottom <= 0 || r.top >= innerHeight) return false;
        const bar = document.querySelector('footer.statusbar').getBoundingClientRect();
        if (r.top >= bar.top) return false;  // under the status bar already
        return r.bottom > t.y && r.top < t.y + t.height;
      }).map((el) => el.dataset.testid)""", tbox)
    assert covered == [], covered
    # The toast agrees with the movement's gender: « Sortie … enregistrée », « Dépense … enregistrée ».
    add_flow(page, "cash-out", amount="7", reason="Timbres")
    expect(page.get_by_test_id("toast").last).to_have_text(re.compile(r"^Sortie de 7,00\s€ enregistrée\."))
    add_flow(page, "expense", label="Ficelle", amount="3", vat_bp="2000", method=str(demo.methods["cash"]))
    expect(page.get_by_test_id("toast").last).to_have_text(re.compile(r"^Dépense de 3,00\s€ enregistrée\."))

    # Proper French on the whole page: no « (s) », « (e) », « Classification » capitalised mid-sentence.
    text = page.locator("main").inner_text()
    assert not re.search(r"\((e|s|es)\)", text), re.findall(r".{20}\((?:e|s|es)\).{5}", text)
    assert "Ventes par classification" in text
    assert "2 chèques" in text
    # One apostrophe style: the typographic ’ only (« n’est », « l’exploitant »), never the straight one.
    assert "'" not in text, [line for line in text.splitlines() if "'" in line]
    assert "’" in text


def test_closed_day_reads_as_a_document_prints_on_a4_and_reopens_with_a_reason(live_server, open_tablet, artifacts):
    server = live_server
    admin, demo, _ctx, page = start_day(server, open_tablet, "doc", TABLET, email=ADMIN)
    type_typical_day(page, demo)
    flows = page.get_by_test_id("flows-cash").get_by_test_id("flow-item")
    flows.first.get_by_test_id("void-flow").click()
    page.get_by_test_id("void-reason").fill("Sortie saisie deux fois")
    page.get_by_test_id("void-confirm").click()
    expect(page.locator("[data-testid=flow-item].voided")).to_have_count(1)
    # The void puts 20 € back in the expected cash: count it.
    page.get_by_test_id(f"count-{demo.methods['cash']}").fill("343,10")
    flush(page)
    close_day(page)

    doc = page.get_by_test_id("closed-doc")
    expect(doc).to_be_visible()
    expect(page.get_by_test_id("closed-sequence")).to_have_text("1")
    expect(page.get_by_test_id("closed-hash")).to_have_text(re.compile(r"^[0-9a-f]{12}…$"))
    expect(page.get_by_test_id("closed-by")).not_to_have_text("…")
    expect(page.get_by_test_id("closed-by")).to_have_text("Gérard Boulanger")
    expect(page.get_by_test_id("closed-at")).to_have_text(re.compile(r"le \d\d/\d\d/\d{4} à \d\d:\d\d"))
    fixes = norm(page.get_by_test_id("corrections").inner_text())
    assert "Annulation" in fixes and "Sortie de 20,00 €" in fixes and "Sortie saisie deux fois" in fixes, fixes
    expect(page.locator("main input:not([disabled])")).to_have_count(0)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "day-doc-820.png"), full_page=True)

    # Printed by Chromium on A4: a clean brouillard de caisse.
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    page.emulate_media(media="screen")
    (artifacts / "day-closed.pdf").write_bytes(pdf)
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) <= 3, len(reader.pages)
    width_pt, height_pt = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width_pt - 595) < 3 and abs(height_pt - 842) < 3, (width_pt, height_pt)
    text = norm(" ".join(p.extract_text() for p in reader.pages))
    for expected in ("Brouillard de caisse", "Boulangerie du Marché", "Boutique", "Z-2217", "557,00",
                     "Levure et sel", "Remise en banque", "Solde théorique", "343,10", "Écart de caisse",
                     "Erreur de rendu de monnaie", "Signature", "séquence 1"):
        assert expected in text, (expected, text)
    for absent in ("Historique", "Synchroniser", "Ajouter", "Rouvrir", "Jour suivant", "Clôturer la journée"):
        assert absent not in text, (absent, text)

    # « Rouvrir »: a reason is required, then the day is open again and the journal keeps the trace.
    page.get_by_test_id("reopen").locator("summary").click()
    page.get_by_test_id("reopen-confirm").click()
    expect(page.get_by_test_id("reopen-error")).to_have_text("Indiquez le motif de la réouverture.")
    page.get_by_test_id("reopen-reason").fill("Remise en banque oubliée")
    page.get_by_test_id("reopen-confirm").click()
    expect(page.get_by_test_id("day-status")).not_to_have_text("Clôturée", timeout=20_000)
    day = admin.get(demo.day_url(server.url, today()), timeout=10).json()
    assert day["status"] == "open"
    assert [e["reason"] for e in day["events"] if e["kind"] == "reopen"] == ["Remise en banque oubliée"]


def test_a_cashier_sees_no_reopen_and_the_admin_sees_who_closed(live_server, open_tablet, artifacts):
    server = live_server
    admin, demo, _ctx, page = start_day(server, open_tablet, "cashier-doc", TABLET)
    type_typical_day(page, demo)
    flush(page)
    close_day(page)
    expect(page.get_by_test_id("closed-doc")).to_be_visible()
    expect(page.get_by_test_id("reopen")).to_have_count(0)
    expect(page.get_by_test_id("closed-by")).to_have_text("Camille Caissière")
    # One apostrophe style on the day page: the typographic ’ only.
    text = page.locator("main").inner_text()
    assert "'" not in text, [line for line in text.splitlines() if "'" in line]

    # The admin opening the day the cashier closed reads the cashier's name, not a user number.
    events = admin.get(demo.day_url(server.url, today()), timeout=10).json()["events"]
    assert [e["user_name"] for e in events if e["kind"] == "close"] == ["Camille Caissière"], events
    other = open_tablet("admin-doc", TABLET)
    admin_page = first_page(other)
    admin_page.goto(server.url + "/")
    login(admin_page, server.url, ADMIN)
    wait_synced(admin_page)
    open_day(admin_page, demo.register_id, today())
    expect(admin_page.get_by_test_id("closed-doc")).to_be_visible()
    expect(admin_page.get_by_test_id("closed-by")).to_have_text("Camille Caissière")
    expect(admin_page.get_by_test_id("closed-by")).not_to_have_text(re.compile("n°"))
    admin_page.get_by_test_id("closed-doc").screenshot(path=str(artifacts / "day-closed-by-admin-820.png"))
