"""`flask --app server backup` and `flask --app server restore FILE`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext


@click.command("backup")
@click.option("--dir", "directory", default=None, help="Dossier des sauvegardes (défaut : instance/backups).")
@click.option("--keep", default=None, type=int, help="Nombre de sauvegardes gardées (défaut : BACKUP_KEEP).")
@with_appcontext
def backup_command(directory: str | None, keep: int | None) -> None:
    """Back up the database (consistent while the server writes) and keep the most recent ones."""
    from server.backup import backup_dir, make_backup

    config = current_app.config
    target = make_backup(backup_dir(current_app.instance_path, directory or config.get("BACKUP_DIR")),
                         keep if keep is not None else int(config["BACKUP_KEEP"]))
    click.echo(f"Sauvegarde écrite : {target}")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Ne pas demander de confirmation.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database with a backup (stop the server first); every device then downloads again."""
    from server.backup import backup_dir, restore

    if not yes:
        click.confirm("Remplacer toute la base par cette sauvegarde ?", abort=True)
    safety = restore(file, backup_dir(current_app.instance_path, current_app.config.get("BACKUP_DIR")))
    if safety:
        click.echo(f"Copie de la base remplacée : {safety}")
    click.echo(f"Base restaurée depuis {file}. Les appareils vont tout retélécharger puis renvoyer leurs saisies.")


def register_backup_cli(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
