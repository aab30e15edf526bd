"""Fixtures shared by the whole suite (flaskr's pattern: app, client, runner, auth).

Every database test runs on SQLite, and also on PostgreSQL when COLLAB_TEST_DATABASE_URL names one.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from flask import Flask, g
from sqlalchemy import Engine, create_engine, event, exists, make_url, or_, select, text

import collab.models  # noqa: F401  (the whole schema, before create_all)
from collab import create_app
from collab.extensions import PER_APP_STATE, Base, db, socketio
from collab.realtime.events import equip_server
from tests import factories, saved_rows
from tests.saved_rows import SavedObjects, write_demo

# Under pytest-xdist each worker is its own process with its own databases: a SQLite file in its own
# temporary folder (in memory-backed /dev/shm when there is one: the suite's commits then cost no fsync) and,
# for PostgreSQL, a database of its own named after the worker (created on first use).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_SHM = Path("/dev/shm")
_TMP = Path(tempfile.mkdtemp(prefix="collab-tests-", dir=_SHM if _SHM.is_dir() and os.access(_SHM, os.W_OK) else None))
_prepared: set[str] = set()
_cleaning_engines: dict[str, Engine] = {}


def _worker_database(url: str | None) -> str | None:
    """This worker's PostgreSQL database: COLLAB_TEST_DATABASE_URL's, suffixed with the worker's name."""
    if not url:
        return url
    if not WORKER:
        _commit_without_waiting_for_the_disk(url)
        return url
    return database_beside(url, WORKER)


def database_beside(url: str, suffix: str) -> str:
    """A PostgreSQL database next to url's, its name suffixed (made on first use)."""
    base = make_url(url)
    name = f"{base.database}_{suffix}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first() is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    database = base.set(database=name).render_as_string(hide_password=False)
    _commit_without_waiting_for_the_disk(database)
    return database


def _commit_without_waiting_for_the_disk(url: str) -> None:
    """Every later session on this test database commits without waiting for PostgreSQL's log to reach the disk
    (`synchronous_commit = off`): a commit is still atomic and seen at once by every other connection, and the
    tests kill our processes, never PostgreSQL, so none can tell. The suite commits after nearly every step (the
    factories, every request): waiting for each flush made the PostgreSQL leg about 15 % slower. Production keeps
    PostgreSQL's default (on): an edit is acknowledged only once its commit is on disk."""
    base = make_url(url)
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{base.database}" SET synchronous_commit = off'))
    except Exception:  # noqa: BLE001  (a role that may not alter the database: the tests run as they are, slower)
        pass
    finally:
        engine.dispose()


