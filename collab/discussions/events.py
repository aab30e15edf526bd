"""Socket.IO handlers for the post-lesson discussion (docs/discussions.md lists the events and acks).

Thin: check the connection joined the discussion and its user may post, call the service, ack. The
service commits and then broadcasts to the room "discussion:<session_id>", so an ack always follows a
commit. Refusals ack {"ok": false, "error", "message"} and also send `discussion:error` to the sender;
nothing is changed and the connection keeps working.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import request
from flask_socketio import join_room

from collab.accounts.models import User
from collab.discussions import action_services, post_edits, services
from collab.discussions.permissions import can_post_discussion, can_read_discussion
from collab.discussions.services import Invalid
from collab.extensions import db, socketio
from collab.realtime.connections import Connection, JoinedDiscussion, get_registry
from collab.realtime.publish import emit_to_connection
from collab.realtime.yupdates import is_fatal
from collab.sessions.models import GroupSession
from collab.web.lookups import get_or_none, parse_id

log = logging.getLogger(__name__)
Ack = dict[str, Any]
NOT_FOUND = "There is no such discussion, or you may not see it."


def _refuse(code: str, message: str, session_id: int | None = None) -> Ack:
    emit_to_connection(request.sid, "discussion:error", {"session_id": session_id, "error": code,
                                                         "message": message})
    return {"ok": False, "error": code, "message": message}


def guarded(handler: Callable[..., Ack]) -> Callable[..., Ack]:
    """Invalid becomes a failed ack; any other failure `server-error` (logged, rolled back, nothing acked)."""

    @functools.wraps(handler)
    def wrapper(*args: Any) -> Ack:
        try:
            return handler(*args)
        except Invalid as refused:
            db.session.rollback()
            return _refuse(refused.code, str(refused))
        except BaseException as exc:
            if is_fatal(exc):
                raise
            db.session.rollback()
            log.exception("discussion event failed")
            return _refuse("server-error", "Something went wrong on the server; nothing was saved. Send again later.")

    return wrapper


def _connection() -> Connection:
    connection = get_registry().get(request.sid)
    if connection is None:
        raise Invalid("This connection is not signed in.", "not-joined")
    return connection


def _user(connection: Connection) -> User:
    """Loaded again on every event, so a deactivation or a membership change counts at once."""
    user = db.session.get(User, connection.user_id)
    if user is None or not user.active:
        raise Invalid(NOT_FOUND, "not-found")
    return user


def _payload(data: object) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise Invalid("Send one object with the post's fields.", "malformed")
    return data


def _writable(data: dict[str, Any]) -> tuple[User, GroupSession]:
    """The user and the session of a discussion this connection joined (checked against the connection's
    record, never only against the payload) which the user may still post in."""
    connection = _connection()
    joined = connection.discussions
    wanted = data.get("session_id")
    # One joined discussion (a browser page): the post is for it. Several: the payload must say which.
    if wanted is None and len(joined) == 1:
        session_id: int | None = next(iter(joined.values())).session_id
    else:
        session_id = parse_id(wanted)
    if session_id is None or services.room_for(session_id) not in joined:
        raise Invalid("Join the discussion before posting to it.", "not-joined")
    user = _user(connection)
    session = db.session.get(GroupSession, session_id)
    if session is None or not can_read_discussion(user, session):
        raise Invalid(NOT_FOUND, "not-found")
    if not can_post_discussion(user, session):
        raise Invalid("You can read this discussion but not post in it.", "read-only")
    if not connection.bucket.take():  # the connection's own limit, shared with its document updates
        raise Invalid("Too many messages; slow down and send again.", "rate-limited")
    return user, session


@guarded
def discussion_join(session_id: Any = None, *_extra: Any) -> Ack:
    """Browser -> server `discussion:join(session_id)`. Ack {"ok": true, "room": "discussion:<id>",
    "access": "post" | "read"}; from then on the sender receives the room's discussion:* broadcasts.
    Refused `not-found` unless the user may see the session."""
    connection = _connection()
    user = _user(connection)
    session = get_or_none(GroupSession, parse_id(session_id))
    if session is None or not can_read_discussion(user, session):
        raise Invalid(NOT_FOUND, "not-found")
    access = "post" if can_post_discussion(user, session) else "read"
    room = services.room_for(session.id)
    join_room(room, sid=request.sid)
    connection.discussions[room] = JoinedDiscussion(session.id, access)
    return {"ok": True, "room": room, "access": access}


@guarded
def discussion_post(data: Any = None, *_extra: Any) -> Ack:
    """Browser -> server `discussion:post({client_id, section, body, parent_id?, quote?, session_id?})`.
    Committed, then ack {"ok": true, "post": {...}, "created": true} and everyone in the room (sender
    too) gets `discussion:posted` with the same post. A resend of a client_id acks the existing post with
    "created": false and broadcasts nothing."""
    data = _payload(data)
    user, session = _writable(data)
    post, created = services.create_post(user, session, data.get("client_id"), data.get("section"),
                                         data.get("body"), data.get("parent_id"), data.get("quote"))
    return {"ok": True, "post": services.post_json(post), "created": created}


@guarded
def discussion_action(data: Any = None, *_extra: Any) -> Ack:
    """Browser -> server `discussion:action({client_id, text, owner_id, due_date?, session_id?})`.
    Ack {"ok": true, "action": {...}, "created": bool}; the room gets `discussion:action-added`."""
    data = _payload(data)
    user, session = _writable(data)
    action, created = action_services.create_action(user, session, data.get("client_id"), data.get("text"),
                                             data.get("owner_id"), data.get("due_date"))
    return {"ok": True, "action": action_services.action_json(action), "created": created}


@guarded
def discussion_action_done(data: Any = None, *_extra: Any) -> Ack:
    """Browser -> server `discussion:action-done({action_id, done, session_id?})`. Ack {"ok": true,
    "action": {...}}; when it changed, the room gets `discussion:action-updated`."""
    data = _payload(data)
    user, session = _writable(data)
    action = action_services.set_action_done(user, session, data.get("action_id"), data.get("done"))
    return {"ok": True, "action": action_services.action_json(action)}


@guarded
def discussion_edit(data: Any = None, *_extra: Any) -> Ack:
    """Browser -> server `discussion:edit({post_id, body, session_id?})`: the author corrects a post. Ack
    {"ok": true, "post": {...}}; when it changed, the room gets `discussion:post-updated` (the post, "edited")."""
    data = _payload(data)
    user, session = _writable(data)
    post = post_edits.edit_post(user, session, data.get("post_id"), data.get("body"))
    return {"ok": True, "post": services.post_json(post)}


@guarded
def discussion_delete(data: Any = None, *_extra: Any) -> Ack:
    """Browser -> server `discussion:delete({post_id, session_id?})`: the author, or a lead moderating. Its words
    are wiped; ack {"ok": true, "post": {... "deleted": true}} and the room gets `discussion:post-updated`."""
    data = _payload(data)
    user, session = _writable(data)
    post = post_edits.delete_post(user, session, data.get("post_id"))
    return {"ok": True, "post": services.post_json(post)}


@guarded
def discussion_action_edit(data: Any = None, *_extra: Any) -> Ack:
    """Browser -> server `discussion:action-edit({action_id, text, owner_id, due_date?, session_id?})`: the lead
    or the action's creator. Ack {"ok": true, "action": {...}}; the room gets `discussion:action-updated`."""
    data = _payload(data)
    user, session = _writable(data)
    action = action_services.edit_action(user, session, data.get("action_id"), data.get("text"),
                                         data.get("owner_id"), data.get("due_date"))
    return {"ok": True, "action": action_services.action_json(action)}


HANDLERS: dict[str, Callable[..., Any]] = {
    "discussion:join": discussion_join,
    "discussion:post": discussion_post,
    "discussion:action": discussion_action,
    "discussion:action-done": discussion_action_done,
    "discussion:edit": discussion_edit,
    "discussion:delete": discussion_delete,
    "discussion:action-edit": discussion_action_edit,
}


def register() -> None:
    """Called by collab.realtime.events.init_app with the other packages' socket handlers."""
    for event, handler in HANDLERS.items():
        socketio.on_event(event, handler)
    # Its handlers check the database on every event (no cached decision), so no change of access is announced
    # for discussion rooms (collab.realtime.access).
