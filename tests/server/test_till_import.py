"""CSV import of Z reports (issue 15): per-row verdicts with line numbers, all or nothing unless asked, dry runs,
the same verdicts from the admin endpoint and from `flask --app server import-z`."""

from __future__ import annotations

from pathlib import Path

from server.extensions import db
from server.models import Day, ZReport
from tests.server.test_till_link import set_codes, till_url

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "z-reports-sample.csv"
MIXED = """caisse;jour;numero_z;nb_ventes;ventes:PAIN;ventes:SNACK;paiements:ESP;paiements:CB
Boutique;14/03/2025;0412;150;633,00;220,00;400,00;453,00
Boutique;15/03/2025;0413;12;10.5;;10,50;
Boutique;16/03/2025;0414;3;12,345;;12;
Marché du samedi;14/03/2025;0415;3;12;;12;
Boutique;18/03/2025;0416;3;12;;12;
Atelier;19/03/2025;0417;3;12;;12;
"""


def saved() -> list[tuple[str, str]]:
    return [
        (r.date.isoformat(), r.z_number) for r in db.session.execute(db.select(ZReport).order_by(ZReport.id)).scalars()
    ]


def test_the_sample_csv_imports_and_a_second_import_is_a_duplicate(app, auth, demo):
    admin = auth("gerant@demo.test")
    set_codes(admin, demo)
    body = {"csv": SAMPLE.read_text(encoding="utf-8")}
    r = admin.post(till_url(demo) + "/imports", json=body)
    assert r.status_code == 200, r.json
    assert r.json["saved"] is True and r.json["valid"] == 2 and r.json["invalid"] == 0
    assert [(row["line"], row["status"]) for row in r.json["rows"]] == [(2, "applied"), (3, "applied")]
    day = admin.get(f"/api/companies/{demo['bakery']}/registers/{demo['bakery_registers'][0]}/days/2025-03-14").json
    assert day["totals"]["sales_ttc"] == "973.00" and day["till"] == {
        "z_number": "0412",
        "origin": "csv",
        "locked": True,
    }
    again = admin.post(till_url(demo) + "/imports", json=body).json
    assert [row["status"] for row in again["rows"]] == ["duplicate", "duplicate"]


def test_mixed_rows_import_nothing_unless_the_valid_ones_are_asked_for(app, auth, demo):
    admin = auth("gerant@demo.test")
    set_codes(admin, demo)
    r = admin.post(till_url(demo) + "/imports", json={"csv": MIXED})
    assert r.status_code == 200 and r.json["saved"] is False
    verdicts = {row["line"]: (row["status"], sorted(row["errors"])) for row in r.json["rows"]}
    assert verdicts == {
        2: ("valid", []),
        3: ("valid", []),
        4: ("error", ["sales.0.amount"]),  # three decimals
        5: ("error", ["date"]),  # the market opens on Saturdays only
        6: ("valid", []),
        7: ("error", ["register"]),  # no such register
    }
    with app.app_context():
        assert saved() == [] and db.session.execute(db.select(Day)).first() is None

    dry = admin.post(till_url(demo) + "/imports", json={"csv": MIXED, "valid_only": True, "dry_run": True}).json
    assert dry["saved"] is False and dry["valid"] == 3
    with app.app_context():
        assert saved() == []

    kept = admin.post(till_url(demo) + "/imports", json={"csv": MIXED, "valid_only": True}).json
    assert kept["saved"] is True and (kept["valid"], kept["invalid"]) == (3, 3)
    with app.app_context():
        assert saved() == [("2025-03-14", "0412"), ("2025-03-15", "0413"), ("2025-03-18", "0416")]


def test_the_preview_shows_the_mapping_and_the_rows_and_saves_nothing(app, auth, demo):
    admin = auth("gerant@demo.test")
    r = admin.post(till_url(demo) + "/imports/preview", json={"csv": MIXED, "mapping": {"nb_ventes": "ignore"}})
    assert r.status_code == 200
    assert r.json["mapping"]["caisse"] == "register" and r.json["mapping"]["ventes:PAIN"] == "sales:PAIN"
    assert r.json["mapping"]["nb_ventes"] == "ignore"
    first = r.json["rows"][0]
    assert first["line"] == 2 and first["report"]["date"] == "2025-03-14"
    assert first["report"]["sales"] == [{"code": "PAIN", "amount": "633.00"}, {"code": "SNACK", "amount": "220.00"}]
    bad = admin.post(till_url(demo) + "/imports/preview", json={"csv": MIXED, "mapping": {"jour": "when"}})
    assert bad.status_code == 422 and "mapping" in bad.json["errors"]
    assert auth("caisse@demo.test").post(till_url(demo) + "/imports", json={"csv": MIXED}).status_code == 403
    with app.app_context():
        assert saved() == []


