"""Malformed, oversized, wrong-document and non-binary messages, and unknown events: each is refused with a
clear error, zero stored bytes change, no server error escapes, and every other client keeps working."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Text

from collab.plans.services import create_plan
from tests.realtime.client import sync_message
from tests.realtime.conftest import stored_bytes


def _good_update(text: str = "ratio") -> bytes:
    doc = Doc()
    doc.get("text", type=Text).insert(0, text)
    return doc.get_update()


def _dependent_update() -> bytes:
    """A real update from another document: it continues edits this server has never seen."""
    doc = Doc()
    text = doc.get("text", type=Text)
    text.insert(0, "first")
    before = doc.get_state()
    text.insert(5, " second")
    return doc.get_update(before)


@pytest.fixture
def setup(world, plan, room, peer, caplog):
    caplog.set_level(logging.ERROR)
    other_plan = create_plan(world.lead, world.group, "Another plan")
    other_room = f"plan:{other_plan.id}"
    sender, same_room_peer = peer(world.lead, room), peer(world.advocate, room)
    other_room_peer, other_room_writer = peer(world.advocate, other_room), peer(world.lead, other_room)
    for p in (sender, same_room_peer, other_room_peer, other_room_writer):
        assert p.join()["ok"]
    return sender, same_room_peer, other_room_peer, other_room_writer


def _still_working(sender, same_room_peer, other_room_peer, other_room_writer) -> None:
    assert sender.sio.is_connected()
    sender.received.clear()
    assert sender.edit(lambda d: d.get("text", type=Text).insert(0, "ok ")) == {"ok": True}
    same_room_peer.pump()
    assert str(same_room_peer.replica.text).startswith("ok ")
    assert other_room_writer.edit(lambda d: d.get("text", type=Text).insert(0, "elsewhere")) == {"ok": True}
    other_room_peer.pump()
    assert str(other_room_peer.replica.text) == "elsewhere"


def _refused(sender, room, message, code: str, event: str = "doc:sync") -> None:
    before = stored_bytes()
    sender.received.clear()
    ack = sender.emit(event, room, message)
    assert ack["ok"] is False and ack["error"] == code, ack
    errors = sender.events("doc:error")
    assert errors and errors[-1]["args"][0]["error"] == code
    assert stored_bytes() == before


CASES = {
    "truncated update": (lambda: sync_message(2, _good_update()[:-3]), "malformed"),
    "truncated framing": (lambda: sync_message(2, _good_update())[:-4], "malformed"),
    "empty message": (lambda: b"", "malformed"),
    "awareness framing on doc:sync": (lambda: b"\x01\x02\x00\x00", "malformed"),
    "unknown sync subtype": (lambda: bytes([0, 7]) + sync_message(2, _good_update())[2:], "malformed"),
    "trailing bytes": (lambda: sync_message(2, _good_update()) + b"\x00", "malformed"),
    "garbage": (lambda: b"\x00\x02\x05\xff\xff\xff\xff\xff", "malformed"),
    "text instead of bytes": (lambda: "hello", "malformed"),
    "json instead of bytes": (lambda: {"update": [1, 2, 3]}, "malformed"),
    "number instead of bytes": (lambda: 42, "malformed"),
    "none": (lambda: None, "malformed"),
    "wrong-document update": (lambda: sync_message(2, _dependent_update()), "out-of-sync"),
    "bad state vector in step 1": (lambda: sync_message(0, b"\xff\xff\xff"), "malformed"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_sync_message_is_refused_and_changes_nothing(case, setup, room, caplog):
    make, code = CASES[case]
    _refused(setup[0], room, make(), code)
    _still_working(*setup)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_oversized_update_is_refused(setup, room, app):
    app.config["COLLAB_MAX_MESSAGE_BYTES"] = 10_000
    _refused(setup[0], room, sync_message(2, _good_update("x" * 20_000)), "too-large")
    app.config["COLLAB_MAX_MESSAGE_BYTES"] = 1024 * 1024
    _still_working(*setup)


def test_a_malformed_awareness_message_is_refused(setup, room):
    _refused(setup[0], room, b"\x01\x05\x01\x02", "malformed", event="doc:awareness")
    _refused(setup[0], room, "cursor", "malformed", event="doc:awareness")
    _still_working(*setup)


def test_a_room_that_is_not_a_string_is_refused(setup):
    _refused(setup[0], {"room": 1}, sync_message(2, _good_update()), "malformed")
    _still_working(*setup)


def test_an_update_for_a_room_not_joined_is_refused(setup, world):
    other = create_plan(world.lead, world.group, "Not joined")
    _refused(setup[0], f"plan:{other.id}", sync_message(2, _good_update()), "not-joined")
    _still_working(*setup)


def test_unknown_events_get_unknown_event(setup, room):
    sender = setup[0]
    before = stored_bytes()
    for event, args in (("doc:delete", (room,)), ("message", ("hi",)), ("json", ({"a": 1},)), ("x" * 500, ())):
        ack = sender.emit(event, *args)
        assert ack["error"] == "unknown-event"
    assert stored_bytes() == before
    _still_working(*setup)


def test_missing_arguments_are_refused(setup, room):
    sender = setup[0]
    assert sender.emit("doc:sync")["error"] == "malformed"
    assert sender.emit("doc:sync", room)["error"] == "malformed"
    assert sender.emit("doc:join")["error"] == "not-found"
    _still_working(*setup)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_bit_flipped_updates_never_corrupt_the_log(data, setup, room, plan):
    """A flipped bit may still be a valid update (then it is stored like any edit) or be refused; either way
    nothing escapes, the connection stays up, and the log rebuilds to exactly what the peers hold."""
    from collab.realtime.doclog import load

    sender, same_room_peer = setup[0], setup[1]
    message = bytearray(sync_message(2, _good_update("fractions")))
    position = data.draw(st.integers(min_value=0, max_value=10_000)) % len(message)
    message[position] ^= 1 << data.draw(st.integers(min_value=0, max_value=7))
    before = stored_bytes()
    ack = sender.emit("doc:sync", room, bytes(message))
    if not ack["ok"]:
        assert ack["error"] in {"malformed", "out-of-sync"}
        assert stored_bytes() == before
    same_room_peer.pump()
    assert load(plan.document_id).get_update() and sender.sio.is_connected()
    rebuilt = load(plan.document_id)
    assert str(rebuilt.get("text", type=Text)) == str(same_room_peer.replica.text)
