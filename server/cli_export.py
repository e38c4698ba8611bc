"""Export commands: `flask --app server archive verify FILE` checks a yearly archive offline."""

from __future__ import annotations

import pathlib

import click
from flask import Flask


@click.group("archive")
def archive_group() -> None:
    """Archives annuelles (journées scellées, clôtures, FEC, manifeste)."""


@archive_group.command("verify")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path))
def verify_command(path: pathlib.Path) -> None:
    """Check an archive without the database; exit 1 naming the first altered file."""
    from server.services.archive import verify_archive

    verdict = verify_archive(path.read_bytes())
    if not verdict.ok:
        name, reason = verdict.problems[0]
        click.echo(f"Archive altérée : premier fichier altéré {name} ({reason})", err=True)
        for other, why in verdict.problems[1:]:
            click.echo(f"  puis : {other} ({why})", err=True)
        raise SystemExit(1)
    click.echo(f"Archive intègre ({verdict.files_checked} fichiers vérifiés)")


def register_export_cli(app: Flask) -> None:
    app.cli.add_command(archive_group)