def test_the_cli_imports_all_or_nothing_and_valid_only(app, auth, demo, tmp_path):
    set_codes(auth("gerant@demo.test"), demo)
    path = tmp_path / "z.csv"
    path.write_text(MIXED, encoding="utf-8")
    runner = app.test_cli_runner()
    company = str(demo["bakery"])
    result = runner.invoke(args=["import-z", str(path), "--company", company])
    assert result.exit_code == 1 and "ligne 4 : erreur — sales.0.amount" in result.output
    assert "3 lignes valides, 3 lignes en erreur : rien n'est enregistré." in result.output
    with app.app_context():
        assert saved() == []
    result = runner.invoke(args=["import-z", str(SAMPLE), "--company", company, "--dry-run"])
    assert result.exit_code == 0 and "essai" in result.output
    with app.app_context():
        assert saved() == []
    result = runner.invoke(args=["import-z", str(path), "--company", company, "--valid-only"])
    assert "enregistré." in result.output and result.exit_code == 1  # saved, but rows were wrong
    with app.app_context():
        assert len(saved()) == 3


UNMAPPED = """date;numero_z;nb_ventes;Rayon pain;Especes;Note
14/03/2025;0412;150;633,00;633,00;
15/03/2025;0413;12;10,00;10,00;rien à signaler
"""


def test_amount_columns_left_unmapped_are_listed_as_ignored_and_the_rows_refused(app, auth, demo):
    admin = auth("gerant@demo.test")
    set_codes(admin, demo)
    body = {"csv": UNMAPPED, "register_id": demo["bakery_registers"][0]}
    preview = admin.post(till_url(demo) + "/imports/preview", json=body).json
    assert preview["mapping"]["Rayon pain"] == "ignore"
    assert preview["ignored"] == ["Rayon pain", "Especes", "Note"]
    r = admin.post(till_url(demo) + "/imports", json=body)
    assert r.status_code == 200 and r.json["saved"] is False and (r.json["valid"], r.json["invalid"]) == (0, 2)
    assert r.json["ignored"] == ["Rayon pain", "Especes", "Note"]
    line2 = r.json["rows"][0]
    assert line2["line"] == 2 and line2["status"] == "error" and list(line2["errors"]) == ["sales"]
    assert (
        "sans vente ni paiement" in line2["errors"]["sales"][0] and "Rayon pain, Especes" in line2["errors"]["sales"][0]
    )
    kept = admin.post(till_url(demo) + "/imports", json={**body, "valid_only": True}).json
    assert kept["valid"] == 0 and kept["saved"] is False
    with app.app_context():
        assert saved() == [] and db.session.execute(db.select(Day)).first() is None

    mapped = admin.post(
        till_url(demo) + "/imports", json={**body, "mapping": {"Rayon pain": "sales:PAIN", "Especes": "payments:ESP"}}
    ).json
    assert mapped["saved"] is True and mapped["ignored"] == ["Note"]
    assert [row["status"] for row in mapped["rows"]] == ["applied", "applied"]
    day = admin.get(f"/api/companies/{demo['bakery']}/registers/{demo['bakery_registers'][0]}/days/2025-03-14").json
    assert day["totals"]["sales_ttc"] == "633.00" and day["totals"]["payments_total"] == "633.00"


def test_the_cli_maps_columns_with_map_and_reads_an_iso_8859_15_file(app, auth, demo, tmp_path):
    set_codes(auth("gerant@demo.test"), demo)
    path = tmp_path / "z-latin.csv"
    path.write_bytes(
        "caisse;date;numero_z;nb_ventes;Rayon pain;Espèces;Remarque\n"
        "Marché du samedi;15/03/2025;0420;40;250,50;250,50;Été €\n".encode("iso-8859-15")
    )
    runner = app.test_cli_runner()
    company = str(demo["bakery"])
    unmapped = runner.invoke(args=["import-z", str(path), "--company", company])
    assert unmapped.exit_code == 1 and "ligne 2 : erreur — sales : Ligne sans vente ni paiement" in unmapped.output
    assert "Colonnes ignorées : Rayon pain, Espèces, Remarque." in unmapped.output  # accents read back
    with app.app_context():
        assert saved() == []
    mapped = runner.invoke(
        args=[
            "import-z",
            str(path),
            "--company",
            company,
            "--map",
            "Rayon pain=sales:PAIN",
            "--map",
            "Espèces=payments:ESP",
        ]
    )
    assert mapped.exit_code == 0, mapped.output
    assert (
        "ligne 2 : enregistrée" in mapped.output and "1 ligne valide, 0 ligne en erreur : enregistré." in mapped.output
    )
    with app.app_context():
        assert saved() == [("2025-03-15", "0420")]
        day = db.session.execute(db.select(Day)).scalar_one()
        assert day.register_id == demo["bakery_registers"][1] and day.sales_count == 40
