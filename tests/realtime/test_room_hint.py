"""The `?room=` in a Socket.IO connection's URL is only a routing hint for nginx (docs/deployment.md): the server
neither trusts it nor needs it."""

from __future__ import annotations

from collab.extensions import socketio
from tests.realtime.client import TestPeer
from tests.realtime.conftest import sign_in


def _peer(app, user, room: str, hint: str) -> TestPeer:
    client = app.test_client()
    sign_in(client, user)
    peer = TestPeer(app, socketio, client, room)
    peer.sio = socketio.test_client(app, flask_test_client=client, query_string=f"room={hint}")
    assert peer.sio.is_connected()
    return peer


def test_a_room_hint_for_a_plan_grants_nothing_to_someone_who_may_not_read_it(app, world, room):
    outsider = _peer(app, world.outsider, room, hint=room)
    try:
        assert outsider.join()["error"] == "not-found"
    finally:
        outsider.disconnect()


def test_a_connection_joins_any_room_it_may_read_whatever_its_hint_says(app, world, room):
    member = _peer(app, world.advocate, room, hint="plan:999999")
    try:
        assert member.join() == {"ok": True, "access": "edit"}
    finally:
        member.disconnect()
