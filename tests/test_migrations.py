"""The migrations build the schema from empty, and what they build matches the models."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from collab import create_app
from collab.extensions import Base, db
from tests import conftest

_apps: dict[str, Flask] = {}


def _app(backend: str) -> Flask:
    """One app per backend for the module (create_app costs ~70 ms), on a database of the migrations' own: a
    SQLite file, or a PostgreSQL database beside the suite's, whose schema is then left alone (dropping it made
    the next PostgreSQL test build it again)."""
    if backend not in _apps:
        if backend == "sqlite":
            url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'migrations.sqlite'}"
        else:
            url = conftest.database_beside(conftest.POSTGRES_URL, "migrations")
        _apps[backend] = create_app(conftest.make_test_config(backend, SQLALCHEMY_DATABASE_URI=url))
    return _apps[backend]


# The backends whose migrations database holds the schema upgrade() built from empty, untouched since.
_upgraded: set[str] = set()


@pytest.fixture
def empty_app(backend):
    app = _app(backend)
    _upgraded.discard(backend)
    with app.app_context():
        _drop_everything()
        yield app
        _drop_everything()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def upgraded_app(backend):
    """The schema upgrade() builds from empty, for tests that only read it: built once for the tests in a row that
    ask for it (each upgrade is ~0.5 s of DDL)."""
    app = _app(backend)
    with app.app_context():
        if backend not in _upgraded:
            _drop_everything()
            upgrade()
            _upgraded.add(backend)
        yield app
        db.session.remove()
        db.engine.dispose()


def _drop_everything() -> None:
    Base.metadata.drop_all(db.engine)
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_migrations_build_every_table_from_empty(upgraded_app):
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def _not_full_text(obj, name, type_, reflected, compare_to) -> bool:
    """The full-text index (an FTS5 table and its shadow tables on SQLite, a GIN expression index on PostgreSQL) is
    made by DDL beside search_entry, not by a model (collab/search/models.py)."""
    return not (name or "").startswith("search_fts")


def test_migrated_schema_matches_the_models(upgraded_app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _not_full_text})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrations_downgrade_to_empty_and_up_again(empty_app):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())


def _insert_linked_rows(links: list[str]) -> None:
    """A Work Group, a person, and an activity entry and a notification for each stored path (the old schema)."""
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO hub (id, name) VALUES (1, 'Hub')"))
        conn.execute(text("INSERT INTO work_group (id, hub_id, project_code, title, focus, journey_phase, school_year,"
                          " description, created_at) VALUES (1, 1, 'NCP', 'T', 'F', 'readiness', '2026-27', '', :at)"),
                     {"at": now})
        conn.execute(text('INSERT INTO "user" (id, email, name, is_hub_admin, active, session_token, created_at)'
                          " VALUES (1, 'a@example.org', 'A', false, true, 't', :at)"), {"at": now})
        for n, link in enumerate(links, start=1):
            conn.execute(text("INSERT INTO activity (id, work_group_id, summary, link, at)"
                              " VALUES (:id, 1, 's', :link, :at)"), {"id": n, "link": link, "at": now})
            conn.execute(text("INSERT INTO notification (id, user_id, kind, text, link, created_at)"
                              " VALUES (:id, 1, 'k', 't', :link, :at)"), {"id": n, "link": link or "", "at": now})


def _column(table: str, *names: str) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(f"SELECT {', '.join(names)} FROM {table} ORDER BY id"))]


def test_upgrading_turns_stored_links_into_targets(empty_app):
    upgrade(revision="7c41e2a9d0b3")
    _insert_linked_rows(["/groups/1", "/sessions/2", "/plans/3", "/visits/4", "/devplans/5", "/devplans/5/rounds/6",
                         "/devplans/5#comment-7", "/devplans/5#comment", "/elsewhere", None])
    upgrade()
    expected = [("group", 1), ("session", 2), ("lesson-plan", 3), ("visit", 4), ("devplan", 5),
                ("devplan-round", 6), ("devplan-comment", 7), ("devplan", 5), (None, None), (None, None)]
    assert _column("activity", "target_kind", "target_id") == expected
    assert _column("notification", "target_kind", "target_id") == expected


def test_downgrading_writes_the_links_back(empty_app):
    upgrade(revision="7c41e2a9d0b3")
    _insert_linked_rows(["/groups/1", "/sessions/2", "/plans/3", "/visits/4", "/devplans/5", None])
    upgrade()
    downgrade(revision="7c41e2a9d0b3")
    assert _column("activity", "link") == [("/groups/1",), ("/sessions/2",), ("/plans/3",), ("/visits/4",),
                                           ("/devplans/5",), (None,)]
    assert _column("notification", "link")[-1] == ("",)
