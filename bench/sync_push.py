"""Sync benchmark: push throughput next to a minimal JSON endpoint, and a device's 60-day catch-up.

Usage (from the repository root; figures depend on the machine, whose CPUs and load are printed):
    .venv/bin/python bench/sync_push.py                          # SQLite and PostgreSQL, 8 clients, 8 s per run
    .venv/bin/python bench/sync_push.py --db sqlite --seconds 4 --clients 4
    CAISSE_BENCH_PG_URL=postgresql+psycopg://user@host:5432/postgres .venv/bin/python bench/sync_push.py --db postgres
(the PostgreSQL URL names a database to connect to in order to create and drop the benchmark's own).

Per database: a fresh database with the demo (15 months of closed days, ending 60 days ago) and 8 more
companies (one device each), served by `gunicorn --workers 4` and one `flask push-worker` (alerts and Web Push
in a process of their own, as in production); then
1. GET /api/health from N clients (the floor: Flask + gunicorn, no database);
2. POST /api/sync/push from N devices of Café des Arts, change-sets (one batch = one transaction) of 1, 10
   and 100 flow.add: change-sets/s, mutations/s, and mutations/s over the health rate;
3. a day filling up: N devices each push 3,000 movements to a day of their own, 100 a change-set; the
   mutations/s of the first 1,000 (an empty day), the next 1,000 and the last 1,000 (a day already
   holding 2,000 movements), and the ratio of the last to the first;
4. 8 devices of 8 different companies push change-sets of 100 (one company's pushes take turns on its
   version row; different companies do not wait for each other);
4b. `--pairs` pairs of (health run, push run of 100) back to back: each pair's ratio and their median (the
   machine's speed drifts between runs a minute apart, which moves a ratio taken from runs far apart);
5. the Boulangerie's tills push the last 60 days (per register-day one change-set: Z, flows, close), then
   a device that pulled 60 days ago catches up and a new device downloads from null (default page
   limit): pages, changes, seconds.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_ADMIN = os.environ.get("CAISSE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DEVICE = "00000000-0000-4000-8000-00000000b0b0"
COMPANIES = 8  # for the run with one device in each of 8 companies


def add_companies(count: int) -> list[dict[str, Any]]:
    """`count` small companies of the demo firm, each with a register, a cash drawer and an admin login."""
    from server.extensions import db
    from server.models import Company, Firm, Membership, PaymentMethod, Register, User
    from server.services.passwords import hash_secret

    firm, hashed, out = db.session.execute(db.select(Firm)).scalars().first(), hash_secret("demo1234"), []
    for n in range(1, count + 1):
        company = Company(firm_id=firm.id, name=f"Commerce {n}", siren="732829320")
        user = User(email=f"commerce{n}@demo.test", name=f"Commerce {n}", password_hash=hashed)
        db.session.add_all([company, user])
        db.session.flush()
        register = Register(company_id=company.id, name="Caisse", position=1)
        cash = PaymentMethod(company_id=company.id, label="Espèces", kind="cash", deposit_mode="manual",
                             account="530", position=1)
        db.session.add_all([register, cash, Membership(user_id=user.id, company_id=company.id, role="admin")])
        db.session.flush()
        out.append({"company": company.id, "register": register.id, "cash": cash.id, "email": user.email})
    db.session.commit()
    return out


def seed(database: str, start: date) -> dict[str, Any]:
    """create_all, the demo, and its history up to `start`; the ids and carried counts the runs need."""
    from server import create_app
    from server.demo.history import seed_history
    from server.demo.seed import seed as seed_demo
    from server.extensions import db
    from server.models import Company, Day, PaymentMethod, SalesCategory

    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "bench", "DEMO_HISTORY": False})
    with app.app_context():
        db.create_all()
        seed_demo()
        app.config["DEMO_HISTORY"] = True
        seed_history(today=start)
        bakery, cafe = db.session.execute(db.select(Company).order_by(Company.id)).scalars().all()[:2]
        methods = lambda c: {m.kind: m.id for m in db.session.execute(  # noqa: E731
            db.select(PaymentMethod).where(PaymentMethod.company_id == c.id)).scalars()}
        counts = {}
        for register in bakery.registers:
            last = db.session.execute(db.select(Day).where(Day.register_id == register.id)  # the carried opening
                                      .order_by(Day.date.desc()).limit(1)).scalar_one()
            counts[register.id] = {ln.ref_id: ln.amount_cents for ln in last.lines if ln.kind == "count"}
        shops = add_companies(COMPANIES)
        if db.engine.dialect.name == "postgresql":  # settle the bulk load: no autovacuum or checkpoint mid-run
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
                conn.exec_driver_sql("CHECKPOINT")
        ids = {"bakery": bakery.id, "cafe": cafe.id, "shops": shops,
               "bakery_methods": methods(bakery), "cafe_methods": methods(cafe),
               "registers": {r.id: r.name for r in bakery.registers}, "cafe_register": cafe.registers[0].id,
               "categories": db.session.execute(db.select(SalesCategory.id).where(
                   SalesCategory.company_id == bakery.id).order_by(SalesCategory.position)).scalars().all(),
               "counts": counts, "cookie": bakery.server_version}
        db.engine.dispose()
    return ids


@contextmanager
def serve(database: str) -> Iterator[str]:
    """The production layout (README, « Production »): `gunicorn --workers 4` on a free loopback port, with the
    in-process sender off, and one `flask push-worker` process evaluating the queued days' alerts and delivering
    Web Push, for the length of a `with` block; yields the base URL. (With the in-process sender, the worker
    process that evaluates a day's alerts answers its own requests late: its thread holds the GIL for the whole
    evaluation, and each of a push's statements waits for it, in-process 156 ms a push of 100 instead of 39.)"""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        bind = f"127.0.0.1:{sock.getsockname()[1]}"
    env = {**os.environ, "CAISSE_DATABASE_URL": database, "CAISSE_SECRET_KEY": "bench",
           "CAISSE_PUSH_INPROCESS": "false"}
    command = [sys.executable, "-m", "gunicorn", "--workers", "4", "--bind", bind, "--no-control-socket",
               "server.wsgi:app"]
    worker = [sys.executable, "-m", "flask", "--app", "server", "push-worker"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for cmd in (command, worker)]
    try:
        for _ in range(300):
            try:
                if requests.get(f"http://{bind}/api/openapi.json", timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        yield f"http://{bind}"
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(20)


def login(base: str, email: str) -> requests.Session:
    http = requests.Session()
    r = http.post(f"{base}/api/auth/login", json={"email": email, "password": "demo1234"}, timeout=30)
    http.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return http


def hammer(clients: int, seconds: float, setup: Any, call: Any) -> dict[str, float]:
    """`clients` threads calling `call(state)` (-> mutations done) for `seconds`; rates and latencies."""
    latencies: list[float] = []
    done = {"calls": 0, "mutations": 0}
    lock, states = threading.Lock(), [setup(i) for i in range(clients)]
    deadline = time.perf_counter() + seconds

    def run(state: Any) -> None:
        while time.perf_counter() < deadline:
            begin = time.perf_counter()
            mutations = call(state)
            with lock:
                latencies.append(time.perf_counter() - begin)
                done["calls"] += 1
                done["mutations"] += mutations

    begin = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(run, states))
    elapsed = time.perf_counter() - begin
    latencies.sort()
    return {"per_s": done["calls"] / elapsed, "mutations_per_s": done["mutations"] / elapsed,
            "p50": statistics.median(latencies) * 1000, "p95": latencies[int(len(latencies) * 0.95)] * 1000}


def health_run(base: str, clients: int, seconds: float) -> dict[str, float]:
    anonymous = requests.get(f"{base}/api/health", timeout=5).status_code == 200
    setup = (lambda _i: requests.Session()) if anonymous else (lambda _i: login(base, "cafe@demo.test"))

    def call(http: requests.Session) -> int:
        assert http.get(f"{base}/api/health", timeout=30).status_code == 200
        return 0

    return {**hammer(clients, seconds, setup, call), "anonymous": anonymous}


def flow_batch(state: dict, register_id: int, on: str, method_id: int, size: int) -> list[dict]:
    """`size` flow.add of a device, numbered from its next mutation id."""
    batch = []
    for _ in range(size):
        flow = {"id": str(uuid.uuid4()), "kind": "cash_in", "amount": "2.50", "method_id": method_id}
        batch.append({"id": state["next"], "name": "flow.add",
                      "args": {"register_id": register_id, "date": on, "flow": flow}})
        state["next"] += 1
    return batch


def send(base: str, state: dict, company_id: int, batch: list[dict]) -> int:
    """Push one change-set; the number of mutations applied (all of them, or the run is wrong)."""
    body = {"schema": 1, "company_id": company_id, "device_id": state["device"], "mutations": batch}
    answer = state["http"].post(f"{base}/api/sync/push", json=body, timeout=120).json()
    assert answer["last_mutation_id"] == state["next"] - 1, answer
    applied = sum(r["status"] == "applied" for r in answer["results"])
    assert applied == len(batch), answer["results"][:3]
    return applied


def device(base: str, email: str) -> dict:
    return {"http": login(base, email), "device": str(uuid.uuid4()), "next": 1}


def push_run(base: str, ids: dict, clients: int, seconds: float, size: int, window: list[date]) -> dict:
    """N devices of the Café push change-sets of `size` movements to random open days of the window."""
    cash, opening = ids["cafe_methods"]["cash"], [d.isoformat() for d in window if d.weekday() < 5]

    def call(state: dict) -> int:
        batch = flow_batch(state, ids["cafe_register"], random.choice(opening), cash, size)
        return send(base, state, ids["cafe"], batch)

    return hammer(clients, seconds, lambda _i: device(base, "cafe@demo.test"), call)


def companies_run(base: str, ids: dict, seconds: float, size: int, on: date) -> dict:
    """One device in each of 8 companies, change-sets of `size` movements."""
    shops = ids["shops"]

    def call(state: dict) -> int:
        shop = state["shop"]
        return send(base, state, shop["company"], flow_batch(state, shop["register"], on.isoformat(), shop["cash"],
                                                              size))

    return hammer(len(shops), seconds, lambda i: {**device(base, shops[i]["email"]), "shop": shops[i]}, call)


def fill_run(base: str, ids: dict, clients: int, window: list[date], size: int = 100,
             segment: int = 1000, segments: int = 3) -> list[dict]:
    """N devices each fill a day of their own, `segment` movements at a time: mutations/s per segment."""
    cash, register = ids["cafe_methods"]["cash"], ids["cafe_register"]
    days = [d.isoformat() for d in window if d.weekday() < 5][-clients:]
    states = [device(base, "cafe@demo.test") for _ in days]
    out = []
    for _ in range(segments):
        latencies: list[float] = []

        def fill(state: dict, on: str, latencies: list[float] = latencies) -> None:
            for _ in range(segment // size):
                begin = time.perf_counter()
                send(base, state, ids["cafe"], flow_batch(state, register, on, cash, size))
                latencies.append(time.perf_counter() - begin)

        begin = time.perf_counter()
        with ThreadPoolExecutor(len(states)) as pool:
            list(pool.map(fill, states, days))
        elapsed = time.perf_counter() - begin
        latencies.sort()
        out.append({"per_s": len(latencies) / elapsed, "mutations_per_s": len(latencies) * size / elapsed,
                    "p50": statistics.median(latencies) * 1000, "p95": latencies[int(len(latencies) * 0.95)] * 1000})
    return out


def till_day(ids: dict, register_id: int, on: date, first_id: int, counts: dict[int, int]) -> list[dict]:
    """One register-day as a till sends it: the Z, a few movements, the counts, the close."""
    m, rng = ids["bakery_methods"], random.Random(f"{register_id}{on}")
    cash, card, cheque = rng.randint(20000, 40000), rng.randint(30000, 60000), rng.choice([0, 0, 2500, 4200])
    sales = [{"category_id": c, "amount": v} for c, v in zip(ids["categories"][:3], (cash, card, cheque), strict=True)]
    where = {"register_id": register_id, "date": on.isoformat()}
    flows = [{"kind": "cash_in", "amount": 2000, "method_id": m["cash"], "reason": "Monnaie"},
             {"kind": "expense", "amount": 1250, "method_id": m["cash"], "vat_bp": 550, "label": "Farine"}]
    drawer = counts.get(m["cash"], 0) + cash + 2000 - 1250
    if drawer > 60000:
        flows.append({"kind": "deposit", "amount": drawer - 20000, "method_id": m["cash"], "slip_number": "RB1"})
        drawer = 20000
    cheques, counts[m["cash"]], counts[m["cheque"]] = counts.get(m["cheque"], 0) + cheque, drawer, 0
    if cheques:
        flows.append({"kind": "deposit", "amount": cheques, "method_id": m["cheque"], "cheque_count": 1})
    fields = {"z_number": f"Z-{on:%y%m%d}", "sales_count": 120,
              "sales": [{**s, "amount": f"{s['amount'] / 100:.2f}"} for s in sales if s["amount"]],
              "payments": [{"method_id": k, "amount": f"{v / 100:.2f}"} for k, v in
                           ((m["cash"], cash), (m["card"], card), (m["cheque"], cheque)) if v],
              "counts": [{"method_id": m["cash"], "amount": f"{drawer / 100:.2f}"},
                         {"method_id": m["cheque"], "amount": "0.00"}]}
    names = [("day.put", {**where, "base_revision": 0, "fields": fields})]
    names += [("flow.add", {**where, "flow": {"id": str(uuid.uuid4()), **f, "amount": f"{f['amount'] / 100:.2f}"}})
              for f in flows]
    names.append(("day.close", {**where, "base_revision": 1}))
    return [{"id": first_id + i, "name": name, "args": args} for i, (name, args) in enumerate(names)]


def catch_up(base: str, ids: dict, window: list[date]) -> list[tuple[str, int, int, float]]:
    """Push 60 days of the bakery's tills, then pull from the 60-day-old cookie and from null."""
    http, next_id, refused = login(base, "caisse@demo.test"), 1, 0
    for on in window:
        for register_id, name in ids["registers"].items():
            if on.weekday() == 0 or (name == "Marché du samedi" and on.weekday() != 5):
                continue
            batch = till_day(ids, register_id, on, next_id, ids["counts"][register_id])
            body = {"schema": 1, "company_id": ids["bakery"], "device_id": DEVICE, "mutations": batch}
            answer = http.post(f"{base}/api/sync/push", json=body, timeout=60).json()
            refused += sum(r["status"] == "rejected" for r in answer["results"])
            next_id += len(batch)
    rows = []
    for label, cookie in (("60 days old", ids["cookie"]), ("null (new device)", None)):
        begin, pages, changes = time.perf_counter(), 0, 0
        device = str(uuid.uuid4())
        while True:
            body = {"schema": 1, "company_id": ids["bakery"], "device_id": device, "cookie": cookie}
            page = http.post(f"{base}/api/sync/pull", json=body, timeout=120).json()
            pages, changes, cookie = pages + 1, changes + len(page["changes"]), page["cookie"]
            if not page["more"]:
                break
        rows.append((label, pages, changes, time.perf_counter() - begin))
    return [(f"{next_id - 1} mutations pushed, {refused} refused", 0, 0, 0.0), *rows]


def database_for(kind: str, workdir: Path) -> tuple[str, Any]:
    """A fresh database URL, and how to drop it."""
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite'}", lambda: None
    name, admin = f"caisse_bench_{os.getpid()}", create_engine(make_url(PG_ADMIN), isolation_level="AUTOCOMMIT")

    def run(*statements: str) -> None:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))

    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    run(drop, f'CREATE DATABASE "{name}"')
    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False), lambda: run(drop)


