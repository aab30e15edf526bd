"""The document store: an append-only update log per document, compacted into snapshots.

The database is the source of truth; `DocumentStore` keeps a cache of each open document:
- `committed`: exactly what the log holds (updated only after a commit); joins are served from it;
- `shadow`: `committed` plus updates validated but not yet committed; incoming updates are checked
  against it, so an update that depends on one still in flight is accepted.

Writers batch: whoever finds the commit lock free commits every queued update in one transaction
(group commit, no background thread, works with threading and with eventlet's patched primitives).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, current_app
from pycrdt import Doc
from sqlalchemy import create_engine, delete, event, insert, literal_column, select, update
from sqlalchemy.engine import Connection, Engine

from collab.db_setup import enable_sqlite_wal
from collab.extensions import db
from collab.realtime.models import DocumentSnapshot, DocumentUpdate, SharedDocument
from collab.realtime.yupdates import Malformed, apply_all, clone, is_fatal, missing_dependencies

log = logging.getLogger(__name__)
_EXTENSION_KEY = "collab_document_store"
T = TypeVar("T")


class OutOfSync(Exception):
    """The update depends on changes this server does not have (yet): the client should resync."""


# ---- the log, straight from the database -------------------------------------------------------

def load(document_id: int) -> Doc:
    """A fresh Doc from the database: the latest snapshot, then every update still in the log."""
    doc, _rows, _snapshot = _read_document(db.session.connection(), document_id)
    db.session.commit()
    return doc


def _read_document(conn: Connection, document_id: int) -> tuple[Doc, list[int], int | None]:
    """(doc, ids of the logged updates applied, id of the snapshot applied or None).

    The log is read BEFORE the snapshot: a compaction committing in between deletes rows we already have
    and writes a snapshot holding them, so nothing falls in the gap (snapshot first could miss them).
    Compaction deletes exactly the updates it merged, so every row left is applied (again: idempotent)."""
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
    apply_all(doc, (row.data for row in rows))
    return doc, [row.id for row in rows], snapshot.id if snapshot is not None else None


def append(document_id: int, updates: Iterable[tuple[bytes, int | None]]) -> list[int]:
    """Commit updates (data, user_id) to the log in one transaction; returns their ids. No validation:
    callers in the real-time path go through DocumentStore.submit."""
    rows = [{"document_id": document_id, "data": data, "user_id": user_id} for data, user_id in updates]
    with db.engine.begin() as conn:
        return _insert(conn, rows)


def _insert(conn: Connection, rows: list[dict]) -> list[int]:
    if not rows:
        return []
    result = conn.execute(insert(DocumentUpdate).returning(DocumentUpdate.id, sort_by_parameter_order=True), rows)
    return [row.id for row in result]


# ---- the commit path's database write ---------------------------------------------------------

_MAX_BATCH = 1000  # updates per group commit
_FOLLOWER_WAIT = 0.5  # seconds; a follower is woken explicitly, this only bounds a missed wake-up


def _call(fn: Callable[[], T]) -> T:
    return fn()


_run_blocking: Callable[[Callable[[], Any]], Any] = _call


def set_blocking_runner(runner: Callable[[Callable[[], Any]], Any] | None) -> None:
    """How the commit path runs its blocking database work: `runner(fn)` must call `fn()` and return its
    result (or raise its exception). The default calls it directly (threading: a real thread already).
    The entry point that chose eventlet sets `eventlet.tpool.execute`, so a commit's fsync runs in an OS thread
    instead of freezing every connection of the process; nothing here knows which async mode runs."""
    global _run_blocking
    _run_blocking = runner or _call


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


def _write_updates(rows: list[dict]) -> list[int]:
    """Insert a batch of log rows in one transaction and commit it; returns their ids in order.

    The connection is checked out here, on the caller's thread (the pool's locks may be green), and is used
    only by the blocking runner until it is done with it, never by two threads at once. The runner's thread
    touches nothing but this connection (no pycrdt, no Flask, no pool). Only the commit lock's holder calls
    this, so the commit engine's single connection is never waited for."""
    conn = _commit_engine(db.engine).connect()
    finished = False

    def work() -> list[int]:
        nonlocal finished
        try:
            with conn.begin():
                return _insert(conn, rows)
        finally:
            finished = True

    try:
        return _run_blocking(work)
    finally:
        if finished:
            conn.close()
        else:  # interrupted while the runner may still be using it: never hand it to someone else
            log.error("a commit was interrupted; its database connection is abandoned")


