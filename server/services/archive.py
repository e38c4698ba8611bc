"""The yearly archive of a company (DOMAIN.md §4) and its offline verification.

One ZIP per fiscal year:
  journal/<register id>/<sequence>_<date>.json   every sealed link of the year: payload, prev_hash, hash
  periods/<register id>_<kind>_<start>.json      the monthly and annual closings: record and hash
  <SIREN>FEC<closing date>.txt                   the FEC of the year (services.export)
  manifest.json                                  company, fiscal year, and the SHA-256 of every other file

The ZIP is deterministic (fixed entry dates, sorted names): the same sealed year gives the same
bytes. ``verify_archive`` needs no database. In order, it checks: the manifest's hashes; each journal
file's hash recomputed from its payload and its link to the one before (a break names the EARLIER file:
its content no longer gives the hash the next link recorded); each period closing's hash, and the hash
its last sequence's journal file must have; the FEC, rebuilt from the latest payload of each day by the
export's own code and compared byte for byte. The first problem names the first altered file.

What it cannot see: a forger who rewrites a day after the last period closing, then the FEC and the
manifest to match (nothing in the archive records that day's hash), or who rewrites every later link and
closing. The outside witnesses are the SHA-256 of each export, kept by the database (export records and
audit trail) and given to the firm with the file.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain import GENESIS, InputError, UnbalancedEntryError, canonical_json, chain_hash
from domain.fec import fec_bytes, fiscal_year_end
from domain.ledger import ledger
from server.extensions import db
from server.models import Company, JournalEntry, PeriodClosing, Register
from server.services import export
from server.services.journal import period_record

MANIFEST = "manifest.json"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
FEC_NAME = re.compile(r"^[0-9]{9}FEC[0-9]{8}\.txt$")


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
        db.select(JournalEntry)
        .join(Register, Register.id == JournalEntry.register_id)
        .where(Register.company_id == company.id, JournalEntry.day_date.between(start, end))
        .order_by(JournalEntry.register_id, JournalEntry.sequence)
    ).scalars()
    return [
        (
            f"journal/{e.register_id}/{e.sequence:06d}_{e.day_date.isoformat()}.json",
            _json_bytes(
                {
                    "register_id": e.register_id,
                    "sequence": e.sequence,
                    "day_date": e.day_date.isoformat(),
                    "closed_at": e.closed_at.isoformat(timespec="seconds") + "Z",
                    "payload": e.payload,
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
            ),
        )
        for e in rows
    ]


def _period_files(company: Company, start: date, end: date) -> list[tuple[str, bytes]]:
    rows = db.session.execute(
        db.select(PeriodClosing)
        .join(Register, Register.id == PeriodClosing.register_id)
        .where(Register.company_id == company.id, PeriodClosing.period_start.between(start, end))
        .order_by(PeriodClosing.register_id, PeriodClosing.kind, PeriodClosing.period_start)
    ).scalars()
    return [
        (
            f"periods/{p.register_id}_{p.kind}_{p.period_start.isoformat()}.json",
            _json_bytes({"record": period_record(p), "hash": p.hash}),
        )
        for p in rows
    ]


def build_archive(company: Company, year: int) -> export.ExportFile:
    """The archive of the fiscal year starting in ``year``: 422 without SIREN, 409 while a day is open."""
    start, end = fiscal_year_bounds(company, year)
    fec = export.build_export(company, start, end, "fec")
    files = _journal_files(company, start, end) + _period_files(company, start, end) + [(fec.filename, fec.data)]
    manifest = {
        "format": "caisse-archive/1",
        "company": {"id": company.id, "name": company.name, "siren": company.siren},
        "fiscal_year": {"start": start.isoformat(), "end": end.isoformat()},
        "files": [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for name, data in files
        ],
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
        return {
            "ok": self.ok,
            "first_altered": self.first_altered,
            "files_checked": self.files_checked,
            "problems": [{"file": name, "reason": reason} for name, reason in self.problems],
        }


def _link_problems(
    contents: dict[str, bytes], names: list[str]
) -> tuple[list[tuple[str, str]], dict[tuple[Any, Any], tuple[str, str]], list[dict[str, Any]]]:
    """The journal files: each one's hash recomputed from its payload, and each link to the one before.

    When day n's content is changed and its hash recomputed, its own file is consistent, but the next
    file still records the old hash (its ``prev_hash``): the break shows between n and n+1. The file
    named is n, the EARLIER one: its recomputed hash no longer matches the hash recorded for it by the
    next link. (Editing a ``prev_hash`` alone changes no figure; a forger changes a day's content.)
    Also returns (register, sequence) → (file, hash) and the latest payload of each day, for the checks
    of the period closings and of the FEC."""
    problems: list[tuple[str, str]] = []
    previous: dict[Any, tuple[str, str, int]] = {}  # register → (file, hash, sequence) of its last link
    by_sequence: dict[tuple[Any, Any], tuple[str, str]] = {}
    latest: dict[tuple[Any, Any], tuple[int, dict[str, Any]]] = {}  # (register, date) → (sequence, payload)
    for name in names:
        if not name.startswith("journal/"):
            continue
        try:
            link = json.loads(contents[name])
            record = json.loads(link["payload"])
            register, sequence = link["register_id"], int(link["sequence"])
            before = previous.get(register)
            if canonical_json(record) != link["payload"] or chain_hash(link["prev_hash"], record) != link["hash"]:
                problems.append((name, "Empreinte de la journée recalculée différente."))
            elif before is not None and sequence != before[2] + 1:
                problems.append((name, f"Journée absente avant ce fichier (séquence {before[2] + 1} attendue)."))
            elif before is not None and before[1] != link["prev_hash"]:
                problems.append(
                    (
                        before[0],
                        f"Empreinte différente de celle que la journée suivante ({name}) "
                        "a enregistrée : contenu modifié et empreinte recalculée.",
                    )
                )
            previous[register] = (name, link["hash"], sequence)
            by_sequence[(register, sequence)] = (name, link["hash"])
            key = (register, link["day_date"])
            if key not in latest or latest[key][0] < sequence:
                latest[key] = (sequence, record)
        except (KeyError, TypeError, ValueError):
            problems.append((name, "Fichier de journal illisible."))
    return problems, by_sequence, [payload for _seq, payload in latest.values()]


def _period_problems(
    contents: dict[str, bytes], names: list[str], by_sequence: dict[tuple[Any, Any], tuple[str, str]]
) -> list[tuple[str, str]]:
    """Each period closing's own hash, then the journal file of its last sequence: that day's hash must be
    the one the closing recorded (a last day rewritten with its hash recomputed breaks no later link)."""
    problems: list[tuple[str, str]] = []
    for name in names:
        if not name.startswith("periods/"):
            continue
        try:
            closing = json.loads(contents[name])
            record = closing["record"]
            if chain_hash(record["last_hash"] or GENESIS, record) != closing["hash"]:
                problems.append((name, "Empreinte de la clôture recalculée différente."))
                continue
            if record["last_sequence"] is None:
                continue
            found = by_sequence.get((record["register_id"], int(record["last_sequence"])))
            if found is None:
                problems.append(
                    (
                        name,
                        f"La dernière journée de la clôture (séquence {record['last_sequence']}) "
                        "est absente de l'archive.",
                    )
                )
            elif found[1] != record["last_hash"]:
                problems.append(
                    (
                        found[0],
                        f"Empreinte différente de celle que la clôture ({name}) a enregistrée : "
                        "contenu modifié et empreinte recalculée.",
                    )
                )
        except (KeyError, TypeError, ValueError):
            problems.append((name, "Clôture illisible."))
    return problems


def _fec_problems(
    contents: dict[str, bytes], names: list[str], payloads: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    """The archive's FEC against the FEC rebuilt from the journal's payloads by the export's own code
    (domain.ledger + domain.fec with the export's defaults): the bytes must be equal. Payloads sealed
    before version 2 need the database to rebuild (services.export_source): then no offline comparison."""
    fecs = [n for n in names if FEC_NAME.match(n)]
    if not fecs or any(p.get("version") != 2 for p in payloads):
        return []
    try:
        postings = ledger(payloads)
        rebuilt = fec_bytes(postings, sep=export.FEC_SEP, encoding=export.FEC_ENCODING)
    except (InputError, UnbalancedEntryError, KeyError, TypeError, ValueError):
        return [(fecs[0], "FEC impossible à recalculer depuis les journées scellées de l'archive.")]
    problems = []
    for name in fecs:
        if contents[name] != rebuilt:
            stored, fresh = contents[name].split(b"\r\n"), rebuilt.split(b"\r\n")
            line = next(
                (i for i, (a, b) in enumerate(zip(stored, fresh, strict=False)) if a != b), min(len(stored), len(fresh))
            )
            problems.append(
                (
                    name,
                    f"FEC différent de celui recalculé depuis les journées scellées "
                    f"(première différence ligne {line + 1}).",
                )
            )
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
    present = [n for n, _ in listed if n in contents]
    problems, by_sequence, payloads = _link_problems(contents, present)
    problems += _period_problems(contents, present, by_sequence)
    problems += _fec_problems(contents, present, payloads)
    for problem in problems:  # one file may be named by its chain and by a closing: the first reason is kept
        if problem[0] not in {p[0] for p in verdict.problems}:
            verdict.problems.append(problem)
    return verdict
