"""Authorisation rows for the development plans' socket handler (played by tests/realtime/test_authorisation.py).

`notify:subscribe` joins the connection's own "user:<id>" room: every signed-in person may, and it
never names anyone else. The "devplan" room kind's doc:join is covered in test_visibility.py.
"""

from __future__ import annotations

EXPECTED = {
    "notify:subscribe": {"anonymous": "n/a", "non-member": "ok", "read-only": "ok", "member": "ok"},
}


def act(handler: str, role: str, world, peer) -> str:
    user = {"anonymous": None, "non-member": world.outsider, "read-only": world.colleague,
            "member": world.advocate}[role]
    p = peer(user, "devplan:1")
    if user is None:
        return "n/a" if p.sio is None or not p.sio.is_connected() else "connected"
    ack = p.emit("notify:subscribe")
    return "ok" if ack.get("ok") else ack["error"]
