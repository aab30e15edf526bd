"""Several processes, one database: a process's cache never misses what another committed.

A second DocumentStore on the same database stands in for another server process. On PostgreSQL ids come
from a sequence at insert, so a transaction can commit a LOWER id after a higher one is already visible; a
refresh that only read "ids above the highest seen" would miss it for good.
"""

from __future__ import annotations

import time

import pytest
from pycrdt import Doc, Text
from sqlalchemy import insert

from collab.extensions import db
from collab.plans.services import document_state
from collab.realtime.doclog import append, compact
from collab.realtime.models import DocumentUpdate
from collab.realtime.store import DocumentStore, get_store


class Writer:
    def __init__(self) -> None:
        self.doc = Doc()

    def type(self, text: str) -> bytes:
        before = self.doc.get_state()
        t = self.doc.get("text", type=Text)
        t.insert(len(t), text)
        return self.doc.get_update(before)


def _text(state: bytes) -> str:
    doc = Doc()
    doc.apply_update(state)
    return str(doc.get("text", type=Text))


def _insert_with_id(update_id: int, document_id: int, data: bytes) -> None:
    with db.engine.begin() as conn:
        conn.execute(insert(DocumentUpdate).values(id=update_id, document_id=document_id, data=data))


def test_a_row_committed_late_with_a_lower_id_still_reaches_the_cache(plan):
    """Explicit ids play the out-of-order commit on both backends: id N+1 visible first, then id N."""
    here, late, early = DocumentStore(0), Writer(), Writer()
    assert _text(here.full_state(plan.document_id)) == ""
    _insert_with_id(1_000_001, plan.document_id, early.type("early"))
    assert "early" in _text(here.full_state(plan.document_id))
    _insert_with_id(1_000_000, plan.document_id, late.type("late"))
    state = _text(here.full_state(plan.document_id))
    assert "late" in state and "early" in state


def test_a_concurrent_transaction_committing_a_lower_id_later_is_not_missed(plan):
    """The real thing on PostgreSQL: one transaction holds id N open while another process commits N+1."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time, so ids always commit in order")
    here, elsewhere = DocumentStore(0), DocumentStore(0)
    slow, fast = Writer(), Writer()
    here.full_state(plan.document_id)
    with db.engine.connect() as conn:
        transaction = conn.begin()
        conn.execute(insert(DocumentUpdate).values(document_id=plan.document_id, data=slow.type("slow")))
        elsewhere.submit(plan.document_id, fast.type("fast"), None)  # a higher id, committed first
        assert _text(here.full_state(plan.document_id)).count("fast") == 1
        transaction.commit()
    state = _text(here.full_state(plan.document_id))
    assert "slow" in state and "fast" in state


def test_rows_another_process_compacted_before_we_saw_them_arrive_through_the_snapshot(plan):
    here = DocumentStore(0)
    here.full_state(plan.document_id)
    append(plan.document_id, [(Writer().type("folded away"), None)])
    assert compact(plan.document_id) == 2  # the template and the new row: both deleted from the log
    assert "folded away" in _text(here.full_state(plan.document_id))


def test_document_state_never_serves_a_stale_cache(plan, world):
    document_state(plan.document_id)  # this process now caches the document
    DocumentStore(0).submit(plan.document_id, Writer().type("written by another process"), world.lead.id)
    assert "written by another process" in _text(document_state(plan.document_id))


def test_the_applied_ids_stay_bounded(plan, app):
    store, writer = DocumentStore(0, refresh_window=0), Writer()
    for n in range(20):
        store.submit(plan.document_id, writer.type(str(n)), None)
    entry = store.refresh(plan.document_id)
    entry = store.refresh(plan.document_id)
    assert len(entry.applied) <= 1 and entry.floor > 0
    assert _text(store.full_state(plan.document_id)).endswith("19")


def test_the_default_store_keeps_a_window(app):
    assert get_store().refresh_window == app.config["COLLAB_REFRESH_WINDOW_SECONDS"] == 30


def test_a_document_nobody_uses_stays_cached_for_the_idle_time_then_is_dropped(plan):
    """Kept while used and for COLLAB_CACHE_IDLE_SECONDS after: a reconnect is served from memory. Then dropped,
    so memory holds only documents in use."""
    store = DocumentStore(compact_after=0, idle_seconds=1.0)
    store.full_state(plan.document_id)
    cached = store.cached(plan.document_id)
    assert store.cached(plan.document_id) is cached  # used again within the idle time: the same copy
    time.sleep(1.2)
    store.cached(plan.document_id + 1000)  # any later use sweeps
    assert store.cached(plan.document_id) is not cached  # dropped, then loaded again from the database


def test_a_reconnect_to_a_still_cached_document_gets_what_another_process_committed(world, plan, peer):
    """The room emptied, the document stayed cached here, another process committed meanwhile: the next join
    is served the whole document."""
    room = f"plan:{plan.id}"
    alice = peer(world.lead, room)
    alice.join()
    alice.edit(lambda doc: doc.get("text", type=Text).insert(0, "ratio "))
    alice.disconnect()
    elsewhere = Doc()
    elsewhere.apply_update(document_state(plan.document_id))
    before = elsewhere.get_state()
    elsewhere.get("text", type=Text).insert(6, "tables")
    append(plan.document_id, [(elsewhere.get_update(before), None)])  # committed by another process
    bob = peer(world.advocate, room)
    bob.join()
    assert str(bob.replica.text) == "ratio tables"


def test_a_row_waiting_for_its_predecessor_when_the_document_is_loaded_arrives_with_it(plan):
    """A logged update whose predecessor is not in the log yet (its sender's earlier commit failed; it sends it
    again) is left out when a process loads the document. Once the predecessor is committed, a refresh brings
    both: the waiting row must not count as applied at load."""
    writer = Writer()
    first, second = writer.type("first "), writer.type("second")
    _insert_with_id(2_000_000, plan.document_id, second)
    here = DocumentStore(0)
    assert _text(here.full_state(plan.document_id)) == ""
    _insert_with_id(2_000_001, plan.document_id, first)
    assert _text(here.full_state(plan.document_id)) == "first second"
