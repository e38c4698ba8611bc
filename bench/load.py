"""Load test: 200 simulated devices of 50 companies sync for 60 s against gunicorn + PostgreSQL on loopback, while
gunicorn workers are SIGKILLed; then the database must hold exactly the acknowledged mutations.

Usage (from the repository root):
    .venv/bin/python bench/load.py                                  # 200 devices, 50 companies, 60 s, 4 workers
    .venv/bin/python bench/load.py --devices 40 --companies 10 --seconds 20 --kill-every 5
    CAISSE_BENCH_PG_URL=postgresql+psycopg://user@host:5432/postgres .venv/bin/python bench/load.py
(the URL names a database used to create and drop the load test's own, `caisse_load`).

Each company has one register open every day and 4 cashiers; each device is one cashier's (devices are bound to
users) with a personal bearer token. A device loops: push a change-set of 1–3 `flow.add` (cash in) on one of the
last 5 days, then every 5th round a pull from its last cookie (each device has synced once before the window opens).
A request that fails (connection reset by a killed worker, 5xx, 503) is retried with the SAME mutation ids until
answered, as the PWA's outbox does. As in production on PostgreSQL, the alert evaluation and the Web Push sender run
in their own process (`flask push-worker`). Between two pushes a device waits `--think` seconds on average (a
cashier typing the next entry; default 5 s, far more often than a real till syncs); `--think 0` is a closed loop
that measures saturation instead (latency is then the queue's length). Every `--kill-every` seconds one worker is
SIGKILLed (gunicorn's master starts another). Printed: throughput, p50/p95/p99 of answered requests, errors seen by
devices; then the check: for every device, the flows stored == the mutations acknowledged (`applied` or
`duplicate`), `last_mutation_id` == the last acknowledged id, nothing lost, nothing doubled.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_ADMIN = os.environ.get("CAISSE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def fresh_database(name: str) -> str:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def seed(database: str, companies: int, devices: int) -> list[dict[str, Any]]:
    """Companies with one always-open register and a cash method, a cashier and a bearer token per device."""
    from server import create_app
    from server.extensions import db
    from server.models import ApiToken, Company, Firm, Membership, PaymentMethod, Register, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "load"})
    out = []
    with app.app_context():
        db.create_all()
        firm = Firm(name="Cabinet de charge")
        db.session.add(firm)
        db.session.flush()
        shops = []
        for i in range(companies):
            company = Company(firm_id=firm.id, name=f"Boutique {i + 1}", siren="732829320", weekly_pattern="1111111")
            db.session.add(company)
            db.session.flush()
            register = Register(company_id=company.id, name="Caisse", position=1)
            cash = PaymentMethod(company_id=company.id, label="Espèces", kind="cash", deposit_mode="manual",
                                 account="530000", position=1)
            db.session.add_all([register, cash])
            db.session.flush()
            shops.append((company.id, register.id, cash.id))
        for d in range(devices):
            company_id, register_id, cash_id = shops[d % companies]
            user = User(email=f"caisse{d}@charge.test", name=f"Caisse {d}", password_hash=None)
            db.session.add(user)
            db.session.flush()
            token = "cai_" + secrets.token_urlsafe(32)
            db.session.add_all([
                Membership(user_id=user.id, company_id=company_id, role="cashier"),
                ApiToken(user_id=user.id, name="charge", prefix=token[:10],
                         token_hash=hashlib.sha256(token.encode()).hexdigest())])
            out.append({"company": company_id, "register": register_id, "cash": cash_id, "token": token,
                        "device": str(uuid.uuid4())})
        db.session.commit()
        db.engine.dispose()
    return out


class Server:
    def __init__(self, database: str, workers: int) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.bind = f"127.0.0.1:{sock.getsockname()[1]}"
        # The production layout on PostgreSQL (README): the alert evaluation and Web Push sender run in their own
        # process (`flask push-worker`), not in the threads of the workers that answer requests.
        env = {**os.environ, "CAISSE_DATABASE_URL": database, "CAISSE_SECRET_KEY": "load",
               "CAISSE_PUSH_INPROCESS": "false"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", self.bind, "--no-control-socket",
             "--timeout", "60", "server.wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        self.sender = subprocess.Popen([sys.executable, "-m", "flask", "--app", "server", "push-worker"], cwd=ROOT,
                                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://{self.bind}"
        for _ in range(300):
            try:
                if requests.get(f"{self.base}/api/health", timeout=2).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def kill_one(self) -> None:
        workers = self.workers()
        if workers:
            os.kill(random.choice(workers), signal.SIGKILL)

    def stop(self) -> None:
        for proc in (self.proc, self.sender):
            proc.send_signal(signal.SIGTERM)
        for proc in (self.proc, self.sender):
            proc.wait(30)


class Device:
    def __init__(self, spec: dict[str, Any], base: str, stats: Stats) -> None:
        self.spec, self.base, self.stats = spec, base, stats
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {spec['token']}"
        self.next_id, self.acked, self.pending = 1, {}, None  # acked: mutation id -> flow id
        self.cookie: Any = None
        self.rng = random.Random(spec["device"])

    def batch(self) -> list[dict[str, Any]]:
        if self.pending is None:
            out = []
            for _ in range(self.rng.randint(1, 3)):
                on = (date.today() - timedelta(days=self.rng.randint(1, 5))).isoformat()
                flow = {"id": str(uuid.uuid4()), "kind": "cash_in", "amount": "2.50", "method_id": self.spec["cash"]}
                out.append({"id": self.next_id, "name": "flow.add",
                            "args": {"register_id": self.spec["register"], "date": on, "flow": flow}})
                self.next_id += 1
            self.pending = out
        return self.pending

    def call(self, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        begin = time.perf_counter()
        try:
            r = self.http.post(f"{self.base}{path}", json=body, timeout=60)
        except requests.RequestException as exc:
            self.stats.error(type(exc).__name__)
            return None
        elapsed = time.perf_counter() - begin
        if r.status_code != 200:
            self.stats.error(f"HTTP {r.status_code}")
            return None
        self.stats.ok(elapsed, path.rsplit("/", 1)[-1])
        return r.json()

    def push(self) -> bool:
        batch = self.batch()
        answer = self.call("/api/sync/push", {"schema": 1, "company_id": self.spec["company"],
                                              "device_id": self.spec["device"], "mutations": batch})
        if answer is None:
            return False
        statuses = {r["id"]: r["status"] for r in answer["results"]}
        for m in batch:
            if statuses.get(m["id"]) in ("applied", "duplicate"):
                self.acked[m["id"]] = m["args"]["flow"]["id"]
            else:
                self.stats.error(f"not acknowledged: {statuses.get(m['id'])}")
        self.pending = None
        return True

    def first_sync(self) -> None:
        """The app is installed and synced before the window (a device's first download is not measured)."""
        while True:
            r = self.http.post(f"{self.base}/api/sync/pull", json={
                "schema": 1, "company_id": self.spec["company"], "device_id": self.spec["device"],
                "cookie": self.cookie, "limit": 500}, timeout=60)
            r.raise_for_status()
            self.cookie = r.json()["cookie"]
            if not r.json().get("more"):
                return

    def run(self, deadline: float, think: float) -> None:
        rounds = 0
        time.sleep(self.rng.uniform(0, think))  # devices do not all start on the same millisecond
        while time.perf_counter() < deadline:
            if not self.push():
                time.sleep(0.2)
                continue
            rounds += 1
            if think:  # the cashier types the next entry
                time.sleep(min(self.rng.uniform(0.5 * think, 1.5 * think), max(0.0, deadline - time.perf_counter())))
            if rounds % 5 == 0:  # from the cookie of its last pull, as the PWA does (a first pull downloads all)
                answer = self.call("/api/sync/pull", {"schema": 1, "company_id": self.spec["company"],
                                                      "device_id": self.spec["device"], "cookie": self.cookie,
                                                      "limit": 50})
                if answer is not None and not answer.get("more"):
                    self.cookie = answer["cookie"]

    def drain(self, deadline: float) -> None:
        while self.pending is not None and time.perf_counter() < deadline:
            if not self.push():
                time.sleep(0.5)


class Stats:
    def __init__(self) -> None:
        self.lock, self.latencies, self.errors = threading.Lock(), [], {}
        self.by_kind: dict[str, list[float]] = {}

    def ok(self, seconds: float, kind: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.by_kind.setdefault(kind, []).append(seconds)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1


def verify(database: str, devices: list[Device]) -> list[str]:
    engine = create_engine(database)
    problems = []
    with engine.connect() as conn:
        stored: dict[str, set[str]] = {}
        for device_id, flow_id in conn.execute(text("SELECT device_id, id FROM flows")):
            stored.setdefault(device_id, set()).add(flow_id)
        last = {(row[0], row[1]): row[2] for row in conn.execute(
            text("SELECT id, company_id, last_mutation_id FROM devices"))}
    engine.dispose()
    for d in devices:
        acked = set(d.acked.values())
        have = stored.get(d.spec["device"], set())
        if acked != have:
            problems.append(f"device {d.spec['device']}: {len(acked - have)} acknowledged but missing, "
                            f"{len(have - acked)} stored but never acknowledged")
        expected_last = max(d.acked, default=0)
        if last.get((d.spec["device"], d.spec["company"]), 0) != expected_last:
            problems.append(f"device {d.spec['device']}: last_mutation_id "
                            f"{last.get((d.spec['device'], d.spec['company']))} != {expected_last}")
        if d.pending is not None:
            problems.append(f"device {d.spec['device']}: a batch never acknowledged")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--companies", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kill-every", type=float, default=10, help="seconds between two worker SIGKILLs (0: none)")
    parser.add_argument("--think", type=float, default=5.0,
                        help="mean seconds a device waits between two pushes (uniform 0.5–1.5 × mean; 0: none, "
                             "a closed loop measuring saturation, where latency is the queue's length)")
    args = parser.parse_args()

    database = fresh_database("caisse_load")
    print(f"CPUs {os.cpu_count()}, load {os.getloadavg()[0]:.1f}; seeding {args.companies} companies, "
          f"{args.devices} devices…", flush=True)
    specs = seed(database, args.companies, args.devices)
    server = Server(database, args.workers)
    stats, kills = Stats(), 0
    devices = [Device(spec, server.base, stats) for spec in specs]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(Device.first_sync, devices))
    try:
        begin = time.perf_counter()
        deadline = begin + args.seconds
        threads = [threading.Thread(target=d.run, args=(deadline, args.think)) for d in devices]
        for t in threads:
            t.start()
        while time.perf_counter() < deadline:
            time.sleep(min(args.kill_every or args.seconds, max(0.0, deadline - time.perf_counter())))
            if args.kill_every and time.perf_counter() < deadline:
                server.kill_one()
                kills += 1
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - begin
        drain = [threading.Thread(target=d.drain, args=(time.perf_counter() + 60,)) for d in devices]
        for t in drain:
            t.start()
        for t in drain:
            t.join()
    finally:
        server.stop()

    lat = sorted(stats.latencies)
    pick = lambda q: lat[min(len(lat) - 1, int(len(lat) * q))] * 1000 if lat else float("nan")  # noqa: E731
    mutations = sum(len(d.acked) for d in devices)
    print(f"{args.devices} devices, {args.companies} companies, {args.workers} workers, {elapsed:.0f} s, "
          f"think {args.think:g} s, {kills} workers SIGKILLed")
    print(f"answered requests: {len(lat)} ({len(lat) / elapsed:.0f}/s); acknowledged mutations: {mutations} "
          f"({mutations / elapsed:.0f}/s)")
    print(f"latency ms: p50 {pick(0.50):.0f}  p95 {pick(0.95):.0f}  p99 {pick(0.99):.0f}  max {pick(1.0):.0f}")
    for kind, values in sorted(stats.by_kind.items()):
        values.sort()
        q = [values[min(len(values) - 1, int(len(values) * p))] * 1000 for p in (0.5, 0.95, 0.99)]
        print(f"  {kind:5} {len(values):6} requests: p50 {q[0]:.0f}  p95 {q[1]:.0f}  p99 {q[2]:.0f}")
    print(f"errors seen by devices, each retried with the same mutation ids until answered: "
          f"{sum(stats.errors.values())} {stats.errors or ''}")
    print(f"errors left unanswered at the end: {sum(d.pending is not None for d in devices)}")
    problems = verify(database, devices)
    if problems:
        print(f"CHECK FAILED: {len(problems)} problems", *problems[:20], sep="\n  ")
        return 1
    print(f"check: the database holds exactly the {mutations} acknowledged mutations (nothing lost or doubled)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
