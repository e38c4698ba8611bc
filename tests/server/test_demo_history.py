"""The demo history: 15 months of closed days, seeded once, with a clean journal and last year's figures."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from server.cli_journal import verify_journal_command
from server.demo.history import seed_history
from server.demo.seed import seed
from server.extensions import db
from server.models import Company, Day, DayEvent, Flow, JournalEntry, PeriodClosing, Register
from tests.server.shop_clock import shop_today


def counts() -> tuple[int, ...]:
    return tuple(db.session.execute(db.select(db.func.count()).select_from(model)).scalar()
                 for model in (Day, Flow, JournalEntry, DayEvent, PeriodClosing))


def seed_with_history(app: Any) -> float:
    """Seed the demo with its history; the seconds it took."""
    app.config["DEMO_HISTORY"] = True
    with app.app_context():
        started = time.perf_counter()
        assert seed() is True
        return time.perf_counter() - started


def test_seeding_twice_adds_nothing_and_the_journal_verifies(app):
    assert seed_with_history(app) < 60
    seeded = app
    with seeded.app_context():
        first = counts()
        assert first[0] > 700
        assert seed() is False and seed_history() == 0
        assert counts() == first
    result = seeded.test_cli_runner().invoke(verify_journal_command)
    assert result.exit_code == 0 and "Journal intègre" in result.output


def test_every_company_has_closed_days_a_year_ago_and_period_closings(app):
    seed_with_history(app)
    seeded, today = app, shop_today()
    a_year_ago = date(today.year - 1, today.month, 1)
    with seeded.app_context():
        for company in db.session.execute(db.select(Company)).scalars():
            closed = db.session.execute(db.select(db.func.count()).select_from(Day).where(
                Day.company_id == company.id, Day.status == "closed",
                Day.date.between(a_year_ago, a_year_ago.replace(day=28)))).scalar()
            assert closed > 0, company.name
        market = db.session.execute(db.select(Register).where(Register.name == "Marché du samedi")).scalar_one()
        weekdays = {d.weekday() for d in db.session.execute(db.select(Day.date).where(
            Day.register_id == market.id)).scalars()}
        assert weekdays == {5}
        assert not db.session.execute(db.select(Day.id).where(Day.date >= today, Day.status == "closed")).first()
        months = db.session.execute(db.select(PeriodClosing).where(PeriodClosing.kind == "month")
                                    .order_by(PeriodClosing.register_id, PeriodClosing.period_start)).scalars().all()
        assert len(months) >= 3 * 14
        by_register: dict[int, list[PeriodClosing]] = {}
        for closing in months:
            by_register.setdefault(closing.register_id, []).append(closing)
        for closings in by_register.values():
            running = 0
            for closing in closings:
                running += closing.total_ttc_cents
                assert closing.grand_total_cents == running
