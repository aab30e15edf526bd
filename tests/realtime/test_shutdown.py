"""Graceful shutdown (collab/server/shutdown.py): SIGTERM to the real server (eventlet) while several clients
edit. It stops accepting, commits what is queued, closes the connections and exits by itself; every acknowledged
update is in the database, and after reconnecting (to a restarted server, as nginx would send them to another)
the clients' resends leave each edit exactly once."""

from __future__ import annotations

import gc
import re
import signal
import time

import pytest
from pycrdt import Text

from collab.plans.services import create_plan
from collab.realtime.doclog import load
from tests import factories
from tests.realtime.server import ServerProcess, setup_app
from tests.realtime.test_crash import EMAILS, Typist, _sign_in

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]
GRACE = 5.0


def test_sigterm_commits_what_is_queued_closes_connections_and_exits(tmp_path):
    database = tmp_path / "shutdown.sqlite"
    app = setup_app(database)
    with app.app_context():
        world = factories.build_world()
        plan = create_plan(world.lead, world.group, "Shutdown plan")
        room, document_id = f"plan:{plan.id}", plan.document_id
    server = ServerProcess(database, tmp_path / "server.log", env={"COLLAB_SHUTDOWN_GRACE_SECONDS": str(GRACE)})
    server.start()
    clients = [_sign_in(server, room, email) for email in EMAILS]
    try:
        typists = [Typist(c, i) for i, c in enumerate(clients)]
        for t in typists:
            t.start()
        time.sleep(1.0)
        assert server.process is not None
        server.process.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        server.process.wait(timeout=GRACE + 5)
        exited_after = time.monotonic() - signalled
        for t in typists:
            t.join(timeout=10)
        assert exited_after < GRACE, f"took {exited_after:.1f} s: it waited for the grace period instead of draining"
        log = server.log_file.read_text()
        assert "SIGTERM received: shutting down gracefully" in log
        closed = re.search(r"shut down: (\d+) queued update\(s\) committed before closing (\d+) connection", log)
        assert closed, log[-2000:]
        assert int(closed.group(2)) == len(clients)
        assert "not committed" not in log
        assert all(not c.sio.connected for c in clients), "the server closed every connection"

        acked = [m for t in typists for m in t.acked]
        assert acked, "nothing was acknowledged before the shutdown; the test proves nothing"
        with app.app_context():
            stored = str(load(document_id).get("text", type=Text))
        for marker in acked:
            assert stored.count(marker) == 1, f"acknowledged {marker} lost or duplicated"
        unacked_but_stored = [m for t in typists for m in t.made if m not in t.acked and m in stored]
        assert len(unacked_but_stored) <= len(typists)  # at most the one each typist had in flight at the close

        server.start()
        for client in clients:
            assert client.reconnect()["ok"]
            assert client.replica.unacked == {}
        with app.app_context():
            final = str(load(document_id).get("text", type=Text))
        for t in typists:
            for marker in t.made:
                assert final.count(marker) == 1, f"{marker} lost or duplicated after the resend"
    finally:
        for client in clients:
            client.disconnect()
        server.stop()
        gc.collect()


def test_sigterm_stops_an_idle_server_at_once(tmp_path):
    """Nothing else wakes an idle server's event loop (it may sleep in epoll for a minute): the signal must."""
    database = tmp_path / "idle.sqlite"
    setup_app(database)
    server = ServerProcess(database, tmp_path / "server.log")
    server.start()
    try:
        time.sleep(2.0)  # idle: no request, no connection
        assert server.process is not None
        server.process.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        server.process.wait(timeout=GRACE + 60)
        assert time.monotonic() - signalled < GRACE
        assert "shut down: 0 queued update(s) committed before closing 0 connection(s)" in server.log_file.read_text()
    finally:
        server.stop()
