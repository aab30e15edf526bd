"""Another process's edits reach this process's checks without the whole document being read again.

The parent index (collab.realtime.ycheck.ParentIndex) is what finds the node an attribute value belongs to when the
value names the old one as its origin: an update changing a bar model's `whole` carries no element and no key. A
refresh bringing another process's rows used to throw it away, and the next attribute update paid for reading the
whole document again (~50 ms for 1 MB). A second DocumentStore on the same database stands in for the other
process; the checks must still refuse what they refused before.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, XmlElement, XmlFragment

from collab.maths.schema import check_attribute
from collab.realtime import ycheck
from collab.realtime.doclog import append, compact
from collab.realtime.store import DocumentStore, InvalidContent

BAR = {"kind": "bar-part-whole", "whole": "24", "parts": "3", "equal": "yes", "values": '["?","",""]'}


class Editor:
    """A browser's copy of the plan: each edit's update is that of its own transaction."""

    def __init__(self, state: bytes) -> None:
        self.doc = Doc()
        self.doc.apply_update(state)

    def edit(self, change) -> bytes:
        sent: list[bytes] = []
        subscription = self.doc.observe(lambda event: sent.append(event.update))
        with self.doc.transaction():
            change(self.doc)
        self.doc.unobserve(subscription)
        return sent[-1]

    def insert_bar(self) -> bytes:
        return self.edit(lambda doc: doc.get("default", type=XmlFragment).children.append(
            XmlElement("representation", dict(BAR))))

    def bars(self) -> list[XmlElement]:
        return [node for node in self.doc.get("default", type=XmlFragment).children
                if isinstance(node, XmlElement) and node.tag == "representation"]

    def set_whole(self, value: str, key: str = "whole") -> bytes:
        """A new value for the newest bar model's `key`."""
        return self.edit(lambda doc: self.bars()[-1].attributes.__setitem__(key, value))


def _store() -> DocumentStore:
    return DocumentStore(0, attribute_check=check_attribute)


def _build_index(store: DocumentStore, document_id: int) -> None:
    entry = store.cached(document_id)
    with entry.lock:
        entry.parents().tag((0, 0))


def _count_index_reads(monkeypatch) -> list[int]:
    """From now on, each whole-document read by any parent index (a build calls the module's own `check_update`;
    the store and the log call theirs), by its size."""
    reads: list[int] = []
    original = ycheck.check_update

    def counted(update: bytes, *args, **kwargs):
        reads.append(len(update))
        return original(update, *args, **kwargs)
    monkeypatch.setattr(ycheck, "check_update", counted)
    return reads


def test_a_bad_change_to_a_node_another_process_made_is_refused_without_reading_the_whole_document(plan, monkeypatch):
    here, elsewhere = _store(), _store()
    editor = Editor(here.full_state(plan.document_id))
    _build_index(here, plan.document_id)
    _build_index(elsewhere, plan.document_id)
    reads = _count_index_reads(monkeypatch)
    elsewhere.submit(plan.document_id, editor.insert_bar(), None)
    elsewhere.submit(plan.document_id, editor.set_whole("36"), None)
    here.full_state(plan.document_id)  # the refresh brings both rows
    with pytest.raises(InvalidContent, match="whole"):
        here.submit(plan.document_id, editor.set_whole("x" * 100), None)
    assert here.submit(plan.document_id, Editor(here.full_state(plan.document_id)).set_whole("48"), None)
    assert reads == []


def test_a_node_folded_into_a_snapshot_before_this_process_saw_it_is_still_checked(plan):
    """Rows compacted away before a refresh reads them arrive only in the snapshot: the index is read again."""
    here = _store()
    editor = Editor(here.full_state(plan.document_id))
    _build_index(here, plan.document_id)
    append(plan.document_id, [(editor.insert_bar(), None)])
    assert compact(plan.document_id) >= 1
    here.full_state(plan.document_id)
    with pytest.raises(InvalidContent, match="whole"):
        here.submit(plan.document_id, editor.set_whole("x" * 100), None)


STEPS = st.lists(st.tuples(st.integers(0, 1), st.sampled_from(
    ["insert bar", "good whole", "bad whole", "bad key", "refresh", "compact"])), min_size=6, max_size=16)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_two_processes_refuse_every_bad_bar_model_value_however_refreshes_and_compactions_fall(plan, steps):
    """Each process edits from its own cached copy (no refresh), and refreshes or compacts now and then: a bad value
    for a bar model (made here or there, still in the log or folded into a snapshot) is refused, a good one kept."""
    stores = [_store(), _store()]
    document_id = plan.document_id
    for who, action in steps:
        store = stores[who]
        if action == "refresh":
            store.full_state(document_id)
            continue
        if action == "compact":
            compact(document_id)
            continue
        editor = Editor(store.live_state(document_id))
        if action == "insert bar" or not editor.bars():
            assert store.submit(document_id, editor.insert_bar(), None)
        elif action == "good whole":
            assert store.submit(document_id, editor.set_whole("36"), None)
        else:
            bad = editor.set_whole("x" * 100) if action == "bad whole" else editor.set_whole("alert(1)", "onload")
            with pytest.raises(InvalidContent):
                store.submit(document_id, bad, None)
