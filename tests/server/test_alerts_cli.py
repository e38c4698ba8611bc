"""The command-line side: VAPID keys made once, `alerts run` twice opens nothing new, `push-worker --once`."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

from server.extensions import db
from server.models import Alert


def test_vapid_keys_are_made_once_and_kept_private(app: Any) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["vapid-keys"])
    second = runner.invoke(args=["vapid-keys"])
    assert first.exit_code == 0 and "Clé VAPID créée" in first.output
    assert second.exit_code == 0 and "Clé VAPID existante" in second.output
    key = re.search(r"Clé publique : (\S+)", first.output).group(1)
    assert key == re.search(r"Clé publique : (\S+)", second.output).group(1) and len(key) == 87
    path = Path(app.instance_path) / "vapid_private.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert app.test_client().get("/api/push/vapid-public-key").status_code == 401  # members only


def test_alerts_run_twice_opens_nothing_new_and_the_worker_drains(app: Any, demo: dict[str, Any]) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["alerts", "run"])
    assert first.exit_code == 0 and first.output.startswith("2 sociétés examinées")
    with app.app_context():
        count = db.session.execute(db.select(db.func.count(Alert.id))).scalar()
    second = runner.invoke(args=["alerts", "run"])
    assert second.exit_code == 0 and "0 alertes ouvertes" in second.output
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Alert.id))).scalar() == count
    worker = runner.invoke(args=["push-worker", "--once"])
    assert worker.exit_code == 0 and worker.output.startswith("0 envoyées"), worker.output
