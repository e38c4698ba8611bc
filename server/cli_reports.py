"""Report commands: `flask --app server reports rebuild-totals` fills `day_totals` from the sealed days."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

reports_group = AppGroup("reports", help="Rapports : totaux journaliers enregistrés.")


@reports_group.command("rebuild-totals")
def rebuild_totals_command() -> None:
    """Recompute the stored totals of every closed day from its sealed payload (after the upgrade that
    created `day_totals`, or to check them); one unit of work per company."""
    from server.extensions import db
    from server.models import Company
    from server.services import report_totals, uow

    total = 0
    for company_id in db.session.execute(db.select(Company.id).order_by(Company.id)).scalars().all():
        total += uow.run(lambda work: report_totals.rebuild(work.locked), company_id=company_id)
    click.echo(f"Totaux recalculés : {total} journées clôturées.")


def register_reports_cli(app: Flask) -> None:
    app.cli.add_command(reports_group)
