"""The one place services use to notify a room, so they never import flask_socketio themselves."""

from __future__ import annotations

from typing import Any

from collab.extensions import socketio
from collab.server import fastsend


def emit_to_room(room: str, event: str, data: Any) -> None:
    """Send `event` with `data` (a tuple sends several arguments) to everyone in `room`, on every process."""
    _emit(event, data, room)


def emit_to_connection(sid: str, event: str, data: Any) -> None:
    _emit(event, data, sid)


def emit_to_room_except(room: str, event: str, data: Any, skip_sid: str) -> None:
    _emit(event, data, room, skip_sid)


def _emit(event: str, data: Any, to: str, skip_sid: str | None = None) -> None:
    # Under eventlet, one process: each recipient's packets in one write (collab/server/fastsend.py).
    # Else Socket.IO's own.
    args = data if isinstance(data, tuple) else () if data is None else (data,)
    if not fastsend.emit(socketio.server, event, args, to, skip_sid):
        socketio.emit(event, data, to=to, skip_sid=skip_sid)
