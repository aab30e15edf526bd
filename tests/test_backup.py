"""`flask collab backup` / `restore`: a backup taken while a teacher edits holds every edit acknowledged before it
started, restores into a new place and passes the migration check; restore refuses without --yes and on a
damaged backup, changing nothing."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import threading
import time
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import stamp
from pycrdt import Text
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from collab import create_app
from collab.extensions import Base, db
from collab.ops.backup import MANIFEST, _script
from tests import factories
from tests.conftest import make_test_config
from tests.realtime.client import RealtimeClient
from tests.realtime.server import SECRET, ServerProcess, serving_a_plan, setup_app

FAST_UPDATES = {"COLLAB_MAX_UPDATES_PER_SECOND": "100000"}


def _app(url: str, uploads: Path):
    return create_app(make_test_config(SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=SECRET,
                                       COLLAB_UPLOAD_DIR=str(uploads)))


def _stamp_head(url: str) -> None:
    """The test databases are built by create_all; stamp them as migrations would have left them."""
    app = _app(url, Path("/nonexistent"))
    with app.app_context():
        stamp()
        db.session.remove()
        db.engine.dispose()


def _not_full_text(obj, name, type_, reflected, compare_to) -> bool:
    return not (name or "").startswith("search_fts")


def _edit_through_a_backup(server: ServerProcess, room: str, backup_app, to: Path) -> tuple[list[int], Path]:
    """One client appends "[1]", "[2]", ... (each waiting for its ack) while the CLI takes a backup.
    Returns the edits acknowledged before the backup started, and the backup's path."""
    client = RealtimeClient(server.url, room)
    assert client.sign_in("lead@example.org", factories.PASSWORD)
    client.connect()
    assert client.join()["ok"]
    acked: list[int] = []
    failures: list[object] = []
    stop = threading.Event()

    def edit_continuously() -> None:
        n = 0
        while not stop.is_set():
            n += 1

            def append(doc, n=n) -> None:
                body = doc.get("text", type=Text)
                body.insert(len(body), f"[{n}]")

            ack = client.edit(append)
            if ack != {"ok": True}:
                failures.append(ack)
                return
            acked.append(n)

    editor = threading.Thread(target=edit_continuously, daemon=True)
    editor.start()
    try:
        deadline = time.monotonic() + 10
        while len(acked) < 30 and time.monotonic() < deadline and not failures:
            time.sleep(0.01)
        before = list(acked)  # every one of these was acknowledged before the backup starts
        result = backup_app.test_cli_runner().invoke(args=["collab", "backup", "--to", str(to)])
        assert result.exit_code == 0, result.output
        during = len(acked)
        deadline = time.monotonic() + 5
        while len(acked) < during + 10 and time.monotonic() < deadline and not failures:
            time.sleep(0.01)
    finally:
        stop.set()
        editor.join(timeout=15)
        client.disconnect()
    assert not failures, failures
    assert len(before) >= 30 and len(acked) > len(before)  # edits went on during and after the backup
    match = re.search(r"Backup written to (\S+)", result.output)
    assert match, result.output
    return before, Path(match.group(1))


def _check_restored(app, room: str, before: list[int]) -> None:
    from collab.plans.models import LessonPlan
    from collab.plans.services import document_doc

    with app.app_context():
        plan = db.session.get(LessonPlan, int(room.split(":")[1]))
        assert plan is not None
        body = str(document_doc(plan.document_id).get("text", type=Text))
        restored = [int(n) for n in re.findall(r"\[(\d+)\]", body)]
        assert restored == list(range(1, len(restored) + 1))  # whole edits, in order, none twice
        assert set(before) <= set(restored)
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == \
                _script(app).get_current_head()
            context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                             "include_object": _not_full_text})
            assert compare_metadata(context, Base.metadata) == []
        db.session.remove()
        db.engine.dispose()


def _photo(uploads: Path) -> Path:
    photo = uploads / "observations" / "1" / "work.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8 pupils' work \xff\xd9")
    return photo


