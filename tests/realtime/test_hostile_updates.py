"""Hostile and broken updates: refused before yrs sees them, and never able to break a document.

The strict reader (collab.realtime.ycheck) must pass everything an honest client sends and refuse what yrs
cannot digest; the store must never acknowledge an update after which the document cannot be encoded."""

from __future__ import annotations

import contextlib
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Text, XmlElement, XmlFragment, XmlText
from sqlalchemy import func, select

from collab.extensions import db
from collab.plans.richtext import read_fragment
from collab.realtime import doclog
from collab.realtime.doclog import compact, load
from collab.realtime.models import DocumentUpdate, SetAsideUpdate
from collab.realtime.store import OutOfSync, get_store
from collab.realtime.ycheck import ParentIndex, Refused, check_update, decode_state_vector
from collab.realtime.yupdates import Malformed, clone, readable_children
from tests.realtime.yfuzz import honest_edit, mutate

# Found by an outside probe: acknowledged by the server before, after which every get_update() of a document
# holding text by client 455970512986093 panicked in yrs (store.rs:234) until a restart. Its first struct sits
# at clock 2^35 - 1 of a new client: yrs keeps clocks as u32.
PROBE_UPDATE = bytes.fromhex(
    "0102ca81b29808ffffffffff0046edbfd1c3bed6670004626f6c640474727565c6edbfd1c3bed66702edbfd1c3bed6670304626f6c64"
    "046e756c6c00")
PROBE_TEXT_CLIENT = 455970512986093


def _known(doc: Doc) -> dict[int, int]:
    return decode_state_vector(doc.get_state())


def _still_sound(doc: Doc) -> None:
    """Everything the server does with a document still works: encode it, copy it, read it, edit it."""
    copy = clone(doc)
    copy.get_update(doc.get_state())
    read_fragment(copy.get("xml", type=XmlFragment))
    text = copy.get("text", type=Text)
    text.insert(0, "ok")
    del text[0:2]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_every_kind_of_honest_edit_passes_the_strict_check(seed):
    rng = random.Random(seed)
    doc = Doc()
    for _ in range(30):
        update = honest_edit(doc, rng)
        check_update(update, _known(doc))
        doc.apply_update(update)
    check_update(doc.get_update(), {})  # a whole document, as a sync step 2 sends it


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_a_mutated_update_is_refused_or_leaves_the_document_sound(seed):
    rng = random.Random(seed)
    doc = Doc()
    doc.get("text", type=Text).insert(0, "Share 24 in the ratio 1:3")
    for _ in range(40):
        update = mutate(honest_edit(doc, rng), rng)
        try:
            check_update(update, _known(doc))
        except Refused:
            continue
        trial = clone(doc)
        try:
            trial.apply_update(update)
        except Exception:
            continue  # yrs refused it cleanly (ValueError, RuntimeError): the store refuses it too
        _still_sound(trial)
        doc = trial


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2048))
def test_random_bytes_are_read_in_bounded_time_and_never_crash_the_reader(data):
    with contextlib.suppress(Refused):
        check_update(data, {1: 5})


@pytest.mark.parametrize(("name", "update", "out_of_sync"), [
    ("a clock past what yrs can hold", bytes([1, 1, 7]) + b"\xff\xff\xff\xff\x0f" + bytes([4, 1, 1, 0x61, 0]),
     False),
    ("an empty string item", bytes([1, 1, 7, 0, 4, 1, 1, 4, 0x74, 0x65, 0x78, 0x74, 0, 0]), False),
    ("a zero-length deletion", bytes([0, 1, 7, 1, 0, 0]), False),
    ("a skip struct", bytes([1, 1, 7, 0, 10, 3, 0]), False),
    ("a sub-document", bytes([1, 1, 7, 0, 9, 1, 1, 1, 0x64, 1, 0x67, 127, 0]), False),
    ("trailing bytes", bytes([0, 0, 0]), False),
    ("a deletion of text the server never had", bytes([0, 1, 7, 1, 0, 3]), True),
    ("an insertion after text the server never had", bytes([1, 1, 7, 0, 0x84, 9, 4, 1, 0x61, 0]), True),
])
def test_updates_no_honest_client_sends_are_refused(name, update, out_of_sync):
    with pytest.raises(Refused) as refused:
        check_update(update, {})
    assert refused.value.out_of_sync is out_of_sync, name


def _text_by(client_id: int, content: str) -> bytes:
    doc = Doc(client_id=client_id)
    doc.get("default", type=Text).insert(0, content)
    return doc.get_update()


def test_the_probes_update_is_refused_and_the_document_still_loads_and_encodes(plan):
    store = get_store()
    store.submit(plan.document_id, _text_by(PROBE_TEXT_CLIENT, "Share 24 in the ratio 1:3"), None)
    with pytest.raises((Malformed, OutOfSync)):
        store.submit(plan.document_id, PROBE_UPDATE, None)
    assert store.live_state(plan.document_id)  # encodes: the next joiner gets its step 2
    assert store.full_state(plan.document_id)  # and so do pages and exports
    assert str(load(plan.document_id).get("default", type=Text)) == "Share 24 in the ratio 1:3"


def test_the_probes_update_alone_would_have_broken_the_document():
    """Why the check above matters: yrs itself accepts the update and then cannot encode the document."""
    doc = Doc()
    doc.apply_update(_text_by(PROBE_TEXT_CLIENT, "Share 24 in the ratio 1:3"))
    doc.apply_update(PROBE_UPDATE)
    with pytest.raises(BaseException, match="unwrap"):
        doc.get_update()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32))
