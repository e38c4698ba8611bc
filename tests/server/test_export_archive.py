"""The yearly archive: built from sealed days, verified offline (command and endpoint), the first altered
file named; and the firm admin's one-ZIP export of every company."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from typing import Any

import pytest

from server.cli_export import verify_command
from server.extensions import db
from server.models import ExportRecord, Register
from server.services.archive import verify_archive, zip_bytes
from server.services.closing import close_period
from tests.server.test_days_api import close_balanced, day_url

DAYS = ["2025-03-13", "2025-03-14", "2025-04-01"]


@pytest.fixture
def year(auth, demo, app) -> Any:
    """Three closed days of 2025 and the closing of March: the bakery's fiscal year 2025 (calendar year)."""
    admin = auth("gerant@demo.test")
    for on in DAYS:
        assert close_balanced(admin, day_url(demo, on), demo).status_code == 200
    with app.app_context():
        close_period(
            db.session.get(Register, demo["bakery_registers"][0]), "month", date(2025, 3, 1), today=date(2026, 1, 1)
        )
        db.session.commit()
    return admin


def archive_of(client: Any, demo: dict[str, Any]) -> bytes:
    r = client.get(f"/api/companies/{demo['bakery']}/exports/archive?year=2025")
    assert r.status_code == 200, r.json
    return r.data


def rewritten(data: bytes, name: str, change: Any, fix_manifest: bool = False) -> bytes:
    """The archive with one file changed (and, if asked, the manifest updated to match, as a forger would)."""
    import hashlib

    source = zipfile.ZipFile(io.BytesIO(data))
    files = {n: source.read(n) for n in source.namelist()}
    files[name] = change(files[name])
    if fix_manifest:
        manifest = json.loads(files["manifest.json"])
        for item in manifest["files"]:
            item["sha256"] = hashlib.sha256(files[item["name"]]).hexdigest()
        files["manifest.json"] = json.dumps(manifest).encode()
    return zip_bytes(files.items())


def test_the_archive_holds_journal_periods_fec_and_a_manifest_and_verifies(year, demo, app):
    data = archive_of(year, demo)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names[0] == "manifest.json" and "732829320FEC20251231.txt" in names
    assert [n for n in names if n.startswith("journal/")] == [
        f"journal/{demo['bakery_registers'][0]}/{i:06d}_{d}.json" for i, d in enumerate(DAYS, start=1)
    ]
    assert [n for n in names if n.startswith("periods/")] == [
        f"periods/{demo['bakery_registers'][0]}_month_2025-03-01.json"
    ]
    verdict = verify_archive(data)
    assert verdict.ok and verdict.files_checked == len(names) - 1
    assert archive_of(year, demo) == data  # deterministic: the same sealed year, the same bytes
    with app.app_context():
        assert db.session.execute(db.select(ExportRecord.format)).scalars().all() == ["archive", "archive"]


def test_an_altered_file_is_named_first(year, demo):
    data = archive_of(year, demo)
    second = f"journal/{demo['bakery_registers'][0]}/000002_2025-03-14.json"
    fec = "732829320FEC20251231.txt"
    tampered = rewritten(
        rewritten(data, fec, lambda b: b.replace(b"100,00", b"190,00")), second, lambda b: b.replace(b"10000", b"19000")
    )
    verdict = verify_archive(tampered)
    assert not verdict.ok and verdict.first_altered == second
    assert {p[0] for p in verdict.problems} == {second, fec}


def test_a_forger_who_rewrites_the_manifest_is_caught_by_the_chain(year, demo):
    data = archive_of(year, demo)
    first = f"journal/{demo['bakery_registers'][0]}/000001_2025-03-13.json"
    verdict = verify_archive(rewritten(data, first, lambda b: b.replace(b"10000", b"19000"), fix_manifest=True))
    assert verdict.first_altered == first and "Empreinte" in verdict.problems[0][1]
    period = f"periods/{demo['bakery_registers'][0]}_month_2025-03-01.json"
    verdict = verify_archive(
        rewritten(data, period, lambda b: b.replace(b'"total_ttc": 20000', b'"total_ttc": 1'), fix_manifest=True)
    )
    assert verdict.first_altered == period


def test_missing_extra_and_unreadable(year, demo):
    data = archive_of(year, demo)
    files = dict((n, zipfile.ZipFile(io.BytesIO(data)).read(n)) for n in zipfile.ZipFile(io.BytesIO(data)).namelist())
    fec = "732829320FEC20251231.txt"
    without = zip_bytes([(n, b) for n, b in files.items() if n != fec] + [("extra.txt", b"x")])
    verdict = verify_archive(without)
    assert [p[0] for p in verdict.problems] == [fec, "extra.txt"]
    assert verify_archive(b"not a zip").first_altered == "manifest.json"


def test_the_command_and_the_endpoint_verify_offline(year, demo, app, tmp_path):
    data = archive_of(year, demo)
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    good.write_bytes(data)
    second = f"journal/{demo['bakery_registers'][0]}/000002_2025-03-14.json"
    bad.write_bytes(rewritten(data, second, lambda b: b.replace(b"10000", b"10001")))
    runner = app.test_cli_runner()
    result = runner.invoke(verify_command, [str(good)])
    assert result.exit_code == 0 and "Archive intègre" in result.output
    result = runner.invoke(verify_command, [str(bad)])
    assert result.exit_code == 1 and second in result.output
    url = f"/api/companies/{demo['bakery']}/exports/archive/verify"
    r = year.post(url, data=bad.read_bytes(), content_type="application/zip")
    assert r.status_code == 200 and r.json["ok"] is False and r.json["first_altered"] == second
    assert year.post(url, data=data, content_type="application/zip").json["ok"] is True


