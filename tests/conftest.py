"""Fixtures shared by the whole suite (flaskr's pattern: app, client, runner, auth).

Every database test runs on SQLite, and also on PostgreSQL when COLLAB_TEST_DATABASE_URL names one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import create_engine, text

import collab.models  # noqa: F401  (the whole schema, before create_all)
from collab import create_app
from collab.extensions import Base, db
from tests import factories

POSTGRES_URL = os.environ.get("COLLAB_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
_TMP = Path(tempfile.mkdtemp(prefix="collab-tests-"))
_prepared: set[str] = set()


def _database_url(backend: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{_TMP / 'test.sqlite'}"
    return POSTGRES_URL


def _empty_database(url: str) -> None:
    """Drop and recreate the schema once per backend per run; later tests only truncate."""
    engine = create_engine(url)
    try:
        if url not in _prepared:
            Base.metadata.drop_all(engine)
            if engine.dialect.name == "postgresql":
                with engine.begin() as conn:
                    conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            Base.metadata.create_all(engine)
            _prepared.add(url)
            return
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f'DELETE FROM "{table}"'))
    finally:
        engine.dispose()


def make_test_config(backend: str = "sqlite", **overrides) -> dict:
    url = _database_url(backend)
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "COLLAB_ASYNC_MODE": "threading",
        "COLLAB_REDIS_URL": None,
        "COLLAB_SMTP_HOST": None,
        "COLLAB_UPLOAD_DIR": str(_TMP / "uploads"),
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return config


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def app_config(backend) -> dict:
    """Override in a test module to change settings (e.g. turn CSRF on)."""
    return {}


@pytest.fixture
def app(backend, app_config):
    _empty_database(_database_url(backend))
    app = create_app(make_test_config(backend, **app_config))

    def _reload_user_each_request():
        # This fixture keeps an app context pushed, so `g` (and Flask-Login's cached user in it) would
        # outlive each request and leak between test clients; production gets a fresh `g` per request.
        # First of the hooks, so that the app's own hooks (the write limit) see this request's user.
        g.pop("_login_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, _reload_user_each_request)

    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str = "lead@example.org", password: str = factories.PASSWORD, remember: bool = False):
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self._client.post("/login", data=data)

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


def sign_in(client, user) -> None:
    """Sign a test client in by writing the Flask-Login session (tests about other things skip the form)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def login_as(client):
    """login_as(user) -> the test client, now signed in as that person."""
    def _login(user):
        sign_in(client, user)
        return client
    return _login


@pytest.fixture
def world(app) -> factories.World:
    """A hub with a Work Group of two schools: a lead, two advocates, an outsider and a hub admin."""
    return factories.build_world()


def pytest_report_header(config):
    return f"databases: {', '.join(BACKENDS)}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if POSTGRES_URL:
        terminalreporter.write_line("Databases: SQLite and PostgreSQL (COLLAB_TEST_DATABASE_URL).")
    else:
        terminalreporter.write_line(
            "Databases: SQLite only. Set COLLAB_TEST_DATABASE_URL to also run on PostgreSQL.")
