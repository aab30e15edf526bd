"""`flask collab ...` commands: demo data, create an admin, compact documents, prune the access change log, backup
and restore."""

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


@collab_cli.command("prune-access-changes")
def prune_access_changes_command() -> None:
    """Delete access_change rows older than COLLAB_ACCESS_CHANGE_KEEP_MINUTES (safe while the server runs; each
    server process also prunes every few minutes while it has connections)."""
    from collab.realtime.access import prune
    click.echo(f"Deleted {prune()} access change(s).")


@collab_cli.command("backup")
@click.option("--to", "to", type=click.Path(file_okay=False), default="backups", show_default=True,
              help="Directory to put the new timestamped backup in.")
@click.option("--with-secret-key", is_flag=True,
              help="Also copy instance/secret_key. Off by default: whoever has the key can forge sign-in "
                   "cookies, so keep it apart from backups that travel; without it, restoring signs everyone out.")
def backup_command(to: str, with_secret_key: bool) -> None:
    """Back up the database (consistent while the server runs), the uploads and a manifest."""
    from pathlib import Path

    from flask import current_app

    from collab.ops.backup import BackupError, backup
    try:
        where = backup(current_app._get_current_object(), Path(to), with_secret_key)  # type: ignore[attr-defined]
    except BackupError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Backup written to {where}")


@collab_cli.command("restore")
@click.argument("path", type=click.Path(exists=True))
@click.option("--yes", is_flag=True, help="Overwrite the database and uploads (without it: say what would change).")
def restore_command(path: str, yes: bool) -> None:
    """Restore a backup made by `flask collab backup` (SQLite: stop the server first)."""
    from pathlib import Path

    from flask import current_app

    from collab.ops.backup import BackupError, check, read_manifest, restore
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        manifest = read_manifest(Path(path))
        overwrites = check(app, manifest)
        if not yes:
            click.echo(f"Backup of {manifest.data.get('created_at')} ({manifest.database}, revision "
                       f"{manifest.revision}) checked. Restoring it would overwrite:")
            for item in overwrites:
                click.echo(f"  - {item}")
            raise click.ClickException("Nothing changed: run again with --yes to restore.")
        revision = restore(app, manifest)
    except BackupError as e:
        raise click.ClickException(f"{e} Nothing changed.") from e
    click.echo(f"Restored {manifest.path} (database at revision {revision}).")


def register_commands(app: Flask) -> None:
    app.cli.add_command(collab_cli)
