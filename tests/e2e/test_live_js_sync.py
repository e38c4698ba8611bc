"""Issue 4's live test: the PWA's real sync modules (node --test pwa/test-live/) against a running server,
authenticated with a personal API token of the cashier."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from tests.e2e.conftest import ROOT, _require
from tests.e2e.helpers import CASHIER, demo_ids, ensure_opening_day, today


def test_pwa_sync_client_against_the_live_server(live_server):
    node = shutil.which("node")
    _require(node is not None, "node is not installed")
    _require((ROOT / "pwa" / "node_modules" / "fake-indexeddb").exists(), "pwa/node_modules missing (cd pwa && npm ci)")
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    date = today()
    ensure_opening_day(server, demo, date, admin)

    cashier = server.api(CASHIER)
    r = cashier.post(server.url + "/api/auth/tokens", json={"name": "test live de la synchronisation"}, timeout=10)
    assert r.status_code == 201, r.text
    token = r.json()["token"]

    env = dict(os.environ, CAISSE_URL=server.url, CAISSE_TOKEN=token, CAISSE_DATE=date, NODE_NO_WARNINGS="1")
    run = subprocess.run([node, "--test", "test-live/"], cwd=ROOT / "pwa", env=env, capture_output=True,
                         text=True, timeout=120)
    output = f"{run.stdout}\n{run.stderr}"
    assert run.returncode == 0, (f"node --test failed ({run.returncode}):\n{output}\n"
                                 f"--- server log ---\n{server.log_text()}")
    passed = re.search(r"^# pass (\d+)$", run.stdout, re.M)
    skipped = re.search(r"^# skipped (\d+)$", run.stdout, re.M)
    assert passed and int(passed.group(1)) >= 3 and skipped and skipped.group(1) == "0", output

    # The server saw this token's user, and the day holds what the node client sent.
    day = admin.get(demo.day_url(server.url, date), timeout=10).json()
    assert day["z_number"] == "Z-LIVE-1"
    assert day["comment"] == "Écart : pièce refusée"
    assert sorted(f["kind"] for f in day["flows"]) == ["deposit", "expense"]
