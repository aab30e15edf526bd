"""The observations package's part in the real-time layer.

- Room kind "observation": `observation:<record_id>` is one observer's record (a shared Yjs document).
  The observer edits it; others read it as collab.observations.permissions.can_read_record allows.
- Room `visit:<visit_id>` (no document): the lesson clock. Clients join with `visit:join` and receive
  `visit:phase` whenever the host starts the lesson, moves its phase, ends it or changes the sharing rule, and
  `visit:records` whenever a record is added or removed or who may read the records changes.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_socketio import join_room, leave_room

from collab.accounts.models import User
from collab.extensions import db, socketio
from collab.observations.models import ObservationRecord, Visit
from collab.observations.permissions import can_edit_record, can_read_record, can_view_visit
from collab.observations.visits.services import lesson_state
from collab.realtime.connections import get_registry
from collab.realtime.events import guarded
from collab.realtime.rooms import Access, parse_room, register_kind
from collab.realtime.sync import Refused

NOT_FOUND = "There is no such visit, or you may not see it."


def resolve_record(user, record_id: int) -> tuple[int, Access] | None:
    record = db.session.get(ObservationRecord, record_id)
    if record is None or not can_read_record(user, record):
        return None
    return record.document_id, ("edit" if can_edit_record(user, record) else "read")


def _visit_room(room: Any) -> tuple[str, int]:
    parsed = parse_room(room)
    if parsed is None or parsed[0] != "visit":
        raise Refused("not-found", NOT_FOUND)
    return room, parsed[1]


@guarded
def visit_join(room: Any = None, *_extra: Any) -> dict[str, Any]:
    """Client -> server `visit:join("visit:<id>")`. Ack {"ok": true, "state": <lesson state>}; from then on the
    sender receives `visit:phase(room, state)` on every change. Refused `not-found` unless the user may see
    the visit."""
    name, visit_id = _visit_room(room)
    db.session.expire_all()  # see the visit as it is now, not as this app context last loaded it
    visit = db.session.get(Visit, visit_id)
    connection = get_registry().get(request.sid)
    user = db.session.get(User, connection.user_id) if connection is not None else None
    if visit is None or user is None or not user.active or not can_view_visit(user, visit):
        raise Refused("not-found", NOT_FOUND)
    join_room(name, sid=request.sid)
    connection.visits.add(name)
    return {"ok": True, "state": lesson_state(visit)}


@guarded
def visit_leave(room: Any = None, *_extra: Any) -> dict[str, Any]:
    """Client -> server `visit:leave("visit:<id>")`. Ack {"ok": true}."""
    name, _visit_id = _visit_room(room)
    connection = get_registry().get(request.sid)
    if connection is None or name not in connection.visits:
        raise Refused("not-joined", "Join the visit before leaving it.")
    connection.visits.discard(name)
    leave_room(name, sid=request.sid)
    return {"ok": True}


def register() -> None:
    # Who may read a record changes with its visit (sharing, the lesson ending or starting again, records deleted:
    # the visits services announce it, for the visit's record rooms), the session's deletion, and the person's
    # memberships (announced for them): collab.realtime.access.
    register_kind("observation", resolve_record)
    socketio.on_event("visit:join", visit_join)
    socketio.on_event("visit:leave", visit_leave)