POSTGRES_URL = _worker_database(os.environ.get("COLLAB_TEST_DATABASE_URL"))
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def _database_url(backend: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{_TMP / 'test.sqlite'}"
    return POSTGRES_URL


# The tables each test database has had rows written to since it was last emptied, seen in this process: every
# INSERT any engine here runs (the app's, a second app's, a CLI command's). Emptying then deletes from those
# tables only, and `world` knows the database is empty without asking it. None: unknown (a server process wrote
# to it, see written_elsewhere), so every table is emptied, as before.
_written: dict[str, set[str] | None] = {}
_INSERT_INTO = re.compile(r'\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+"?(\w+)', re.IGNORECASE)


def _key(url) -> str:
    return make_url(url).render_as_string(hide_password=True)


@event.listens_for(Engine, "before_cursor_execute")
def _note_insert(conn, cursor, statement, parameters, context, executemany) -> None:
    match = _INSERT_INTO.match(statement)
    if match:
        tables = _written.get(_key(conn.engine.url))
        if tables is not None:
            tables.add(match.group(1))


def written_elsewhere(url: str) -> None:
    """Another process (a real server under test) writes to this database: the next emptying deletes from
    every table."""
    _written[_key(url)] = None


def _empty_database(url: str) -> None:
    """Drop and recreate the schema once per backend per run; later tests delete the rows written since.
    (DELETE, not TRUNCATE: on PostgreSQL, truncating the 39 tables took 112 ms a test, deleting their few rows
    10 ms; deleting from only the tables written to, known from the INSERTs seen, takes a few ms.)"""
    engine = _cleaning_engines.get(url) or _cleaning_engines.setdefault(url, create_engine(url))
    try:
        if url not in _prepared:
            Base.metadata.drop_all(engine)
            if engine.dialect.name == "postgresql":
                with engine.begin() as conn:
                    conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            Base.metadata.create_all(engine)
            _prepared.add(url)
        else:
            written = _written.get(_key(url))
            tables = [table for table in reversed(Base.metadata.sorted_tables)
                      if written is None or table.name in written]
            with engine.begin() as conn:
                if engine.dialect.name == "postgresql" and tables:
                    # One round trip for them all (psycopg runs several statements given without parameters):
                    # 14 DELETEs one by one took ~9 ms, sent together ~2 ms.
                    conn.exec_driver_sql("; ".join(f'DELETE FROM "{table.name}"' for table in tables))
                else:
                    for table in tables:
                        conn.execute(table.delete())
        _written[_key(url)] = set()
    finally:
        if engine.dialect.name == "sqlite":
            engine.dispose()  # a test may delete or replace the file


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
        "COLLAB_MAIL_BACKEND": "memory",  # mail.outbox(): each test's starts empty (created on the first message)
        "COLLAB_UPLOAD_DIR": str(_TMP / "uploads"),
        "SERVER_NAME": None,
        "COLLAB_PASSWORD_HASHING": factories.FAST_PASSWORD_HASHING,
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


class _CachedApp:
    """One app per backend and settings for the whole run: building one costs ~70 ms (werkzeug compiles
    ~90 URL rules), which was a sixth of the suite. Each test gets it back as new: the settings it started
    with, new per-app state (document store, connections, access epoch, limits: each of collab.extensions'
    PER_APP_STATE made again by its init_app), the other extensions as create_app left them (anything a test
    added, such as a mail outbox, gone) and its own Socket.IO server (rooms and sessions of its own)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.config = dict(app.config)
        self.extensions = dict(app.extensions)
        self.socketio = {name: getattr(socketio, name) for name in _SOCKETIO_STATE}
        self.socketio["server_options"] = dict(socketio.server_options)  # init_app updates one shared dict

    def fresh(self) -> Flask:
        app = self.app
        app.config.clear()
        app.config.update(self.config)
        app.extensions.clear()
        app.extensions.update(self.extensions)
        for state in PER_APP_STATE:  # replaces what create_app made (and the last test used)
            state.init_app(app)
        for name, value in self.socketio.items():
            setattr(socketio, name, value)
        # A new Socket.IO server as init_app builds it, behind the same middleware: nothing a previous test
        # connected or joined can receive this test's events.
        built = self.socketio["server"]
        server = type(built)(**socketio.server_options)
        server.handlers = {namespace: dict(handlers) for namespace, handlers in built.handlers.items()}
        equip_server(server, app)
        socketio.server = server
        socketio.sockio_mw.engineio_app = server
        return app


# What flask_socketio.SocketIO.init_app binds to the (one, global) extension for the app it was given.
_SOCKETIO_STATE = ("server", "server_options", "async_mode", "sockio_mw", "manage_session")
_apps: dict[tuple[str, str], _CachedApp] = {}


def _build_app(backend: str, app_config: dict) -> Flask:
    app = create_app(make_test_config(backend, **app_config))

    def _reload_user_each_request():
        # This fixture keeps an app context pushed, so `g` (and Flask-Login's cached user in it) would
        # outlive each request and leak between test clients; production gets a fresh `g` per request.
        # First of the hooks, so that the app's own hooks (the write limit) see this request's user.
        g.pop("_login_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, _reload_user_each_request)
    return app


@pytest.fixture
def app(backend, app_config):
    _empty_database(_database_url(backend))
    key = (backend, repr(sorted(app_config.items())))
    cached = _apps.get(key)
    if cached is None:
        cached = _apps[key] = _CachedApp(_build_app(backend, app_config))
    app = cached.fresh()
    with app.app_context():
        yield app
        # The engine is kept (not disposed) with the app: disposing it while a background task of the test
        # (a commit, a sweep) still held a connection left that connection in the discarded pool, unclosed, to
        # be collected in some later test as a ResourceWarning.
        db.session.remove()


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


_worlds: dict[str, SavedObjects] = {}


def _database_is_empty() -> bool:
    if _written.get(_key(db.engine.url)) == set():  # emptied, and no INSERT seen since
        return True
    return not db.session.scalar(select(or_(*(exists(table.select()) for table in Base.metadata.sorted_tables))))


@pytest.fixture
def world(app) -> factories.World:
    """A hub with a Work Group of two schools: a lead, two advocates, an outsider and a hub admin.
    Built once per database, then written again from its rows (the same ids, names and values)."""
    key = str(db.engine.url)
    saved = _worlds.get(key)
    if saved is not None and _database_is_empty():
        return factories.World(**saved.write())
    if saved is None and _database_is_empty():
        world = factories.build_world()
        _worlds[key] = SavedObjects(vars(world))
        return world
    return factories.build_world()  # a fixture wrote rows first: build on top of them, as before


@pytest.fixture
def demo(app) -> None:
    """The demo (`flask collab demo`, today's) loaded into this test's empty database: the same rows as
    load_demo() writes, written from a copy after the first load (tests/saved_rows.py)."""
    assert _database_is_empty(), "the demo loads into an empty database only"
    write_demo()


@pytest.fixture
def built_once(app):
    """built_once(key, build) -> what build() names (rows, ids): build() writes into this test's empty database
    the first time for this database and key; later tests get its rows written again (tests/saved_rows.py). For
    a set-up of many commits shared by many parametrised tests."""

    def _built_once(key, build):
        assert _database_is_empty(), "built into an empty database only"
        return saved_rows.built_once(key, build)

    return _built_once


def pytest_report_header(config):
    return f"databases: {', '.join(BACKENDS)}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if POSTGRES_URL:
        terminalreporter.write_line("Databases: SQLite and PostgreSQL (COLLAB_TEST_DATABASE_URL).")
    else:
        terminalreporter.write_line(
            "Databases: SQLite only. Set COLLAB_TEST_DATABASE_URL to also run on PostgreSQL.")


@pytest.fixture
def connect(app):
    """connect(user) -> a Socket.IO test client signed in as user (its own HTTP client, like a browser)."""
    made = []

    def _connect(user):
        http = app.test_client()
        sign_in(http, user)
        sio = socketio.test_client(app, flask_test_client=http)
        made.append(sio)
        return sio

    yield _connect
    for sio in made:
        if sio.is_connected():
            sio.disconnect()
