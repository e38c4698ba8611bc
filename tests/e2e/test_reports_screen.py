"""The « Rapports » screens in real Chromium: the monthly synthesis with its chart and table, switching
register, N-1 mode and month (kept in the hash), the cash journal of a period downloaded in three formats,
the day and credit tabs, axe on every tab at 390, 820 and 1440 px, and the firm dashboard opening a company."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.backoffice_helpers import login_as
from tests.e2e.helpers import ADMIN, demo_ids, ensure_opening_day, first_page, login, norm
from tests.e2e.test_accessibility import AXE, BLOCKING, axe, report

FIRM = "cabinet@demo.test"


def close_day(server, admin, demo, date: str, amount: str, register: str = "Boutique") -> None:
    """Enter a day paid in cash and close it, through the API."""
    ensure_opening_day(server, demo, date, admin)
    url, cash = demo.day_url(server.url, date, register), demo.methods["cash"]
    r = admin.put(url, json={"base_revision": 0, "z_number": "Z-1", "sales_count": 10,
                             "sales": [{"category_id": demo.categories["Pain"], "amount": amount}],
                             "payments": [{"method_id": cash, "amount": amount}]}, timeout=10)
    r.raise_for_status()
    counts = [{"method_id": b["method_id"], "amount": b["expected"]} for b in r.json()["balances"]]
    admin.put(url, json={"base_revision": r.json()["revision"], "counts": counts}, timeout=10).raise_for_status()
    admin.post(url + "/close", json={}, timeout=10).raise_for_status()


def seed_march(server):
    admin = server.api(ADMIN)
    demo = demo_ids(server, admin)
    close_day(server, admin, demo, "2025-03-14", "100.00")  # a Friday
    close_day(server, admin, demo, "2025-03-15", "200.00")  # a Saturday, both registers
    close_day(server, admin, demo, "2025-03-15", "50.00", register="Marché du samedi")
    close_day(server, admin, demo, "2024-03-14", "80.00")  # N-1 of 14/03/2025, same date
    close_day(server, admin, demo, "2024-03-16", "70.00", register="Marché du samedi")  # N-1, same weekday
    return demo


def _column(page, column: str) -> int:
    """The column's index, once a table is drawn: a switch redraws the screen, and a read taken while the new
    table is not there yet finds no header (a CI run of 3 December failed so), so the read is polled."""
    headers: list[str] = []
    for _ in range(200):
        headers = [norm(t) for t in page.get_by_test_id("monthly-table").locator("thead th").all_inner_texts()]
        if column in headers:
            return headers.index(column)
        page.wait_for_timeout(50)
    raise AssertionError(f"no column {column!r} in {headers}")


def _shows(locator, text: str) -> None:
    """Waits (the table redraws after each switch) until the cell reads `text`, whatever the spaces."""
    expect(locator).to_have_text(re.compile("^\\s*" + r"\s+".join(map(re.escape, text.split())) + "\\s*$"))


def expect_cell(page, row_date: str, column: str, text: str) -> None:
    row = page.get_by_test_id("monthly-table").locator("tbody tr", has_text=row_date)
    _shows(row.locator("td").nth(_column(page, column)), text)


def expect_total(page, column: str, text: str) -> None:
    _shows(page.get_by_test_id("monthly-table").locator("tfoot td").nth(_column(page, column)), text)


def test_monthly_synthesis_switching_register_n1_and_month(live_server, open_tablet, artifacts):
    server = live_server
    demo = seed_march(server)
    page = first_page(open_tablet("reports-admin", viewport=(1440, 1000)))
    page.goto(server.url + "/")
    login(page, server.url, ADMIN)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Rapports").click()
    expect(page).to_have_url(re.compile(r"#/rapports$"))
    page.get_by_test_id("report-month").fill("2025-03")
    page.get_by_test_id("report-month").dispatch_event("change")
    expect(page).to_have_url(re.compile(r"#/rapports/mensuel\?mois=2025-03$"))
    expect(page.get_by_test_id("report-title")).to_have_text("Synthèse mensuelle — mars 2025")
    expect(page.get_by_test_id("monthly-table").locator("tbody tr")).to_have_count(2)
    expect_total(page, "CA TTC", "350,00 €")
    expect_cell(page, "15/03/2025", "CA TTC", "250,00 €")
    expect_cell(page, "15/03/2025", "CA TTC N-1", "0,00 €")
    expect_cell(page, "14/03/2025", "CA TTC N-1", "80,00 €")
    expect_total(page, "Ventes", "30")
    expect_total(page, "Panier moyen", "11,67 €")
    expect(page.get_by_test_id("chart-revenue").locator("canvas")).to_have_count(1)
    expect(page.get_by_test_id("chart-revenue")).to_have_attribute("role", "img")
    expect(page.get_by_test_id("mix-table")).to_contain_text("Espèces")
    expect(page.get_by_test_id("card-revenue")).to_contain_text("+200,00")  # 350 against 80 + 70
    page.screenshot(path=str(artifacts / "reports-monthly-1440.png"), full_page=True)

    # One register: the market opens on Saturdays only
    page.get_by_test_id("report-register").select_option(label="Marché du samedi")
    expect(page).to_have_url(re.compile(rf"caisse={demo.registers['Marché du samedi']}"))
    expect(page.get_by_test_id("monthly-table").locator("tbody tr")).to_have_count(1)
    expect_total(page, "CA TTC", "50,00 €")
    expect(page.get_by_test_id("card-budget")).to_contain_text("comparé à toutes les caisses seulement")

    # N-1 on the same weekday: Saturday 15/03/2025 against Saturday 16/03/2024
    page.get_by_test_id("report-n1").select_option("weekday")
    expect(page).to_have_url(re.compile(r"n1=weekday"))
    expect(page.get_by_test_id("monthly-table").locator("tbody tr")).to_have_count(1)
    expect_cell(page, "15/03/2025", "CA TTC N-1", "70,00 €")
    page.screenshot(path=str(artifacts / "reports-monthly-market-weekday-1440.png"), full_page=True)

    # Previous month: nothing entered
    page.get_by_test_id("report-prev").click()
    expect(page).to_have_url(re.compile(r"mois=2025-02"))
    expect(page.get_by_test_id("report-empty")).to_be_visible()

    # The fiscal year and the month's credits read the same figures
    page.get_by_test_id("report-tab-exercice").click()
    expect(page.get_by_test_id("year-table")).to_contain_text("mars 2025")
    expect(page.get_by_test_id("chart-year").locator("canvas")).to_have_count(1)
    page.set_viewport_size({"width": 820, "height": 1180})
    page.screenshot(path=str(artifacts / "reports-fiscal-year-820.png"), full_page=True)


def test_firm_dashboard_sorts_and_opens_a_company(live_server, open_tablet, artifacts):
    server = live_server
    seed_march(server)
    page = first_page(open_tablet("reports-firm", viewport=(1440, 900)))
    page.goto(server.url + "/")
    login_as(page, server.url, FIRM, landing="companies")  # a firm admin with two companies lands on « Sociétés »
    page.goto(server.url + "/#/cabinet?mois=2025-03")
    rows = page.get_by_test_id("firm-row")
    expect(rows).to_have_count(2)
    page.get_by_test_id("sort-revenue").click()
    page.get_by_test_id("sort-revenue").click()  # descending: the bakery (350 €) first
    expect(rows.first).to_contain_text("Boulangerie du Marché")
    expect(rows.first).to_contain_text("350,00")
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("CA TTC")
    page.screenshot(path=str(artifacts / "reports-firm-dashboard-1440.png"), full_page=True)
    page.get_by_test_id("open-company").filter(has_text="Café des Arts").click()
    expect(page).to_have_url(re.compile(r"#/rapports/mensuel\?mois=2025-03"))
    expect(page.locator("main .lead").first).to_have_text("Café des Arts")


JOURNAL_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def journal_text(fmt: str, data: bytes) -> str:
    """The text of a downloaded journal, whatever its format."""
    if fmt == "pdf":
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\xa0", " ")
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        return "\n".join(";".join(row) for row in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    sheet = load_workbook(io.BytesIO(data)).active
    return "\n".join(";".join("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True))


def test_cash_journal_of_a_period_downloads_in_three_formats(live_server, open_tablet, artifacts):
    server = live_server
    seed_march(server)
    page = first_page(open_tablet("reports-journal", viewport=(1440, 1000)))
    page.goto(server.url + "/")
    login(page, server.url, ADMIN)
    page.goto(server.url + "/#/rapports/mensuel?mois=2025-03")
    section = page.get_by_test_id("journal-section")
    expect(section.get_by_role("heading", name="Journal de caisse")).to_be_visible()
    expect(page.get_by_test_id("journal-from")).to_have_value("2025-03-01")  # the month shown, by default
    expect(page.get_by_test_id("journal-to")).to_have_value("2025-03-31")

    # A period that ends before it starts: refused on the « Au » field, nothing downloaded
    page.get_by_test_id("journal-from").fill("2025-03-31")
    page.get_by_test_id("journal-to").fill("2025-03-01")
    page.get_by_test_id("journal-csv").click()
    expect(page.get_by_test_id("journal-to-error")).to_have_text("La fin doit suivre le début.")
    expect(page.get_by_test_id("journal-to")).to_have_attribute("aria-invalid", "true")
    page.get_by_test_id("journal-to").fill("2026-04-01")
    page.get_by_test_id("journal-from").fill("2025-03-01")
    expect(page.get_by_test_id("journal-to-error")).to_be_hidden()  # typing clears the message
    page.get_by_test_id("journal-xlsx").click()
    expect(page.get_by_test_id("journal-to-error")).to_have_text("Une année au plus.")
    page.screenshot(path=str(artifacts / "reports-journal-error-1440.png"), full_page=True)

    page.get_by_test_id("journal-from").fill("2025-03-14")
    page.get_by_test_id("journal-to").fill("2025-03-15")
    for fmt, media in JOURNAL_TYPES.items():
        with page.expect_response(re.compile(rf"/reports/journal\.{fmt}\?")) as answer, page.expect_download() as info:
            page.get_by_test_id(f"journal-{fmt}").click()
        response = answer.value
        assert response.status == 200 and response.headers["content-type"] == media, (fmt, response.headers)
        assert "from=2025-03-14" in response.url and "to=2025-03-15" in response.url
        assert info.value.suggested_filename == f"journal-732829320-2025-03-14-2025-03-15.{fmt}"
        text = journal_text(fmt, Path(info.value.path()).read_bytes())
        assert "du 14/03/2025 au 15/03/2025" in text or fmt == "csv", fmt
        assert "Marché du samedi" in text and "Boutique" in text, fmt
        assert "2 journées" not in text and "3 journées" in text, fmt  # 14/03 Boutique, 15/03 both registers
    expect(page.get_by_test_id("journal-to-error")).to_be_hidden()
    expect(page.get_by_test_id("report-error")).to_be_hidden()


WIDTHS = [(390, 844), (820, 1180), (1440, 900)]


def axe_at_three_widths(page, name: str, artifacts: Path, found: dict) -> None:
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(150)
        found[f"{name}@{width}"] = axe(page)
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(artifacts / f"reports-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_day_and_credit_tabs_and_axe_on_every_tab(live_server, open_tablet, artifacts):
    assert AXE.exists(), "axe-core is not installed (cd pwa && npm ci)"
    server = live_server
    demo = seed_march(server)
    admin = server.api(ADMIN)
    base = f"{server.url}/api/companies/{demo.company_id}"
    customer = admin.get(base + "/customers", timeout=10).json()[0]
    ensure_opening_day(server, demo, "2025-03-20", admin)
    r = admin.post(demo.day_url(server.url, "2025-03-20") + "/flows", timeout=10,
                   json={"kind": "credit_granted", "amount": "42.00", "customer_id": customer["id"]})
    assert r.status_code == 201, r.text
    page = first_page(open_tablet("reports-tabs", viewport=(1440, 900)))
    page.goto(server.url + "/")
    login(page, server.url, ADMIN)
    page.goto(server.url + "/#/rapports/mensuel?mois=2025-03")
    expect(page.get_by_test_id("monthly-table").locator("tbody tr")).to_have_count(3)  # 20/03 open, provisional
    found: dict = {}
    axe_at_three_widths(page, "mensuel", artifacts, found)

    # « Journée »: the date picker, then the day's revenue of both registers (200 € + 50 €)
    page.get_by_test_id("report-tab-journee").click()
    page.get_by_test_id("report-date").fill("2025-03-15")
    page.get_by_test_id("report-date").dispatch_event("change")
    expect(page).to_have_url(re.compile(r"jour=2025-03-15"))
    expect(page.get_by_test_id("report-title")).to_have_text("Synthèse du 15/03/2025")
    _shows(page.get_by_test_id("daily-revenue").locator(".figure-value"), "250,00 €")
    expect(page.get_by_test_id("daily-register")).to_have_count(2)
    axe_at_three_widths(page, "journee", artifacts, found)

    page.get_by_test_id("report-tab-exercice").click()
    expect(page.get_by_test_id("year-table")).to_contain_text("mars 2025")
    axe_at_three_widths(page, "exercice", artifacts, found)

    # « Crédits et bons cadeaux »: the customer's 42 € granted on the still open 20/03
    page.get_by_test_id("report-tab-credits").click()
    expect(page.get_by_test_id("report-title")).to_have_text("Crédits clients et bons cadeaux — mars 2025")
    row = page.get_by_test_id("credit-table").locator("tbody tr", has_text=customer["name"])
    expect(row).to_have_count(1)
    _shows(row.locator("td").nth(3), "42,00 €")
    _shows(row.locator("td").nth(4), "20/03/2025")
    _shows(page.get_by_test_id("credit-balance").locator(".figure-value"), "42,00 €")
    axe_at_three_widths(page, "credits", artifacts, found)

    blocking = {screen: [v for v in violations if v["impact"] in BLOCKING] for screen, violations in found.items()}
    assert not any(blocking.values()), "\n".join(report(s, v) for s, v in found.items() if blocking[s])
