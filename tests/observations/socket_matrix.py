"""Rows of tests/realtime/test_authorisation.py's matrix for the visit room handlers (see that module)."""

from __future__ import annotations

from tests.observations.helpers import make_visit

EXPECTED = {
    "visit:join": {"anonymous": "n/a", "non-member": "not-found", "read-only": "ok", "member": "ok"},
    "visit:leave": {"anonymous": "n/a", "non-member": "not-joined", "read-only": "ok", "member": "ok"},
}


def act(handler: str, role: str, world, peer) -> str:
    visit = make_visit(world)
    room = f"visit:{visit.id}"
    user = {"anonymous": None, "non-member": world.outsider, "read-only": world.colleague,
            "member": world.advocate}[role]
    p = peer(user, room)
    if p.sio is None or not p.sio.is_connected():
        return "n/a"
    ack = p.emit("visit:join", room)
    if handler == "visit:leave":
        ack = p.emit("visit:leave", room)
    return "ok" if ack.get("ok") else ack["error"]
