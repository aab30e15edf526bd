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
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import Flask, current_app
from pycrdt import Doc
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from collab.extensions import db
from collab.realtime.models import DocumentSnapshot, DocumentUpdate, SharedDocument
from collab.realtime.yupdates import Malformed, apply_all, clone, is_fatal, missing_dependencies

log = logging.getLogger(__name__)
_EXTENSION_KEY = "collab_document_store"


class OutOfSync(Exception):
    """The update depends on changes this server does not have (yet): the client should resync."""


# ---- the log, straight from the database -------------------------------------------------------

def load(document_id: int) -> Doc:
    """A fresh Doc from the database: the latest snapshot, then every update still in the log."""
    doc, _last = _load_with_last_id(db.session.connection(), document_id)
    db.session.commit()
    return doc


def _load_with_last_id(conn: Connection, document_id: int, after_id: int = 0) -> tuple[Doc, int]:
    doc: Doc = Doc()
    last_id = after_id
    if after_id == 0:
        snapshot = conn.execute(
            select(DocumentSnapshot.data, DocumentSnapshot.upto_update_id)
            .where(DocumentSnapshot.document_id == document_id)
            .order_by(DocumentSnapshot.id.desc()).limit(1)).first()
        if snapshot is not None:
            doc.apply_update(snapshot.data)
            last_id = snapshot.upto_update_id
    # Compaction deletes exactly the updates it merged, so every row left is applied (again: idempotent).
    rows = conn.execute(
        select(DocumentUpdate.id, DocumentUpdate.data)
        .where(DocumentUpdate.document_id == document_id, DocumentUpdate.id > after_id)
        .order_by(DocumentUpdate.id)).all()
    apply_all(doc, (row.data for row in rows))
    return doc, max([last_id, *(row.id for row in rows)])


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


def _write_updates(rows: list[dict]) -> list[int]:
    """Insert a batch of log rows in one transaction and commit it; returns their ids in order."""
    with db.engine.begin() as conn:
        return _insert(conn, rows)


def compact(document_id: int) -> int:
    """Merge the snapshot and the logged updates into one new snapshot, in one transaction.

    The merge goes through a Doc (merge_updates over a whole log is quadratic; see apply_all).
    Only the updates read are deleted, so one committed meanwhile stays in the log. Returns how many
    updates were folded in."""
    with db.engine.begin() as conn:
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
    document_id: int
    committed: Doc
    shadow: Doc
    last_update_id: int
    lock: threading.RLock = field(default_factory=threading.RLock)
    in_flight: dict[int, bytes] = field(default_factory=dict)
    since_compaction: int = 0


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

    def __init__(self, compact_after: int) -> None:
        self.compact_after = compact_after
        self._documents: dict[int, CachedDocument] = {}
        self._documents_lock = threading.Lock()
        self._queue: list[_Submission] = []
        self._queue_lock = threading.Lock()
        self._commit_lock = threading.Lock()
        self._tokens = iter(range(1, 1 << 62))

    # reads
    def cached(self, document_id: int) -> CachedDocument:
        with self._documents_lock:
            entry = self._documents.get(document_id)
        if entry is not None:
            return entry
        with db.engine.connect() as conn:
            doc, last_id = _load_with_last_id(conn, document_id)
        fresh = CachedDocument(document_id, doc, clone(doc), last_id)
        with self._documents_lock:
            return self._documents.setdefault(document_id, fresh)

    def refresh(self, document_id: int) -> CachedDocument:
        """Apply updates committed by other processes since we last looked (cheap when there are none)."""
        entry = self.cached(document_id)
        with db.engine.connect() as conn:
            newer = conn.execute(select(DocumentUpdate.id, DocumentUpdate.data).where(
                DocumentUpdate.document_id == document_id, DocumentUpdate.id > entry.last_update_id)
                .order_by(DocumentUpdate.id)).all()
        with entry.lock:
            fresh = [row for row in newer if row.id > entry.last_update_id]
            if fresh:
                apply_all(entry.committed, (row.data for row in fresh))
                apply_all(entry.shadow, (row.data for row in fresh))
                entry.last_update_id = fresh[-1].id
        return entry

    def full_state(self, document_id: int) -> bytes:
        entry = self.cached(document_id)
        with entry.lock:
            return entry.committed.get_update()

    def state_vector(self, document_id: int) -> bytes:
        entry = self.cached(document_id)
        with entry.lock:
            return entry.committed.get_state()

    def diff(self, document_id: int, state_vector: bytes) -> bytes:
        """What a client with this state vector lacks (raises Malformed for a bad state vector)."""
        entry = self.cached(document_id)
        with entry.lock:
            try:
                return entry.committed.get_update(state_vector)
            except BaseException as exc:
                if is_fatal(exc):
                    raise
                raise Malformed("bad state vector") from exc

    def forget(self, document_id: int) -> None:
        with self._documents_lock:
            self._documents.pop(document_id, None)

    # writes
    def submit(self, document_id: int, data: bytes, user_id: int | None) -> int:
        """Validate, commit, then update the cache; returns the new update id once it is durable.
        Raises Malformed (nothing stored) or OutOfSync (nothing stored; the client should resync)."""
        entry = self.cached(document_id)
        token = self._validate(entry, data)
        submission = _Submission(document_id, data, user_id, token)
        with self._queue_lock:
            self._queue.append(submission)
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
        due = self._after_commit(batch, ids)
        for document_id in due:
            self._compact_quietly(document_id)

    def _after_commit(self, batch: list[_Submission], ids: list[int]) -> set[int]:
        due: set[int] = set()
        for submission, update_id in zip(batch, ids, strict=True):
            entry = self.cached(submission.document_id)
            with entry.lock:
                entry.committed.apply_update(submission.data)
                entry.in_flight.pop(submission.token, None)
                entry.last_update_id = max(entry.last_update_id, update_id)
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
        try:
            compact(document_id)
        except Exception:
            log.exception("compacting document %s failed; the log is intact", document_id)


def get_store(app: Flask | None = None) -> DocumentStore:
    """The app's store (one per app, so tests with fresh databases never see a stale cache)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    store = app.extensions.get(_EXTENSION_KEY)
    if store is None:
        store = app.extensions.setdefault(_EXTENSION_KEY, DocumentStore(app.config["COLLAB_COMPACT_AFTER_UPDATES"]))
    return store


__all__ = ["DocumentStore", "OutOfSync", "Malformed", "load", "append", "compact", "compact_all", "get_store"]
