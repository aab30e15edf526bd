"""The Yjs sync and awareness protocol over Socket.IO (docs/realtime-protocol.md).

Each function takes the connection's sid and the event's arguments, returns the ack dict, and raises
Refused for anything it will not do. events.py turns Refused into a doc:error plus a failed ack.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import current_app
from flask_socketio import join_room, leave_room

from collab.accounts.models import User
from collab.extensions import db, socketio
from collab.realtime import metrics
from collab.realtime.access import get_epoch
from collab.realtime.connections import Connection, JoinedRoom, get_registry
from collab.realtime.presence import stamped
from collab.realtime.publish import emit_to_connection, emit_to_room, emit_to_room_except
from collab.realtime.rooms import resolve_room
from collab.realtime.store import DocumentFull, InvalidContent, OutOfSync, get_store
from collab.realtime.ycheck import TooLong
from collab.realtime.yupdates import (
    EMPTY_UPDATE,
    Malformed,
    awareness_removal_message,
    is_fatal,
    parse_sync_message,
    sync_step1,
    sync_step2,
    sync_update,
)

log = logging.getLogger(__name__)
Ack = dict[str, Any]
OK: Ack = {"ok": True}
MAX_WAITING_UPDATES = 64  # a connection's updates waiting for their turn (in_order) before more are refused
STEP1_EVERY = 1.0  # seconds: the least time between two sync step 1s sent to a connection after out-of-sync updates


class Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _connection(sid: str) -> Connection:
    connection = get_registry().get(sid)
    if connection is None:  # only if connect was refused and the client talks anyway
        raise Refused("not-joined", "This connection is not signed in.")
    return connection


def _joined(sid: str, room: object) -> tuple[str, JoinedRoom]:
    if not isinstance(room, str):
        raise Refused("malformed", "The first argument must be a room name.")
    joined = _connection(sid).documents.get(room)
    if joined is None:
        raise Refused("not-joined", "Join the document before sending to it.")
    return room, joined


def _binary(message: object) -> bytes:
    if not isinstance(message, bytes | bytearray | memoryview):
        raise Refused("malformed", "The message must be binary.")
    data = bytes(message)
    if len(data) > current_app.config["COLLAB_MAX_MESSAGE_BYTES"]:
        raise Refused("too-large", "The message is over the size limit.")
    return data


def connect(sid: str, user: Any, session_token: str | None = None) -> None:
    registry = get_registry()
    if registry.limits.paused(user.id):
        raise ConnectionRefusedError("paused after malformed messages; try again in a few seconds")
    registry.add(sid, Connection(user_id=user.id, bucket=registry.limits.acquire(user.id),
                                 session_token=session_token, user_name=user.name))


def _malformed(sid: str, message: str) -> Refused:
    """The refusal of a malformed message from this connection, counted against its person. At the strike that
    pauses them, every connection of theirs in this process is closed (after this reply): a flood then costs its
    sender reconnecting, which is refused until the pause ends, instead of costing the server a message at a time
    (collab.realtime.user_limits)."""
    connection = _connection(sid)
    if connection.bucket.strike():
        _cut_off(connection.user_id)
    return Refused("malformed", message)


def _cut_off(user_id: int) -> None:
    registry = get_registry()
    cut = [sid for sid, c in registry.items() if c.user_id == user_id]
    log.warning("user %s paused after malformed messages; closing %d connection(s)", user_id, len(cut))
    socketio.start_background_task(_close, socketio.server, cut)


def _close(server: Any, sids: list[str]) -> None:
    for sid in sids:
        try:
            server.disconnect(sid, namespace="/")
        except Exception:  # already gone
            log.debug("closing %s failed", sid, exc_info=True)


def _user(connection: Connection) -> Any:
    """The connection's user, loaded again so deactivation and membership changes count at once."""
    user = db.session.get(User, connection.user_id)
    if user is None or not user.active:
        raise Refused("not-found", "There is no such document, or you may not see it.")
    return user


