"""Presence (Yjs awareness) as the server lets it through: each state says who really sent it.

Awareness is never stored, but what it says is shown to everyone in the room: the list of people here and the
name on each cursor. So the server does not relay a client's claims as they are: every state must be a JSON
object of bounded size, its `user` is replaced by the connection's signed-in user (a member cannot appear as
someone else), and a connection may only speak for the Yjs client ids it first used in that room (it cannot
remove or move someone else's cursor)."""

from __future__ import annotations

import json
import threading
from typing import Any

from collab.realtime.yupdates import Malformed, awareness_message, parse_awareness_message

MAX_STATE_CHARS = 4096
# Caret and presence colours: distinct, and dark enough for white text on them; one per person, chosen here.
COLOURS = ("#1d4f91", "#b3261e", "#0b6e4f", "#7b3fa0", "#a35200", "#00677f", "#8a1c5c", "#4a5d00")


def colour_for(user_id: int) -> str:
    return COLOURS[user_id % len(COLOURS)]


class ClientIds:
    """Which connection speaks for each Yjs client id, per room (one per process: a room's connections share
    a process when routed by room, docs/deployment.md)."""

    def __init__(self) -> None:
        self._owners: dict[str, dict[int, str]] = {}
        self._lock = threading.Lock()

    def claim(self, room: str, sid: str, client_ids: list[int]) -> bool:
        """Claim these ids for `sid` unless another connection holds one of them."""
        with self._lock:
            owners = self._owners.setdefault(room, {})
            if any(owners.get(client_id, sid) != sid for client_id in client_ids):
                return False
            for client_id in client_ids:
                owners[client_id] = sid
            return True

    def release(self, room: str, client_ids: list[int]) -> None:
        with self._lock:
            owners = self._owners.get(room)
            if owners is None:
                return
            for client_id in client_ids:
                owners.pop(client_id, None)
            if not owners:
                del self._owners[room]


def stamped(message: bytes, user_id: int, user_name: str) -> tuple[bytes, list[tuple[int, int, bool]]]:
    """(the message to relay, [(client_id, clock, removed)]): each state checked and its `user` replaced by the
    signed-in user's. Raises Malformed for anything else."""
    entries = []
    relayed = []
    for client_id, clock, state in parse_awareness_message(message):
        if len(state) > MAX_STATE_CHARS:
            raise Malformed("awareness state too large")
        try:
            value: Any = json.loads(state)
        except ValueError as exc:
            raise Malformed("awareness state is not JSON") from exc
        if value is None:
            entries.append((client_id, clock, True))
            relayed.append((client_id, clock, "null"))
            continue
        if not isinstance(value, dict):
            raise Malformed("awareness state is not an object")
        value["user"] = {"id": user_id, "name": user_name, "color": colour_for(user_id)}
        entries.append((client_id, clock, False))
        relayed.append((client_id, clock, json.dumps(value, separators=(",", ":"))))
    return awareness_message(relayed), entries