def report(kind: str, label: str, run: dict, health: dict) -> None:
    """One row: requests (change-sets) per second, mutations per second, latencies, mutations/s ÷ health req/s."""
    mutations = f"{run['mutations_per_s']:>9.1f}" if run is not health else " " * 9
    ratio = f"{run['mutations_per_s'] / health['per_s']:>10.2f}" if run is not health else f"{1:>10.2f}"
    print(f"{kind:<11}{label:<44}{run['per_s']:>8.1f}{mutations}{run['p50']:>9.1f}{run['p95']:>9.1f}{ratio}",
          flush=True)


def paired(kind: str, base: str, ids: dict, options: Any, window: list[date]) -> None:
    """The 5× target measured against drift: the machine's speed moves between runs a minute apart (another
    tenant, the CPU's clock), so `--pairs` times a health run is followed at once by a push run of 100, and
    each pair gives its own ratio; printed with their median."""
    ratios = []
    for _ in range(options.pairs):
        health = health_run(base, options.clients, options.seconds)
        run = push_run(base, ids, options.clients, options.seconds, 100, window)
        ratios.append(run["mutations_per_s"] / health["per_s"])
    shown = "  ".join(f"{r:.2f}" for r in ratios)
    print(f"{kind:<11}{'  pairs health → push of 100: × health':<44}{statistics.median(ratios):>17.2f}"
          f"   (each pair: {shown})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both (comma-separated)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--pairs", type=int, default=3, help="health → push-of-100 pairs (median ratio printed)")
    options = parser.parse_args()
    start = date.today() - timedelta(days=60)
    window = [start + timedelta(days=n) for n in range(1, 61)]
    print(f"gunicorn --workers 4 · {options.clients} clients · {options.seconds:g} s per run · {os.cpu_count()} CPUs"
          f" · load average {os.getloadavg()[0]:.1f} at start")
    print(f"{'database':<11}{'run':<44}{'req/s':>8}{'mut/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'× health':>10}")
    print(" " * 55 + "(req/s: requests or change-sets; × health: mut/s ÷ health req/s)")
    catch_ups = []
    for kind in options.db.split(","):
        with tempfile.TemporaryDirectory() as workdir:
            database, drop = database_for(kind, Path(workdir))
            try:
                ids = seed(database, start)
                with serve(database) as base:
                    health = health_run(base, options.clients, options.seconds)
                    report(kind, "GET /api/health" + ("" if health["anonymous"] else " (logged in)"), health, health)
                    for size in (1, 10, 100):
                        run = push_run(base, ids, options.clients, options.seconds, size, window)
                        report(kind, f"push, {size} flow.add per change-set", run, health)
                    fills = fill_run(base, ids, options.clients, window)
                    for label, run in zip(("an empty day", "a day holding 1,000", "a day holding 2,000"), fills,
                                          strict=True):
                        report(kind, f"push 1,000 by 100 to {label}", run, health)
                    ratio = fills[-1]["mutations_per_s"] / fills[0]["mutations_per_s"]
                    print(f"{kind:<11}{'  holding 2,000 ÷ empty day (mut/s)':<44}{ratio:>17.2f}", flush=True)
                    run = companies_run(base, ids, options.seconds, 100, window[-1])
                    report(kind, f"push, 100 per change-set, {COMPANIES} companies", run, health)
                    paired(kind, base, ids, options, window)
                    catch_ups += [(kind, *row) for row in catch_up(base, ids, window)]
            finally:
                drop()
    print("\nCatch-up of the Boulangerie (15 months of demo history + 60 days pushed by its tills)")
    print(f"{'database':<11}{'pull from cookie':<40}{'pages':>7}{'changes':>9}{'seconds':>9}")
    for kind, label, pages, changes, seconds in catch_ups:
        print(f"{kind:<11}{label:<40}" + (f"{pages:>7}{changes:>9}{seconds:>9.2f}" if pages else ""))


if __name__ == "__main__":
    main()