def join(sid: str, room: object) -> Ack:
    connection = _connection(sid)
    epoch = get_epoch().current()  # read before resolving: the decision reflects at least this epoch
    # In an app context of its own, as _recheck: its session's pooled connection goes back when the decision is
    # made, not after the document's own read (another connection) and the CPU work of encoding it. Held, each of
    # 500 joins at once wanted two connections and the pool (shared with the group commit) timed out under them.
    with current_app.app_context():
        resolved = resolve_room(_user(connection), room)
    if resolved is None:
        raise Refused("not-found", "There is no such document, or you may not see it.")
    store = get_store()
    store.refresh(resolved.document_id)
    join_room(resolved.name, sid=sid, namespace="/")
    previous = connection.documents.get(resolved.name)
    connection.documents[resolved.name] = JoinedRoom(resolved.document_id, resolved.access,
                                                     previous.awareness if previous else {}, epoch)
    # Step 1 asks the client for what the server lacks (offline edits); step 2 gives it the document.
    emit_to_connection(sid, "doc:sync", (resolved.name, sync_step1(
        store.state_vector(resolved.document_id))))
    emit_to_connection(sid, "doc:sync", (resolved.name, sync_step2(store.live_state(resolved.document_id))))
    _catch_up_later(sid, resolved.name, resolved.document_id)
    return {"ok": True, "access": resolved.access}


def _catch_up_later(sid: str, name: str, document_id: int) -> None:
    """With several processes, send the joiner (COLLAB_JOIN_CATCH_UP_SECONDS later) whatever other processes committed
    since its step 2 (just sent: the store's state vector now). Their edits reach it through Redis, but an edit
    another process relayed while this one had not yet joined the room was dropped here, and if it was committed
    only after the join read the database it was in neither: the joiner would lack it (and see nothing that builds
    on it) until its next join. By then it is committed (relays precede commits by one group commit), so the catch-
    up reads it from the database. What the joiner already has is sent again, which Yjs ignores. Skipped for a room
    no other process has had a connection in (collab.realtime.redis_queue), nearly every room: after a restart, 500
    joiners each catching up re-read their documents' recent log at once."""
    delay = float(current_app.config.get("COLLAB_JOIN_CATCH_UP_SECONDS", 0))
    if delay <= 0 or not current_app.config.get("COLLAB_REDIS_URL"):
        return  # one process: every edit of the room is relayed here, none can be missed
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    sent = get_store().state_vector(document_id)
    socketio.start_background_task(_catch_up, app, sid, name, document_id, sent, delay)


def _catch_up(app: Any, sid: str, name: str, document_id: int, sent: bytes, delay: float) -> None:
    socketio.sleep(delay)
    with app.app_context():
        try:
            connection = get_registry().get(sid)
            joined = connection.documents.get(name) if connection is not None else None
            if joined is None or joined.document_id != document_id:
                return  # left, or gone
            never_shared = getattr(socketio.server.manager, "never_shared", None)
            if never_shared is not None and never_shared(name):
                return  # no other process had anyone in the room: every edit of it was relayed here
            store = get_store()
            store.refresh(document_id)
            missing = store.diff(document_id, sent)
            if missing != EMPTY_UPDATE:
                emit_to_connection(sid, "doc:sync", (name, sync_update(missing)))
        except BaseException as exc:
            if is_fatal(exc):
                raise
            log.exception("catching up connection %s in %s failed", sid, name)


def catch_up_rooms(app: Any) -> None:
    """After this process may have missed other processes' messages, or they its own (collab.realtime.redis_queue
    calls this: Redis was lost for a while, or the others had taken this process for dead): send every document
    room here that another process has had a connection in its committed document, to its connections on every
    process, as a join does. An edit that never arrived made Yjs hold back every later edit building on it on
    those pages: they would show nobody else's typing until reloaded. Yjs ignores what a page already has."""
    with app.app_context():
        never_shared = getattr(socketio.server.manager, "never_shared", None)
        rooms = {name: joined.document_id for _sid, connection in get_registry().items()
                 for name, joined in connection.documents.items()
                 if never_shared is None or not never_shared(name)}
        store = get_store()
        for name, document_id in rooms.items():
            try:
                store.refresh(document_id)
                emit_to_room(name, "doc:sync", (name, sync_update(store.live_state(document_id))))
                metrics.ROOMS_CAUGHT_UP.inc()
            except BaseException as exc:
                if is_fatal(exc):
                    raise
                log.exception("catching up room %s failed", name)
            socketio.sleep(0)  # a big document takes a while to encode: let the connections be served between
        if rooms:
            log.warning("sent %d room(s) their committed document after messages between processes were missed",
                        len(rooms))


