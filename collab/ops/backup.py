"""Backups: the database, the upload directory and a manifest, in one timestamped directory.

SQLite is copied with the online backup API (a consistent copy while the server writes: every commit, so every
acknowledged edit, made before the copy ends is in it); PostgreSQL with `pg_dump -Fc` (one snapshot, taken when
the dump starts). Restore checks the manifest's sha256 sums and migration revision before it touches anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

MANIFEST = "manifest.json"
UPLOADS = "uploads.tar.gz"
KEY_FILE = "secret_key"
DATABASE_FILES = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass
class Manifest:
    path: Path  # the backup's directory
    data: dict[str, Any]

    @property
    def database(self) -> str:
        return str(self.data["database"])

    @property
    def revision(self) -> str | None:
        return self.data.get("revision")


# --- helpers ---------------------------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _database_kind(url: URL) -> str:
    name = url.get_backend_name()
    if name not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("The SQLite database is in memory: there is nothing to back up.")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and an environment carrying it (not on the command line)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found on PATH: install the PostgreSQL client tools "
                          f"(Debian: apt-get install postgresql-client) matching the server's version.")
    return found


def _script(app: Flask) -> ScriptDirectory:
    directory = app.extensions["migrate"].directory
    return ScriptDirectory(directory)


def _revision_of(url: URL | str) -> str | None:
    """The alembic revision a database is at (None when it was never stamped)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            try:
                row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            except Exception:  # no such table: built by create_all, never migrated
                return None
            return row[0] if row else None
    finally:
        engine.dispose()


def _upload_dir(app: Flask) -> Path:
    return Path(app.config["COLLAB_UPLOAD_DIR"])


def _secret_key_file() -> Path:
    from collab.config import INSTANCE_DIR
    return INSTANCE_DIR / "secret_key"


def _dispose(app: Flask) -> None:
    from collab.extensions import db
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# --- backup ----------------------------------------------------------------------------------------------------

def backup(app: Flask, to: Path, with_secret_key: bool = False) -> Path:
    """Write one backup into a new directory under `to`; returns its path."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    kind = _database_kind(url)
    created = datetime.now(UTC)
    target = Path(to) / f"collab-backup-{created.strftime('%Y%m%dT%H%M%S.%fZ')}"
    partial = target.with_name(target.name + ".partial")
    partial.mkdir(parents=True)
    try:
        database_file = partial / DATABASE_FILES[kind]
        if kind == "sqlite":
            source = _sqlite_path(url)
            if not source.exists():
                raise BackupError(f"No database at {source}.")
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
            dst = sqlite3.connect(database_file)
            try:
                src.backup(dst)  # one step under one read transaction: a consistent copy (WAL: writers go on)
            finally:
                dst.close()
                src.close()
            revision = _revision_of(f"sqlite:///{database_file}")
        else:
            revision = _revision_of(url)
            uri, env = _libpq(url)
            command = [_tool("pg_dump"), "-Fc", "--no-owner", f"--file={database_file}", f"--dbname={uri}"]
            done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 (no shell)
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        uploads = _upload_dir(app)
        with tarfile.open(partial / UPLOADS, "w:gz") as tar:
            if uploads.is_dir():
                tar.add(uploads, arcname="uploads")
        names = [DATABASE_FILES[kind], UPLOADS]
        if with_secret_key:
            key = _secret_key_file()
            if app.config.get("SECRET_KEY") and key.exists() and key.read_text().strip() == app.config["SECRET_KEY"]:
                shutil.copy2(key, partial / KEY_FILE)
                names.append(KEY_FILE)
            else:
                raise BackupError("The secret key is set by COLLAB_SECRET_KEY, not kept in instance/secret_key: "
                                  "keep it with your other secrets; it is not copied.")
        manifest = {
            "format": 1,
            "created_at": created.isoformat(),
            "database": kind,
            "revision": revision,
            "files": {name: {"bytes": (partial / name).stat().st_size, "sha256": _sha256(partial / name)}
                      for name in names},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        partial.rename(target)
        return target
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


# --- restore ---------------------------------------------------------------------------------------------------

def read_manifest(path: Path) -> Manifest:
    """The backup's manifest, every file checked against its size and sha256."""
    path = Path(path)
    directory = path.parent if path.name == MANIFEST else path
    try:
        data = json.loads((directory / MANIFEST).read_text())
        files = data["files"]
        kind = data["database"]
    except FileNotFoundError as e:
        raise BackupError(f"No {MANIFEST} in {directory}: not a Collab backup.") from e
    except (ValueError, KeyError, TypeError) as e:
        raise BackupError(f"The manifest in {directory} is unreadable or incomplete: {e}") from e
    if kind not in DATABASE_FILES or DATABASE_FILES[kind] not in files or UPLOADS not in files:
        raise BackupError(f"The manifest in {directory} does not list a database and the uploads.")
    for name, expected in files.items():
        if Path(name).name != name:
            raise BackupError(f"The manifest names a file outside the backup: {name}")
        file = directory / name
        if not file.is_file():
            raise BackupError(f"{file} is missing.")
        if file.stat().st_size != expected.get("bytes") or _sha256(file) != expected.get("sha256"):
            raise BackupError(f"{file} does not match the manifest's size and sha256: the backup is damaged.")
    return Manifest(directory, data)


