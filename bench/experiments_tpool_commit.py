"""Experiment (not the app): wsgi.py with the document store's commit moved off the eventlet hub.

Used to measure a suggested server-side fix without touching collab/ (see docs/performance.md):
    .venv/bin/python bench/realtime.py --quick --app-script bench/experiments_tpool_commit.py
SQLite's commit (fsync, synchronous=FULL) is a C call that blocks the whole eventlet hub; here it runs in
eventlet's tpool (a real OS thread) so the hub keeps receiving and validating updates, which then queue up
and go into the next group commit (BENCH_TPOOL=1, the default), and a follower whose update a leader already
committed returns at once instead of queueing for the commit lock (BENCH_NO_CONVOY=1). BENCH_GC_TRACE=1 prints
GC pauses; BENCH_GC_FREEZE=1 also calls gc.freeze() after start-up; BENCH_GC_THRESHOLD=50000,20,100 sets
gc.set_threshold. BENCH_TRACE_SUBMIT=1 logs group-commit sizes
and how many updates wait inside submit().
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("COLLAB_ASYNC_MODE", "eventlet")

import eventlet  # noqa: E402

eventlet.monkey_patch()

import time  # noqa: E402

from eventlet import tpool  # noqa: E402

import collab.realtime.store as store  # noqa: E402
from collab import create_app  # noqa: E402
from collab.extensions import db  # noqa: E402

_batches: list[int] = []


_USE_TPOOL = os.environ.get("BENCH_TPOOL", "1") == "1"


def _commit_batch(self, batch) -> None:
    """The body of DocumentStore._commit_pending for one batch, with the commit in tpool (BENCH_TPOOL=1)."""
    _batches.append(len(batch))
    if len(_batches) % 200 == 0:
        print(f"[experiment] last 200 group commits: mean batch {sum(_batches[-200:]) / 200:.1f}"
              + (f"; inside submit now {_inside[0]}, inside sync handler {_handlers[0]}"
                 if os.environ.get("BENCH_TRACE_SUBMIT") == "1" else ""), flush=True)
    rows = [{"document_id": s.document_id, "data": s.data, "user_id": s.user_id} for s in batch]
    try:
        if _USE_TPOOL:
            conn = db.engine.connect()
            try:
                def work():
                    with conn.begin():
                        return store._insert(conn, rows)

                ids = tpool.execute(work)
            finally:
                conn.close()
        else:
            with db.engine.begin() as conn:
                ids = store._insert(conn, rows)
    except BaseException as exc:
        self._fail(batch, exc)
        if store.is_fatal(exc):
            raise
        return
    for document_id in self._after_commit(batch, ids):
        self._compact_quietly(document_id)


def _take(self):
    with self._queue_lock:
        batch, self._queue = self._queue, []
    return batch


def _commit_pending(self) -> None:
    """As the store does it: whoever holds the lock commits what is queued (once)."""
    with self._commit_lock:
        time.sleep(0)
        batch = _take(self)
        if batch:
            _commit_batch(self, batch)


store.DocumentStore._commit_pending = _commit_pending


def _submit_no_convoy(self, document_id: int, data: bytes, user_id):
    """Leader/follower without the convoy: the leader keeps committing until the queue is empty, and a
    follower just waits for its own submission (it becomes leader only if the lock is free and it is still
    not committed) instead of queueing for the commit lock after a leader already committed its update."""
    entry = self.cached(document_id)
    token = self._validate(entry, data)
    submission = store._Submission(document_id, data, user_id, token)
    with self._queue_lock:
        self._queue.append(submission)
    while not submission.done.is_set():
        if self._commit_lock.acquire(blocking=False):
            try:
                time.sleep(0)  # let updates that arrived together join the first batch
                while batch := _take(self):
                    _commit_batch(self, batch)
            finally:
                self._commit_lock.release()
        else:
            submission.done.wait(0.05)  # the leader drains the queue; the timeout only covers a race
    if submission.error is not None:
        raise submission.error
    return submission.update_id


if os.environ.get("BENCH_NO_CONVOY") == "1":
    store.DocumentStore.submit = _submit_no_convoy

if os.environ.get("BENCH_TRACE_SUBMIT") == "1":  # how many updates are inside submit() at once
    import collab.realtime.sync as _sync

    _inside = [0]
    _orig_submit = store.DocumentStore.submit
    _orig_sync = _sync.sync
    _handlers = [0]

    def _traced_submit(self, *a, **k):
        _inside[0] += 1
        try:
            return _orig_submit(self, *a, **k)
        finally:
            _inside[0] -= 1

    def _traced_sync(*a, **k):
        _handlers[0] += 1
        try:
            return _orig_sync(*a, **k)
        finally:
            _handlers[0] -= 1

    store.DocumentStore.submit = _traced_submit
    _sync.sync = _traced_sync
    import collab.realtime.events as _events
    _events.sync = _sync
app = create_app()

if __name__ == "__main__":
    from collab.serve import serve

    if any(os.environ.get(k) for k in ("BENCH_GC_TRACE", "BENCH_GC_FREEZE", "BENCH_GC_THRESHOLD")):
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import _gctrace

        _gctrace.install(freeze=os.environ.get("BENCH_GC_FREEZE") == "1",
                         threshold=os.environ.get("BENCH_GC_THRESHOLD"))
    serve(app)
