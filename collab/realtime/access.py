"""The access epoch: when a connection's edit/read decision for a room must be asked of the database again.

Each room kind's `register()` declares, with `watch`, the models whose insert, update or delete can change who
may read or edit its rooms. A transaction of the ORM session that changes any of them adds one `access_change`
row just before it commits; the highest id is the access epoch. Every process keeps the epoch it last read,
reading it again (one `SELECT max(id)`) at most every COLLAB_ACCESS_RECHECK_SECONDS, and at once after a commit
of its own that added a row. A connection's decision remembers the epoch it was made at; an update or awareness
message re-resolves it only when the process has seen a newer epoch (docs/decisions.md, "The access epoch").

Ids must become visible in id order, or a process could read max(id) = 11 while 10 is still uncommitted and
never notice 10: on PostgreSQL the row is added under an EXCLUSIVE table lock (held only from the insert to the
commit: nothing else runs in between), so its id is allocated after every earlier one committed; SQLite
allows one writer at a time anyway.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from collab.extensions import db
from collab.per_app import per_app
from collab.realtime.models import AccessChange
from collab.types import utcnow

_EXTENSION_KEY = "collab_access_epoch"
_CHANGED = "collab_access_changed"  # session.info: this transaction changed a watched model
_ADDED = "collab_access_added"  # session.info: the access_change id this transaction added

_watched: set[type] = set()


def watch(*models: type) -> None:
    """Changes to these models (insert, update, delete) may change who may read or edit some room."""
    _watched.update(models)


def watched() -> frozenset[type]:
    return frozenset(_watched)


def _is_watched(instance: object) -> bool:
    return any(isinstance(instance, model) for model in _watched)


# --- the listeners: one access_change row per transaction that changed a watched model ----------------------

@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, _flush_context: Any, _instances: Any) -> None:
    if not _watched or session.info.get(_CHANGED):
        return
    if (any(_is_watched(o) for o in session.new) or any(_is_watched(o) for o in session.deleted)
            or any(_is_watched(o) and session.is_modified(o) for o in session.dirty)):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state: Any) -> None:
    """`session.execute(update(Model)...)` / `delete(Model)` bypass the flush: count them too."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None \
            and any(issubclass(state.bind_mapper.class_, model) for model in _watched):
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _add_row(session: Session) -> None:
    session.flush()  # what commit would flush next: it may be the watched change
    if not session.info.pop(_CHANGED, False):
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("LOCK TABLE access_change IN EXCLUSIVE MODE")
    result = connection.execute(insert(AccessChange).values(at=utcnow()))
    session.info[_ADDED] = result.inserted_primary_key[0]


@event.listens_for(Session, "after_commit")
def _bump_local_epoch(session: Session) -> None:
    added = session.info.pop(_ADDED, None)
    if added is not None and has_app_context():
        get_epoch().advance(int(added))  # this process's own change counts here at once


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    """Rolled back or closed (a commit's after_commit ran first): nothing of this transaction carries over."""
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)
        session.info.pop(_ADDED, None)


# --- the per-process epoch ----------------------------------------------------------------------------------

@dataclass
class AccessEpoch:
    value: int = 0  # the highest access_change id known to be committed (0: none yet, or not read yet)
    read_at: float = float("-inf")  # when the last read of it began (monotonic)
    _reading: threading.Lock = field(default_factory=threading.Lock)

    def advance(self, value: int) -> None:
        if value > self.value:
            self.value = value

    def current(self) -> int:
        """The epoch, read again from the database if the last read began COLLAB_ACCESS_RECHECK_SECONDS ago or
        more (0: every time). One read at a time: callers arriving meanwhile go on with the value as it is."""
        began = time.monotonic()
        if began - self.read_at < float(current_app.config["COLLAB_ACCESS_RECHECK_SECONDS"]):
            return self.value
        if not self._reading.acquire(blocking=False):
            return self.value
        try:
            # In an app context of its own, so its pooled connection goes back at once (see sync._recheck).
            with current_app.app_context():
                latest = db.session.scalar(select(func.max(AccessChange.id)))
            self.advance(int(latest or 0))
            self.read_at = began
        finally:
            self._reading.release()
        return self.value


def get_epoch(app: Flask | None = None) -> AccessEpoch:
    return per_app(_EXTENSION_KEY, lambda _app: AccessEpoch(), app)
