"""Backups and restores of the whole database (deliverable 8 of issue 10).

SQLite (the default): the SQLite online backup API copies a consistent snapshot while the server keeps
writing (readers and writers are not stopped; the copy restarts pages that change under it).
PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean`, the binaries of the server's version.

After a restore, versions are shifted ABOVE every version the replaced database had handed out, and every
company's `min_cookie` is raised to the shift: every device pulls `reset: true` once and downloads
again, so no device keeps rows of the lost timeline, and no new change can hide under a cookie it saw.
A device's last processed mutation comes back from the backup: the pull tells the device (its
`last_mutation_id`), which re-sends what the server no longer has from its outbox.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from server.extensions import db


def kind() -> str:
    return db.engine.dialect.name


def backup_dir(app_instance_path: str, configured: str | None) -> Path:
    path = Path(configured) if configured else Path(app_instance_path) / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sqlite_path() -> str:
    database = make_url(str(db.engine.url)).database
    if not database or database == ":memory:":
        raise RuntimeError("Base SQLite en mémoire : rien à sauvegarder.")
    return database


def _libpq_url() -> str:
    url = make_url(str(db.engine.url)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def make_backup(directory: Path, keep: int) -> Path:
    """Write one backup file into `directory`, then keep only the `keep` most recent ones."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    if kind() == "sqlite":
        target = directory / f"caisse-{stamp}.sqlite"
        source = sqlite3.connect(_sqlite_path())
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy, pages=1024)
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise RuntimeError("La copie ne passe pas le contrôle d'intégrité.")
        finally:
            copy.close()
            source.close()
    elif kind() == "postgresql":
        target = directory / f"caisse-{stamp}.dump"
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), "--dbname",
                        _libpq_url()], check=True, capture_output=True)
    else:
        raise RuntimeError(f"Base {kind()} non prise en charge.")
    prune(directory, keep)
    return target


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete the oldest backups beyond `keep` (files named caisse-<UTC time>.*)."""
    files = sorted(directory.glob("caisse-*.sqlite")) + sorted(directory.glob("caisse-*.dump"))
    files.sort(key=lambda p: p.name)
    gone = files[:-keep] if keep > 0 else []
    for path in gone:
        path.unlink()
    return gone


def _versions() -> dict[int, int]:
    """Each company's server version now (empty for a database without tables)."""
    if "companies" not in inspect(db.engine).get_table_names():
        return {}
    with db.engine.connect() as conn:
        return {row[0]: row[1] or 0 for row in conn.exec_driver_sql("SELECT id, server_version FROM companies")}


def restore(path: Path, safety_directory: Path) -> Path | None:
    """Replace the database with the backup `path` (server stopped); returns the safety copy of the
    replaced database, taken just before."""
    if not path.is_file():
        raise FileNotFoundError(str(path))
    before = _versions()
    safety = make_backup(safety_directory, keep=10_000) if before else None
    db.session.remove()
    if kind() == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise RuntimeError("Le fichier de sauvegarde est endommagé.")
            db.engine.dispose()
            live = sqlite3.connect(_sqlite_path())
            try:
                with live:
                    source.backup(live)
            finally:
                live.close()
        finally:
            source.close()
    elif kind() == "postgresql":
        db.engine.dispose()
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        "--dbname", _libpq_url(), str(path)], check=True, capture_output=True)
    else:
        raise RuntimeError(f"Base {kind()} non prise en charge.")
    restart_versions(before)
    return safety


def restart_versions(before: dict[int, int]) -> None:
    """Shift every replicated row's version (and each company's counter) above anything handed out before
    the restore, and raise `min_cookie` to the shift: every cookie a device holds is then below the floor
    (`reset: true`, download again), while the pages of that new download, whose cookies are shifted
    versions, stay above it. The order of versions, hence paging, is unchanged."""
    with db.engine.begin() as conn:
        current = [row[0] or 0 for row in conn.exec_driver_sql("SELECT server_version FROM companies")]
        offset = max([0, *current, *before.values()]) + 1
        for table in db.metadata.sorted_tables:
            if "version" in table.c:
                conn.execute(table.update().values(version=table.c.version + offset))
        companies = db.metadata.tables["companies"]
        conn.execute(companies.update().values(server_version=companies.c.server_version + offset,
                                               min_cookie=offset))


def pg_tools_available() -> bool:
    return bool(shutil.which("pg_dump") and shutil.which("pg_restore"))