def test_after_any_mix_of_hostile_and_honest_updates_the_document_serves_every_acknowledged_edit(plan, seed):
    store = get_store()
    rng = random.Random(seed)
    mirror = Doc()
    mirror.apply_update(store.full_state(plan.document_id))
    acknowledged = 0
    for _ in range(25):
        honest = honest_edit(mirror, rng)
        store.submit(plan.document_id, honest, None)
        mirror.apply_update(honest)
        acknowledged += 1
        for _ in range(3):  # an attacker replaying it mutated
            with contextlib.suppress(Malformed, OutOfSync):
                store.submit(plan.document_id, mutate(honest, rng), None)
    served = Doc()
    served.apply_update(store.live_state(plan.document_id))
    loaded = load(plan.document_id)
    for doc in (served, loaded):
        _still_sound(doc)
        known = _known(doc)  # every acknowledged honest edit is there
        assert all(known.get(client, 0) >= clock for client, clock in _known(mirror).items())
    assert acknowledged == 25


def test_a_child_that_is_not_a_type_is_skipped_when_a_plan_is_read_and_the_rest_is_kept():
    doc = Doc()
    doc.get("default", type=XmlFragment).children.append(XmlElement("paragraph", {}, [XmlText("Bar model")]))
    # an Any value placed straight into the fragment (no honest editor does this): yrs panics reading it
    doc.apply_update(bytes([1, 1, 77, 0, 0x08, 1, 7]) + b"default" + bytes([1, 120, 0]))
    nodes = read_fragment(doc.get("default", type=XmlFragment))
    assert [n.tag for n in nodes] == ["paragraph"]
    assert nodes[0].children[0].text == "Bar model"


def test_a_log_row_an_older_version_acknowledged_is_set_aside_and_the_rest_served(plan):
    doclog.append(plan.document_id, [(_text_by(PROBE_TEXT_CLIENT, "Share 24 in the ratio 1:3"), None),
                                     (PROBE_UPDATE, None)])
    later = Doc()
    later.apply_update(load(plan.document_id).get_update())
    before = later.get_state()
    later.get("default", type=Text).insert(0, "Q1. ")
    doclog.append(plan.document_id, [(later.get_update(before), None)])
    get_store().forget(plan.document_id)

    assert str(load(plan.document_id).get("default", type=Text)) == "Q1. Share 24 in the ratio 1:3"
    assert get_store().live_state(plan.document_id)  # joinable: its step 2 encodes

    compact(plan.document_id)
    aside = db.session.scalars(select(SetAsideUpdate)).all()
    assert [bytes(row.data) for row in aside] == [PROBE_UPDATE]
    assert db.session.scalar(select(func.count()).select_from(DocumentUpdate)) == 0
    assert str(load(plan.document_id).get("default", type=Text)) == "Q1. Share 24 in the ratio 1:3"


def _parent_index(doc: Doc) -> ParentIndex:
    return ParentIndex(doc.get_update)


def test_an_item_placed_under_a_character_is_refused():
    doc = Doc(client_id=9)
    doc.get("text", type=Text).insert(0, "ratio")
    # client 5's Any value whose parent is item (9, 2), the letter "t": yrs takes it, then cannot merge the log
    under_a_letter = bytes([1, 1, 5, 0, 0x08, 0, 9, 2, 1, 125, 1, 0])
    with pytest.raises(Refused, match="not a type"):
        check_update(under_a_letter, _known(doc), _parent_index(doc))


def test_text_typed_offline_into_a_paragraph_someone_deleted_is_still_accepted():
    doc = Doc(client_id=9)
    fragment = doc.get("xml", type=XmlFragment)
    fragment.children.append(XmlElement("paragraph", {}, [XmlText("Bar model")]))
    offline = Doc(client_id=11)
    offline.apply_update(doc.get_update())
    del fragment.children[0]  # a colleague deletes the paragraph
    for i in range(30):  # and much else, so the deleted ranges are many
        fragment.children.append(XmlElement("paragraph", {}, [XmlText(f"step {i}")]))
        del fragment.children[0]
    before = offline.get_state()
    [paragraph] = [c for _i, c in readable_children(offline.get("xml", type=XmlFragment))]
    paragraph.children.append(XmlText("typed on the train"))  # its parent is named: the deleted paragraph
    update = offline.get_update(before)
    check_update(update, _known(doc), _parent_index(doc))


def test_a_logged_edit_whose_predecessor_is_not_in_the_log_yet_survives_compaction(plan):
    """B was validated against A while A waited for its commit; A's commit failed (A's sender, not acknowledged,
    sends it again) but B's batch committed. Compacting then must not fold B away as a pending change."""
    writer = Doc(client_id=4242)
    text = writer.get("default", type=Text)
    before = writer.get_state()
    text.insert(0, "Share 24 ")
    first = writer.get_update(before)
    before = writer.get_state()
    text.insert(9, "in the ratio 1:3")
    second = writer.get_update(before)
    doclog.append(plan.document_id, [(second, None)])
    compact(plan.document_id)
    assert db.session.scalar(select(func.count()).select_from(DocumentUpdate)) == 1  # still in the log
    doclog.append(plan.document_id, [(first, None)])  # the resend arrives
    compact(plan.document_id)
    assert str(load(plan.document_id).get("default", type=Text)) == "Share 24 in the ratio 1:3"
    assert db.session.scalars(select(SetAsideUpdate)).all() == []