@pytest.mark.slow
def test_sqlite_backup_during_editing_restores_every_acknowledged_edit(tmp_path):
    uploads = tmp_path / "uploads"
    photo = _photo(uploads)
    with serving_a_plan(tmp_path, "Backed-up plan", env=FAST_UPDATES) as (server, room):
        url = f"sqlite:///{tmp_path / 'plan.sqlite'}"
        _stamp_head(url)
        live = _app(url, uploads)
        before, backup = _edit_through_a_backup(server, room, live, tmp_path / "backups")
        # over the running server's own database: refused before anything is touched
        result = live.test_cli_runner().invoke(args=["collab", "restore", str(backup), "--yes"])
        assert result.exit_code != 0 and "stop the server first" in result.output, result.output
    manifest = json.loads((backup / MANIFEST).read_text())
    assert manifest["database"] == "sqlite" and manifest["revision"]
    assert set(manifest["files"]) == {"database.sqlite", "uploads.tar.gz"}  # no secret key unless asked
    restored = _app(f"sqlite:///{tmp_path / 'elsewhere' / 'restored.sqlite'}", tmp_path / "restored-uploads")
    result = restored.test_cli_runner().invoke(args=["collab", "restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    _check_restored(restored, room, before)
    assert (tmp_path / "restored-uploads" / photo.relative_to(uploads)).read_bytes() == photo.read_bytes()


def _postgres_tools() -> str | None:
    if not os.environ.get("COLLAB_TEST_DATABASE_URL"):
        return "COLLAB_TEST_DATABASE_URL is not set"
    missing = [tool for tool in ("pg_dump", "pg_restore") if not shutil.which(tool)]
    return f"{' and '.join(missing)} not on PATH" if missing else None


@contextlib.contextmanager
def _scratch_databases(count: int):
    base = make_url(os.environ["COLLAB_TEST_DATABASE_URL"])
    names = [f"collab_backup_{uuid.uuid4().hex[:10]}" for _ in range(count)]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield [base.set(database=name).render_as_string(hide_password=False) for name in names]
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.slow
@pytest.mark.skipif(_postgres_tools() is not None, reason=f"PostgreSQL backup: {_postgres_tools()}")
def test_postgresql_backup_during_editing_restores_every_acknowledged_edit(tmp_path):
    from collab.plans.services import create_plan

    uploads = tmp_path / "uploads"
    photo = _photo(uploads)
    with _scratch_databases(2) as (live_url, restored_url):
        app = setup_app(live_url)
        with app.app_context():
            world = factories.build_world()
            room = f"plan:{create_plan(world.lead, world.group, 'Backed-up plan').id}"
            db.session.remove()
            db.engine.dispose()
        _stamp_head(live_url)
        server = ServerProcess(live_url, tmp_path / "server.log", env=FAST_UPDATES)
        server.start()
        try:
            before, backup = _edit_through_a_backup(server, room, _app(live_url, uploads), tmp_path / "backups")
        finally:
            server.stop()
        manifest = json.loads((backup / MANIFEST).read_text())
        assert manifest["database"] == "postgresql" and manifest["revision"]
        restored = _app(restored_url, tmp_path / "restored-uploads")
        result = restored.test_cli_runner().invoke(args=["collab", "restore", str(backup), "--yes"])
        assert result.exit_code == 0, result.output
        _check_restored(restored, room, before)
        assert (tmp_path / "restored-uploads" / photo.relative_to(uploads)).read_bytes() == photo.read_bytes()


def _fingerprint(database: Path, uploads: Path) -> dict[str, str]:
    files = [database, *sorted(p for p in uploads.rglob("*") if p.is_file())]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_restore_refuses_without_yes_and_on_a_damaged_backup_changing_nothing(tmp_path):
    source_url = f"sqlite:///{tmp_path / 'source.sqlite'}"
    setup_app(source_url)
    _stamp_head(source_url)
    source = _app(source_url, tmp_path / "source-uploads")
    _photo(tmp_path / "source-uploads")
    result = source.test_cli_runner().invoke(args=["collab", "backup", "--to", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    match = re.search(r"Backup written to (\S+)", result.output)
    assert match, result.output
    backup = Path(match.group(1))

    target_db, target_uploads = tmp_path / "live.sqlite", tmp_path / "live-uploads"
    live = setup_app(target_db)
    with live.app_context():
        factories.build_world()
        db.session.remove()
        db.engine.dispose()
    (target_uploads / "keep.txt").parent.mkdir(parents=True)
    (target_uploads / "keep.txt").write_text("today's photo")
    target = _app(f"sqlite:///{target_db}", target_uploads)
    unchanged = _fingerprint(target_db, target_uploads)
    runner = target.test_cli_runner()

    result = runner.invoke(args=["collab", "restore", str(backup)])
    assert result.exit_code != 0
    assert "would overwrite" in result.output and str(target_db) in result.output and "--yes" in result.output
    assert _fingerprint(target_db, target_uploads) == unchanged

    manifest = json.loads((backup / MANIFEST).read_text())
    manifest["files"]["database.sqlite"]["sha256"] = "0" * 64
    (backup / MANIFEST).write_text(json.dumps(manifest))
    result = runner.invoke(args=["collab", "restore", str(backup), "--yes"])
    assert result.exit_code != 0 and "damaged" in result.output
    assert _fingerprint(target_db, target_uploads) == unchanged

    (backup / MANIFEST).write_text("{not json")
    result = runner.invoke(args=["collab", "restore", str(backup), "--yes"])
    assert result.exit_code != 0 and "unreadable" in result.output
    assert _fingerprint(target_db, target_uploads) == unchanged
