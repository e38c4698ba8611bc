"""The firm admin's export: every company of the firm for one period, in one ZIP."""

from __future__ import annotations

from datetime import date

from server.errors import ApiError
from server.extensions import db
from server.models import Company, User
from server.services import export
from server.services.access import firm_admin_firm_id
from server.services.archive import zip_bytes


def firm_zip(user: User, start: date, end: date, *, sep: str = "tab", encoding: str = "latin9") -> export.ExportFile:
    """One FEC per company (in a folder named after it); companies that cannot be exported are listed with
    the reason in ANOMALIES.txt. Each FEC is recorded as an export of its company (the caller commits)."""
    firm_id = firm_admin_firm_id(user)
    companies = db.session.execute(db.select(Company).where(Company.firm_id == firm_id)
                                   .order_by(Company.name, Company.id)).scalars().all()
    files: list[tuple[str, bytes]] = []
    anomalies: list[str] = []
    entries = 0
    for company in companies:
        try:
            file = export.build_export(company, start, end, "fec", sep=sep, encoding=encoding)
        except ApiError as exc:
            anomalies.append(f"{company.name} (SIREN {company.siren or 'absent'}) : {exc.message}")
            continue
        export.record_export(company, user, start, end, "fec", file)
        files.append((f"{company.id}_{file.filename}", file.data))
        entries += file.entry_count
    if anomalies:
        files.append(("ANOMALIES.txt", ("\r\n".join(anomalies) + "\r\n").encode()))
    name = f"cabinet_{firm_id}_FEC_{start.strftime('%Y%m%d')}_{end.strftime('%Y%m%d')}.zip"
    return export.ExportFile(name, zip_bytes(files), entries)