def _recheck(sid: str, name: str, joined: JoinedRoom) -> JoinedRoom:
    """The connection's access to the room, asked of the database again when a change announced since the decision
    names this room or this person (collab.realtime.access: this process learns of changes at most every
    COLLAB_ACCESS_RECHECK_SECONDS, and at once of those committed here), so a lead making someone read-only (or
    removing them) takes effect live. Otherwise no query at all. A connection that may no longer read the room is
    dropped from it and refused `not-found`."""
    changes = get_epoch()
    epoch = changes.current()
    if joined.epoch >= epoch:
        return joined
    if not changes.changed_since(joined.epoch, name, _connection(sid).user_id):
        joined.epoch = epoch  # still right: nothing known up to `epoch` names this room or person
        return joined
    # One re-check at a time per connection and room: messages arriving while it reads the database go on with
    # the current decision, as they would a moment earlier (and a connection's later update cannot overtake
    # this one and be refused out-of-sync: docs/performance.md). The new decision counts from `epoch`, read
    # before its reads began.
    joined.epoch = epoch
    try:
        # In an app context of its own: its database session (and pooled connection) ends here, instead of being
        # held by this handler while its update waits for the group commit.
        with current_app.app_context():
            resolved = resolve_room(_user(_connection(sid)), name)
    except Refused:
        resolved = None
    except BaseException:
        if joined.epoch == epoch:
            joined.epoch = -1  # not decided: the next message asks again
        raise
    if resolved is None or resolved.document_id != joined.document_id:
        _drop(sid, name, joined)
        raise Refused("not-found", "There is no such document, or you may not see it.")
    joined.access = resolved.access
    return joined


def leave(sid: str, room: object) -> Ack:
    name, joined = _joined(sid, room)
    _drop(sid, name, joined)
    return OK


def disconnect(sid: str) -> None:
    registry = get_registry()
    connection = registry.remove(sid)
    if connection is None:
        return
    registry.limits.release(connection.bucket)
    for name, joined in list(connection.documents.items()):
        _drop(sid, name, joined, connection)
    for name in connection.forget_rooms():  # the other kinds of room have no cursors to take away
        leave_room(name, sid=sid, namespace="/")


def _drop(sid: str, name: str, joined: JoinedRoom, connection: Connection | None = None) -> None:
    """Take the connection out of a document room and tell the others its cursors are gone."""
    registry = get_registry()
    if connection is None:
        connection = registry.get(sid)
    if connection is not None:
        connection.documents.pop(name, None)
    leave_room(name, sid=sid, namespace="/")  # also called outside a request context (events.direct)
    if joined.awareness:
        registry.client_ids.release(name, list(joined.awareness))
        emit_to_room_except(name, "doc:awareness", (name, awareness_removal_message(joined.awareness)), sid)


