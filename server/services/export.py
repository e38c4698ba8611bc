"""Accounting exports of a company: FEC and CSV files of closed periods, their records, the export lock.

An export reads only sealed payloads (services.export_source) and writes nothing but its
``ExportRecord`` (who, when, period, format, SHA-256 of the file). With the company option
``lock_exported_periods``, a day inside an exported period reopens only by a firm admin, with a
reason (the reason is required by every reopening and kept in the day's events).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from domain import InputError, UnbalancedEntryError
from domain.fec import csv_bytes, fec_bytes, fec_filename, fiscal_year_end
from domain.ledger import Posting, ledger
from server.errors import ApiError
from server.extensions import db
from server.models import Company, Day, ExportRecord, User
from server.services import uow
from server.services.access import role_in
from server.services.export_source import open_days, sealed_payloads

FORMATS = ("fec", "csv")
FEC_SEP, FEC_ENCODING = "tab", "latin9"  # the FEC's defaults: the archive holds this one and rebuilds it to verify
MEDIA_TYPES = {"fec": "text/plain", "csv": "text/csv", "zip": "application/zip"}


@dataclass(frozen=True)
class ExportFile:
    filename: str
    data: bytes
    entry_count: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def require_siren(company: Company) -> str:
    siren = company.siren or ""
    if not (len(siren) == 9 and siren.isdigit()):
        raise ApiError(
            422,
            "La société n'a pas de SIREN : le FEC porte le SIREN dans son nom.",
            errors={"siren": ["SIREN manquant ou invalide (9 chiffres)."]},
        )
    return siren


def require_closed(company: Company, start: date, end: date) -> None:
    """409 listing the days of the period still open (an export holds closed days only)."""
    still_open = open_days(company, start, end)
    if still_open:
        listed = ", ".join(f"{on.strftime('%d/%m/%Y')} ({name})" for name, on in still_open[:10])
        more = len(still_open) - 10
        tail = f" et {more} autre{'s' if more > 1 else ''}" if more > 0 else ""
        raise ApiError(
            409,
            f"La période contient des journées ouvertes : {listed}{tail}.",
            code="open_days",
            extra={"open_days": [{"register": name, "date": on.isoformat()} for name, on in still_open]},
        )


def postings(company: Company, start: date, end: date) -> list[Posting]:
    """The numbered entries of the period's closed days (422 naming the field if a payload is unreadable)."""
    try:
        return ledger(sealed_payloads(company, start, end))
    except (InputError, UnbalancedEntryError) as exc:
        raise ApiError(
            422, f"Journée scellée illisible : {exc}", errors={getattr(exc, "field", None) or "payload": [str(exc)]}
        ) from exc


def build_export(
    company: Company, start: date, end: date, fmt: str, *, sep: str = FEC_SEP, encoding: str = FEC_ENCODING
) -> ExportFile:
    """The file of a period: 422 without SIREN or with a bad option, 409 when a day is still open."""
    if fmt not in FORMATS:
        raise ApiError(422, errors={"format": ["Format : fec ou csv."]})
    siren = require_siren(company)
    require_closed(company, start, end)
    entries = postings(company, start, end)
    name = fec_filename(siren, fiscal_year_end(end.isoformat(), company.fiscal_year_start_month))
    try:
        if fmt == "fec":
            return ExportFile(name, fec_bytes(entries, sep=sep, encoding=encoding), len(entries))
    except InputError as exc:
        raise ApiError(422, errors={exc.field or "format": [str(exc)]}) from exc
    return ExportFile(name[:-4] + ".csv", csv_bytes(entries), len(entries))


def record_export(
    company: Company, user: User | None, start: date, end: date, fmt: str, file: ExportFile
) -> ExportRecord:
    """Store who exported which period in which format, and the file's SHA-256, with its audit row,
    in one unit of work (joins the caller's when one runs)."""

    def work(unit: uow.Work) -> ExportRecord:
        record = ExportRecord(
            company_id=company.id,
            user_id=user.id if user else None,
            period_start=start,
            period_end=end,
            format=fmt,
            filename=file.filename,
            sha256=file.sha256,
            size=len(file.data),
            entry_count=file.entry_count,
        )
        db.session.add(record)
        db.session.flush()
        unit.record(
            "export",
            "export",
            record.id,
            after={
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "format": fmt,
                "filename": file.filename,
                "sha256": file.sha256,
                "entries": file.entry_count,
            },
        )
        return record

    return uow.run(work, company.id, user=user)


def history(company: Company, limit: int = 200) -> list[ExportRecord]:
    return list(
        db.session.execute(
            db.select(ExportRecord)
            .where(ExportRecord.company_id == company.id)
            .order_by(ExportRecord.created_at.desc(), ExportRecord.id.desc())
            .limit(limit)
        ).scalars()
    )


def exported_covering(company_id: int, on: date) -> ExportRecord | None:
    """The latest export whose period holds ``on``."""
    return db.session.execute(
        db.select(ExportRecord)
        .where(ExportRecord.company_id == company_id, ExportRecord.period_start <= on, ExportRecord.period_end >= on)
        .order_by(ExportRecord.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def reopen_refusal(day: Day, user: User | None) -> str | None:
    """Why ``user`` may not reopen ``day`` under the export lock, or None (for a sync rule returning a rejection)."""
    company = db.session.get(Company, day.company_id)
    if company is None or not company.lock_exported_periods:
        return None
    record = exported_covering(company.id, day.date)
    if record is None or (user is not None and role_in(user, company) == "firm_admin"):
        return None
    when = record.created_at.strftime("%d/%m/%Y")
    return (
        f"Période exportée le {when} ({record.filename}) : seul le cabinet peut rouvrir cette journée, avec un motif."
    )


def check_reopen_allowed(day: Day, user: User | None) -> None:
    """With ``lock_exported_periods``, a day of an exported period reopens only by a firm admin (403)."""
    refusal = reopen_refusal(day, user)
    if refusal:
        raise ApiError(403, refusal, code="period_exported")
