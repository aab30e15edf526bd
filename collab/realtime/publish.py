"""The one place services use to notify a room, so they never import flask_socketio themselves."""

from __future__ import annotations

from typing import Any

from collab.extensions import socketio


def emit_to_room(room: str, event: str, data: Any) -> None:
    """Send `event` with `data` (a tuple sends several arguments) to everyone in `room`, on every process."""
    socketio.emit(event, data, to=room)


def emit_to_connection(sid: str, event: str, data: Any) -> None:
    socketio.emit(event, data, to=sid)


def emit_to_room_except(room: str, event: str, data: Any, skip_sid: str) -> None:
    socketio.emit(event, data, to=room, skip_sid=skip_sid)
