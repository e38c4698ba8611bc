"""Journal commands: `flask --app server verify-journal` and `flask --app server close-periods`."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask.cli import with_appcontext


@click.command("verify-journal")
@click.option("--register", "register_id", type=int, default=None, help="Une seule caisse (id).")
@with_appcontext
def verify_journal_command(register_id: int | None) -> None:
    """Recompute every hash chain and check every closed day against its sealed record, whatever the record's
    version (1: the day's rows; 2: domain.sealed, frozen settings); exit 1 on the first broken link."""
    from server.services.journal import closed_day_count, verify

    problems = verify(register_id)
    if problems:
        click.echo(problems[0].message(), err=True)
        for problem in problems[1:]:
            click.echo("  puis : " + problem.message(), err=True)
        raise SystemExit(1)
    click.echo(f"Journal intègre ({closed_day_count(register_id)} journées)")


@click.command("close-periods")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Date du jour (AAAA-MM-JJ).")
@with_appcontext
def close_periods_command(today) -> None:
    """Close every complete month and fiscal year of every register (once): one unit of work per company."""
    from server.extensions import db
    from server.models import Company, PeriodClosing, Register
    from server.services import audit, clock, uow
    from server.services.closing import close_complete_periods

    day = today.date() if today else clock.shop_today()

    def close_company(unit: uow.Work) -> tuple[list[PeriodClosing], list[tuple[Register, str, date, str]]]:
        register_ids = [r.id for r in unit.locked.registers]
        done, not_done = close_complete_periods(day, register_ids)
        for closing in done:
            unit.record("close", "period", closing.id, after=audit.snapshot(closing))
        return done, not_done

    created: list[PeriodClosing] = []
    skipped: list[tuple[Register, str, date, str]] = []
    for company_id in db.session.execute(db.select(Company.id).order_by(Company.id)).scalars().all():
        done, not_done = uow.run(close_company, company_id, device_id="cli")
        created += done
        skipped += not_done
    for register, kind, start, reason in skipped:
        what = "mois" if kind == "month" else "exercice"
        click.echo(f"Non clôturée : caisse {register.name}, {what} du {start:%d/%m/%Y} ({reason})", err=True)
    click.echo(f"{len(created)} clôture(s) de période créée(s).")


def register_journal_cli(app: Flask) -> None:
    app.cli.add_command(verify_journal_command)
    app.cli.add_command(close_periods_command)
