"""Push under real concurrency: gunicorn with 4 workers on PostgreSQL, 20 devices pushing to ONE company for 20 s;
then the same while workers are killed with SIGKILL mid-push. Whatever the interleaving, every acknowledged
mutation is in the database exactly once and no batch is half-applied (DOMAIN §7)."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from server import create_app
from server.extensions import db
from server.models import Company, Day, Device, Flow, Rejection
from tests.factories import demo_ids

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
DEVICES, SECONDS = 20, 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    """The gunicorn master's workers, from /proc (psutil is not installed)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found.update(int(child) for child in task.read_text().split())
    return sorted(found)


@pytest.fixture(scope="module")
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A fresh PostgreSQL database (create_all + demo seed) served by `gunicorn --workers 4` on a free port."""
    if request.config.getoption("--db") != "postgres":
        pytest.skip("gunicorn concurrency tests need PostgreSQL (run with --db=postgres)")
    pg_url = request.getfixturevalue("pg_url")
    url = make_url(pg_url).set(database=f"caisse_gunicorn_{os.getpid()}")
    admin = create_engine(make_url(pg_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    database = url.render_as_string(hide_password=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "gunicorn-test", "DEMO_HISTORY": False})
    with app.app_context():
        from server.demo.seed import seed

        db.create_all()
        seed()
        ids = demo_ids()
    port, log = free_port(), (tmp_path_factory.mktemp("gunicorn") / "gunicorn.log").open("w")
    env = {**os.environ, "CAISSE_DATABASE_URL": database, "CAISSE_SECRET_KEY": "gunicorn-test"}
    master = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "4", "--bind", f"127.0.0.1:{port}",
                               "--no-control-socket", "server.wsgi:app"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        yield {"base": base, "master": master, "app": app, "ids": ids}
    finally:
        master.send_signal(signal.SIGTERM)
        master.wait(15)
        log.close()
        with app.app_context():
            db.engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        admin.dispose()


def wait_until_up(base: str) -> None:
    for _ in range(300):
        try:
            if requests.get(f"{base}/api/openapi.json", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError("gunicorn did not answer within 30 s")


class Till(threading.Thread):
    """One device: its own numbering, batches of 1–4 mutations, each re-sent until acknowledged."""

    def __init__(self, live: Any, dates: list[str], deadline: float) -> None:
        super().__init__(daemon=True)
        self.live, self.dates, self.deadline = live, dates, deadline
        self.device, self.next_id, self.last_acked = str(uuid.uuid4()), 1, 0
        self.statuses: dict[str, int] = {"applied": 0, "duplicate": 0, "rejected": 0}
        self.applied_puts = self.duplicate_puts = 0
        self.outcomes: dict[int, str] = {}  # mutation id -> status in the acknowledging answer
        self.flows: dict[str, str] = {}  # flow id -> status in the acknowledging answer
        self.batches: list[set[str]] = []  # statuses of each acknowledged batch
        self.failures: list[str] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.push_until_deadline()
        except BaseException as exc:  # noqa: BLE001 - reported by the test, not lost in the thread
            self.error = exc

    def push_until_deadline(self) -> None:
        ids, http = self.live["ids"], requests.Session()
        login = self.post(http, "/api/auth/login", {"email": "caisse@demo.test", "password": "demo1234"})
        http.headers["X-CSRF-Token"] = login["csrf_token"]
        cash = ids["bakery_methods"]["cash"]
        while time.monotonic() < self.deadline:
            batch = []
            for _ in range(random.randint(1, 4)):
                # The shop's register: « Marché du samedi » opens on Saturdays only.
                where = {"register_id": ids["bakery_registers"][0], "date": random.choice(self.dates)}
                if random.random() < 0.25:
                    args = {**where, "base_revision": 0, "fields": {"z_number": f"Z-{self.next_id}"}}
                    batch.append({"id": self.next_id, "name": "day.put", "args": args})
                else:
                    flow = {"id": str(uuid.uuid4()), "kind": "cash_in", "amount": "1.50", "method_id": cash}
                    batch.append({"id": self.next_id, "name": "flow.add", "args": {**where, "flow": flow}})
                self.next_id += 1
            self.send(http, batch)

    def post(self, http: requests.Session, path: str, body: dict) -> Any:
        """POST until a 200 answers: a dropped connection or a 5xx means "not acknowledged", send again."""
        for _attempt in range(300):
            try:
                r = http.post(f"{self.live['base']}{path}", json=body, timeout=30)
            except requests.RequestException as exc:  # dropped connection, timeout: not acknowledged
                self.failures.append(type(exc).__name__)
            else:
                if r.status_code == 200:
                    return r.json()
                self.failures.append(str(r.status_code))
            time.sleep(0.05)
        raise AssertionError(f"{path} of device {self.device} never acknowledged: {self.failures[-5:]}")

    def send(self, http: requests.Session, batch: list[dict]) -> None:
        body = {"schema": 1, "company_id": self.live["ids"]["bakery"], "device_id": self.device, "mutations": batch}
        answer = self.post(http, "/api/sync/push", body)
        assert answer["gap_at"] is None and answer["last_mutation_id"] == batch[-1]["id"]
        for result, mutation in zip(answer["results"], batch, strict=True):
            self.statuses[result["status"]] += 1
            self.applied_puts += result["status"] == "applied" and mutation["name"] == "day.put"
            self.duplicate_puts += result["status"] == "duplicate" and mutation["name"] == "day.put"
            self.outcomes[mutation["id"]] = result["status"]
            if mutation["name"] == "flow.add":
                self.flows[mutation["args"]["flow"]["id"]] = result["status"]
        self.last_acked = answer["last_mutation_id"]
        self.batches.append({result["status"] for result in answer["results"]})


def run_tills(live: Any, dates: list[str], during: Any = None) -> list[Till]:
    tills = [Till(live, dates, time.monotonic() + SECONDS) for _ in range(DEVICES)]
    for till in tills:
        till.start()
    if during:
        during()
    for till in tills:
        till.join(90)
        assert not till.is_alive() and till.error is None, till.error
    return tills


def summary(tills: list[Till]) -> str:
    counts = {status: sum(till.statuses[status] for till in tills) for status in ("applied", "duplicate", "rejected")}
    return f"{counts}, batches {sum(len(t.batches) for t in tills)}, failures {[f for t in tills for f in t.failures]}"


def check_database(live: Any, tills: list[Till], dates: list[str]) -> set[str]:
    """Every acknowledged mutation is stored once; returns the flow ids found."""
    print(summary(tills))  # shown with -s: the figures of the run
    devices, days = [till.device for till in tills], [date.fromisoformat(d) for d in dates]
    with live["app"].app_context():
        stored = {d.id: d.last_mutation_id for d in db.session.execute(
            db.select(Device).where(Device.id.in_(devices))).scalars()}
        flows = db.session.execute(db.select(Flow.id).where(Flow.device_id.in_(devices))).scalars().all()
        revisions = db.session.execute(db.select(db.func.sum(Day.revision)).where(
            Day.company_id == live["ids"]["bakery"], Day.date.in_(days))).scalar() or 0
        rejected = set(db.session.execute(db.select(Rejection.device_id, Rejection.mutation_id).where(
            Rejection.device_id.in_(devices))).all())
        company = live["ids"]["bakery"]
        versions = [v for model in (Flow, Day, Rejection) for v in db.session.execute(
            db.select(model.version).where(model.company_id == company)).scalars()]
        counter = db.session.execute(db.select(Company.server_version).where(Company.id == company)).scalar_one()
        db.session.remove()
    # Each write took its own server version (the pull cookie): two rows sharing one, or a version above the
    # counter, means a pull could skip a change for good.
    shared = sorted(v for v, n in Counter(versions).items() if n > 1)
    assert not shared, f"{len(shared)} server versions shared by several rows, e.g. {shared[:5]}"
    assert max(versions) <= counter
    assert {till.device: stored.get(till.device, 0) for till in tills} == {t.device: t.last_acked for t in tills}
    assert len(flows) == len(set(flows))  # none doubled
    # A "duplicate" answer means the mutation was processed by an earlier request whose answer was lost (a killed
    # worker after its commit): it was then applied or rejected, the device cannot tell which without a pull.
    applied_puts = sum(till.applied_puts for till in tills)
    assert applied_puts <= revisions <= applied_puts + sum(till.duplicate_puts for till in tills)
    acked_rejected = {(t.device, m) for t in tills for m, status in t.outcomes.items() if status == "rejected"}
    maybe = {(t.device, m) for t in tills for m, status in t.outcomes.items() if status == "duplicate"}
    rejected = {tuple(row) for row in rejected}
    assert acked_rejected <= rejected <= acked_rejected | maybe  # every rejection stored once, none invented
    return set(flows)


def test_twenty_devices_push_to_one_company_through_four_workers(live):
    dates = [f"2025-03-{day}" for day in (11, 12, 13, 14, 15)]  # Tuesday to Saturday
    tills = run_tills(live, dates)
    flows = check_database(live, tills, dates)
    acknowledged = {flow: status for till in tills for flow, status in till.flows.items()}
    assert set(acknowledged.values()) == {"applied"} and flows == set(acknowledged)
    assert sum(till.statuses["applied"] for till in tills) > 200
    assert not [f for till in tills for f in till.failures]  # no 5xx, no dropped connection


def test_killing_workers_mid_push_loses_or_doubles_nothing(live):
    dates = [f"2025-04-{day:02d}" for day in (1, 2, 3, 4, 5)]  # Tuesday to Saturday
    killed: list[int] = []

    def killer() -> None:
        time.sleep(3)
        while len(killed) < 5:
            workers = children(live["master"].pid)
            if workers:
                victim = random.choice(workers)
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
            time.sleep(3)

    tills = run_tills(live, dates, during=killer)
    flows = check_database(live, tills, dates)
    acknowledged = {flow: status for till in tills for flow, status in till.flows.items()}
    assert set(acknowledged.values()) <= {"applied", "duplicate"}  # duplicate: applied by a request cut short
    assert flows == set(acknowledged)
    for till in tills:  # all or nothing: a re-sent batch is all duplicates (it had committed) or all new
        assert all(statuses <= {"duplicate"} or "duplicate" not in statuses for statuses in till.batches)
    assert len(killed) == 5 and any(till.failures for till in tills)
    assert live["master"].poll() is None and len(children(live["master"].pid)) == 4
