"""What each Socket.IO connection has joined, keyed by its sid. Every event is checked against this,
never against ids in the payload."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

from flask import Flask

from collab.extensions import connection_registry
from collab.realtime.presence import ClientIds
from collab.realtime.rooms import Access
from collab.realtime.user_limits import PersonLimit, PersonLimits


@dataclass
class JoinedRoom:
    """A document room (`plan:`, `observation:`, `devplan:`; collab.realtime.rooms) as this connection joined it."""

    document_id: int
    access: Access
    awareness: dict[int, int] = field(default_factory=dict)  # Yjs client id -> last awareness clock
    epoch: int = 0  # the access epoch (collab.realtime.access) `access` was decided at; -1: ask again


@dataclass(frozen=True)
class JoinedDiscussion:
    """A post-lesson discussion room (`discussion:<session id>`, collab.discussions.events). `access` is what the
    join decided; every post asks the database again."""

    session_id: int
    access: Literal["post", "read"]


@dataclass
class Connection:
    """One Socket.IO connection: who opened it, every room it joined, and its limits. A leave removes the room from
    its field; a disconnect (also how a sign-in that ended cuts it: collab.accounts.revocation) leaves them all
    and drops the record (collab.realtime.sync.disconnect)."""

    user_id: int
    bucket: PersonLimit  # the person's update limit, shared by all their connections (collab.realtime.user_limits)
    # What it joined, one field per kind of room, each keyed by room name (collab.realtime.rooms.room_name):
    documents: dict[str, JoinedRoom] = field(default_factory=dict)  # doc:join (collab.realtime.sync)
    discussions: dict[str, JoinedDiscussion] = field(default_factory=dict)  # discussion:join
    visits: set[str] = field(default_factory=set)  # visit:join: a visit's lesson clock, no document
    notifications: str | None = None  # notify:subscribe: the person's own room, `user:<id>`, for unread counts
    # Held by an update from when its handler starts until it is queued for commit (sync.sync), so a connection's
    # updates are validated in the order they arrived even when one of them waits for the database.
    in_order: threading.Lock = field(default_factory=threading.Lock)
    waiting: int = 0  # updates of this connection waiting for `in_order` (bounded: sync.MAX_WAITING_UPDATES)
    asked_at: float = -1e9  # when it was last sent a sync step 1 after an out-of-sync update (sync.STEP1_EVERY)
    # The sign-in (collab.accounts.signins) whose cookie opened it: revoking that cuts the connection.
    session_token: str | None = None
    user_name: str = ""  # what presence shows for this connection (collab.realtime.presence)

    def forget_rooms(self) -> list[str]:
        """Forget every room it joined, of every kind, and return their names (for sync.disconnect to leave)."""
        names = [*self.documents, *self.discussions, *self.visits, *filter(None, [self.notifications])]
        self.documents, self.discussions, self.visits, self.notifications = {}, {}, set(), None
        return names


class ConnectionRegistry:
    def __init__(self, limits: PersonLimits) -> None:
        self._connections: dict[str, Connection] = {}
        self._lock = threading.Lock()
        self.limits = limits
        self.client_ids = ClientIds()

    def add(self, sid: str, connection: Connection) -> None:
        with self._lock:
            self._connections[sid] = connection

    def get(self, sid: str) -> Connection | None:
        return self._connections.get(sid)  # one dict lookup is atomic; this runs several times per keystroke

    def remove(self, sid: str) -> Connection | None:
        with self._lock:
            return self._connections.pop(sid, None)

    def items(self) -> list[tuple[str, Connection]]:
        with self._lock:
            return list(self._connections.items())

    def __len__(self) -> int:
        return len(self._connections)


def get_registry(app: Flask | None = None) -> ConnectionRegistry:
    """The app's (collab.extensions.connection_registry, made by create_app)."""
    return connection_registry.get(app)
