"""`flask collab ...` commands: demo data, create an admin, compact documents."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

collab_cli = AppGroup("collab", help="Collab administration commands.")


@collab_cli.command("demo")
def demo_command() -> None:
    """Load the demo Maths Hub, Work Group, people and sessions (only into an empty database)."""
    from collab.demo.load import load_demo
    created = load_demo()
    click.echo("Demo data loaded." if created else "Demo data already present; nothing changed.")


@collab_cli.command("compact")
@click.option("--document", "document_id", type=int, default=None, help="Only this shared document.")
@click.option("--min-updates", type=int, default=1, help="Skip documents with fewer logged updates.")
def compact_command(document_id: int | None, min_updates: int) -> None:
    """Fold shared documents' update logs into snapshots (safe while the server runs)."""
    from collab.realtime.doclog import compact, compact_all
    done = {document_id: compact(document_id)} if document_id else compact_all(min_updates)
    click.echo(f"Compacted {len(done)} document(s), {sum(done.values())} update(s) folded in.")


@collab_cli.command("purge-expired")
def purge_expired_command() -> None:
    """Delete the observation records of visits past the retention period a lead set."""
    from collab.observations.retention.deletion import purge_expired
    done = purge_expired()
    click.echo(f"Deleted the records of {len(done)} visit(s).")


@collab_cli.command("send-digests")
def send_digests_command() -> None:
    """Email each person who chose a daily digest the notifications they have not had yet."""
    from collab.devplans.notifications.services import send_digests
    click.echo(f"Sent {send_digests()} digest(s).")


def register_commands(app: Flask) -> None:
    app.cli.add_command(collab_cli)
