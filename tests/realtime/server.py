"""Run the real app (eventlet, as in production) in a subprocess on a temporary SQLite file, or on any
database URL; several of them on one database with Redis as the message queue for the multi-process tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

from collab import create_app
from collab.extensions import Base, db
from tests.conftest import make_test_config, written_elsewhere
from tests.server_launcher import ServerHandle, launch

ROOT = Path(__file__).resolve().parents[2]
SECRET = "real-server-test-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(database: Path | str) -> str:
    """A SQLite file's URL, or the URL itself."""
    return database if isinstance(database, str) and "://" in database else f"sqlite:///{database}"


def setup_app(database: Path | str):
    """An in-process app on the same database, for seeding and for reading the log afterwards."""
    url = database_url(database)
    app = create_app(make_test_config(SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=SECRET))
    with app.app_context():
        Base.metadata.create_all(db.engine)
    return app


class ServerProcess:
    """`env` adds or overrides COLLAB_* settings (e.g. COLLAB_REDIS_URL); without it there is no Redis."""

    def __init__(self, database: Path | str, log_file: Path, env: dict[str, str] | None = None) -> None:
        self.database_url, self.log_file, self.extra_env = database_url(database), log_file, env or {}
        written_elsewhere(self.database_url)  # the next test's emptying cannot know what this server wrote
        self.port = free_port()
        self.process: ServerHandle | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> None:
        env = {**os.environ, "COLLAB_ASYNC_MODE": "eventlet", "COLLAB_SECURE_COOKIES": "0",
               "COLLAB_DATABASE_URL": self.database_url, "COLLAB_SECRET_KEY": SECRET,
               "COLLAB_HOST": "127.0.0.1", "PORT": str(self.port), "COLLAB_REDIS_URL": "",
               "PYTHONWARNINGS": "ignore::DeprecationWarning"}
        env.pop("COLLAB_REDIS_URL")
        env.update(self.extra_env)
        self.process = launch(env, self.log_file)  # wsgi.py, forked from a loaded app (tests/server_zygote.py)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_file.read_text()[-3000:]}")
            try:
                requests.get(f"{self.url}/login", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.03)  # a forked server listens within ~0.3 s: poll finely, the tests wait on this
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@contextlib.contextmanager
def serving_a_plan(tmp: Path, title: str, env: dict[str, str] | None = None):
    """A real server on a new SQLite database holding factories.build_world() and one plan of its Work Group;
    yields (server, the plan's room)."""
    from collab.plans.services import create_plan
    from tests import factories

    app = setup_app(tmp / "plan.sqlite")
    with app.app_context():
        world = factories.build_world()
        room = f"plan:{create_plan(world.lead, world.group, title).id}"
    server = ServerProcess(tmp / "plan.sqlite", tmp / "server.log", env=env)
    server.start()
    try:
        yield server, room
    finally:
        server.stop()
