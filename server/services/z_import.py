"""CSV import of Z reports (issue 15), for the back office and `flask --app server import-z`.

One row is one Z report. Columns are mapped to fields: `register` (id or name of the register),
`date` (AAAA-MM-JJ or JJ/MM/AAAA), `z_number`, `sales_count`, `sales:<code>` and `payments:<code>`
(one column per till code, empty cells left out), anything else `ignore`. Headers named like the
fields (or « caisse », « numero_z », « nb_ventes », « ventes:… », « paiements:… ») map themselves.

Every row goes through `z_reports.submit`, the till's own path, inside ONE unit of work: when any
row is wrong nothing is saved unless `valid_only` asks to keep the valid rows; a dry run decides every
row the same way and saves nothing. Errors come per row, with the CSV line number.

A row with neither a sales nor a payment amount is refused (`sales`): its amounts sit in columns left
unmapped, and importing it would save a Z of nothing. The non-empty columns that no mapping uses come
back as `ignored` (« colonnes ignorées »), in the preview and in the verdict.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from typing import Any

from server.errors import ApiError
from server.extensions import db
from server.models import Company, Register, User
from server.services import uow, z_reports

FIELDS = ("register", "date", "z_number", "sales_count")
ALIASES = {
    "caisse": "register",
    "register_id": "register",
    "jour": "date",
    "numero_z": "z_number",
    "z": "z_number",
    "ticket_z": "z_number",
    "nb_ventes": "sales_count",
    "nombre_ventes": "sales_count",
}
KINDS = {"sales": "sales", "ventes": "sales", "payments": "payments", "paiements": "payments"}
COLUMN = re.compile(r"(sales|payments|ventes|paiements):(.+)", re.IGNORECASE)
FRENCH_DATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
COMMA_DECIMAL = re.compile(r"-?[0-9]+,[0-9]{1,2}")
MAX_ROWS = 5000
PREVIEW_ROWS = 20


class _Rollback(Exception):
    """Leave the unit of work without saving (a dry run, or an invalid row without `valid_only`)."""


def target_of(header: str, mapping: Mapping[str, str]) -> str:
    """The field a column feeds: the explicit mapping first, then the header's own name."""
    if header in mapping:
        return mapping[header]
    name = header.strip().lower()
    if name in FIELDS:
        return name
    if name in ALIASES:
        return ALIASES[name]
    found = COLUMN.fullmatch(header.strip())
    return f"{KINDS[found.group(1).lower()]}:{found.group(2).strip()}" if found else "ignore"


def read(text: str, mapping: Mapping[str, str]) -> tuple[list[str], dict[str, str], list[tuple[int, dict[str, str]]]]:
    """(columns, mapping used, [(line number, {target: cell})]); 422 `csv` for an empty or oversized file
    and `mapping` for a target that is no field."""
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    if not first:
        raise ApiError(422, errors={"csv": ["Fichier vide : une ligne d'en-tête est attendue."]})
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    columns = next(reader)
    used = {header: target_of(header, mapping) for header in columns}
    wrong = sorted({t for t in used.values() if t != "ignore" and t not in FIELDS and not COLUMN.fullmatch(t)})
    if wrong:
        raise ApiError(422, errors={"mapping": [f"Champ inconnu : {', '.join(wrong)}."]})
    rows: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ApiError(422, errors={"csv": [f"{MAX_ROWS} lignes au plus par import."]})
        rows.append(
            (
                reader.line_num,
                {used[h]: cell.strip() for h, cell in zip(columns, cells, strict=False) if used[h] != "ignore"},
            )
        )
    return columns, used, rows


def ignored(columns: list[str], used: Mapping[str, str], text: str) -> list[str]:
    """The columns mapped to `ignore` that hold a value on at least one row, in the file's order."""
    skipped = [c for c in columns if used.get(c) == "ignore"]
    if not skipped:
        return []
    delimiter = max((";", ",", "\t"), key=text.lstrip("\ufeff").splitlines()[0].count)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    next(reader)
    filled: set[str] = set()
    for cells in reader:
        filled.update(h for h, cell in zip(columns, cells, strict=False) if cell.strip() and h in skipped)
    return [c for c in skipped if c in filled]


