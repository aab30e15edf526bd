"""A single value in a shared document (an observation note, a piece of evidence, an attribute) has a length
limit, COLLAB_MAX_VALUE_CHARS: a 20,000-character note in one word made the visit room, the record and the summary
189,514 px wide and crashed a phone's tab. Over it, an update is refused `too-long` and changes nothing, without
counting as malformed; what the log already holds is still served."""

from __future__ import annotations

from pycrdt import Array, Doc, Map, Text

from collab.realtime.doclog import append, load
from tests.realtime.client import sync_message
from tests.realtime.conftest import stored_bytes

LIMIT = 5000


def _note(peer, text: str) -> dict:
    return peer.edit(lambda doc: doc.get("notes", type=Array).append({"id": "n1", "text": text}))


def test_a_note_over_the_limit_is_refused_and_changes_nothing(world, room, peer):
    lead = peer(world.lead, room)
    assert lead.join()["ok"]
    before = stored_bytes()
    ack = lead.send(*lead.replica.edit(lambda doc: doc.get("notes", type=Array).append(
        {"id": "n1", "text": "x" * 20_000})))
    assert ack["ok"] is False and ack["error"] == "too-long" and f"{LIMIT:,} characters" in ack["message"]
    assert stored_bytes() == before


def test_refusals_for_length_do_not_pause_the_person(world, room, peer):
    """Ten malformed messages pause a person; a teacher pasting a long text eleven times is not malformed."""
    lead = peer(world.lead, room)
    assert lead.join()["ok"]
    for _ in range(11):
        assert lead.emit("doc:sync", room, _long_update())["error"] == "too-long"
    assert _note(lead, "Pupil A used a bar model")["ok"]


def _long_update() -> bytes:
    doc = Doc()
    doc.get("evidence", type=Map)["fluency-1"] = "y" * (LIMIT + 1)
    return sync_message(2, doc.get_update())


def test_a_note_at_the_limit_and_long_typed_text_are_accepted(world, room, peer):
    lead = peer(world.lead, room)
    assert lead.join()["ok"]
    assert _note(lead, "x" * LIMIT)["ok"]
    assert lead.edit(lambda doc: doc.get("text", type=Text).insert(0, "z" * 20_000))["ok"]  # a plan's paragraph


def test_what_the_log_already_holds_is_served_whatever_its_length(plan):
    doc = Doc()
    doc.get("notes", type=Array).append({"id": "old", "text": "w" * 20_000})
    append(plan.document_id, [(doc.get_update(), None)])
    notes = load(plan.document_id).get("notes", type=Array).to_py()
    assert [len(note["text"]) for note in notes] == [20_000]
