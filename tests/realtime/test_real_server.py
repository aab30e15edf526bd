"""The protocol against the real server (eventlet) with the reference client, signed in through /login."""

from __future__ import annotations

import json
import time

import pytest
from pycrdt import Text

from tests import factories
from tests.realtime.client import RealtimeClient, awareness_clients, awareness_message
from tests.realtime.server import serving_a_plan

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with serving_a_plan(tmp_path_factory.mktemp("live"), "Live plan") as served:
        yield served


def _client(server, room, email) -> RealtimeClient:
    client = RealtimeClient(server.url, room)
    assert client.sign_in(email, factories.PASSWORD)
    client.connect()
    return client


def wait_for(condition, timeout: float = 5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_an_anonymous_connection_is_refused(live):
    import socketio

    server, _room = live
    with pytest.raises(socketio.exceptions.ConnectionError):
        RealtimeClient(server.url, "plan:1").connect()


def test_join_edit_and_a_peer_receives_it_over_websocket(live):
    server, room = live
    alice, bob = _client(server, room, "lead@example.org"), _client(server, room, "advocate@example.org")
    try:
        assert alice.join() == {"ok": True, "access": "edit"}
        assert bob.join() == {"ok": True, "access": "edit"}
        assert wait_for(lambda: "Anchor task" in str(bob.replica.fragment))
        assert alice.edit(lambda d: d.get("text", type=Text).insert(0, "over the wire")) == {"ok": True}
        assert wait_for(lambda: str(bob.replica.text) == "over the wire")
        message = awareness_message(4242, 1, {"user": {"name": "Sam"}})
        assert alice.call("doc:awareness", room, message) == {"ok": True}
        # relayed with the server's own word on who sent it (collab.realtime.presence)
        assert wait_for(lambda: any(4242 in awareness_clients(m) for m in bob.replica.awareness))
        [relayed] = [m for m in bob.replica.awareness if 4242 in awareness_clients(m)]
        assert json.loads(awareness_clients(relayed)[4242])["user"]["name"] == "Sam Lead"
        assert alice.call("doc:leave", room) == {"ok": True}
        assert wait_for(lambda: len(bob.replica.awareness) >= 2)
    finally:
        alice.disconnect()
        bob.disconnect()


def test_a_non_member_is_refused_over_websocket(live):
    server, room = live
    outsider = _client(server, room, "outsider@example.org")
    try:
        assert outsider.join()["error"] == "not-found"
        time.sleep(0.2)
        assert str(outsider.replica.fragment) == ""
    finally:
        outsider.disconnect()


def test_a_quiet_connection_outlives_the_heartbeat(tmp_path):
    """With direct writes (collab/server/fastsend.py) the writer's queue stays empty on a live connection: that must not
    close it (every connection was closed after ping interval + timeout, 45 s, found by bench/hostile.py)."""
    heartbeat = {"COLLAB_PING_INTERVAL_SECONDS": "1", "COLLAB_PING_TIMEOUT_SECONDS": "1"}
    with serving_a_plan(tmp_path, "Heartbeat plan", env=heartbeat) as (server, room):
        quiet = _client(server, room, "lead@example.org")
        assert quiet.join()["ok"]
        time.sleep(5)  # over two heartbeats without the client sending anything but pongs
        assert quiet.sio.connected
        assert quiet.edit(lambda doc: doc.get("text", type=Text).insert(0, "still here"))["ok"]
        quiet.disconnect()