def compact(document_id: int) -> int:
    """Merge the snapshot and the logged updates into one new snapshot, in one transaction.

    The merge goes through a Doc (merge_updates over a whole log is quadratic; see apply_all).
    Only the updates read are deleted, so one committed meanwhile stays in the log. Returns how many
    updates were folded in."""
    with db.engine.begin() as conn:
        return _compact_on(conn, document_id)


def _compact_on(conn: Connection, document_id: int) -> int:
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
    rows = conn.execute(select(DocumentUpdate.id, DocumentUpdate.data)
                        .where(DocumentUpdate.document_id == document_id).order_by(DocumentUpdate.id)).all()
    apply_all(doc, (row.data for row in rows))
    ids = [row.id for row in rows]
    if not ids:
        return 0
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


# ---- the cache and the write path -----------------------------------------------------------

@dataclass
class CachedDocument:
    """One open document. Which rows of the log it holds is tracked by id, not by "everything up to the
    highest id seen": on PostgreSQL ids come from a sequence when a row is inserted, so another process's
    transaction can commit a LOWER id after a higher one is already visible. So:
    - every row with id <= `floor` is applied (or folded into the snapshot `snapshot_id`, also applied);
    - `applied` holds the ids above `floor` already applied; a refresh reads the ids above `floor` and fetches
      only the rows not in it;
    - `seen` remembers (when, highest id then visible); `floor` only moves up to an id seen visible at least
      the refresh window before a refresh began (see DocumentStore.refresh), so `applied` stays small.
    """

    document_id: int
    committed: Doc
    shadow: Doc
    applied: set[int] = field(default_factory=set)
    floor: int = 0
    snapshot_id: int | None = None
    seen: deque[tuple[float, int]] = field(default_factory=deque)
    lock: threading.RLock = field(default_factory=threading.RLock)
    in_flight: dict[int, bytes] = field(default_factory=dict)
    since_compaction: int = 0

    @property
    def last_update_id(self) -> int:
        return max(self.applied, default=self.floor)

    def mark_applied(self, ids: Iterable[int]) -> None:
        self.applied.update(i for i in ids if i > self.floor)

    def saw(self, update_id: int, at: float) -> None:
        """`update_id` was committed and visible at monotonic time `at` (call with the lock held)."""
        if not self.seen or update_id > self.seen[-1][1]:
            self.seen.append((at, update_id))

    def advance_floor(self, began: float, window: float) -> None:
        """A refresh that began at `began` read every row above `floor` then visible: every id up to one seen
        visible `window` seconds before that was committed by then (its transaction took less than the
        window), so it has been applied. Call with the lock held, after applying what the refresh read."""
        floor = self.floor
        while self.seen and self.seen[0][0] <= began - window:
            floor = max(floor, self.seen.popleft()[1])
        if floor > self.floor:
            self.floor = floor
            self.applied = {i for i in self.applied if i > floor}


@dataclass
class _Submission:
    document_id: int
    data: bytes
    user_id: int | None
    token: int
    done: threading.Event = field(default_factory=threading.Event)  # set once committed (or failed)
    wake: threading.Event = field(default_factory=threading.Event)  # set when done, or when it should lead
    update_id: int | None = None
    error: BaseException | None = None

    def finish(self, update_id: int | None = None, error: BaseException | None = None) -> None:
        self.update_id, self.error = update_id, error
        self.done.set()
        self.wake.set()


