"""A representation (bar model, double number line...) is a node whose parameters are its attributes: the server
refuses an update giving it an attribute it does not have or a value it cannot hold, like any malformed update
(collab.maths.schema), and nothing is stored; valid edits of different fields by two people both stay."""

from __future__ import annotations

from pycrdt import Doc, XmlElement, XmlFragment

from tests.realtime.conftest import stored_bytes

BAR = {"kind": "bar-part-whole", "whole": "24", "parts": "3", "equal": "yes", "values": '["?","",""]'}


def _insert(attrs: dict):
    def change(doc: Doc) -> None:
        doc.get("default", type=XmlFragment).children.append(XmlElement("representation", attrs))
    return change


def _bar(doc: Doc) -> XmlElement:
    """The plan's representation (after its template's headings)."""
    return next(node for node in doc.get("default", type=XmlFragment).children
                if isinstance(node, XmlElement) and node.tag == "representation")


def test_a_valid_representation_is_stored_and_relayed(world, room, peer):
    lead, colleague = peer(world.lead, room), peer(world.colleague, room)
    assert lead.join()["ok"] and colleague.join()["ok"]
    assert lead.edit(_insert(BAR))["ok"]
    colleague.pump()
    assert dict(_bar(colleague.replica.doc).attributes) == BAR


def test_a_representation_with_too_many_parts_is_refused_and_changes_nothing(world, room, peer):
    lead = peer(world.lead, room)
    assert lead.join()["ok"]
    before = stored_bytes()
    ack = lead.edit(_insert({**BAR, "parts": "500"}))
    assert ack["ok"] is False and ack["error"] == "malformed"
    assert "the number of parts must be a whole number from 1 to 20" in ack["message"]
    assert stored_bytes() == before


def test_an_unknown_attribute_on_a_representation_is_refused(world, room, peer):
    lead = peer(world.lead, room)
    assert lead.join()["ok"]
    before = stored_bytes()
    ack = lead.edit(_insert({**BAR, "onload": "alert(1)"}))
    assert ack["ok"] is False and ack["error"] == "malformed"
    assert stored_bytes() == before


def test_changing_a_stored_representation_to_an_invalid_value_is_refused(world, room, peer):
    """The new value names the old one as its origin (no element, no key in the update): still found and refused."""
    lead = peer(world.lead, room)
    assert lead.join()["ok"]
    assert lead.edit(_insert(BAR))["ok"]
    before = stored_bytes()
    ack = lead.edit(lambda doc: _bar(doc).attributes.__setitem__("whole", "x" * 100))
    assert ack["ok"] is False and ack["error"] == "malformed"
    assert stored_bytes() == before


def test_two_people_editing_different_fields_of_one_bar_model_both_keep_their_edit(world, room, peer):
    lead, colleague = peer(world.lead, room), peer(world.colleague, room)
    assert lead.join()["ok"] and colleague.join()["ok"]
    assert lead.edit(_insert(BAR))["ok"]
    colleague.pump()
    # Concurrent: each edits its own copy before seeing the other's edit.
    first = lead.replica.edit(lambda doc: _bar(doc).attributes.__setitem__("whole", "36"))
    second = colleague.replica.edit(lambda doc: _bar(doc).attributes.__setitem__("values", '["?","12",""]'))
    assert lead.send(*first)["ok"] and colleague.send(*second)["ok"]
    lead.pump()
    colleague.pump()
    for replica in (lead.replica, colleague.replica):
        attrs = dict(_bar(replica.doc).attributes)
        assert attrs["whole"] == "36" and attrs["values"] == '["?","12",""]'


def test_a_representation_attribute_that_is_not_text_is_refused(world, room, peer):
    """A number, a list or a nested type is not what the editor writes: every parameter is a string."""
    lead = peer(world.lead, room)
    assert lead.join()["ok"]
    assert lead.edit(_insert(BAR))["ok"]
    before = stored_bytes()
    for value in (500, ["?", "1"], None, True):
        ack = lead.edit(lambda doc, value=value: _bar(doc).attributes.__setitem__("parts", value))
        assert ack["ok"] is False and ack["error"] == "malformed", value
        lead.replica.doc = Doc()  # start again from the server's copy
        lead.replica.unacked.clear()
        assert lead.join()["ok"]
    assert stored_bytes() == before


def test_other_nodes_may_still_hold_numbers(world, room, peer):
    lead = peer(world.lead, room)
    assert lead.join()["ok"]
    assert lead.edit(_insert_heading)["ok"]


def _insert_heading(doc: Doc) -> None:
    doc.get("default", type=XmlFragment).children.append(XmlElement("heading", {"level": 2}))



def _without_key_flag(update: bytes) -> bytes:
    """The update of one attribute change, as Y.mergeUpdates re-encodes it: the new value names the old one as its
    origin, and the flag saying it is a map entry is dropped (Yjs 13.6; a browser merges its batches of edits)."""
    hidden = bytearray(update)
    assert update[0] == 1 and update[1] == 1  # one client, one struct
    at = 2
    for _ in range(2):  # the client id, then the clock (var-uints); then the struct's info byte
        while hidden[at] & 0x80:
            at += 1
        at += 1
    assert hidden[at] & 0x20 and hidden[at] & 0x80
    hidden[at] &= ~0x20 & 0xFF
    return bytes(hidden)


def test_an_attribute_value_without_its_key_flag_is_still_checked(world, room, peer):
    """Yjs and yrs give an item its left neighbour's parent and key: such a value is placed through it and checked."""
    lead = peer(world.lead, room)
    assert lead.join()["ok"]
    assert lead.edit(_insert({"kind": "array", "rows": "3", "columns": "4"}))["ok"]
    before = stored_bytes()
    seq, update = lead.replica.edit(lambda doc: _bar(doc).attributes.__setitem__("rows", "9999"))
    ack = lead.send(seq, _without_key_flag(update))
    assert ack["ok"] is False and ack["error"] == "malformed" and "whole number from 1 to 20" in ack["message"]
    assert stored_bytes() == before


def test_a_valid_value_without_its_key_flag_is_accepted(world, room, peer):
    """What a browser sends after merging its batches: honest, and stored."""
    lead, colleague = peer(world.lead, room), peer(world.colleague, room)
    assert lead.join()["ok"] and colleague.join()["ok"]
    assert lead.edit(_insert({"kind": "array", "rows": "3", "columns": "4"}))["ok"]
    seq, update = lead.replica.edit(lambda doc: _bar(doc).attributes.__setitem__("rows", "5"))
    assert lead.send(seq, _without_key_flag(update))["ok"]
    colleague.pump()
    assert _bar(colleague.replica.doc).attributes["rows"] == "5"
