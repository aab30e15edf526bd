"""The document store: the cache of each open shared document, and the write path (validate, group commit).

The database is the source of truth (collab.realtime.doclog: the update log and its snapshots); `DocumentStore`
keeps a cache of each open document:
- `committed`: exactly what the log holds (updated only after a commit); pages and exports are served from it;
- `shadow`: `committed` plus updates validated but not yet committed; incoming updates are checked against it,
  so an update that depends on one still in flight is accepted, and connections are served from it (an update is
  relayed to the room as soon as it is queued). Built on the first write: until then it would equal `committed`.

A document stays cached while it is used and for `idle_seconds` after (a teacher reconnecting on poor Wi-Fi, or a
colleague opening it next, is served at once instead of reloading it: ~40 ms for 1 MB); then it is dropped.

Writers batch: every validated update is queued, and whoever finds the commit lock free commits everything queued
in one transaction (collab.realtime.group_commit: no background thread; threading or eventlet alike).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

from flask import Flask
from sqlalchemy import Integer, Row, literal_column, select

from collab.extensions import db, document_store
from collab.realtime import doclog, metrics
from collab.realtime.cached_document import CachedDocument
from collab.realtime.group_commit import GroupCommit, Submission
from collab.realtime.models import DocumentSnapshot, DocumentUpdate
from collab.realtime.ycheck import Refused, Summary, TooLong, attribute_writes, check_update
from collab.realtime.yupdates import Malformed, apply_all, clone, is_fatal, missing_dependencies

log = logging.getLogger(__name__)
_SWEEP_EVERY = 10.0  # seconds between looks for idle documents to drop
_MEASURE_SIZE_EVERY = 5.0  # seconds between measurements of a document counted as full
_LOOK_AGAIN_EVERY = 0.2  # seconds: at most this often per document, an out-of-sync update makes us read the log


class InvalidContent(Malformed):
    """A well-formed update giving a node an attribute it may not hold (collab.maths.schema); the message says
    which and why, and is shown to the sender."""


class DocumentFull(Exception):
    """Applying the update would take the document past COLLAB_MAX_DOCUMENT_BYTES: nothing was stored."""


class OutOfSync(Exception):
    """The update depends on changes this server does not have (yet): the client should resync."""


class DocumentStore:
    """One per app. Thread-safe; the same code runs under eventlet (whose monkey-patching turns these
    threading primitives into green ones)."""

    def __init__(self, compact_after: int, refresh_window: float = 30.0, idle_seconds: float = 300.0, *,
                 max_value_chars: int | None = None, max_document_bytes: int | None = None,
                 attribute_check: Callable[[str, str, object], None] | None = None) -> None:
        self.compact_after = compact_after
        self.max_value_chars = max_value_chars  # the longest value a new update may hold (ycheck.TooLong)
        # The largest a document may grow (DocumentFull): without it one member could feed a document updates of
        # up to a megabyte, fifty a second, until the process runs out of memory.
        self.max_document_bytes = max_document_bytes
        # (tag, key, value) of each attribute a new update writes on an XML element; a ValueError refuses it as
        # malformed (collab.maths.schema.check_attribute: no script in a formula)
        self.attribute_check = attribute_check
        self.refresh_window = refresh_window
        self.idle_seconds = idle_seconds
        self._documents: dict[int, CachedDocument] = {}
        self._documents_lock = threading.Lock()
        self._swept_at = time.monotonic()
        self.commits = GroupCommit(self._commit_batch)
        self._tokens = iter(range(1, 1 << 62))

    # reads
    def cached(self, document_id: int) -> CachedDocument:
        return self._entry(document_id)[0]

    def _entry(self, document_id: int) -> tuple[CachedDocument, bool]:
        """(the cached document, whether it was just loaded from the database)."""
        now = time.monotonic()
        if now - self._swept_at >= min(_SWEEP_EVERY, self.idle_seconds):
            self._drop_idle(now)
        with self._documents_lock:
            entry = self._documents.get(document_id)
        if entry is not None:
            entry.used_at = now
            return entry, False
        with db.engine.connect() as conn:
            doc, ids, snapshot_id = doclog.read_document(conn, document_id)
        fresh = CachedDocument(document_id, doc, snapshot_id=snapshot_id, size=len(doc.get_update()))
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
                select(DocumentUpdate.id, literal_column("0", Integer).label("is_snapshot"))
                .where(DocumentUpdate.document_id == document_id, DocumentUpdate.id > floor)
                .union_all(select(DocumentSnapshot.id, literal_column("1", Integer))
                           .where(DocumentSnapshot.document_id == document_id))).all()
            ids = sorted(row.id for row in listed if not row.is_snapshot)
            snapshot_ids = [row.id for row in listed if row.is_snapshot]
            with entry.lock:
                missing = [i for i in ids if i not in entry.applied]
            rows: Sequence[Row[int, bytes]] = []
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
                before = entry.live.get_state()
                entry.committed.apply_update(snapshot.data)
                if entry.shadow is not None:
                    entry.shadow.apply_update(snapshot.data)
                entry.snapshot_id = snapshot.id
                if entry.live.get_state() != before:
                    # It holds rows we never read (compacted before we saw them): the parent index lacks their
                    # nodes, so it is read again from the live document when next needed. Our own compactions
                    # add nothing new and keep it.
                    entry.forget_parents()
            waiting: set[int] = set()
            if rows:
                waiting = entry.take_rows(rows)
            # A row still waiting for what it builds on is not applied: the next refresh fetches it again (the
            # floor stays below it), and applies it once what it needs is in the log.
            entry.mark_applied(i for i in (missing if snapshot is not None else [row.id for row in rows])
                               if i not in waiting)
            if ids:
                entry.saw(ids[-1], seen_at)
            if not waiting:
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
            return entry.live.get_state()

    def live_state(self, document_id: int) -> bytes:
        """The whole document as connections see it (committed and queued updates): a joining client's step 2."""
        entry = self.cached(document_id)
        with entry.lock:
            return entry.live.get_update()

    def diff(self, document_id: int, state_vector: bytes) -> bytes:
        """What a client with this state vector lacks (raises Malformed for a bad state vector)."""
        entry = self.cached(document_id)
        with entry.lock:
            try:
                return entry.live.get_update(state_vector)
            except BaseException as exc:
                if is_fatal(exc):
                    raise
                raise Malformed("bad state vector") from exc

    def cached_documents(self) -> int:
        with self._documents_lock:
            return len(self._documents)

    def updates_in_flight(self) -> int:
        """Updates validated and relayed but not yet committed (or failed), over every cached document: what a
        graceful shutdown waits for (collab.server.shutdown)."""
        with self._documents_lock:
            entries = list(self._documents.values())
        return self.commits.waiting() + sum(len(entry.in_flight) for entry in entries)

    def forget(self, document_id: int) -> None:
        """Drop it from the cache now (a deleted record must not linger in memory)."""
        with self._documents_lock:
            self._documents.pop(document_id, None)

    def _drop_idle(self, now: float) -> None:
        """Drop documents unused for `idle_seconds`, except one with updates waiting for their commit (its
        shadow holds them: a reload would refuse the next update that depends on them)."""
        self._swept_at = now
        with self._documents_lock:
            idle = [doc_id for doc_id, entry in self._documents.items()
                    if now - entry.used_at >= self.idle_seconds and not entry.in_flight]
            for doc_id in idle:
                del self._documents[doc_id]

    # writes
    def submit(self, document_id: int, data: bytes, user_id: int | None,
               queued: Callable[[], None] | None = None) -> int:
        """Validate, commit, then update the cache; returns the new update id once it is durable.
        Raises Malformed (nothing stored) or OutOfSync (nothing stored; the client should resync).
        `queued()`, if given, is called once the update is validated and queued for the next group commit:
        from then on, later updates (which may depend on it) validate against it."""
        entry = self.cached(document_id)
        submission = self._validate(entry, data, user_id)
        if queued is not None:
            queued()
        self.commits.wait_for(submission)
        if submission.error is not None:
            raise submission.error
        assert submission.update_id is not None
        return submission.update_id

    def _validate(self, entry: CachedDocument, data: bytes, user_id: int | None) -> Submission:
        """Check `data` against the live document, apply it to the shadow and queue it for the group commit.

        Applying, noting it in flight and queueing happen under one hold of the document's lock: the log's order
        is then the order updates were applied in (a later update that builds on this one cannot be committed
        before it, and a compaction between the two would otherwise find it building on nothing), and a shadow
        rebuilt meanwhile (after someone else's bad update) keeps it.

        The strict reader (collab.realtime.ycheck) sees the bytes before yrs does: yrs trusts its input, and a
        crafted update can make it panic later or loop, which would stop the hub. Only what an honest client
        sends reaches `apply_update`; what merely builds on changes we lack is refused OutOfSync without
        touching the shadow (no rebuild: rebuilding after every refusal is what a hostile client could loop)."""
        with entry.lock:
            self._check_size(entry, data)
            entry.writable()
            summary = self._strictly_checked(entry, data)
            if summary is not None:
                self._apply_checked(entry, data, summary)
                return self._queue(entry, data, user_id)
        if not entry.may_look_again(time.monotonic(), _LOOK_AGAIN_EVERY):
            # Looked very recently: refusing now costs the client one resend after its step 2, whereas a
            # database read for every out-of-sync update is what a flood of them would make us do.
            raise OutOfSync("the update depends on changes the server does not have")
        # Maybe another process committed what it depends on: look once more before refusing.
        self.refresh(entry.document_id)
        with entry.lock:
            self._check_size(entry, data)
            entry.writable()
            summary = self._strictly_checked(entry, data)
            if summary is None:
                raise OutOfSync("the update depends on changes the server does not have")
            self._apply_checked(entry, data, summary)
            return self._queue(entry, data, user_id)

    def _check_size(self, entry: CachedDocument, data: bytes) -> None:
        if not self.max_document_bytes or entry.size + len(data) <= self.max_document_bytes:
            return
        # The count only over-states (a refused update's bytes, a row counted by two refreshes, what Yjs merged):
        # before refusing, measure the document itself, at most every few seconds (an update refused while it is
        # really full must not cost an encoding of it each time).
        now = time.monotonic()
        if now - entry.size_measured_at >= _MEASURE_SIZE_EVERY:
            entry.size, entry.size_measured_at = len(entry.live.get_update()), now
        if entry.size + len(data) > self.max_document_bytes:
            raise DocumentFull(f"document {entry.document_id}: {entry.size:,} of {self.max_document_bytes:,} bytes")

    def _queue(self, entry: CachedDocument, data: bytes, user_id: int | None) -> Submission:
        """Note an applied update in flight and queue it for the group commit (call with the lock held)."""
        entry.size += len(data)
        token = next(self._tokens)
        entry.in_flight[token] = data
        submission = Submission(entry.document_id, data, user_id, token)
        self.commits.enqueue(submission)
        return submission

    def _strictly_checked(self, entry: CachedDocument, data: bytes) -> Summary | None:
        """Raise Malformed unless an honest client could have sent `data` (TooLong for a value over the limit);
        None if it builds on changes the live document lacks, else what it holds (call with the lock held, the
        shadow writable)."""
        try:
            summary = check_update(data, entry.known_clocks(), entry.parents(), max_value_chars=self.max_value_chars)
        except TooLong:
            raise
        except Refused as exc:
            if exc.out_of_sync:
                return None
            raise Malformed(str(exc)) from exc
        if self.attribute_check is not None and summary.entries:
            for tag, key, value in attribute_writes(summary, entry.parents()):
                try:
                    self.attribute_check(tag, key, value)
                except ValueError as exc:
                    raise InvalidContent(f"a {tag} may not hold that {key[:40]}: {exc}") from exc
        return summary

    def _apply_checked(self, entry: CachedDocument, data: bytes, summary: Summary) -> None:
        """Apply a strictly checked update to the shadow (lock held). Should yrs still refuse it, or leave
        something pending, or be unable to encode what it added, the shadow is rebuilt and the update refused."""
        shadow = entry.live
        before = shadow.get_state()
        try:
            shadow.apply_update(data)
            broken = missing_dependencies(shadow, data)
            shadow.get_update(before)  # what it added still encodes (a peer's step 2 and the log need it)
        except BaseException as exc:
            if is_fatal(exc):
                raise
            self._rebuild_shadow(entry)
            raise Malformed("pycrdt could not apply the update") from exc
        if broken:
            self._rebuild_shadow(entry)
            raise Malformed("the update left parts the document cannot place")
        entry.took(summary)

    def _rebuild_shadow(self, entry: CachedDocument) -> None:
        try:
            entry.settle()  # the old shadow is thrown away; its transaction must not stay open on it
        except BaseException as exc:
            if is_fatal(exc):
                raise
            # An update that failed half-applied may leave the transaction unable to close; the shadow goes anyway.
            log.warning("closing the shadow of document %s failed; rebuilt", entry.document_id, exc_info=exc)
        entry.shadow = clone(entry.committed)
        for data in entry.in_flight.values():
            entry.shadow.apply_update(data)

    def _commit_batch(self, batch: list[Submission]) -> None:
        """Commit one batch in one transaction; its submissions, and only they, get the outcome."""
        try:
            with metrics.timed_commit(len(batch)):
                ids = doclog.write_updates([{"document_id": s.document_id, "data": s.data, "user_id": s.user_id}
                                            for s in batch])
        except BaseException as exc:
            self._fail(batch, exc)
            if is_fatal(exc):
                raise
            return
        try:
            due = self._after_commit(batch, ids, time.monotonic())
        except BaseException as exc:
            self._recover_after_commit(batch, ids, exc)
            if is_fatal(exc):
                raise
            return
        for document_id in due:
            self._compact_quietly(document_id)

    def _recover_after_commit(self, batch: list[Submission], ids: list[int], exc: BaseException) -> None:
        """Updating the cache failed after the batch was committed. The updates are durable, so they are
        acknowledged all the same (a submission left unfinished would hang its sender for good); the cache may
        now lack some of them, so their documents are dropped and reloaded from the database on next use."""
        log.error("updating the cache after committing %d document updates failed; reloading", len(batch),
                  exc_info=exc)
        for document_id in {s.document_id for s in batch}:
            self.forget(document_id)
        for submission, update_id in zip(batch, ids, strict=True):
            if not submission.done:
                submission.finish(update_id)

    def _after_commit(self, batch: list[Submission], ids: list[int], committed_at: float) -> set[int]:
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
                entry.settle()
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

    def _fail(self, batch: list[Submission], exc: BaseException) -> None:
        log.exception("committing %d document updates failed", len(batch), exc_info=exc)
        for submission in batch:
            try:
                entry = self.cached(submission.document_id)
                with entry.lock:
                    entry.in_flight.pop(submission.token, None)
                    self._rebuild_shadow(entry)
            except BaseException:
                # Its shadow may still hold the failed update: reloaded from the database on next use. The
                # senders not yet told are told by GroupCommit.
                self.forget(submission.document_id)
                raise
            submission.finish(error=RuntimeError("the update could not be saved"))

    def _compact_quietly(self, document_id: int) -> None:
        """Compaction after enough updates, by the commit leader (it holds the commit lock, so the commit path's
        connection is free). Like a commit, it runs through the blocking runner: its fsync (and SQLite's work)
        no longer stops the hub, which it did ~5 times a second in the throughput test (11 % of the hub)."""
        try:
            doclog.on_commit_connection(lambda conn: doclog.compact_on(conn, document_id))
        except Exception:
            log.exception("compacting document %s failed; the log is intact", document_id)
            return
        with self._documents_lock:
            entry = self._documents.get(document_id)
        if entry is not None:
            with entry.lock:  # what the updates since the load merged into: the size counted from now on
                entry.size = len(entry.live.get_update())


def get_store(app: Flask | None = None) -> DocumentStore:
    """The app's store (collab.extensions.document_store, made by create_app; each test gets a new one, so it
    never sees a stale cache)."""
    return document_store.get(app)


__all__ = ["DocumentFull", "DocumentStore", "OutOfSync", "Malformed", "get_store"]
