"""Failover behind nginx (docs/deployment.md): two real processes (eventlet) on PostgreSQL with Redis, nginx in
front with deploy/nginx/collab.conf rendered as `make run-cluster` renders it. The room's process is killed while
two people edit: nginx sends the next request for that room to the other process at once, both editors reconnect
through nginx to it within a few seconds, and no acknowledged edit is lost or doubled.

Needs nginx (scripts/install-nginx.sh; `.ci/run` installs it), PostgreSQL (COLLAB_TEST_DATABASE_URL) and Redis
(COLLAB_TEST_REDIS_URL); skipped with the reason when one is missing.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from pycrdt import Doc, Text

from collab.extensions import db
from collab.plans.services import create_plan
from collab.realtime.doclog import load
from tests import factories
from tests.conftest import POSTGRES_URL, _empty_database
from tests.realtime.client import RealtimeClient
from tests.realtime.server import ROOT, ServerProcess, free_port, setup_app
from tests.realtime.test_multiprocess import _redis_or_skip

pytestmark = [
    pytest.mark.slow,
    # The SIGKILLed server leaves the client libraries' sockets to be collected: not our leak to fix.
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]
EMAILS = ("lead@example.org", "advocate@example.org")
FAILOVER_SECONDS = 5.0  # "within a few seconds": the ack timeout below, a reconnect and a resend


def _nginx_or_skip() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if found is None:
        pytest.skip("nginx is not installed (scripts/install-nginx.sh installs Debian's; .ci/run does)")
    return found


def _postgres_or_skip() -> str:
    if not POSTGRES_URL:
        pytest.skip("COLLAB_TEST_DATABASE_URL is not set (.ci/run sets it when PostgreSQL is installed): "
                    "the cluster runs on PostgreSQL")
    return POSTGRES_URL


class Nginx:
    """nginx with the production config (deploy/nginx/, rendered by scripts/render-nginx.sh) in front of
    `ports`, listening on a free port of its own."""

    def __init__(self, binary: str, run_dir: Path, ports: list[int]) -> None:
        self.binary, self.run_dir, self.port = binary, run_dir, free_port()
        subprocess.run(["bash", str(ROOT / "scripts" / "render-nginx.sh"), str(run_dir), f"127.0.0.1:{self.port}",
                        *map(str, ports)], check=True)
        self.args = [binary, "-e", str(run_dir / "nginx-error.log"), "-p", str(run_dir),
                     "-c", str(run_dir / "nginx.conf")]
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        subprocess.run([*self.args, "-q", "-t"], check=True)
        self.process = subprocess.Popen(self.args)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.url}/healthz", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not start: {(self.run_dir / 'nginx-error.log').read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _served_by(base_url: str, room: str) -> int:
    """The pid of the process nginx sends this room's requests to."""
    response = requests.get(f"{base_url}/healthz", params={"room": room}, timeout=10)
    assert response.status_code == 200
    return response.json()["pid"]


def _append(marker: str):
    def change(doc: Doc) -> None:
        text = doc.get("text", type=Text)
        text.insert(len(text), marker)
    return change


class Editor(threading.Thread):
    """Appends unique markers as fast as acks come back. When the connection breaks it reconnects through nginx
    (as the browser's Socket.IO client does), joins, resends what was not acknowledged and goes on."""

    def __init__(self, client: RealtimeClient, index: int) -> None:
        super().__init__(daemon=True)
        self.client, self.index = client, index
        self.made: list[str] = []
        self.acked: list[str] = []
        self.stop = threading.Event()
        self.broke_at: float | None = None
        self.back_at: float | None = None  # first ack on the new connection
        self.errors: list[str] = []

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            marker = f"<{self.index}.{n}>"
            n += 1
            self.made.append(marker)
            try:
                ack = self.client.edit(_append(marker), timeout=2)
            except Exception:
                ack = None
            if isinstance(ack, dict) and ack.get("ok"):
                self.acked.append(marker)
                time.sleep(0.03)  # about a browser's pace (it sends every 40 ms), under the per-person rate
                continue
            if isinstance(ack, dict):
                self.errors.append(str(ack))
            self.broke_at = self.broke_at or time.monotonic()
            self._reconnect()

    def _reconnect(self) -> None:
        while not self.stop.is_set():
            try:
                if self.client.reconnect().get("ok") and self.client.replica.unacked == {}:
                    self.back_at = self.back_at or time.monotonic()
                    return
            except Exception:
                pass
            time.sleep(0.2)


