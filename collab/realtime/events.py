"""Socket.IO handlers for shared documents: thin wrappers over collab.realtime.sync.

Every client -> server event takes an acknowledgement; refusals also emit `doc:error` to the sender.
No exception escapes a handler: the connection and every other room keep working.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, has_app_context, request
from flask_login import current_user

from collab.accounts import revocation
from collab.extensions import socketio
from collab.realtime import frames, metrics, sync
from collab.realtime.publish import emit_to_connection
from collab.realtime.rooms import parse_room
from collab.realtime.yupdates import is_fatal

log = logging.getLogger(__name__)

# Packages that register a room kind (collab.realtime.rooms.register_kind) through a `register()`.
KIND_MODULES = ("collab.plans.events", "collab.discussions.events", "collab.observations.events",
                "collab.devplans.events", "collab.cycles.events", "collab.workspace.events")


def _echoed_room(room: object) -> str | None:
    """The room a refusal names: what the client sent if it is a room name, else null (never long input)."""
    return room if parse_room(room) is not None else None  # type: ignore[return-value]


def _sid() -> str:
    """The connection of the event being handled: Flask-SocketIO sets `request.sid` on the request context it
    pushes per event."""
    return request.sid  # type: ignore[attr-defined]  # Flask-SocketIO's attribute; Flask's Request does not declare it


def _refuse(room: object, code: str, message: str) -> dict[str, Any]:
    metrics.refused(code)
    emit_to_connection(_sid(), "doc:error", {"room": _echoed_room(room), "error": code, "message": message})
    return {"ok": False, "error": code, "message": message}


def guarded(handler: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Turn Refused into doc:error + a failed ack, and any other failure into `server-error`, logged."""

    @functools.wraps(handler)
    def wrapper(*args: Any) -> dict[str, Any]:
        room = args[0] if args else None
        try:
            return handler(*args)
        except sync.Refused as refused:
            return _refuse(room, refused.code, refused.message)
        except BaseException as exc:
            if is_fatal(exc):
                raise
            log.exception("socket event %s failed", getattr(request, "event", {}).get("message"))
            return _refuse(room, "server-error", "Something went wrong on the server; nothing was changed.")

    return wrapper


def _refuse_sid(sid: str, room: object, code: str, message: str) -> dict[str, Any]:
    metrics.refused(code)
    emit_to_connection(sid, "doc:error", {"room": _echoed_room(room), "error": code, "message": message})
    return {"ok": False, "error": code, "message": message}


def direct(event: str, handler: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any] | None]:
    """A handler for a hot event (every keystroke, every cursor move), registered on the Socket.IO server itself
    rather than through Flask-SocketIO, which pushes a whole request context per event: a Request built from
    the connection's WSGI environ, the signed session cookie opened and verified again, the URL matched (and a
    NotFound built, since /socket.io/ is no route). These handlers never read the request or the session: the
    connection record (made at connect, from the session) says who is asking and what it joined, and every
    check is against it, as before. They run in an app context (config, the database session) and get the sid
    as an argument. Refusals and failures are handled as by `guarded`."""

    def on_event(sid: str, *args: Any) -> dict[str, Any] | None:
        environ = socketio.server.get_environ(sid)
        if not environ:
            return None  # not (or no longer) a connection of this server
        app = environ["flask.app"]
        context = None
        if not (has_app_context() and current_app._get_current_object() is app):  # type: ignore[attr-defined]
            context = app.app_context()
            context.push()
        try:
            room = args[0] if args else None
            try:
                return handler(sid, *args)
            except sync.Refused as refused:
                return _refuse_sid(sid, room, refused.code, refused.message)
            except BaseException as exc:
                if is_fatal(exc):
                    raise
                log.exception("socket event %s failed", event)
                return _refuse_sid(sid, room, "server-error",
                                   "Something went wrong on the server; nothing was changed.")
        finally:
            if context is not None:
                context.pop()

    on_event.__name__ = on_event.__qualname__ = f"direct_{handler.__name__}"
    on_event.__doc__ = handler.__doc__
    return on_event


def on_connect(auth: Any = None) -> bool:
    """Browser/client -> server on connecting. Refused unless signed in and active."""
    # Load the user from this request's cookie, never from a user cached in `g` by an enclosing app context.
    g.pop("_login_user", None)
    if not (current_user.is_authenticated and current_user.is_active):
        raise ConnectionRefusedError("sign-in required")
    sync.connect(_sid(), current_user, current_user.sign_in_token)
    revocation.connection_opened()  # its sign-in ending cuts it (collab.accounts.revocation)
    return True


