"""The migrations build the schema from empty, and what they build matches the models."""

from __future__ import annotations

import tempfile
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


def test_migrated_schema_matches_the_models(empty_app):
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrations_downgrade_to_empty_and_up_again(empty_app):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())
