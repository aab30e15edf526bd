"""Changes of who may read or edit, announced by the services that make them, and the connections they affect.

A service that changes who may read or edit calls `announce_access_change` in the transaction that makes the
change, naming what it affects: rooms (a plan's read-only list, a visit's sharing rule, a critique round) or
people (a membership, a role, a deactivation, a hub administrator), whose every joined room is affected. Just
before that transaction commits, one `access_change` row per room or person is added; nothing is added if it rolls
back. After the commit this process knows at once; every other process reads the rows added since it last looked
(one indexed `SELECT ... WHERE id > n`) at most every COLLAB_ACCESS_RECHECK_SECONDS. A row naming neither a room nor
a person affects everything: what a change made by hand (SQL, another program) should add.

A connection's decision for a room remembers the newest change its process knew when it was made (the access
epoch). An update or awareness message re-resolves it only when the process has since learned of a change naming
that room or that connection's person; otherwise it is accepted with no query (docs/decisions.md, "The access
epoch").

Ids must become visible in id order, or a process could read up to 11 while 10 is still uncommitted and never
read 10: on PostgreSQL the rows are added under an EXCLUSIVE table lock (held only from the insert to the commit:
nothing else runs in between), so their ids are allocated after every earlier one committed; SQLite allows one
writer at a time anyway. The same order lets a decision made after a change committed count as made after every
change with a smaller id.

The log is pruned: rows older than COLLAB_ACCESS_CHANGE_KEEP_MINUTES go (`prune`, in batches; each process's
sign-in sweeper calls `prune_if_due` every few minutes while it has connections, and `flask collab
prune-access-changes` does it by hand). A process that read the log within half that time finds every row added
since, so it misses nothing; one whose last read is older (idle, no updates for half an hour) may have missed
pruned rows, so it reads again as at its first read: every decision it holds is asked again once. Half the
retention leaves the machines' clocks that much room to disagree (`at` is the writer's clock, the cut-off the
pruner's).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, cast

from flask import Flask, current_app, has_app_context
from sqlalchemy import CursorResult, delete, event, func, insert, select
from sqlalchemy.orm import Session

from collab.extensions import access_epoch, db
from collab.realtime.models import AccessChange
from collab.realtime.rooms import parse_room, room_name
from collab.types import utcnow

_ANNOUNCED = "collab_access_announced"  # session.info: what this transaction announced (a set of Scope)
_ADDED = "collab_access_added"  # session.info: the access_change rows it added, [(id, Scope)]

# A process remembers, per room and per person, the newest change naming it. Past this many of either it forgets
# them all and treats the newest as a change of everything: each joined decision is then asked again once.
MAX_REMEMBERED = 10_000
PRUNE_BATCH = 1000  # rows deleted per transaction: a writer waits at most one short DELETE for the table's lock
PRUNE_EVERY_SECONDS = 300.0  # how often a process's sweeper prunes (prune_if_due)


@dataclass(frozen=True)
class Scope:
    """What one access_change row affects: a room (kind and object id), a person (user id), or neither:
    everything."""

    room_kind: str | None = None
    object_id: int | None = None
    user_id: int | None = None

    @property
    def room(self) -> str | None:
        if self.room_kind is None or self.object_id is None:
            return None
        return room_name(self.room_kind, self.object_id)


EVERYTHING = Scope()


def announce_access_change(*, rooms: Iterable[str] = (), users: Iterable[int | None] = (),
                           everything: bool = False) -> None:
    """Announce, in the transaction that makes it, a change of who may read or edit: the rooms whose rule changed
    (names from collab.realtime.rooms.room_name), and the people whose rights changed in every room they joined.
    Rows are added when the transaction commits (one per room or person, however often announced); on a
    rollback nothing is."""
    scopes: set[Scope] = set()
    for name in rooms:
        parsed = parse_room(name)
        if parsed is None:
            raise ValueError(f"not a room name: {name!r}")
        scopes.add(Scope(room_kind=parsed[0], object_id=parsed[1]))
    scopes.update(Scope(user_id=int(user_id)) for user_id in users if user_id is not None)
    if everything:
        scopes.add(EVERYTHING)
    if scopes:
        db.session.info.setdefault(_ANNOUNCED, set()).update(scopes)


# --- the rows: added just before the commit of the transaction that announced them --------------------------

@event.listens_for(Session, "before_commit")
def _add_rows(session: Session) -> None:
    if not session.info.get(_ANNOUNCED):
        return
    session.flush()  # the change itself first: from the lock on, nothing but these inserts runs before the commit
    scopes = sorted(session.info.pop(_ANNOUNCED), key=lambda s: (s.room_kind or "", s.object_id or 0, s.user_id or 0))
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("LOCK TABLE access_change IN EXCLUSIVE MODE")
    now = utcnow()
    added = []
    for scope in scopes:
        result = connection.execute(insert(AccessChange).values(
            at=now, room_kind=scope.room_kind, object_id=scope.object_id, user_id=scope.user_id))
        key = result.inserted_primary_key
        assert key is not None, "a single-row INSERT without RETURNING always reports its primary key"
        added.append((int(key[0]), scope))
    session.info[_ADDED] = added


@event.listens_for(Session, "after_commit")
def _known_here_at_once(session: Session) -> None:
    added = session.info.pop(_ADDED, None)
    if added and has_app_context():
        get_epoch().learn(added)  # this process's own changes count here without reading them back


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    """Rolled back or closed (a commit's after_commit ran first): nothing of this transaction carries over."""
    if transaction.parent is None:
        session.info.pop(_ANNOUNCED, None)
        session.info.pop(_ADDED, None)


# --- what this process knows --------------------------------------------------------------------------------

@dataclass
class AccessEpoch:
    """The changes this process knows of, for deciding which joined decisions to ask again."""

    value: int = 0  # the newest change known (0: none yet); a decision made now reflects every change up to it
    read_upto: int = -1  # the highest id read from the database (-1: not read yet)
    read_at: float = float("-inf")  # when the last read of it began (monotonic)
    pruned_at: float = float("-inf")  # when this process last pruned the log (monotonic)
    rooms: dict[str, int] = field(default_factory=dict)  # room name -> the newest change naming it
    users: dict[int, int] = field(default_factory=dict)  # user id -> the newest change naming them
    everything: int = 0  # the newest change of everything
    _reading: threading.Lock = field(default_factory=threading.Lock)
    _noting: threading.Lock = field(default_factory=threading.Lock)

    def learn(self, changes: Iterable[tuple[int, Scope]]) -> None:
        """Note changes (id, scope) before moving `value` past them, so whoever reads `value` finds them noted."""
        newest = 0
        with self._noting:
            for change_id, scope in changes:
                newest = max(newest, change_id)
                if scope.user_id is not None:
                    self.users[scope.user_id] = max(self.users.get(scope.user_id, 0), change_id)
                elif (room := scope.room) is not None:
                    self.rooms[room] = max(self.rooms.get(room, 0), change_id)
                else:
                    self.everything = max(self.everything, change_id)
            if len(self.rooms) > MAX_REMEMBERED or len(self.users) > MAX_REMEMBERED:
                self.everything = max(self.everything, *self.rooms.values(), *self.users.values())
                self.rooms, self.users = {}, {}
            if newest > self.value:
                self.value = newest

    def changed_since(self, epoch: int, room: str, user_id: int) -> bool:
        """Whether a change newer than `epoch` names this room, this person, or everything."""
        return max(self.everything, self.rooms.get(room, 0), self.users.get(user_id, 0)) > epoch

    def current(self) -> int:
        """`value`, after reading the changes added since the last read if that began COLLAB_ACCESS_RECHECK_SECONDS
        ago or more (0: every time). One read at a time: callers arriving meanwhile go on with the value as it is."""
        began = time.monotonic()
        if began - self.read_at < float(current_app.config["COLLAB_ACCESS_RECHECK_SECONDS"]):
            return self.value
        if not self._reading.acquire(blocking=False):
            return self.value
        try:
            # In an app context of its own, so its pooled connection goes back at once (see sync._recheck).
            with current_app.app_context():
                if self.read_upto < 0 or began - self.read_at >= _keep(current_app).total_seconds() / 2:
                    # The first read (or the first for so long that rows past read_upto may have been pruned):
                    # the log's history is not needed, only where it ends. A decision made before it ends (with a
                    # value from before it) is asked again once.
                    latest = int(db.session.scalar(select(func.max(AccessChange.id))) or 0)
                    changes = [(latest, EVERYTHING)] if latest else []
                else:
                    latest = self.read_upto
                    changes = [(row.id, Scope(row.room_kind, row.object_id, row.user_id)) for row in db.session.execute(
                        select(AccessChange.id, AccessChange.room_kind, AccessChange.object_id, AccessChange.user_id)
                        .where(AccessChange.id > self.read_upto).order_by(AccessChange.id))]
            self.learn(changes)
            self.read_upto = max([latest, *(change_id for change_id, _scope in changes)])
            self.read_at = began
        finally:
            self._reading.release()
        return self.value


def get_epoch(app: Flask | None = None) -> AccessEpoch:
    """The app's (collab.extensions.access_epoch, made by create_app)."""
    return access_epoch.get(app)


# --- pruning -------------------------------------------------------------------------------------------------

def _keep(app: Flask) -> timedelta:
    return timedelta(minutes=float(app.config["COLLAB_ACCESS_CHANGE_KEEP_MINUTES"]))


def prune(max_batches: int | None = None) -> int:
    """Delete the rows older than COLLAB_ACCESS_CHANGE_KEEP_MINUTES but the newest, oldest first, PRUNE_BATCH a
    transaction (at most `max_batches` of them; None: until none is left). Returns how many went. In an app
    context."""
    cutoff = utcnow() - _keep(current_app)
    # Never the newest row: SQLite gives a new row the highest id + 1, so with the newest gone it would reuse an id
    # that processes have read past, and they would never read that change.
    newest = select(func.max(AccessChange.id)).scalar_subquery()
    pruned = batches = 0
    while max_batches is None or batches < max_batches:
        # Oldest first by id (the primary key's order, `at`'s too but for clocks): no index on `at` needed.
        oldest = (select(AccessChange.id).where(AccessChange.at < cutoff, AccessChange.id < newest)
                  .order_by(AccessChange.id).limit(PRUNE_BATCH))
        # Session.execute is typed as returning Result; a DELETE without RETURNING gives a CursorResult (rowcount).
        result = cast(CursorResult[Any], db.session.execute(delete(AccessChange).where(AccessChange.id.in_(oldest))))
        deleted = result.rowcount
        db.session.commit()
        pruned += deleted
        batches += 1
        if deleted < PRUNE_BATCH:
            break
    return pruned


def prune_if_due(app: Flask) -> int:
    """Prune a few batches if this process has not for PRUNE_EVERY_SECONDS (called by its sign-in sweeper, every
    half second while it has connections). Several processes pruning at once only delete the same rows."""
    epoch = get_epoch(app)
    now = time.monotonic()
    if now - epoch.pruned_at < PRUNE_EVERY_SECONDS:
        return 0
    epoch.pruned_at = now
    with app.app_context():  # its own session, so its pooled connection goes back at once
        return prune(max_batches=10)