def on_disconnect(reason: Any = None) -> None:
    """Socket.IO, when a connection closes. Others in its rooms receive doc:awareness removing its cursors."""
    try:
        sync.disconnect(_sid())
    except BaseException as exc:
        if is_fatal(exc):
            raise
        log.exception("cleaning up connection %s failed", _sid())


@guarded
def doc_join(room: Any = None, *_extra: Any) -> dict[str, Any]:
    """Client -> server `doc:join(room)`. Ack {"ok": true, "access": "edit"|"read"}; the sender then gets
    doc:sync step 1 and step 2. Refused `not-found` if the user may not read it."""
    return sync.join(_sid(), room)


@guarded
def doc_leave(room: Any = None, *_extra: Any) -> dict[str, Any]:
    """Client -> server `doc:leave(room)`. Ack {"ok": true}; others in the room get doc:awareness removals."""
    return sync.leave(_sid(), room)


def doc_sync(sid: str, room: Any = None, message: Any = None, *_extra: Any) -> dict[str, Any]:
    """Client -> server `doc:sync(room, syncMessage)`. Step 1: the sender gets doc:sync step 2. Step 2 or
    update: once validated and queued, everyone else in the room gets doc:sync update; once committed, the ack
    {"ok": true}."""
    return sync.sync(sid, room, message)


def doc_awareness(sid: str, room: Any = None, message: Any = None, *_extra: Any) -> dict[str, Any]:
    """Client -> server `doc:awareness(room, awarenessMessage)`. Everyone else in the room gets it; never stored."""
    return sync.awareness(sid, room, message)


def unknown_event(event: str, *args: Any) -> dict[str, Any]:
    """Client -> server, any other event name. The sender gets doc:error `unknown-event` (room null).

    Also a packet collab.realtime.frames refused (too large, malformed, a reserved event name): the sender gets
    doc:error with the refusal's code (room null), and the log one line."""
    if event is frames.REFUSED:
        code, message, reason = args[:3]
        log.warning("connection %s: refused a Socket.IO packet (%s): %s", _sid(), code, reason)
        return _refuse(None, code, message)
    return _refuse(None, "unknown-event", f"There is no event called {str(event)[:60]!r}.")


def _one_line_errors(server: Any) -> None:
    """A packet python-socketio cannot dispatch (a binary event before connecting, say) raises in its Engine.IO
    message handler, which Engine.IO logs with a whole traceback: one line is enough for bad input."""
    dispatch = server.eio.handlers["message"]

    def on_message(eio_sid: str, data: Any) -> Any:
        try:
            return dispatch(eio_sid, data)
        except Exception as exc:  # noqa: BLE001  (handlers run in their own tasks: this is decoding, dispatching)
            log.warning("connection %s: a Socket.IO packet could not be dispatched (%s: %.120s)",
                        eio_sid, type(exc).__name__, exc)
            return None

    server.eio.on("message", on_message)


HANDLERS: dict[str, Callable[..., Any]] = {
    "connect": on_connect,
    "disconnect": on_disconnect,
    "doc:join": doc_join,
    "doc:leave": doc_leave,
    "*": unknown_event,
}

# Registered with `direct` (no request context per event): the events every keystroke and cursor move sends.
DIRECT_HANDLERS: dict[str, Callable[..., dict[str, Any]]] = {
    "doc:sync": doc_sync,
    "doc:awareness": doc_awareness,
}


def init_app(app: Flask) -> None:
    """Register the handlers on this app's Socket.IO server (create_app calls this after socketio.init_app)."""
    for module in KIND_MODULES:
        importlib.import_module(module).register()
    for event, handler in HANDLERS.items():
        socketio.on_event(event, handler)
    equip_server(socketio.server, app)


def equip_server(server: Any, app: Flask) -> None:
    """What a Socket.IO server needs beyond Flask-SocketIO's handlers: the direct handlers, the checked packet
    decoder and one-line errors. For the server socketio.init_app built, or a new one for the same app."""
    for event, handler in DIRECT_HANDLERS.items():
        server.on(event, direct(event, handler))
    frames.install(server, app.config["COLLAB_MAX_MESSAGE_BYTES"])
    _one_line_errors(server)
    if hasattr(server.manager, "on_missed_messages"):  # several processes (collab.realtime.redis_queue)
        server.manager.on_missed_messages = functools.partial(sync.catch_up_rooms, app)
        server.manager.catch_up_delay = float(app.config.get("COLLAB_JOIN_CATCH_UP_SECONDS", 2.0))