def empty_row_error(report: Mapping[str, Any], skipped: list[str]) -> ApiError | None:
    """422 `sales` for a row with neither a sales nor a payment amount (nothing a Z could hold)."""
    if report["sales"] or report["payments"]:
        return None
    hint = f" Colonnes ignorées : {', '.join(skipped)}." if skipped else ""
    return ApiError(
        422,
        errors={
            "sales": [
                "Ligne sans vente ni paiement : associez les colonnes de montants à un "
                "code de ventes ou de paiements." + hint
            ]
        },
    )


def report_of(values: Mapping[str, str]) -> dict[str, Any]:
    """A row as the till sends a report (the domain judges the values: nothing is decided here)."""
    when = values.get("date", "")
    french = FRENCH_DATE.fullmatch(when)
    count = values.get("sales_count", "")
    report: dict[str, Any] = {
        "date": f"{french.group(3)}-{french.group(2)}-{french.group(1)}" if french else when,
        "z_number": values.get("z_number", ""),
        "sales_count": int(count) if count.isdigit() else count,
        "sales": [],
        "payments": [],
    }
    for target, cell in values.items():
        kind, _, code = target.partition(":")
        if code and cell:
            amount = cell.replace(",", ".") if COMMA_DECIMAL.fullmatch(cell) else cell
            report[kind].append({"code": code, "amount": amount})
    return report


def _register(company: Company, ref: str | None, default: int | None) -> Register:
    registers = list(db.session.execute(db.select(Register).where(Register.company_id == company.id)).scalars())
    if not ref and default is not None:
        ref = str(default)
    for register in registers:
        if ref and (ref == str(register.id) or ref.lower() == register.name.lower()):
            return register
    if not ref and len(registers) == 1:
        return registers[0]
    raise ApiError(422, errors={"register": [f"Caisse inconnue : « {ref} »." if ref else "Caisse attendue."]})


def preview(text: str, mapping: Mapping[str, str]) -> dict[str, Any]:
    """The columns, the mapping used and the first rows as reports; nothing is checked nor saved."""
    columns, used, rows = read(text, mapping)
    return {
        "columns": columns,
        "mapping": used,
        "ignored": ignored(columns, used, text),
        "valid": 0,
        "invalid": 0,
        "saved": False,
        "dry_run": True,
        "rows": [
            {
                "line": line,
                "status": "preview",
                "z_number": values.get("z_number"),
                "date": report_of(values)["date"],
                "report": report_of(values),
            }
            for line, values in rows[:PREVIEW_ROWS]
        ],
    }


def run(
    company: Company,
    user: User | None,
    text: str,
    mapping: Mapping[str, str],
    *,
    register_id: int | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
) -> dict[str, Any]:
    """Import the CSV's reports: all or nothing (or the valid rows only), or a dry run; the verdict per row."""
    columns, used, rows = read(text, mapping)
    skipped = ignored(columns, used, text)
    sender = z_reports.Sender("csv", f"import:{user.id if user else 'cli'}", user=user)
    verdicts: list[dict[str, Any]] = []

    def work(unit: uow.Work) -> None:
        verdicts.clear()
        for line, values in rows:
            verdict: dict[str, Any] = {
                "line": line,
                "date": values.get("date"),
                "z_number": values.get("z_number"),
                "register_id": None,
                "errors": {},
            }
            try:
                register = _register(company, values.get("register"), register_id)
                verdict["register_id"] = register.id
                report = report_of(values)
                if (empty := empty_row_error(report, skipped)) is not None:
                    raise empty
                verdict["status"], stored = z_reports.submit(company, register, report, sender)
                verdict["date"] = stored.date.isoformat()
            except ApiError as exc:
                verdict["status"], verdict["errors"] = "error", exc.errors or {"report": [exc.message]}
            verdicts.append(verdict)
        if dry_run or (any(v["status"] == "error" for v in verdicts) and not valid_only):
            raise _Rollback

    try:
        uow.run(work, company.id, user=user, device_id=sender.device_id)
        saved = True
    except _Rollback:
        saved = False
    except uow.DatabaseUnavailable as exc:
        raise ApiError(503, code="temporary_failure") from exc
    if not saved:
        for verdict in verdicts:
            verdict["status"] = {"applied": "valid", "error": "error"}.get(verdict["status"], verdict["status"])
    invalid = sum(v["status"] == "error" for v in verdicts)
    return {
        "columns": columns,
        "mapping": used,
        "ignored": skipped,
        "rows": verdicts,
        "valid": len(verdicts) - invalid,
        "invalid": invalid,
        "saved": saved and invalid < len(verdicts),
        "dry_run": dry_run,
    }
