"""The migrations build the schema from empty, and what they build matches the models."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from collab import create_app
from collab.extensions import Base, db
from tests import conftest


@pytest.fixture
def empty_app(backend):
    if backend == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'migrations.sqlite'}"
    else:
        url = conftest.POSTGRES_URL
    app = create_app(conftest.make_test_config(backend, SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        _drop_everything()
        yield app
        _drop_everything()
        db.session.remove()
        db.engine.dispose()
    conftest._prepared.discard(url)  # the shared test schema must be rebuilt by the next test


def _drop_everything() -> None:
    Base.metadata.drop_all(db.engine)
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_migrations_build_every_table_from_empty(empty_app):
    upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def _not_full_text(obj, name, type_, reflected, compare_to) -> bool:
    """The full-text index (an FTS5 table and its shadow tables on SQLite, a GIN expression index on PostgreSQL) is
    made by DDL beside search_entry, not by a model (collab/search/models.py)."""
    return not (name or "").startswith("search_fts")


def test_migrated_schema_matches_the_models(empty_app):
    upgrade()
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