def check(app: Flask, manifest: Manifest) -> list[str]:
    """Refuse what cannot be restored here; returns what a restore would overwrite."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    kind = _database_kind(url)
    if manifest.database != kind:
        raise BackupError(f"The backup is of a {manifest.database} database; this app uses {kind}.")
    if manifest.revision is not None:
        script = _script(app)
        try:
            script.get_revision(manifest.revision)
        except Exception as e:
            raise BackupError(f"The backup's migration revision {manifest.revision} is unknown to this version of "
                              f"Collab (newer code made it?): restore it with the code it came from.") from e
    target = str(_sqlite_path(url)) if kind == "sqlite" else url.render_as_string(hide_password=True)
    overwrites = [f"the {kind} database {target}", f"the upload directory {_upload_dir(app)}"]
    if KEY_FILE in manifest.data["files"]:
        overwrites.append(f"the secret key file {_secret_key_file()}")
    return overwrites


def _restore_sqlite(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    dst = sqlite3.connect(target, timeout=0.5)
    try:
        try:
            # Leaving WAL mode needs the only connection to the file: fails while a server has it open.
            mode = dst.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            if mode != "delete":
                raise sqlite3.OperationalError("database is locked")
        except sqlite3.OperationalError as e:
            raise BackupError(f"{target} is in use (locked): stop the server first, then restore.") from e
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            src.backup(dst)
        finally:
            src.close()
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        dst.close()


def _restore_postgresql(source: Path, url: URL) -> None:
    uri, env = _libpq(url)
    command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
               "--exit-on-error", f"--dbname={uri}", str(source)]
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 (no shell)
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed (nothing changed: one transaction): {done.stderr.strip()}")


def _restore_uploads(archive: Path, uploads: Path) -> None:
    uploads.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=uploads.parent))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, filter="data")
        restored = staging / "uploads"
        restored.mkdir(exist_ok=True)
        old = staging / "previous"
        if uploads.exists():
            uploads.rename(old)
        restored.rename(uploads)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def restore(app: Flask, manifest: Manifest) -> str | None:
    """Restore a checked backup over this app's database and uploads; migrates it to head if it is older.
    Returns the revision the database is at afterwards."""
    check(app, manifest)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    _dispose(app)  # this process's own connections would hold the file or block pg_restore
    database_file = manifest.path / DATABASE_FILES[manifest.database]
    if manifest.database == "sqlite":
        _restore_sqlite(database_file, _sqlite_path(url))
    else:
        _restore_postgresql(database_file, url)
    _restore_uploads(manifest.path / UPLOADS, _upload_dir(app))
    if KEY_FILE in manifest.data["files"]:
        key = _secret_key_file()
        shutil.copy2(manifest.path / KEY_FILE, key)
        key.chmod(0o600)
    head = _script(app).get_current_head()
    if manifest.revision is not None and manifest.revision != head:
        from flask_migrate import upgrade
        with app.app_context():
            upgrade()
        _dispose(app)
    return _revision_of(url)