class DocumentStore:
    """One per app. Thread-safe; the same code runs under eventlet (whose monkey-patching turns these
    threading primitives into green ones)."""

    def __init__(self, compact_after: int, refresh_window: float = 30.0) -> None:
        self.compact_after = compact_after
        self.refresh_window = refresh_window
        self._documents: dict[int, CachedDocument] = {}
        self._documents_lock = threading.Lock()
        self._queue: list[_Submission] = []
        self._queue_lock = threading.Lock()
        self._commit_lock = threading.Lock()
        self._tokens = iter(range(1, 1 << 62))

    # reads
    def cached(self, document_id: int) -> CachedDocument:
        return self._entry(document_id)[0]

    def _entry(self, document_id: int) -> tuple[CachedDocument, bool]:
        """(the cached document, whether it was just loaded from the database)."""
        with self._documents_lock:
            entry = self._documents.get(document_id)
        if entry is not None:
            return entry, False
        with db.engine.connect() as conn:
            doc, ids, snapshot_id = _read_document(conn, document_id)
        fresh = CachedDocument(document_id, doc, clone(doc), snapshot_id=snapshot_id)
        fresh.mark_applied(ids)
        if ids:
            fresh.saw(max(ids), time.monotonic())
        with self._documents_lock:
            entry = self._documents.setdefault(document_id, fresh)
        return entry, entry is fresh

    def refresh(self, document_id: int) -> CachedDocument:
        """Apply what other processes committed since we last looked: one indexed query when nothing is new.

        It reads the ids of the log rows above `floor` (not above the highest id seen, which would miss a row
        committed late with a lower id) and the id of the latest snapshot; then fetches only the rows not yet
        applied, and the snapshot if a compaction (ours or another process's) replaced it or deleted rows we
        had not applied. Re-applying is harmless: Yjs updates are idempotent."""
        entry, loaded = self._entry(document_id)
        if loaded:
            return entry
        with entry.lock:
            floor, known_snapshot = entry.floor, entry.snapshot_id
        began = time.monotonic()
        with db.engine.connect() as conn:
            listed = conn.execute(
                select(DocumentUpdate.id, literal_column("0").label("is_snapshot"))
                .where(DocumentUpdate.document_id == document_id, DocumentUpdate.id > floor)
                .union_all(select(DocumentSnapshot.id, literal_column("1"))
                           .where(DocumentSnapshot.document_id == document_id))).all()
            ids = sorted(row.id for row in listed if not row.is_snapshot)
            snapshot_ids = [row.id for row in listed if row.is_snapshot]
            with entry.lock:
                missing = [i for i in ids if i not in entry.applied]
            rows = []
            if missing:
                rows = conn.execute(select(DocumentUpdate.id, DocumentUpdate.data)
                                    .where(DocumentUpdate.id.in_(missing)).order_by(DocumentUpdate.id)).all()
            snapshot = None
            vanished = len(rows) < len(missing)  # compacted since we listed them: the new snapshot holds them
            if vanished or (snapshot_ids and max(snapshot_ids) != known_snapshot):
                snapshot = conn.execute(
                    select(DocumentSnapshot.id, DocumentSnapshot.data)
                    .where(DocumentSnapshot.document_id == document_id)
                    .order_by(DocumentSnapshot.id.desc()).limit(1)).first()
        seen_at = time.monotonic()
        with entry.lock:
            if snapshot is not None and snapshot.id != entry.snapshot_id:
                entry.committed.apply_update(snapshot.data)
                entry.shadow.apply_update(snapshot.data)
                entry.snapshot_id = snapshot.id
            if rows:
                apply_all(entry.committed, (row.data for row in rows))
                apply_all(entry.shadow, (row.data for row in rows))
            entry.mark_applied(missing if snapshot is not None else [row.id for row in rows])
            if ids:
                entry.saw(ids[-1], seen_at)
            entry.advance_floor(began, self.refresh_window)
        return entry

    def full_state(self, document_id: int, *, fresh: bool = True) -> bytes:
        """The whole document. `fresh` (the default): refreshed from the database first, so a page, an export
        or a version never shows less than another process has committed."""
        entry = self.refresh(document_id) if fresh else self.cached(document_id)
        with entry.lock:
            return entry.committed.get_update()

    # What connections are sent comes from `shadow` (committed plus the validated updates waiting for the group
    # commit): an update is relayed to the room as soon as it is queued (sync.sync), so a client joining or
    # syncing meanwhile must get it too, or nobody would send it to them. Pages and exports use `full_state`.
    def state_vector(self, document_id: int) -> bytes:
        entry = self.cached(document_id)
        with entry.lock:
            return entry.shadow.get_state()

    def live_state(self, document_id: int) -> bytes:
        """The whole document as connections see it (committed and queued updates): a joining client's step 2."""
        entry = self.cached(document_id)
        with entry.lock:
            return entry.shadow.get_update()

    def diff(self, document_id: int, state_vector: bytes) -> bytes:
        """What a client with this state vector lacks (raises Malformed for a bad state vector)."""
        entry = self.cached(document_id)
        with entry.lock:
            try:
                return entry.shadow.get_update(state_vector)
            except BaseException as exc:
                if is_fatal(exc):
                    raise
                raise Malformed("bad state vector") from exc

    def forget(self, document_id: int) -> None:
        with self._documents_lock:
            self._documents.pop(document_id, None)

    # writes
    def submit(self, document_id: int, data: bytes, user_id: int | None,
               queued: Callable[[], None] | None = None) -> int:
        """Validate, commit, then update the cache; returns the new update id once it is durable.
        Raises Malformed (nothing stored) or OutOfSync (nothing stored; the client should resync).
        `queued()`, if given, is called once the update is validated and queued for the next group commit:
        from then on, later updates (which may depend on it) validate against it."""
        entry = self.cached(document_id)
        token = self._validate(entry, data)
        submission = _Submission(document_id, data, user_id, token)
        with self._queue_lock:
            self._queue.append(submission)
        if queued is not None:
            queued()
        self._await_commit(submission)
        if submission.error is not None:
            raise submission.error
        assert submission.update_id is not None
        return submission.update_id

    def _validate(self, entry: CachedDocument, data: bytes) -> int:
        with entry.lock:
            try:
                entry.shadow.apply_update(data)
                broken = missing_dependencies(entry.shadow, data)
            except BaseException as exc:
                if is_fatal(exc):
                    raise
                self._rebuild_shadow(entry)
                raise Malformed("pycrdt could not apply the update") from exc
            if broken:
                self._rebuild_shadow(entry)
        if broken:
            # Maybe another process committed what it depends on: look once more before refusing.
            self.refresh(entry.document_id)
            with entry.lock:
                probe = clone(entry.shadow)
                probe.apply_update(data)
                if missing_dependencies(probe, data):
                    raise OutOfSync("the update depends on changes the server does not have")
                entry.shadow.apply_update(data)
        with entry.lock:
            token = next(self._tokens)
            entry.in_flight[token] = data
            return token

    def _rebuild_shadow(self, entry: CachedDocument) -> None:
        entry.shadow = clone(entry.committed)
        for data in entry.in_flight.values():
            entry.shadow.apply_update(data)

    # ---- group commit (the commit path) ----
    def _await_commit(self, submission: _Submission) -> None:
        """Return once `submission` is committed or has failed (its `done`).

        Leader/follower without a convoy: the caller that finds the commit lock free leads and commits
        everything queued, batch after batch, until its own submission is done; then it releases the lock and
        wakes the oldest submission still queued, which leads next. Every other caller only waits for its own
        `wake`: it never queues for the lock behind commits that already hold its update, and a leader's own
        ack is not held back by later batches. The short timeout only covers a missed wake-up."""
        while not submission.done.is_set():
            submission.wake.clear()
            if self._commit_lock.acquire(blocking=False):
                try:
                    time.sleep(0)  # let updates that arrived together join this batch (a green switch under eventlet)
                    while not submission.done.is_set():
                        batch = self._take_batch()
                        if not batch:
                            break  # cannot happen (ours is queued or done); never spin on it
                        self._commit_batch(batch)
                finally:
                    self._commit_lock.release()
                    self._hand_off()
            else:
                submission.wake.wait(_FOLLOWER_WAIT)

    def _take_batch(self) -> list[_Submission]:
        with self._queue_lock:
            batch, self._queue = self._queue[:_MAX_BATCH], self._queue[_MAX_BATCH:]
        return batch

    def _hand_off(self) -> None:
        """After releasing the commit lock: the oldest queued submission leads the next batch."""
        with self._queue_lock:
            head = self._queue[0] if self._queue else None
        if head is not None:
            head.wake.set()

    def _commit_batch(self, batch: list[_Submission]) -> None:
        """Commit one batch in one transaction; its submissions, and only they, get the outcome."""
        try:
            ids = _write_updates([{"document_id": s.document_id, "data": s.data, "user_id": s.user_id}
                                  for s in batch])
        except BaseException as exc:
            self._fail(batch, exc)
            if is_fatal(exc):
                raise
            return
        due = self._after_commit(batch, ids, time.monotonic())
        for document_id in due:
            self._compact_quietly(document_id)

    def _after_commit(self, batch: list[_Submission], ids: list[int], committed_at: float) -> set[int]:
        # The batch's updates reach each document's `committed` merged (apply_all: chunks of 64 through
        # merge_updates), one apply per chunk instead of one per update: applying even a small update to a large
        # document costs ~0.2-0.6 ms of the hub (docs/performance.md, fix 4). Queue order is kept, so an update's
        # dependencies (validated against the shadow) are in an earlier batch or earlier in this one.
        by_document: dict[int, list[bytes]] = {}
        for submission in batch:
            by_document.setdefault(submission.document_id, []).append(submission.data)
        for document_id, updates in by_document.items():
            entry = self.cached(document_id)
            with entry.lock:
                apply_all(entry.committed, updates)
        due: set[int] = set()
        for submission, update_id in zip(batch, ids, strict=True):
            entry = self.cached(submission.document_id)
            with entry.lock:
                entry.in_flight.pop(submission.token, None)
                entry.mark_applied([update_id])
                entry.saw(update_id, committed_at)
                entry.since_compaction += 1
                if self.compact_after and entry.since_compaction >= self.compact_after:
                    entry.since_compaction = 0
                    due.add(submission.document_id)
            submission.finish(update_id)
        return due

    def _fail(self, batch: list[_Submission], exc: BaseException) -> None:
        log.exception("committing %d document updates failed", len(batch), exc_info=exc)
        for submission in batch:
            entry = self.cached(submission.document_id)
            with entry.lock:
                entry.in_flight.pop(submission.token, None)
                self._rebuild_shadow(entry)
            submission.finish(error=RuntimeError("the update could not be saved"))

    def _compact_quietly(self, document_id: int) -> None:
        """Compaction after enough updates, by the commit leader (it holds the commit lock, so the commit path's
        connection is free). Like a commit, it runs through the blocking runner: its fsync (and SQLite's work)
        no longer stops the hub, which it did ~5 times a second in the throughput test (11 % of the hub)."""
        try:
            conn = _commit_engine(db.engine).connect()
            finished = False

            def work() -> int:
                nonlocal finished
                try:
                    with conn.begin():
                        return _compact_on(conn, document_id)
                finally:
                    finished = True

            try:
                _run_blocking(work)
            finally:
                if finished:
                    conn.close()
                else:
                    log.error("a compaction was interrupted; its database connection is abandoned")
        except Exception:
            log.exception("compacting document %s failed; the log is intact", document_id)


def get_store(app: Flask | None = None) -> DocumentStore:
    """The app's store (one per app, so tests with fresh databases never see a stale cache)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    store = app.extensions.get(_EXTENSION_KEY)
    if store is None:
        store = app.extensions.setdefault(_EXTENSION_KEY, DocumentStore(
            app.config["COLLAB_COMPACT_AFTER_UPDATES"], float(app.config.get("COLLAB_REFRESH_WINDOW_SECONDS", 30))))
    return store


__all__ = ["DocumentStore", "OutOfSync", "Malformed", "load", "append", "compact", "compact_all", "get_store",
           "set_blocking_runner"]
