"""Who may do what over the socket: every registered handler x {anonymous, non-member, read-only, member}.

The matrix must have a row for every handler registered on the Socket.IO server: adding a handler without
deciding who may use it fails test_every_registered_handler_has_a_row_for_every_role.

Other packages add rows for their own handlers in `tests/<package>/socket_matrix.py`:
`EXPECTED = {"visit:join": {"anonymous": "n/a", "non-member": "not-found", "read-only": "ok", "member": "ok"}}`
and `act(handler, role, world, peer) -> outcome` that plays one row (same outcome words as below).
"""

from __future__ import annotations

import importlib

import pytest
from pycrdt import Doc, Text

from collab.extensions import socketio
from tests import factories
from tests.realtime.client import awareness_message, sync_message

ROLES = ("anonymous", "non-member", "read-only", "member")

# outcome: "ok", an error code, "refused" (connection refused), or "n/a" (cannot get that far: not connected)
EXPECTED: dict[str, dict[str, str]] = {
    "connect":       {"anonymous": "refused", "non-member": "ok", "read-only": "ok", "member": "ok"},
    "disconnect":    {"anonymous": "n/a", "non-member": "ok", "read-only": "ok", "member": "ok"},
    "doc:join":      {"anonymous": "n/a", "non-member": "not-found", "read-only": "ok", "member": "ok"},
    "doc:leave":     {"anonymous": "n/a", "non-member": "not-joined", "read-only": "ok", "member": "ok"},
    "doc:sync":      {"anonymous": "n/a", "non-member": "not-joined", "read-only": "read-only", "member": "ok"},
    "doc:awareness": {"anonymous": "n/a", "non-member": "not-joined", "read-only": "ok", "member": "ok"},
    "*":             {"anonymous": "n/a", "non-member": "unknown-event", "read-only": "unknown-event",
                      "member": "unknown-event"},
}


CONTRIBUTORS = ("tests.discussions.socket_matrix", "tests.observations.socket_matrix",
                "tests.devplans.socket_matrix", "tests.sessions.socket_matrix")


def _contributed() -> dict[str, object]:
    """handler -> the module that owns its row."""
    owners: dict[str, object] = {}
    for name in CONTRIBUTORS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        for handler in module.EXPECTED:
            owners[handler] = module
    return owners


CONTRIBUTED = _contributed()


def _user(world, role: str):
    return {"anonymous": None, "non-member": world.outsider, "read-only": world.colleague,
            "member": world.advocate}[role]


def _update() -> bytes:
    doc = Doc()
    doc.get("text", type=Text).insert(0, "hello")
    return sync_message(2, doc.get_update())


def _outcome(ack) -> str:
    return "ok" if ack.get("ok") else ack["error"]


def _act(handler: str, p, room: str) -> str:
    if handler == "connect":
        return "ok" if p.sio is not None and p.sio.is_connected() else "refused"
    if handler == "disconnect":
        p.disconnect()
        return "ok"
    if handler == "doc:join":
        return _outcome(p.join())
    p.join()  # what follows is tried after a join (refused for a non-member)
    if handler == "doc:leave":
        return _outcome(p.emit("doc:leave", room))
    if handler == "doc:sync":
        return _outcome(p.emit("doc:sync", room, _update()))
    if handler == "doc:awareness":
        return _outcome(p.emit("doc:awareness", room, awareness_message(5, 1, {"user": {"name": "x"}})))
    if handler == "*":
        return _outcome(p.emit("plan:delete", room))
    raise AssertionError(f"no scenario for {handler}")


def test_every_registered_handler_has_a_row_for_every_role(app):
    registered = set(socketio.server.handlers["/"])
    rows = {**{h: m.EXPECTED[h] for h, m in CONTRIBUTED.items()}, **EXPECTED}
    missing = registered - set(rows)
    assert not missing, (f"socket handlers without an authorisation row: {sorted(missing)}; add them to "
                         "EXPECTED in tests/<package>/socket_matrix.py (see this module's docstring)")
    for handler, row in rows.items():
        assert set(row) == set(ROLES), handler


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("handler", sorted(CONTRIBUTED))
def test_contributed_authorisation_rows(handler, role, world, peer):
    module = CONTRIBUTED[handler]
    assert module.act(handler, role, world, peer) == module.EXPECTED[handler][role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("handler", list(EXPECTED))
def test_authorisation_matrix(handler, role, world, room, read_only_colleague, peer):
    expected = EXPECTED[handler][role]
    p = peer(_user(world, role), room)
    if role == "anonymous":
        assert p.sio is None or not p.sio.is_connected()
        assert expected in ("refused", "n/a")
        return
    assert _act(handler, p, room) == expected


def test_a_refused_join_gets_no_document_and_nothing_reaches_the_non_member(world, room, peer):
    member, outsider = peer(world.advocate, room), peer(world.outsider, room)
    member.join()
    assert outsider.join()["error"] == "not-found"
    member.edit(lambda doc: doc.get("text", type=Text).insert(0, "secret"))
    member.emit("doc:awareness", room, awareness_message(9, 1, {"user": {"name": "Alex"}}))
    outsider.pump()
    assert outsider.events("doc:sync") == []
    assert outsider.events("doc:awareness") == []
    assert str(outsider.replica.text) == ""


def test_a_non_members_update_changes_nothing(world, room, peer):
    from tests.realtime.conftest import stored_bytes

    outsider = peer(world.outsider, room)
    outsider.join()
    before = stored_bytes()
    assert outsider.emit("doc:sync", room, _update())["error"] == "not-joined"
    assert stored_bytes() == before


def test_a_read_only_member_sees_live_changes(world, room, read_only_colleague, peer):
    lead, reader = peer(world.lead, room), peer(read_only_colleague, room)
    assert reader.join() == {"ok": True, "access": "read"}
    lead.join()
    lead.edit(lambda doc: doc.get("text", type=Text).insert(0, "live"))
    reader.pump()
    assert str(reader.replica.text) == "live"


def test_a_hub_admin_may_edit_only_as_a_member_of_the_group(world, room, peer):
    assert peer(world.admin, room).join()["error"] == "not-found"  # plans are the members' (docs/privacy.md)
    assert peer(world.other_admin, room).join()["error"] == "not-found"
    factories.member(world.group, world.admin)
    assert peer(world.admin, room).join() == {"ok": True, "access": "edit"}


def test_a_deactivated_user_is_refused_on_connect(world, room, peer):
    from collab.extensions import db

    world.advocate.active = False
    db.session.commit()
    p = peer(world.advocate, room)
    assert p.sio is None or not p.sio.is_connected()


def test_an_unknown_room_kind_and_a_missing_plan_are_not_found(world, peer):
    p = peer(world.lead, "plan:999999")
    assert p.join()["error"] == "not-found"
    assert p.emit("doc:join", "observation:1")["error"] == "not-found"
    assert p.emit("doc:join", "plan:abc")["error"] == "not-found"