def test_killing_a_rooms_process_sends_its_editors_through_nginx_to_another_without_losing_an_edit(tmp_path):
    nginx_binary = _nginx_or_skip()
    database = _postgres_or_skip()
    redis_url = _redis_or_skip()
    _empty_database(database)
    app = setup_app(database)
    with app.app_context():
        world = factories.build_world()
        plan = create_plan(world.lead, world.group, "Failover plan")
        room, document_id = f"plan:{plan.id}", plan.document_id
    env = {"COLLAB_REDIS_URL": redis_url, "COLLAB_REDIS_CHANNEL": f"collab-test-{uuid.uuid4().hex}",
           "COLLAB_TRUSTED_PROXIES": "1"}
    servers = [ServerProcess(database, tmp_path / f"server{n}.log", env=env) for n in (1, 2)]
    proxy = Nginx(nginx_binary, tmp_path / "nginx", [server.port for server in servers])
    editors: list[Editor] = []
    try:
        for server in servers:
            server.start()
        proxy.start()
        pids = {server.process.pid: server for server in servers if server.process is not None}
        home = pids[_served_by(proxy.url, room)]
        [other] = [server for server in servers if server is not home]

        clients = []
        for email in EMAILS:
            client = RealtimeClient(proxy.url, room)
            assert client.sign_in(email, factories.PASSWORD)
            client.connect()
            assert client.join()["ok"]
            clients.append(client)
        editors = [Editor(client, i) for i, client in enumerate(clients)]
        for editor in editors:
            editor.start()
        time.sleep(1.5)
        assert all(editor.acked for editor in editors), "nothing was acknowledged before the kill"
        assert all(editor.broke_at is None for editor in editors)

        killed_at = time.monotonic()  # before: kill() returns once the process is gone, editors may notice first
        home.kill()
        # HTTP: nginx finds the room's process gone and the next on the ring answers the same request.
        assert _served_by(proxy.url, room) == other.process.pid  # type: ignore[union-attr]

        deadline = killed_at + 20
        while time.monotonic() < deadline and not all(e.back_at and len(e.acked) > 5 for e in editors):
            time.sleep(0.05)
        for editor in editors:
            # Both were on the killed process: room affinity put the room's editors together.
            assert editor.broke_at is not None and editor.broke_at >= killed_at
            assert editor.back_at is not None, "an editor never got back"
            assert editor.back_at - killed_at < FAILOVER_SECONDS, f"failover took {editor.back_at - killed_at:.1f} s"
        time.sleep(1.0)  # editing goes on on the other process
        for editor in editors:
            editor.stop.set()
        for editor in editors:
            editor.join(timeout=15)
            assert not editor.is_alive()
            assert not editor.errors, editor.errors
            assert editor.client.replica.unacked == {}

        with app.app_context():
            stored = str(load(document_id).get("text", type=Text))
        for editor in editors:
            for marker in editor.made:  # every edit was acknowledged in the end (after a resend, if need be)
                assert stored.count(marker) == 1, f"{marker} lost or duplicated"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(e.client.replica.text_now() != stored for e in editors):
            time.sleep(0.05)
        assert all(editor.client.replica.text_now() == stored for editor in editors)
        failover = max(e.back_at - killed_at for e in editors if e.back_at)  # type: ignore[operator]
        print(f"failover: both editors back in {failover:.2f} s; {sum(len(e.acked) for e in editors)} acks")
    finally:
        for editor in editors:
            editor.stop.set()
            editor.client.disconnect()
        proxy.stop()
        for server in servers:
            server.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        gc.collect()
