"""Alerts benchmark: the cost the alert hook adds to a day write, and the push sender's throughput.

Usage (repository root): .venv/bin/python bench/alerts_push.py [--writes 100] [--pushes 300]
On a fresh SQLite file with the demo (15 months of history):
1. what a day write pays for alerts (`refresh_after_write`: queue the day) and what the worker pays to evaluate
   the queued day (`alerts_queue.drain`: the rules over the whole day, alert rows), N times each: ms per day;
2. N outbox rows delivered by `push_sender.drain` to a push service on loopback (VAPID signing and aes128gcm
   encryption included): notifications per second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=100)
    parser.add_argument("--pushes", type=int, default=300)
    args = parser.parse_args()

    from server import create_app
    from server.demo.seed import seed
    from server.extensions import db
    from server.models import Alert, Company, Day, Membership, PushSubscription
    from server.models.base import utcnow
    from server.services import alerts_queue, push_sender
    from server.services.alerts import Condition, _raise, refresh_after_write
    from server.services.catalog import Catalog
    from tests.server.push_receiver import Device, Receiver

    tmp = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite'}", "SECRET_KEY": "bench",
                      "TESTING": True, "DEMO_HISTORY": True, "PUSH_ALLOW_LOOPBACK": True,
                      "PUSH_DELAY_SECONDS": 0})
    app.instance_path = str(tmp)
    receiver = Receiver()
    with app.app_context():
        db.create_all()
        seed()
        company = db.session.execute(db.select(Company).order_by(Company.id)).scalars().first()
        day = db.session.execute(db.select(Day).where(Day.company_id == company.id).order_by(Day.date.desc())
                                 ).scalars().first()
        args_of_day = {"register_id": day.register_id, "date": day.date.isoformat()}
        catalog = Catalog.load(company.id)
        hook, evaluation = [], []
        for _ in range(args.writes):
            started = time.perf_counter()
            refresh_after_write(company, [args_of_day], catalog)  # what a write pays: queue the day
            db.session.commit()
            hook.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            assert alerts_queue.drain([company.id]) == 1  # what the worker (or a reader) pays, once per day
            evaluation.append((time.perf_counter() - started) * 1000)
            company = db.session.get(Company, company.id)
        for label, timings in (("write hook (queue the day, commit)", hook),
                               ("evaluation of the queued day (worker)", evaluation)):
            print(f"{label}: median {statistics.median(timings):.1f} ms, "
                  f"p95 {sorted(timings)[int(len(timings) * 0.95) - 1]:.1f} ms over {args.writes} calls")

        user_id = db.session.execute(db.select(Membership.user_id).where(
            Membership.company_id == company.id)).scalars().first()
        sub = Device("/push/bench").subscription(receiver.base)
        db.session.add(PushSubscription(user_id=user_id, endpoint=sub["endpoint"], p256dh=sub["keys"]["p256dh"],
                                        auth=sub["keys"]["auth"]))
        db.session.commit()
        for n in range(args.pushes):
            _raise(company, day.register_id, None, Condition("above_max", "warning", f"Alerte {n}"), f"bench:{n}",
                   None, utcnow())
        db.session.commit()
        assert db.session.execute(db.select(db.func.count(Alert.id))).scalar() >= args.pushes
        started = time.perf_counter()
        tally = push_sender.drain(app, rounds=args.pushes)
        elapsed = time.perf_counter() - started
    receiver.close()
    print(f"push sender: {tally.delivered} delivered in {elapsed:.2f} s = {tally.delivered / elapsed:.0f} /s "
          f"(batch {app.config['PUSH_BATCH']}, {app.config['PUSH_CONCURRENCY']} threads, loopback receiver)")


if __name__ == "__main__":
    main()