def sync(sid: str, room: object, message: object) -> Ack:
    arrived = time.perf_counter()
    name, joined = _joined(sid, room)
    data = _binary(message)
    try:
        subtype, payload = parse_sync_message(data)
    except Malformed as exc:
        raise _malformed(sid, f"Not a sync message: {exc}.") from exc
    store = get_store()
    if subtype == 0:
        try:
            reply = store.diff(joined.document_id, payload)
        except Malformed as exc:
            raise _malformed(sid, "The state vector could not be read.") from exc
        emit_to_connection(sid, "doc:sync", (name, sync_step2(reply)))
        return OK
    if payload == EMPTY_UPDATE:
        return OK  # nothing to store: a client answering step 1 with nothing new
    metrics.UPDATES_IN.inc()
    # Each event runs in its own green thread/thread, started in arrival order. An update usually depends on the
    # sender's previous one, so if it were validated first (its predecessor waiting for the database in the
    # access re-check, say) it would be refused out-of-sync. So updates of one connection take `in_order`, in
    # arrival order, until queued for commit; waiting for the commit itself is not serialised.
    connection = _connection(sid)
    # Refused on arrival, before waiting for its turn: each waiting update holds a green thread and its bytes, so a
    # client sending faster than it is served (flooding, or far behind) must not pile them up in the server.
    if connection.waiting >= MAX_WAITING_UPDATES or not connection.bucket.take():
        raise Refused("rate-limited", "Too many updates; slow down and send again.")
    connection.waiting += 1
    try:
        connection.in_order.acquire()
    finally:
        connection.waiting -= 1
    held = [True]

    def release() -> None:
        if held[0]:
            held[0] = False
            connection.in_order.release()

    def queued() -> None:
        release()
        # Relayed to the others once validated and queued, not after the commit: the commit's wait (batching, an
        # fsync) stays out of what collaborators see. Only the sender's ack waits for durability. If the commit
        # then fails, the sender, not acknowledged, sends it again; the others already have it, and a client that
        # joins or syncs meanwhile is served the queued updates too (DocumentStore.live_state).
        emit_to_room_except(name, "doc:sync", (name, sync_update(payload)), sid)
        metrics.UPDATES_OUT.inc()

    try:
        _submit_update(sid, name, joined, payload, store, queued)
    finally:
        release()
    metrics.ACK_SECONDS.observe(time.perf_counter() - arrived)
    return OK


def _submit_update(sid: str, name: str, joined: JoinedRoom, payload: bytes, store: Any,
                   queued: Any) -> None:
    joined = _recheck(sid, name, joined)
    if joined.access != "edit":
        raise Refused("read-only", "You can see this document but not change it.")
    try:
        store.submit(joined.document_id, payload, _connection(sid).user_id, queued)
    except TooLong as exc:
        limit = store.max_value_chars
        raise Refused("too-long", f"A note or other single value can be at most {limit:,} characters; "
                                  "nothing was saved.") from exc
    except DocumentFull as exc:
        megabytes = store.max_document_bytes / 1_000_000
        raise Refused("document-full", f"This document has reached its size limit ({megabytes:g} MB), so this "
                                       "change was not saved. Start a new document for what comes next.") from exc
    except InvalidContent as exc:
        raise _malformed(sid, f"The update could not be applied: {exc}.") from exc
    except Malformed as exc:
        raise _malformed(sid, "The update could not be applied.") from exc
    except OutOfSync as exc:
        # Ask the client for everything the server lacks; its step 2 will carry what this update needed. At most
        # once a second per connection: the state vector can be kilobytes, and a client sending a stream of
        # out-of-sync updates (flooding, or many queued while offline) answers the first one anyway.
        connection = _connection(sid)
        now = time.monotonic()
        if now - connection.asked_at >= STEP1_EVERY:
            connection.asked_at = now
            emit_to_connection(sid, "doc:sync", (name, sync_step1(store.state_vector(joined.document_id))))
        raise Refused("out-of-sync", "The update depends on changes the server does not have; "
                                     "answer the server's sync step 1.") from exc


def awareness(sid: str, room: object, message: object) -> Ack:
    name, joined = _joined(sid, room)
    data = _binary(message)
    joined = _recheck(sid, name, joined)
    connection = _connection(sid)
    if not connection.bucket.take_presence():
        raise Refused("rate-limited", "Too many presence messages; slow down.")
    try:
        relayed, entries = stamped(data, connection.user_id, connection.user_name)
    except Malformed as exc:
        raise _malformed(sid, "Not an awareness message.") from exc
    if not get_registry().client_ids.claim(name, sid, [client_id for client_id, _clock, _removed in entries]):
        raise Refused("forbidden", "That cursor belongs to another connection.")
    for client_id, clock, removed in entries:
        if removed:
            joined.awareness.pop(client_id, None)
        else:
            joined.awareness[client_id] = clock
    emit_to_room_except(name, "doc:awareness", (name, relayed), sid)
    return OK
