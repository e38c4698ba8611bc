"""Report files: the monthly synthesis and the cash journal of a period, each as CSV (;, decimal comma,
UTF-8 with BOM), XLSX (numbers) and PDF (`services.report_pdf` draws the PDFs and builds the journal table).

One table model serves the three formats: columns (title, key, kind) and rows of raw values (cents).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from server.models import Company
from server.services import reports

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]
PROVISIONAL = "provisoire"


@dataclass(frozen=True)
class Column:
    title: str
    key: str
    kind: str = "money"  # money | int | date | text


MONTH_COLUMNS = [
    Column("Date", "date", "date"), Column("Fond de caisse", "opening"), Column("Entrées", "inflows"),
    Column("Sorties", "outflows"), Column("Dépenses", "expenses"), Column("Remises en banque", "deposits"),
    Column("Solde théorique", "expected"), Column("Solde réel", "counted"), Column("Écart", "difference"),
    Column("CA TTC", "revenue_ttc"), Column("Ventes", "sales_count", "int"),
    Column("Panier moyen", "average_basket"), Column("Statut", "status", "text"),
]


@dataclass(frozen=True)
class Table:
    title: str
    company: Company
    period: str
    register: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: dict[str, Any]
    notes: list[str]
    sheet: str = "Synthèse"


def fr_amount(cents: int | None, grouped: bool = False) -> str:
    """-123456 → "-1234,56" (grouped: "-1 234,56" with no-break spaces); None → ""."""
    if cents is None:
        return ""
    sign, units, rest = "-" if cents < 0 else "", abs(cents) // 100, abs(cents) % 100
    whole = f"{units:,}".replace(",", "\u00a0") if grouped else str(units)
    return f"{sign}{whole},{rest:02d}"


def fr_date(on: date) -> str:
    return on.strftime("%d/%m/%Y")


def month_title(year: int, month: int) -> str:
    return f"{MONTHS_FR[month - 1]} {year}"


def register_name(company: Company, register_id: int | None) -> str:
    if register_id is None:
        return "Toutes les caisses"
    return next((r.name for r in company.registers if r.id == register_id), "")


def monthly_table(company: Company, year: int, month: int, register_id: int | None, n1: str) -> Table:
    data = reports.monthly(company, year, month, register_id, n1)
    rows = [{**row, "status": PROVISIONAL if row["provisional"] else ""} for row in data["rows"] if row["days"]]
    totals = {**data["summary"], "date": "Total", "status": PROVISIONAL if data["provisional"] else ""}
    comparison = data["comparisons"]["revenue_vs_n1"]
    notes = [f"CA TTC N-1 ({'mêmes jours de semaine' if n1 == 'weekday' else 'mêmes dates'}) : "
             f"{fr_amount(comparison['reference'], True)} €"]
    if comparison["pct_bp"] is not None:
        notes[0] += f", écart {fr_amount(comparison['gap'], True)} € ({fr_amount(comparison['pct_bp'])} %)"
    if data["provisional"]:
        notes.append("Les journées marquées « provisoire » ne sont pas encore clôturées.")
    return Table("État de synthèse mensuelle de l’activité de caisse", company, month_title(year, month),
                 register_name(company, register_id), MONTH_COLUMNS, rows, totals, notes)


def cell_text(value: Any, kind: str, grouped: bool = False) -> str:
    if kind == "money":
        return fr_amount(value, grouped)
    if kind == "date":
        return fr_date(value) if isinstance(value, date) else ("" if value is None else str(value))
    return "" if value is None else str(value)


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.title for c in table.columns])
    for row in [*table.rows, table.totals]:
        writer.writerow([cell_text(row.get(c.key), c.kind) for c in table.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.sheet
    sheet.append([table.title])
    sheet.append([f"{table.company.name} — SIREN {table.company.siren}"])
    sheet.append([f"{table.period} — {table.register}"])
    sheet.append([])
    sheet.append([c.title for c in table.columns])
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for row in [*table.rows, table.totals]:
        sheet.append([_xlsx_value(row.get(c.key), c.kind) for c in table.columns])
        for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
            if column.kind == "money":
                cell.number_format = "#,##0.00"
            elif column.kind == "date" and isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for note in table.notes:
        sheet.append([note])
    for letter, column in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", table.columns, strict=False):
        sheet.column_dimensions[letter].width = 40 if column.key == "label" else 12 if column.kind == "date" else 15
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value: Any, kind: str) -> Any:
    if kind == "money":
        return None if value is None else Decimal(value) / 100
    return value


def monthly_file(company: Company, query: dict[str, Any], register_id: int | None, fmt: str) -> tuple[str, bytes]:
    """(file name, bytes) of the monthly synthesis in `fmt` (pdf, csv, xlsx)."""
    table = monthly_table(company, query["year"], query["month"], register_id, query["n1"])
    name = f"synthese-{company.siren or company.id}-{query['year']}-{query['month']:02d}.{fmt}"
    if fmt == "csv":
        return name, csv_bytes(table)
    if fmt == "xlsx":
        return name, xlsx_bytes(table)
    from server.services.report_pdf import table_pdf

    return name, table_pdf(table)


def journal_file(company: Company, start: date, end: date, register_id: int | None, fmt: str) -> tuple[str, bytes]:
    """(file name, bytes) of the cash journal of a period in `fmt` (pdf, csv, xlsx): one table, three formats."""
    from server.services.report_pdf import journal_table, table_pdf

    table = journal_table(company, start, end, register_id)
    name = f"journal-{company.siren or company.id}-{start.isoformat()}-{end.isoformat()}.{fmt}"
    if fmt == "pdf":
        return name, table_pdf(table)
    table = replace(table, rows=_every_row_dated(table.rows))
    return name, csv_bytes(table) if fmt == "csv" else xlsx_bytes(table)


def _every_row_dated(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """In a spreadsheet each movement row carries its day's date and register (filters and sorts keep it),
    without the indent that sets it under its day in the PDF."""
    out, day = [], {}
    for row in rows:
        if row.get("date") is not None:
            day = {"date": row["date"], "register": row.get("register"), "z": row.get("z"),
                   "sequence": row.get("sequence")}
            out.append(row)
        else:
            out.append({**day, **row, "label": str(row.get("label", "")).strip()})
    return out
