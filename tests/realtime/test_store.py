"""The document store: ack after commit, group commit, compaction through a Doc, the cache."""

from __future__ import annotations

import threading
import time

import pytest
from pycrdt import Doc, Text
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

import collab.realtime.doclog as doclog
from collab.extensions import db, document_store
from collab.realtime.doclog import compact, load
from collab.realtime.models import DocumentSnapshot, DocumentUpdate
from collab.realtime.store import OutOfSync, get_store
from collab.realtime.yupdates import Malformed


class Writer:
    """A client-side Doc producing real incremental updates."""

    def __init__(self) -> None:
        self.doc = Doc()

    def type(self, text: str) -> bytes:
        before = self.doc.get_state()
        t = self.doc.get("text", type=Text)
        t.insert(len(t), text)
        return self.doc.get_update(before)


def _text(doc: Doc) -> str:
    return str(doc.get("text", type=Text))


def _wait_until(condition, message: str = "timed out", timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.01)


def _count(model) -> int:
    n = db.session.scalar(select(func.count()).select_from(model))
    db.session.commit()
    return n


def test_submit_returns_only_once_the_update_is_in_the_database(plan):
    store = get_store()
    update_id = store.submit(plan.document_id, Writer().type("hi"), None)
    with db.engine.connect() as conn:  # another connection sees it: it is committed
        assert conn.execute(select(DocumentUpdate.id).where(DocumentUpdate.id == update_id)).scalar() == update_id


def test_a_malformed_update_stores_nothing(plan):
    before = _count(DocumentUpdate)
    with pytest.raises(Malformed):
        get_store().submit(plan.document_id, b"\x01\x02\x03", None)
    assert _count(DocumentUpdate) == before


def test_an_update_missing_its_dependencies_is_out_of_sync_and_stores_nothing(plan):
    writer = Writer()
    writer.type("first")
    before = _count(DocumentUpdate)
    with pytest.raises(OutOfSync):
        get_store().submit(plan.document_id, writer.type(" second"), None)
    assert _count(DocumentUpdate) == before


def _deletion(writer: Writer, start: int, end: int) -> bytes:
    """The update of one transaction deleting text[start:end]: a delete set only, as an editor sends it."""
    updates: list[bytes] = []
    subscription = writer.doc.observe(lambda event: updates.append(event.update))
    del writer.doc.get("text", type=Text)[start:end]
    writer.doc.unobserve(subscription)
    return updates[0]


def test_a_deletion_of_text_the_server_never_had_is_out_of_sync_and_stores_nothing(plan):
    """An update that only deletes still depends on the text it deletes; one deleting known text is fine."""
    writer, store = Writer(), get_store()
    store.submit(plan.document_id, writer.type("kept "), None)
    writer.type("never sent")
    before = _count(DocumentUpdate)
    with pytest.raises(OutOfSync):
        store.submit(plan.document_id, _deletion(writer, 5, 10), None)
    assert _count(DocumentUpdate) == before
    store.submit(plan.document_id, _deletion(writer, 0, 2), None)
    assert _text(load(plan.document_id)) == "pt "


def test_compaction_folds_the_log_into_one_snapshot_without_changing_the_document(plan):
    writer, store = Writer(), get_store()
    for word in ("one ", "two ", "three"):
        store.submit(plan.document_id, writer.type(word), None)
    before = load(plan.document_id).get_update()
    folded = compact(plan.document_id)
    assert folded == 4  # the template and three edits
    assert _count(DocumentUpdate) == 0 and _count(DocumentSnapshot) == 1
    after = load(plan.document_id)
    assert _text(after) == "one two three"
    assert after.get_update() == before or _text(after) == _text(Doc()) + "one two three"
    store.submit(plan.document_id, writer.type("!"), None)
    compact(plan.document_id)
    assert _count(DocumentSnapshot) == 1
    assert _text(load(plan.document_id)) == "one two three!"


def test_updates_committed_during_compaction_are_kept(plan, app):
    """Writers in threads keep committing while compactions run: nothing is lost."""
    store, writers, document_id = get_store(), [Writer() for _ in range(4)], plan.document_id
    errors: list[BaseException] = []

    def write(i: int) -> None:
        with app.app_context():
            try:
                for n in range(15):
                    store.submit(document_id, writers[i].type(f"<{i}.{n}>"), None)
            except BaseException as exc:
                errors.append(exc)

    def compact_repeatedly() -> None:
        with app.app_context():
            for _ in range(10):
                compact(document_id)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    threads.append(threading.Thread(target=compact_repeatedly))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    text = _text(load(plan.document_id))
    for i in range(4):
        for n in range(15):
            assert text.count(f"<{i}.{n}>") == 1


