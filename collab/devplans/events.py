"""The development plans' part in the real-time layer: the "devplan" room kind, and `notify:subscribe`.

Comments are created over HTTP (idempotent by client id); the service then sends `devplan:comment`
(server -> everyone joined to "devplan:<id>") with the whole thread. Unread counts go to "user:<id>".
"""

from __future__ import annotations

import logging
from typing import Any

from flask import request
from flask_socketio import join_room

from collab.devplans.models import DevPlan
from collab.devplans.notifications.services import unread_count, user_room
from collab.devplans.permissions import can_edit_devplan, can_read_devplan
from collab.extensions import db, socketio
from collab.realtime.connections import get_registry
from collab.realtime.rooms import Access, register_kind
from collab.realtime.yupdates import is_fatal

log = logging.getLogger(__name__)


def resolve_devplan(user, plan_id: int) -> tuple[int, Access] | None:
    plan = db.session.get(DevPlan, plan_id)
    if plan is None or not can_read_devplan(user, plan):
        return None
    return plan.document_id, ("edit" if can_edit_devplan(user, plan) else "read")


def notify_subscribe(*_args: Any) -> dict[str, Any]:
    """Client -> server `notify:subscribe()` after connecting. Ack {"ok": true, "unread": n}; from then on
    the connection gets `notify:count` {"unread": n} whenever its user's unread count changes."""
    try:
        connection = get_registry().get(request.sid)
        if connection is None:
            return {"ok": False, "error": "not-found", "message": "Connect first."}
        room = user_room(connection.user_id)
        join_room(room, sid=request.sid)
        connection.notifications = room
        return {"ok": True, "unread": unread_count(connection.user_id)}
    except BaseException as exc:
        if is_fatal(exc):
            raise
        log.exception("notify:subscribe failed")
        return {"ok": False, "error": "server-error", "message": "Something went wrong on the server."}


def register() -> None:
    # Who may read or edit changes as critique rounds open and close (devplans.rounds.services announces it, for
    # the plan's room) and with the person's memberships and roles (announced for them): collab.realtime.access.
    register_kind("devplan", resolve_devplan)
    socketio.on_event("notify:subscribe", notify_subscribe)
