"""The yearly archive of a company (DOMAIN.md §4) and its offline verification.

One ZIP per fiscal year:
  journal/<register id>/<sequence>_<date>.json   every sealed link of the year: payload, prev_hash, hash
  periods/<register id>_<kind>_<start>.json      the monthly and annual closings: record and hash
  <SIREN>FEC<closing date>.txt                   the FEC of the year (services.export)
  manifest.json                                  company, fiscal year, and the SHA-256 of every other file

The ZIP is deterministic (fixed entry dates, sorted names): the same sealed year gives the same
bytes. ``verify_archive`` needs no database: it checks the manifest's hashes, then the hash chain
of the journal files and the hash of each period closing, and names the first altered file.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain import canonical_json, chain_hash
from domain.fec import fiscal_year_end
from server.extensions import db
from server.models import Company, JournalEntry, PeriodClosing, Register
from server.services import export
from server.services.journal import period_record

MANIFEST = "manifest.json"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def zip_bytes(files: Iterable[tuple[str, bytes]]) -> bytes:
    """A deterministic ZIP of (name, bytes) pairs, in the given order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


def fiscal_year_bounds(company: Company, year: int) -> tuple[date, date]:
    """The fiscal year that starts in ``year`` (on the company's start month)."""
    start = date(year, company.fiscal_year_start_month, 1)
    return start, date.fromisoformat(fiscal_year_end(start.isoformat(), company.fiscal_year_start_month))


def _journal_files(company: Company, start: date, end: date) -> list[tuple[str, bytes]]:
    rows = db.session.execute(
        db.select(JournalEntry).join(Register, Register.id == JournalEntry.register_id)
        .where(Register.company_id == company.id, JournalEntry.day_date.between(start, end))
        .order_by(JournalEntry.register_id, JournalEntry.sequence)).scalars()
    return [(f"journal/{e.register_id}/{e.sequence:06d}_{e.day_date.isoformat()}.json",
             _json_bytes({"register_id": e.register_id, "sequence": e.sequence, "day_date": e.day_date.isoformat(),
                          "closed_at": e.closed_at.isoformat(timespec="seconds") + "Z", "payload": e.payload,
                          "prev_hash": e.prev_hash, "hash": e.hash})) for e in rows]


def _period_files(company: Company, start: date, end: date) -> list[tuple[str, bytes]]:
    rows = db.session.execute(
        db.select(PeriodClosing).join(Register, Register.id == PeriodClosing.register_id)
        .where(Register.company_id == company.id, PeriodClosing.period_start.between(start, end))
        .order_by(PeriodClosing.register_id, PeriodClosing.kind, PeriodClosing.period_start)).scalars()
    return [(f"periods/{p.register_id}_{p.kind}_{p.period_start.isoformat()}.json",
             _json_bytes({"record": period_record(p), "hash": p.hash})) for p in rows]


def build_archive(company: Company, year: int) -> export.ExportFile:
    """The archive of the fiscal year starting in ``year``: 422 without SIREN, 409 while a day is open."""
    start, end = fiscal_year_bounds(company, year)
    fec = export.build_export(company, start, end, "fec")
    files = _journal_files(company, start, end) + _period_files(company, start, end) + [(fec.filename, fec.data)]
    manifest = {
        "format": "caisse-archive/1",
        "company": {"id": company.id, "name": company.name, "siren": company.siren},
        "fiscal_year": {"start": start.isoformat(), "end": end.isoformat()},
        "files": [{"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                  for name, data in files],
    }
    data = zip_bytes([(MANIFEST, _json_bytes(manifest)), *files])
    name = f"{company.siren}_archive_{start.isoformat()}_{end.isoformat()}.zip"
    return export.ExportFile(name, data, fec.entry_count)


# -- offline verification ------------------------------------------------------------------------------------


@dataclass
class Verdict:
    files_checked: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, reason in French)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_altered(self) -> str | None:
        return self.problems[0][0] if self.problems else None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "first_altered": self.first_altered, "files_checked": self.files_checked,
                "problems": [{"file": name, "reason": reason} for name, reason in self.problems]}


def _chain_problems(contents: dict[str, bytes], names: list[str]) -> list[tuple[str, str]]:
    """Each journal file's hash recomputed from its payload, and each link to the previous one."""
    problems = []
    previous: dict[Any, str] = {}
    for name in names:
        if not name.startswith("journal/"):
            continue
        try:
            link = json.loads(contents[name])
            record = json.loads(link["payload"])
            if canonical_json(record) != link["payload"] or chain_hash(link["prev_hash"], record) != link["hash"]:
                problems.append((name, "Empreinte de la journée recalculée différente."))
            elif link["register_id"] in previous and previous[link["register_id"]] != link["prev_hash"]:
                problems.append((name, "Chaînage rompu avec la journée précédente."))
            previous[link["register_id"]] = link["hash"]
        except (KeyError, TypeError, ValueError):
            problems.append((name, "Fichier de journal illisible."))
    for name in names:
        if name.startswith("periods/"):
            try:
                closing = json.loads(contents[name])
                if chain_hash(closing["record"]["last_hash"], closing["record"]) != closing["hash"]:
                    problems.append((name, "Empreinte de la clôture recalculée différente."))
            except (KeyError, TypeError, ValueError):
                problems.append((name, "Clôture illisible."))
    return problems


def verify_archive(data: bytes) -> Verdict:
    """Check an archive without the database; the first problem names the first altered file."""
    verdict = Verdict()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        if sum(i.file_size for i in archive.infolist()) > MAX_ARCHIVE_BYTES:
            verdict.problems.append(("(archive)", "Archive trop volumineuse."))
            return verdict
        contents = {name: archive.read(name) for name in names}
        manifest = json.loads(contents[MANIFEST])
        listed = [(str(f["name"]), str(f["sha256"])) for f in manifest["files"]]
    except (zipfile.BadZipFile, KeyError, TypeError, ValueError, EOFError):
        verdict.problems.append((MANIFEST, "Archive ZIP ou manifeste illisible."))
        return verdict
    for name, digest in listed:
        verdict.files_checked += 1
        if name not in contents:
            verdict.problems.append((name, "Fichier absent de l'archive."))
        elif hashlib.sha256(contents[name]).hexdigest() != digest:
            verdict.problems.append((name, "Empreinte SHA-256 différente du manifeste."))
    known = {name for name, _ in listed} | {MANIFEST}
    verdict.problems += [(name, "Fichier absent du manifeste.") for name in names if name not in known]
    verdict.problems += _chain_problems(contents, [n for n, _ in listed if n in contents])
    return verdict