def test_updates_arriving_together_share_a_commit(plan, app):
    store, writers, document_id = get_store(), [Writer() for _ in range(8)], plan.document_id
    commits: list[int] = []

    def count_commit(conn) -> None:
        commits.append(1)

    event.listen(Engine, "commit", count_commit)  # every engine: the commit path has its own
    barrier = threading.Barrier(8)

    def write(i: int) -> None:
        with app.app_context():
            barrier.wait()
            for n in range(10):
                store.submit(document_id, writers[i].type(f"[{i}.{n}]"), None)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    event.remove(Engine, "commit", count_commit)
    text = _text(load(plan.document_id))
    assert all(text.count(f"[{i}.{n}]") == 1 for i in range(8) for n in range(10))
    assert 0 < len(commits) < 80, "updates submitted together should share commits"


def test_a_failed_commit_fails_exactly_its_own_batch(plan, app, monkeypatch):
    """The first batch's commit fails while a second update waits in the queue: the first submitter gets the
    error and nothing of it is stored; the second is committed by the next leader and acknowledged."""
    store, document_id = get_store(), plan.document_id
    first, second = Writer(), Writer()
    real_write = doclog.write_updates
    entered, release = threading.Event(), threading.Event()
    batches: list[int] = []

    def failing_once(rows: list[dict]) -> list[int]:
        batches.append(len(rows))
        if len(batches) == 1:
            entered.set()
            release.wait(10)
            raise RuntimeError("disk full")
        return real_write(rows)

    monkeypatch.setattr(doclog, "write_updates", failing_once)
    outcome: dict[str, object] = {}

    def submit(name: str, data: bytes) -> None:
        with app.app_context():
            try:
                outcome[name] = store.submit(document_id, data, None)
            except Exception as exc:  # noqa: BLE001
                outcome[name] = exc

    a = threading.Thread(target=submit, args=("first", first.type("lost")))
    a.start()
    assert entered.wait(10)
    b = threading.Thread(target=submit, args=("second", second.type("kept")))
    b.start()
    while not store.commits.waiting():  # the second update is validated and queued behind the failing batch
        threading.Event().wait(0.01)
    release.set()
    a.join(10)
    b.join(10)
    assert isinstance(outcome["first"], RuntimeError)
    assert isinstance(outcome["second"], int)
    assert batches == [1, 1]
    assert _text(load(document_id)) == "kept"
    cached = Doc()
    cached.apply_update(store.full_state(document_id, fresh=False))
    assert _text(cached) == "kept"  # the cache dropped the failed update too


def test_an_update_committed_before_the_cache_fails_is_acknowledged_and_served_after_a_reload(plan, app,
                                                                                            monkeypatch):
    """If updating the cache fails after the commit, the update is durable: its sender is acknowledged (not left
    waiting for ever), and the document is reloaded from the database, so the next update, which depends on it, is
    accepted and everyone is served both."""
    import collab.realtime.store as store_module

    store, document_id, writer = get_store(), plan.document_id, Writer()
    real_apply_all = store_module.apply_all
    failures = []

    def fails_once(doc, updates):
        if not failures:
            failures.append(True)
            raise RuntimeError("out of memory")
        return real_apply_all(doc, updates)

    monkeypatch.setattr(store_module, "apply_all", fails_once)
    done = threading.Event()
    outcome: dict[str, object] = {}

    def submit() -> None:
        with app.app_context():
            outcome["id"] = store.submit(document_id, writer.type("kept "), None)
        done.set()

    threading.Thread(target=submit, daemon=True).start()
    assert done.wait(10), "the sender was never acknowledged"
    assert isinstance(outcome["id"], int) and failures
    store.submit(document_id, writer.type("and next"), None)
    live = Doc()
    live.apply_update(store.live_state(document_id))
    assert _text(live) == "kept and next"
    assert _text(load(document_id)) == "kept and next"


def test_a_joining_client_is_served_updates_still_waiting_for_their_commit(plan, monkeypatch):
    """Updates are relayed as soon as they are queued, so what a joining client is sent (live_state, the state
    vector) includes them; pages and exports (full_state) show only what is committed."""
    store, document_id = get_store(), plan.document_id
    real_write = doclog.write_updates
    seen: dict[str, str] = {}

    def look_then_write(rows: list[dict]) -> list[int]:
        live, committed = Doc(), Doc()
        live.apply_update(store.live_state(document_id))
        committed.apply_update(store.full_state(document_id, fresh=False))
        seen.update(live=_text(live), committed=_text(committed))
        probe = Doc()
        probe.apply_update(store.diff(document_id, Doc().get_state()))
        seen["diff"] = _text(probe)
        return real_write(rows)

    monkeypatch.setattr(doclog, "write_updates", look_then_write)
    store.submit(document_id, Writer().type("queued"), None)
    assert seen == {"live": "queued", "committed": "", "diff": "queued"}


