"""The update log of each shared document in the database: appended to, read back, compacted into snapshots.

The database is the source of truth (collab.realtime.store keeps the cache). Rows are Yjs updates, applied in id
order; a snapshot holds every update up to `upto_update_id` merged through a Doc. The commit path (the group commit's
leader) writes on its own one-connection engine, through a blocking runner chosen by the entry point.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import current_app
from pycrdt import Doc
from sqlalchemy import create_engine, delete, event, insert, select, update
from sqlalchemy.engine import Connection, Engine

from collab.db_setup import enable_sqlite_wal
from collab.extensions import db
from collab.realtime.models import DocumentSnapshot, DocumentUpdate, SetAsideUpdate, SharedDocument
from collab.realtime.ycheck import ParentIndex, Refused, check_update, decode_state_vector
from collab.realtime.yupdates import apply_all

log = logging.getLogger(__name__)
T = TypeVar("T")


# ---- reading and appending ----------------------------------------------------------------------

def load(document_id: int) -> Doc:
    """A fresh Doc from the database: the latest snapshot, then every update still in the log."""
    doc, _rows, _snapshot = read_document(db.session.connection(), document_id)
    db.session.commit()
    return doc


def read_document(conn: Connection, document_id: int) -> tuple[Doc, list[int], int | None]:
    """(doc, ids of the logged updates dealt with, id of the snapshot applied or None).

    The log is read BEFORE the snapshot: a compaction committing in between deletes rows we already have
    and writes a snapshot holding them, so nothing falls in the gap (snapshot first could miss them).
    Compaction deletes exactly the updates it merged, so every row left is applied (again: idempotent).
    A row waiting for what it builds on is not among the ids: a refresh fetches it again once that arrives
    (set-aside rows are: no refresh could apply them)."""
    rows = conn.execute(
        select(DocumentUpdate.id, DocumentUpdate.data)
        .where(DocumentUpdate.document_id == document_id).order_by(DocumentUpdate.id)).all()
    snapshot = conn.execute(
        select(DocumentSnapshot.id, DocumentSnapshot.data)
        .where(DocumentSnapshot.document_id == document_id)
        .order_by(DocumentSnapshot.id.desc()).limit(1)).first()
    doc: Doc = Doc()
    if snapshot is not None:
        doc.apply_update(snapshot.data)
    waiting = {row.id for row in apply_log(doc, rows, document_id).waiting}
    return doc, [row.id for row in rows if row.id not in waiting], snapshot.id if snapshot is not None else None


@dataclass
class LogApplied:
    """What apply_log left out: `aside`, rows no honest client sends, with why (moved out of the log by the next
    compaction); `waiting`, rows that build on changes the log does not hold (yet): kept in the log, applied
    once what they need arrives (the sender of what they need was not acknowledged, so it sends it again)."""

    aside: list[tuple[Any, str]] = field(default_factory=list)
    waiting: list[Any] = field(default_factory=list)


def apply_log(doc: Doc, rows: Sequence[Any], document_id: int, parents: ParentIndex | None = None) -> LogApplied:
    """Apply logged rows (with `.id` and `.data`) in id order, each through the strict check first. A row no honest
    client could have sent (an older version acknowledged a few: docs/reliability.md) would make yrs panic on
    every later read of the document; it is left out and logged, and the rest is served. A row that builds on a
    later row is tried again after the others. `parents`: the document's ParentIndex if the caller keeps one
    (built from `doc` otherwise, only if a row needs it)."""
    known = decode_state_vector(doc.get_state())
    if parents is None:
        parents = ParentIndex(doc.get_update, source_lags=True)  # the rows are applied at the end
    taken: list[bytes] = []
    result = LogApplied()

    def take(row: Any) -> bool:
        try:
            summary = check_update(row.data, known, parents)
        except Refused as exc:
            if not exc.out_of_sync:
                result.aside.append((row, str(exc)))
            return not exc.out_of_sync
        for client, (_start, end) in summary.ranges.items():
            known[client] = max(known.get(client, 0), end)
        parents.add(summary)
        taken.append(row.data)
        return True

    waiting = [row for row in rows if not take(row)]
    while waiting:  # each pass takes at least one row or stops
        still = [row for row in waiting if not take(row)]
        if len(still) == len(waiting):
            break
        waiting = still
    result.waiting = waiting
    apply_all(doc, taken)
    for row, reason in result.aside:
        log.error("document %s: log row %s set aside (%s)", document_id, row.id, reason)
    for row in result.waiting:
        log.warning("document %s: log row %s waits for changes the log does not hold", document_id, row.id)
    return result


def append(document_id: int, updates: Iterable[tuple[bytes, int | None]]) -> list[int]:
    """Commit updates (data, user_id) to the log in one transaction; returns their ids. No validation:
    callers in the real-time path go through DocumentStore.submit."""
    rows = [{"document_id": document_id, "data": data, "user_id": user_id} for data, user_id in updates]
    with db.engine.begin() as conn:
        return insert_rows(conn, rows)


def insert_rows(conn: Connection, rows: list[dict]) -> list[int]:
    if not rows:
        return []
    result = conn.execute(insert(DocumentUpdate).returning(DocumentUpdate.id, sort_by_parameter_order=True), rows)
    return [row.id for row in result]


# ---- the commit path's database write ---------------------------------------------------------


def _call(fn: Callable[[], T]) -> T:
    return fn()


_run_blocking: Callable[[Callable[[], Any]], Any] = _call
_waits_cooperatively: frozenset[str] = frozenset()


def set_blocking_runner(runner: Callable[[Callable[[], Any]], Any] | None,
                        cooperative_dialects: frozenset[str] = frozenset()) -> None:
    """How the commit path runs its blocking database work: `runner(fn)` must call `fn()` and return its
    result (or raise its exception). The default calls it directly (threading: a real thread already).
    The entry point that chose eventlet sets `eventlet.tpool.execute`, so a commit's fsync runs in an OS thread
    instead of freezing every connection of the process; nothing here knows which async mode runs.

    `cooperative_dialects`: databases whose driver already waits without blocking the caller's other work
    (PostgreSQL's psycopg, once collab.server.serve.cooperative_psycopg made its waits green). A batch's insert
    on those runs in the caller itself: in an OS thread, its Python work (SQLAlchemy building the INSERT, psycopg
    converting it) held the GIL against the hub serving every connection, up to the interpreter's 5 ms switch
    interval at a time, and each batch cost a pipe write and two thread switches. A compaction (long CPU work
    on the document) still goes through the runner, where the interpreter interleaves it with the hub."""
    global _run_blocking, _waits_cooperatively
    _run_blocking = runner or _call
    _waits_cooperatively = cooperative_dialects


_commit_engines: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()


def _commit_engine(main: Engine) -> Engine:
    """The commit path's own engine (one connection) on the app's database. Handlers waiting for their commit
    may hold connections of the app's pool (their ORM session); the commit must never wait for one of those,
    or nothing is ever committed again (a deadlock until the pool's timeout). Disposed with the app's engine.
    An in-memory SQLite database exists only in its own connections, so it keeps the app's engine."""
    engine = _commit_engines.get(main)
    if engine is not None:
        return engine
    url = main.url
    if url.get_backend_name() == "sqlite" and (url.database in (None, "", ":memory:")
                                                or "mode=memory" in str(url)):
        return main
    options = {key: value for key, value in current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).items()
               if key not in ("poolclass", "pool_size", "max_overflow")}
    engine = create_engine(url, pool_size=1, max_overflow=0, **options)
    enable_sqlite_wal(engine)
    event.listen(main, "engine_disposed", lambda _engine: engine.dispose())
    _commit_engines[main] = engine
    return engine


def on_commit_connection(work: Callable[[Connection], T], mostly_waiting: bool = False) -> T:
    """Run `work(conn)` in one transaction on the commit path's connection, through the blocking runner (in the
    caller, if `mostly_waiting` for the database and its driver waits cooperatively: set_blocking_runner).

    The connection is checked out here, on the caller's thread (the pool's locks may be green), and is used
    only by the blocking runner until it is done with it, never by two threads at once. `work` must touch
    nothing but this connection (no Flask, no pool; pycrdt is fine). Only the group commit's leader calls this
    (it holds the commit lock), so the commit engine's single connection is never waited for."""
    conn = _commit_engine(db.engine).connect()
    finished = False

    def run() -> T:
        nonlocal finished
        try:
            with conn.begin():
                return work(conn)
        finally:
            finished = True

    inline = mostly_waiting and conn.dialect.name in _waits_cooperatively
    try:
        return run() if inline else _run_blocking(run)
    finally:
        if finished:
            conn.close()
        else:  # interrupted while the runner may still be using it: never hand it to someone else
            log.error("a commit was interrupted; its database connection is abandoned")


def write_updates(rows: list[dict]) -> list[int]:
    """Insert a batch of log rows in one transaction and commit it; returns their ids in order."""
    return on_commit_connection(lambda conn: insert_rows(conn, rows), mostly_waiting=True)


def compact(document_id: int) -> int:
    """Merge the snapshot and the logged updates into one new snapshot, in one transaction.

    The merge goes through a Doc (merge_updates over a whole log is quadratic; see apply_all).
    Only the updates read are deleted, so one committed meanwhile stays in the log. Returns how many
    updates were folded in."""
    with db.engine.begin() as conn:
        return compact_on(conn, document_id)


def compact_on(conn: Connection, document_id: int) -> int:
    """compact() in the caller's transaction on `conn` (touches nothing else: it may run in an OS thread)."""
    # A write first: SQLite takes its write lock now (no stale read snapshot to upgrade later);
    # PostgreSQL locks the document row so two compactions of one document queue up.
    conn.execute(update(SharedDocument).where(SharedDocument.id == document_id)
                 .values(kind=SharedDocument.kind))
    old_snapshots = conn.execute(select(DocumentSnapshot.id, DocumentSnapshot.upto_update_id)
                                 .where(DocumentSnapshot.document_id == document_id)).all()
    doc: Doc = Doc()
    if old_snapshots:
        latest = max(old_snapshots, key=lambda s: s.id)
        doc.apply_update(conn.execute(select(DocumentSnapshot.data)
                                      .where(DocumentSnapshot.id == latest.id)).scalar_one())
    rows = conn.execute(select(DocumentUpdate.id, DocumentUpdate.data, DocumentUpdate.user_id)
                        .where(DocumentUpdate.document_id == document_id).order_by(DocumentUpdate.id)).all()
    applied = apply_log(doc, rows, document_id)
    # A row waiting for what it builds on stays in the log: folded into the snapshot now, yrs would keep it
    # pending and leave it out of the encoding, and the row would be deleted: an acknowledged edit lost.
    waiting = {row.id for row in applied.waiting}
    ids = [row.id for row in rows if row.id not in waiting]
    if not ids:
        return 0
    if applied.aside:  # kept out of the log, where someone can look at them (SetAsideUpdate)
        conn.execute(insert(SetAsideUpdate), [
            {"document_id": document_id, "update_id": row.id, "data": row.data, "user_id": row.user_id,
             "reason": reason[:200]} for row, reason in applied.aside])
    upto = max([ids[-1], *(s.upto_update_id for s in old_snapshots)])
    conn.execute(insert(DocumentSnapshot).values(document_id=document_id, data=doc.get_update(),
                                                 upto_update_id=upto))
    for start in range(0, len(ids), 500):
        conn.execute(delete(DocumentUpdate).where(DocumentUpdate.id.in_(ids[start:start + 500])))
    if old_snapshots:
        conn.execute(delete(DocumentSnapshot).where(DocumentSnapshot.id.in_([s.id for s in old_snapshots])))
    return len(ids)


def compact_all(min_updates: int = 1) -> dict[int, int]:
    """Compact every document with at least `min_updates` logged updates (for `flask collab compact`)."""
    counts = db.session.execute(
        select(DocumentUpdate.document_id, db.func.count()).group_by(DocumentUpdate.document_id)).all()
    db.session.commit()
    return {doc_id: compact(doc_id) for doc_id, count in counts if count >= min_updates}
