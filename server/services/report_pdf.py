"""PDF of a report table (ReportLab, core fonts): company header, period, repeated column titles, totals
in bold, « Page n sur N » on every page. Also the table of the cash journal of a period."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from domain.day import EFFECTS
from server.models import Company
from server.services.export_source import sealed_payloads
from server.services.report_files import (
    PROVISIONAL,
    Column,
    Table,
    cell_text,
    fr_amount,
    fr_date,
    register_name,
)
from server.services.report_totals import open_day_figures, payload_result

PAGE = landscape(A4)
KIND_LABELS = {"cash_in": "Apport", "cash_out": "Sortie", "expense": "Dépense", "deposit": "Remise en banque",
               "transfer": "Transfert", "credit_granted": "Crédit client accordé",
               "credit_settled": "Règlement de crédit client", "refund": "Remboursement",
               "voucher_sold": "Bon cadeau vendu", "voucher_redeemed": "Bon cadeau utilisé",
               "voucher_expired": "Bon cadeau expiré", "overpayment": "Trop-perçu"}
JOURNAL_COLUMNS = [
    Column("Date", "date", "date"), Column("Caisse", "register", "text"), Column("N° Z", "z", "text"),
    Column("Séq.", "sequence", "text"), Column("Libellé", "label", "text"), Column("CA TTC", "revenue_ttc"),
    Column("CA HT", "revenue_ht"), Column("Entrées", "in"), Column("Sorties", "out"),
]


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Draws « Page n sur N » once every page is known (two passes over the saved page states)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        count = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Helvetica", 8)
            self.drawRightString(PAGE[0] - 12 * mm, 8 * mm, f"Page {self._pageNumber} sur {count}")
            super().showPage()
        super().save()


def table_pdf(table: Table) -> bytes:
    """The table as an A4 landscape PDF."""
    out = io.BytesIO()
    styles = getSampleStyleSheet()
    doc = SimpleDocTemplate(out, pagesize=PAGE, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                            bottomMargin=14 * mm, title=table.title, author=table.company.name)
    head = [Paragraph(table.title, styles["Title"]),
            Paragraph(f"<b>{_esc(table.company.name)}</b> — SIREN {_esc(table.company.siren)}", styles["Normal"]),
            Paragraph(f"Période : {_esc(table.period)} — {_esc(table.register)}", styles["Normal"]), Spacer(1, 4 * mm)]
    data = [[c.title for c in table.columns]]
    data += [[cell_text(row.get(c.key), c.kind, grouped=True) for c in table.columns] for row in table.rows]
    data.append([cell_text(table.totals.get(c.key), c.kind, grouped=True) for c in table.columns])
    grid = PdfTable(data, repeatRows=1, hAlign="LEFT")
    money = [i for i, c in enumerate(table.columns) if c.kind in ("money", "int")]
    style = [("FONT", (0, 0), (-1, -1), "Helvetica", 7.5), ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7.5),
             ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 7.5), ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
             ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, colors.HexColor("#f2f4f7")]),
             ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    style += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i in money]
    grid.setStyle(TableStyle(style))
    notes = [Paragraph(_esc(note), styles["Normal"]) for note in table.notes]
    doc.build([*head, grid, Spacer(1, 3 * mm), *notes], canvasmaker=NumberedCanvas)
    return out.getvalue()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _flow_rows(flows: list[dict[str, Any]], settings: dict[str, Any]) -> list[dict[str, Any]]:
    voided = {f.get("voids") for f in flows if f.get("kind") == "void"}
    parties = {("supplier", str(p["id"])): p.get("label") or "" for p in settings.get("suppliers", [])}
    parties |= {("customer", str(p["id"])): p.get("label") or "" for p in settings.get("customers", [])}
    rows = []
    for flow in flows:
        kind = flow.get("kind")
        if kind == "void" or flow.get("id") in voided or kind not in KIND_LABELS:
            continue
        who = (flow.get("label") or parties.get(("supplier", str(flow.get("supplier_id"))))
               or parties.get(("customer", str(flow.get("customer_id")))) or flow.get("code") or "")
        effect, amount = EFFECTS.get(kind), int(flow.get("amount") or 0)
        if kind == "deposit" and flow.get("slip_number"):
            who = f"bordereau n° {flow['slip_number']}"
        label = KIND_LABELS[kind] + (f" — {who}" if who else "")
        if effect is None or kind == "transfer":
            label += f" ({fr_amount(amount, True)} €)"
        sign = effect[1] if effect and kind != "transfer" else 0
        rows.append({"label": "    " + label, "in": amount if sign > 0 else None, "out": amount if sign < 0 else None})
    return rows


def journal_table(company: Company, start: date, end: date, register_id: int | None) -> Table:
    """Every day of the period (closed from its sealed payload, open ones computed and marked), then its
    movements; totals of revenue and of the drawer movements."""
    days: list[tuple[date, int, str, str, dict[str, Any], dict[str, Any]]] = []
    for payload in sealed_payloads(company, start, end):
        meta = payload["meta"]
        if register_id is None or meta["register"]["id"] == register_id:
            days.append((date.fromisoformat(meta["date"]), meta["register"]["id"], meta["register"]["name"],
                         str(meta.get("sequence") or ""), payload["input"], payload_result(payload)))
    names = {r.id: r.name for r in company.registers}
    for item in open_day_figures(company, start, end, register_id):
        days.append((item.date, item.register_id, names.get(item.register_id, ""), PROVISIONAL, item.input,
                     item.result))
    days.sort(key=lambda d: (d[0], d[1]))
    rows: list[dict[str, Any]] = []
    for on, _rid, name, sequence, inp, result in days:
        t, day = result["totals"], inp["day"]
        rows.append({"date": on, "register": name, "z": day.get("z_number") or "", "sequence": sequence,
                     "label": f"Ventes du jour ({t['sales_count']} ventes)", "revenue_ttc": t["sales_ttc"],
                     "revenue_ht": t["sales_ht"]})
        rows += _flow_rows(list(day.get("flows") or []), inp.get("settings", {}))
        difference = sum(m["difference"] or 0 for m in result["methods"] if m["kind"] == "cash")
        if difference:
            rows.append({"label": "    Écart de caisse", "in": difference if difference > 0 else None,
                         "out": -difference if difference < 0 else None})
    totals: dict[str, Any] = {"date": "Total", "label": f"{len(days)} journées"}
    for key in ("revenue_ttc", "revenue_ht", "in", "out"):
        totals[key] = sum(r.get(key) or 0 for r in rows)
    notes = ["Les journées « provisoire » sont encore ouvertes."] if any(d[3] == PROVISIONAL for d in days) else []
    return Table("Journal de caisse", company, f"du {fr_date(start)} au {fr_date(end)}",
                 register_name(company, register_id), JOURNAL_COLUMNS, rows, totals, notes, sheet="Journal")