def test_a_bad_update_among_queued_ones_leaves_them_served_and_committed(plan, app, monkeypatch):
    """While a commit is under way, updates queued behind it share one open transaction on the shadow. A malformed
    update arriving then is refused; the shadow is rebuilt from what is committed plus what is queued, so a later
    update that depends on a queued one is still accepted, a joining client still gets them all, and all are
    stored."""
    store, document_id, rows_before = get_store(), plan.document_id, _count(DocumentUpdate)
    writer = Writer()
    real_write = doclog.write_updates
    entered, release = threading.Event(), threading.Event()

    def held_first(rows: list[dict]) -> list[int]:
        if not entered.is_set():
            entered.set()
            release.wait(10)
        return real_write(rows)

    monkeypatch.setattr(doclog, "write_updates", held_first)

    def submit(data: bytes) -> None:
        with app.app_context():
            store.submit(document_id, data, None)

    leader = threading.Thread(target=submit, args=(writer.type("one "),))
    leader.start()
    assert entered.wait(10)
    queued = [threading.Thread(target=submit, args=(writer.type("two "),))]
    queued[0].start()
    _wait_until(lambda: store.commits.waiting() == 1)
    with pytest.raises(Malformed):
        store.submit(document_id, b"\x01\x02\x03", None)
    queued.append(threading.Thread(target=submit, args=(writer.type("three"),)))  # depends on "two "
    queued[1].start()
    _wait_until(lambda: store.commits.waiting() == 2, "the update depending on a queued one was not accepted")
    live = Doc()
    live.apply_update(store.live_state(document_id))
    assert _text(live) == "one two three"
    release.set()
    for thread in (leader, *queued):
        thread.join(10)
    assert _text(load(document_id)) == "one two three"
    assert _count(DocumentUpdate) == rows_before + 3


def test_compaction_runs_by_itself_after_enough_updates(plan, app):
    app.config["COLLAB_COMPACT_AFTER_UPDATES"] = 5
    document_store.init_app(app)  # a store made with the new setting
    store, writer = get_store(), Writer()
    for n in range(5):
        store.submit(plan.document_id, writer.type(str(n)), None)
    assert _count(DocumentSnapshot) == 1
    assert _text(load(plan.document_id)) == "01234"


def test_the_cache_is_rebuilt_from_the_database(plan):
    store, writer = get_store(), Writer()
    store.submit(plan.document_id, writer.type("cached"), None)
    state = store.full_state(plan.document_id)
    store.forget(plan.document_id)
    fresh = Doc()
    fresh.apply_update(store.full_state(plan.document_id))
    assert _text(fresh) == "cached"
    assert len(store.full_state(plan.document_id)) == len(state)


def test_the_compact_command_compacts_every_document(plan, runner):
    get_store().submit(plan.document_id, Writer().type("x"), None)
    result = runner.invoke(args=["collab", "compact"])
    assert "Compacted 1 document(s), 2 update(s)" in result.output
    assert _count(DocumentUpdate) == 0


def test_a_long_log_loads_to_the_same_document_as_the_writer_has(plan):
    writer = Writer()
    updates = [writer.type(f"{n},") for n in range(300)]  # several merge chunks, out of step with 64
    from collab.realtime.doclog import append
    append(plan.document_id, [(u, None) for u in updates])
    assert _text(load(plan.document_id)) == _text(writer.doc)
    compact(plan.document_id)
    assert _text(load(plan.document_id)) == _text(writer.doc)


def test_where_the_database_waits_cooperatively_a_batch_is_inserted_in_the_caller_and_compaction_is_not(plan):
    """Under eventlet on PostgreSQL (psycopg's waits made green), a batch's insert runs in the group commit's leader
    itself, not in an OS thread where its Python work held the GIL against the hub; compaction stays in one."""
    store, ran_in_runner = get_store(), []

    def runner(fn):
        ran_in_runner.append(fn)
        return fn()

    doclog.set_blocking_runner(runner, frozenset({"postgresql"}))
    try:
        store.submit(plan.document_id, Writer().type("hi"), None)
        inserts_in_runner = len(ran_in_runner)
        doclog.on_commit_connection(lambda conn: doclog.compact_on(conn, plan.document_id))  # as the store does
    finally:
        doclog.set_blocking_runner(None)
    cooperative = db.engine.dialect.name == "postgresql"
    assert inserts_in_runner == (0 if cooperative else 1)
    assert len(ran_in_runner) == inserts_in_runner + 1  # the compaction, in the runner either way
    assert _text(load(plan.document_id)).endswith("hi")
