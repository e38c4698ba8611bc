"""The company's server version: every replicated write takes the next number (the pull cookie)."""

from __future__ import annotations

from server.extensions import db
from server.models import Company


def lock_company(company_id: int) -> Company:
    """Lock the company's version row for this transaction (FOR UPDATE on PostgreSQL;
    SQLite transactions already begin IMMEDIATE, see extensions.configure_engine) and return it as the lock
    read it. `populate_existing`: the request may have loaded the company earlier in this transaction (the
    access check), and the session would otherwise keep that older `server_version`, so two concurrent
    writers would take the same version numbers and a pull could skip a change for good."""
    company = db.session.execute(
        db.select(Company).where(Company.id == company_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    return company


def stamp(company: Company, *rows: object) -> int:
    """Give `rows` the company's next server version and return it."""
    company.server_version = (company.server_version or 0) + 1
    for row in rows:
        row.version = company.server_version  # type: ignore[attr-defined]
    return company.server_version
