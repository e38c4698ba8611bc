"""Till link command: `flask --app server import-z FILE --company ID [--dry-run] [--valid-only]`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

STATUS = {"applied": "enregistrée", "duplicate": "déjà reçue", "valid": "valide", "error": "erreur"}


def _lines(n: int, what: str) -> str:
    plural = "s" if n > 1 else ""
    return f"{n} ligne{plural} {what}{plural if what == 'valide' else ''}"


@click.command("import-z")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--company", "company_id", type=int, required=True, help="La société (id).")
@click.option("--register", "register_id", type=int, default=None, help="La caisse des lignes sans colonne register.")
@click.option("--map", "mapping", multiple=True, help="Correspondance « en-tête=champ », répétable "
                                                      "(champ : register, date, z_number, sales_count, "
                                                      "sales:CODE, payments:CODE, ignore).")
@click.option("--dry-run", is_flag=True, help="Vérifier chaque ligne sans rien enregistrer.")
@click.option("--valid-only", is_flag=True, help="Enregistrer les lignes valides même si d'autres sont en erreur.")
@with_appcontext
def import_z_command(file: Path, company_id: int, register_id: int | None, mapping: tuple[str, ...],
                     dry_run: bool, valid_only: bool) -> None:
    """Import a CSV of Z reports (docs/z-reports-sample.csv) through the till's own write path; print the
    verdict of every row with its line number; exit 1 when a row is wrong or nothing was saved."""
    from server.errors import ApiError
    from server.extensions import db
    from server.models import Company
    from server.services import z_import

    company = db.session.get(Company, company_id) if 0 < company_id < 2**31 else None
    if company is None:
        raise click.UsageError(f"Société {company_id} introuvable.")
    pairs = dict(item.split("=", 1) for item in mapping if "=" in item)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = file.read_text(encoding="iso-8859-15")
    try:
        result = z_import.run(company, None, text, pairs, register_id=register_id, dry_run=dry_run,
                              valid_only=valid_only)
    except ApiError as exc:
        raise click.ClickException(f"{exc.message} {json.dumps(exc.errors, ensure_ascii=False)}") from exc
    for row in result["rows"]:
        problems = " ; ".join(f"{field} : {' '.join(messages)}" for field, messages in row["errors"].items())
        click.echo(f"ligne {row['line']} : {STATUS[row['status']]}" + (f" — {problems}" if problems else ""))
    nothing = "essai, rien n'est enregistré" if dry_run else "rien n'est enregistré"
    verdict = "enregistré" if result["saved"] else nothing
    click.echo(f"{_lines(result['valid'], 'valide')}, {_lines(result['invalid'], 'en erreur')} : {verdict}.")
    if result["invalid"] or not (result["saved"] or dry_run):
        raise SystemExit(1)


def register_till_cli(app: Flask) -> None:
    app.cli.add_command(import_z_command)
