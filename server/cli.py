"""Command-line tools: `flask --app server seed-demo`, `verify-journal`, `create-firm-admin`."""

from __future__ import annotations

import click
from flask import Flask


def register_cli(app: Flask) -> None:
    from server.cli_backup import register_backup_cli
    from server.cli_export import register_export_cli
    from server.cli_journal import register_journal_cli
    from server.cli_reports import register_reports_cli
    from server.cli_till import register_till_cli

    register_journal_cli(app)
    register_export_cli(app)
    register_backup_cli(app)
    register_till_cli(app)
    register_reports_cli(app)

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Create the demo firm, companies, users and history (once; a second run adds nothing)."""
        from server.demo.seed import seed

        created = seed()
        click.echo("Données de démonstration créées." if created else "Données de démonstration déjà présentes.")

    @app.cli.command("create-firm-admin")
    @click.option("--firm", "firm_name", required=True)
    @click.option("--email", required=True)
    @click.password_option()
    def create_firm_admin(firm_name: str, email: str, password: str) -> None:
        """Create a firm and its first administrator."""
        from server.extensions import db
        from server.models import Firm, Membership, User
        from server.services import uow
        from server.services.passwords import hash_secret

        def work(unit: uow.Work) -> tuple[Firm, User]:
            firm = Firm(name=firm_name)
            user = User(email=email.lower(), name=email, password_hash=hash_secret(password))
            db.session.add_all([firm, user])
            db.session.flush()
            db.session.add(Membership(user_id=user.id, firm_id=firm.id, role="firm_admin"))
            unit.record("create", "membership", user.id, user_id=user.id,
                        after={"email": user.email, "role": "firm_admin", "firm_id": firm.id})
            return firm, user

        firm, user = uow.run(work, device_id="cli")
        click.echo(f"Cabinet {firm.id} et administrateur {user.email} créés.")