def test_an_archive_needs_every_day_of_the_year_closed(year, demo):
    year.put(day_url(demo, "2025-06-03"), json={"base_revision": 0, "z_number": "7"})
    r = year.get(f"/api/companies/{demo['bakery']}/exports/archive?year=2025")
    assert r.status_code == 409 and r.json["open_days"] == [{"register": "Boutique", "date": "2025-06-03"}]
    assert year.get(f"/api/companies/{demo['bakery']}/exports/archive?year=1e9").status_code == 422


def test_the_firm_admin_exports_every_company_in_one_zip(year, demo, auth, app):
    cafe = auth("cafe@demo.test")
    cafe.put(day_url(demo, "2025-03-14", company="cafe"), json={"base_revision": 0, "z_number": "1"})
    firm = auth("cabinet@demo.test")
    r = firm.get("/api/firm/exports?from=2025-03-01&to=2025-03-31")
    assert r.status_code == 200, r.json
    archive = zipfile.ZipFile(io.BytesIO(r.data))
    names = archive.namelist()
    assert names == [f"{demo['bakery']}_732829320FEC20251231.txt", "ANOMALIES.txt"]
    assert (
        "Café des Arts" in archive.read("ANOMALIES.txt").decode()
        and "14/03/2025" in archive.read("ANOMALIES.txt").decode()
    )
    assert len(archive.read(names[0]).decode("iso-8859-15").splitlines()) > 1
    assert auth("gerant@demo.test").get("/api/firm/exports?from=2025-03-01&to=2025-03-31").status_code == 403
    assert firm.get("/api/firm/exports?from=2025-03-31&to=2025-03-01").status_code == 422
    with app.app_context():
        assert db.session.execute(db.select(ExportRecord.company_id)).scalars().all() == [demo["bakery"]]


# -- forgers who recompute a day's hash and the manifest ------------------------------------------------------


def forged(data: bytes, name: str, change: Any) -> bytes:
    """The archive with one day's sealed payload changed, its hash recomputed and the manifest updated."""
    from domain import canonical_json, chain_hash

    def rewrite(raw: bytes) -> bytes:
        link = json.loads(raw)
        record = json.loads(link["payload"])
        change(record)
        link["payload"] = canonical_json(record)
        link["hash"] = chain_hash(link["prev_hash"], record)
        return (json.dumps(link, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()

    return rewritten(data, name, rewrite, fix_manifest=True)


def less_cash(record: dict[str, Any]) -> None:
    """Ten euros of cash sales made to disappear: the sale, its payment and the count (a balanced lie)."""
    day = record["input"]["day"]
    day["sales"][0]["amount"] -= 1000
    day["payments"][0]["amount"] -= 1000
    day["counts"][0]["amount"] -= 1000


def journal_name(demo: dict[str, Any], sequence: int) -> str:
    return f"journal/{demo['bakery_registers'][0]}/{sequence:06d}_{DAYS[sequence - 1]}.json"


def test_a_rehashed_last_day_is_named_by_its_period_closing(year, demo, app):
    with app.app_context():
        close_period(
            db.session.get(Register, demo["bakery_registers"][0]), "month", date(2025, 4, 1), today=date(2026, 1, 1)
        )
        db.session.commit()
    data = archive_of(year, demo)
    assert verify_archive(data).ok
    last = journal_name(demo, 3)
    verdict = verify_archive(forged(data, last, less_cash))
    assert verdict.first_altered == last, verdict.problems
    assert "clôture" in verdict.problems[0][1]
    # the FEC, left as it was, no longer matches the rebuilt one either
    assert "732829320FEC20251231.txt" in [p[0] for p in verdict.problems]


def test_a_rehashed_last_day_outside_any_closing_is_caught_by_the_rebuilt_fec(year, demo):
    """Nothing in the archive records the hash of a day after the last closing: the FEC, rebuilt from the
    payloads, is what differs (DOCS: the export record's SHA-256 in the database is the outside witness)."""
    verdict = verify_archive(forged(archive_of(year, demo), journal_name(demo, 3), less_cash))
    assert not verdict.ok and verdict.first_altered == "732829320FEC20251231.txt"
    assert "recalculé" in verdict.problems[0][1]


def test_a_rehashed_middle_day_is_named_not_the_next_one(year, demo):
    data = archive_of(year, demo)
    middle, after = journal_name(demo, 2), journal_name(demo, 3)
    verdict = verify_archive(forged(data, middle, less_cash))
    assert verdict.first_altered == middle, verdict.problems
    assert after in verdict.problems[0][1]  # the reason says which link recorded the old hash
    assert after not in [p[0] for p in verdict.problems]
    # the first day, rehashed: named too (the second day's prev_hash recorded its old hash)
    first = journal_name(demo, 1)
    assert verify_archive(forged(data, first, less_cash)).first_altered == first


def test_a_rewritten_fec_with_its_manifest_is_caught(year, demo):
    data = archive_of(year, demo)
    fec = "732829320FEC20251231.txt"
    verdict = verify_archive(rewritten(data, fec, lambda b: b.replace(b"100,00", b"90,00"), fix_manifest=True))
    assert not verdict.ok and verdict.first_altered == fec and len(verdict.problems) == 1
    assert "ligne 2" in verdict.problems[0][1]
    # an added line at the end is a difference too
    verdict = verify_archive(rewritten(data, fec, lambda b: b + b"CA\tCaisse\t99\r\n", fix_manifest=True))
    assert verdict.first_altered == fec
