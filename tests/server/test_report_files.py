"""Report files read back: CSV (BOM, ;, decimal comma), XLSX (openpyxl), PDF (pypdf text, first page as PNG)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from domain.money import parse_wire
from tests.server.test_days_api import close_balanced, day_url
from tests.server.test_reports import previous_month

ARTIFACTS = Path(__file__).parents[1] / "e2e" / "artifacts"
BASE = "/api/companies/{cid}/reports/"


def two_days(auth, demo):
    admin = auth("gerant@demo.test")
    for on, amount in (("2026-03-13", "1234.56"), ("2026-03-14", "20.10")):
        assert close_balanced(admin, day_url(demo, on), demo, sales=amount).status_code == 200
    return admin


def test_csv_has_a_bom_semicolons_and_decimal_commas(auth, demo):
    admin = two_days(auth, demo)
    r = admin.get(BASE.format(cid=demo["bakery"]) + "monthly.csv?year=2026&month=3")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert 'filename="synthese-732829320-2026-03.csv"' in r.headers["Content-Disposition"]
    assert r.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Date", "Fond de caisse", "Entrées"] and rows[0][9] == "CA TTC"
    assert [row[0] for row in rows[1:]] == ["13/03/2026", "14/03/2026", "Total"]
    assert rows[1][9] == "1234,56" and rows[2][9] == "20,10" and rows[3][9] == "1254,66"
    assert rows[3][2] == "1254,66"  # inflows: both days' cash sales


def test_xlsx_reads_back_with_numbers(auth, demo):
    admin = two_days(auth, demo)
    r = admin.get(BASE.format(cid=demo["bakery"]) + "monthly.xlsx?year=2026&month=3")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "État de synthèse mensuelle de l’activité de caisse"
    assert "Boulangerie du Marché" in values[1][0] and values[2][0] == "mars 2026 — Toutes les caisses"
    header = values[4]
    total = next(row for row in values if row[0] == "Total")
    assert Decimal(str(total[header.index("CA TTC")])) == Decimal("1254.66")
    assert total[header.index("Ventes")] == 0


@pytest.fixture
def two_months(app, monkeypatch):
    """The demo with two months of closed days (seeded before `auth` seeds the bare demo)."""
    from server.demo import history
    from server.demo.seed import seed
    from tests.factories import demo_ids

    monkeypatch.setattr(history, "MONTHS", 2)
    app.config["DEMO_HISTORY"] = True
    with app.app_context():
        seed()
        return demo_ids()


def test_pdfs_have_header_totals_and_page_numbers(two_months, auth):
    ids = two_months
    admin = auth("gerant@demo.test")
    year, month = previous_month()
    monthly = admin.get(BASE.format(cid=ids["bakery"]) + f"monthly?year={year}&month={month}").json
    r = admin.get(BASE.format(cid=ids["bakery"]) + f"monthly.pdf?year={year}&month={month}")
    assert r.status_code == 200 and r.data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(r.data)).pages).replace("\xa0", " ")
    assert "État de synthèse mensuelle de l’activité de caisse" in text
    assert "Boulangerie du Marché" in text and "SIREN 732829320" in text and "Toutes les caisses" in text
    assert monthly["summary"]["days"] > 15
    revenue = monthly["summary"]["revenue_ttc"].replace(".", ",")
    units, decimals = revenue.split(",")
    grouped = f"{int(units):,}".replace(",", " ") + "," + decimals  # pypdf reads the no-break space as a space
    assert "Total" in text and grouped in text
    assert "Page 1 sur 1" in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    render_first_page(r.data, ARTIFACTS / "report-monthly-pdf.png")

    start = (date(year, month, 1) - timedelta(days=1)).replace(day=1)  # two months of days
    journal = admin.get(BASE.format(cid=ids["bakery"]) + f"journal.pdf?from={start}&to={monthly['end']}")
    reader = PdfReader(io.BytesIO(journal.data))
    pages = len(reader.pages)
    assert pages >= 2
    first, last = (reader.pages[i].extract_text().replace("\xa0", " ") for i in (0, -1))
    assert "Journal de caisse" in first and f"Page 1 sur {pages}" in first and f"Page {pages} sur {pages}" in last
    assert "Date" in last and "Libellé" in last  # column titles repeat on every page
    assert "Remise en banque" in "".join(p.extract_text() for p in reader.pages)
    before = admin.get(BASE.format(cid=ids["bakery"]) + f"monthly?year={start.year}&month={start.month}").json
    both = parse_wire(before["totals"]["revenue_ttc"]) + parse_wire(monthly["totals"]["revenue_ttc"])
    assert "Total" in last and f"{both // 100:,}".replace(",", " ") + f",{both % 100:02d}" in last
    render_first_page(journal.data, ARTIFACTS / "report-journal-pdf.png")


def render_first_page(data: bytes, path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        page.render(scale=1.5).to_pil().save(path)
        page.close()
    finally:
        pdf.close()
    assert path.stat().st_size > 10_000


def test_journal_csv_has_a_bom_semicolons_and_the_period(auth, demo):
    admin = two_days(auth, demo)
    url = day_url(demo, "2026-03-17")
    assert admin.post(url + "/flows", json={"kind": "deposit", "amount": "5.00", "slip_number": "RB-7",
                                            "method_id": demo["bakery_methods"]["cash"]}).status_code == 201
    assert close_balanced(admin, url, demo, sales="20.00").status_code == 200
    r = admin.get(BASE.format(cid=demo["bakery"]) + "journal.csv?from=2026-03-01&to=2026-03-31")
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="journal-732829320-2026-03-01-2026-03-31.csv"' in r.headers["Content-Disposition"]
    assert r.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header == ["Date", "Caisse", "N° Z", "Séq.", "Libellé", "CA TTC", "CA HT", "Entrées", "Sorties"]
    days = [row for row in rows[1:] if row[header.index("Libellé")].startswith("Ventes du jour")]
    assert [(row[0], row[1]) for row in days] == [("13/03/2026", "Boutique"), ("14/03/2026", "Boutique"),
                                                  ("17/03/2026", "Boutique")]
    ttc, ht = header.index("CA TTC"), header.index("CA HT")
    assert [row[ttc] for row in days] == ["1234,56", "20,10", "20,00"]
    # Pain is sold at 5,5 %: HT = TTC / 1,055, rounded to the cent
    assert days[0][ht] == f"{round(123456 / 1.055) // 100},{round(123456 / 1.055) % 100:02d}"
    total = rows[-1]
    assert total[0] == "Total" and total[header.index("Libellé")] == "3 journées" and total[ttc] == "1274,66"
    # a movement row carries its day's date and register, unindented, for filters in a spreadsheet
    (deposit,) = [row for row in rows if row[header.index("Libellé")].startswith("Remise en banque")]
    assert (deposit[0], deposit[1], deposit[header.index("Sorties")]) == ("17/03/2026", "Boutique", "5,00")
    assert deposit[header.index("Libellé")] == "Remise en banque — bordereau n° RB-7"


def test_journal_xlsx_reads_back_with_numbers_and_dates(auth, demo):
    admin = two_days(auth, demo)
    market = demo["bakery_registers"][1]
    r = admin.get(BASE.format(cid=demo["bakery"]) + "journal.xlsx?from=2026-03-13&to=2026-03-14")
    assert r.status_code == 200
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(r.data))
    sheet = book.active
    assert sheet.title == "Journal"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Journal de caisse" and values[2][0] == "du 13/03/2026 au 14/03/2026 — Toutes les caisses"
    header = values[4]
    days = [row for row in values[5:] if isinstance(row[0], datetime)]
    assert [row[0].date() for row in days] == [date(2026, 3, 13), date(2026, 3, 14)]
    assert [Decimal(str(row[header.index("CA TTC")])) for row in days] == [Decimal("1234.56"), Decimal("20.10")]
    total = next(row for row in values if row[0] == "Total")
    assert Decimal(str(total[header.index("CA TTC")])) == Decimal("1254.66")
    # one register chosen: the bakery's market register sold nothing those days
    empty = admin.get(BASE.format(cid=demo["bakery"]) + f"journal.xlsx?from=2026-03-13&to=2026-03-14&register={market}")
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(empty.data)).active.iter_rows()]
    assert rows[2][0].endswith("Marché du samedi")
    assert next(row for row in rows if row[0] == "Total")[header.index("Libellé")] == "0 journées"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_files_of_a_period_without_days_have_empty_totals(auth, demo, fmt):
    admin = auth("gerant@demo.test")
    base = BASE.format(cid=demo["bakery"])
    for path in (f"monthly.{fmt}?year=2001&month=2", f"journal.{fmt}?from=2001-02-01&to=2001-02-28"):
        r = admin.get(base + path)
        assert r.status_code == 200, (path, r.data[:200])
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=";"))
        elif fmt == "xlsx":
            rows = [["" if v is None else str(v) for v in row]
                    for row in load_workbook(io.BytesIO(r.data)).active.iter_rows(values_only=True)][4:]
        else:
            text = PdfReader(io.BytesIO(r.data)).pages[0].extract_text()
            assert "Total" in text and "Page 1 sur 1" in text, path
            continue
        assert rows[1][0] == "Total", (path, rows)  # the header, then the totals row at once
        money = [cell for cell in rows[1][1:] if cell not in ("", "0", "0 journées")]
        assert all(cell in ("0,00", "0") for cell in money), (path, rows[1])
