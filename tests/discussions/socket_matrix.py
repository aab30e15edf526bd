"""The discussion's rows in the socket authorisation matrix (tests/realtime/test_authorisation.py).

"read-only" there is a plan's read-only colleague: still a member of the Work Group, so may post here.
A hub admin who is not a member is refused like any non-member (`not-found`): tested in test_sockets.py.
"""

from __future__ import annotations

from datetime import timedelta

from tests import factories
from tests.discussions.conftest import new_id, post_payload

_NOT_MEMBER = {"anonymous": "n/a", "non-member": "not-joined", "read-only": "ok", "member": "ok"}
EXPECTED: dict[str, dict[str, str]] = {
    "discussion:join": {"anonymous": "n/a", "non-member": "not-found", "read-only": "ok", "member": "ok"},
    "discussion:post": _NOT_MEMBER,
    "discussion:action": _NOT_MEMBER,
    "discussion:action-done": _NOT_MEMBER,
    # Correcting: a member their own post or action (who else may is tested in test_post_corrections.py and
    # test_action_edits.py); a non-member someone else's, refused before anything is looked up.
    "discussion:edit": _NOT_MEMBER,
    "discussion:delete": _NOT_MEMBER,
    "discussion:action-edit": _NOT_MEMBER,
}
_USERS = {"non-member": "outsider", "read-only": "colleague", "member": "advocate"}


def act(handler: str, role: str, world, peer) -> str:
    from collab.discussions import action_services

    visit = factories.session(world.group, starts_in=timedelta(days=-1))
    p = peer(getattr(world, _USERS[role]) if role in _USERS else None, f"discussion:{visit.id}")
    if p.sio is None or not p.sio.is_connected():
        return "n/a"
    joined = p.emit("discussion:join", visit.id)
    if handler == "discussion:join":
        return "ok" if joined.get("ok") else joined["error"]
    if handler == "discussion:post":
        ack = p.emit("discussion:post", post_payload())
    elif handler == "discussion:action":
        ack = p.emit("discussion:action", {"client_id": new_id(), "text": "Share the task",
                                           "owner_id": world.lead.id, "due_date": "14/03/2025"})
    elif handler == "discussion:action-done":
        action, _ = action_services.create_action(world.lead, visit, new_id(), "Share the task", world.lead.id, None)
        ack = p.emit("discussion:action-done", {"action_id": action.id, "done": True})
    elif handler in ("discussion:edit", "discussion:delete", "discussion:action-edit"):
        from collab.discussions import services

        mine = getattr(world, _USERS[role]) if role in ("read-only", "member") else world.lead
        if handler == "discussion:action-edit":
            action, _ = action_services.create_action(mine, visit, new_id(), "Share the task", world.lead.id, None)
            ack = p.emit(handler, {"action_id": action.id, "text": "Share it", "owner_id": world.lead.id})
        else:
            post, _ = services.create_post(mine, visit, new_id(), "noticed", "Pupil A first")
            ack = p.emit(handler, {"post_id": post.id, "body": "Pupil A, first"})
    else:
        raise AssertionError(f"no scenario for {handler}")
    return "ok" if ack.get("ok") else ack["error"]
