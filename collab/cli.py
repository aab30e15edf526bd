"""`flask collab ...` commands: demo data, create an admin, compact documents."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

collab_cli = AppGroup("collab", help="Collab administration commands.")


@collab_cli.command("demo")
def demo_command() -> None:
    """Load the demo Maths Hub, Work Group, people and sessions (only into an empty database)."""
    from collab.demo import load_demo
    created = load_demo()
    click.echo("Demo data loaded." if created else "Demo data already present; nothing changed.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(collab_cli)
