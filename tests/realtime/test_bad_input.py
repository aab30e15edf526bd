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


@pytest.fixture
def app_config():
    """Each test here sends many malformed messages to see each refused alone: no pause after ten of them (the
    pause is tested in tests/realtime/test_presence.py)."""
    return {"COLLAB_MALFORMED_BEFORE_PAUSE": 0}


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


# --- Socket.IO packets: checked where they are decoded (collab/realtime/frames.py) ------------------------

def _raw(sender, *messages) -> None:
    """Hand Engine.IO messages to the server as a websocket or polling transport would, then pump."""
    from collab.extensions import socketio

    for message in messages:
        socketio.server.eio.handlers["message"](sender.sio.eio_sid, message)
    sender.pump()


def _our_log_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("name", ["connect", "disconnect", "connect_error"])
def test_a_client_cannot_send_a_reserved_event(name, setup, caplog):
    sender = setup[0]
    sender.received.clear()
    ack = sender.emit(name, {"token": "x"})
    assert ack["ok"] is False and ack["error"] == "unknown-event" and name in ack["message"]
    assert sender.events("doc:error")[-1]["args"][0]["error"] == "unknown-event"
    _still_working(*setup)  # a disconnect handler run by the client would have dropped its rooms


MALFORMED = {
    "not JSON": '2["doc:join"',
    "no data": "2",
    "empty": "",
    "unknown packet type": "9[]",
    "a connect error from a client": "4{}",
    "an event that is not a list": '2{"a": 1}',
    "an event whose name is not text": "2[1]",
    "an ack id that is too long": '2' + "1" * 120 + '["doc:join"]',
    "too many attachments": '512-["doc:sync"]',
    "nested too deep": "2" + "[" * 100_000,
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_packet_is_refused_with_one_log_line(case, setup, caplog):
    caplog.set_level(logging.WARNING)
    sender = setup[0]
    sender.received.clear()
    _raw(sender, MALFORMED[case])
    assert [e["args"][0]["error"] for e in sender.events("doc:error")] == ["malformed"]
    lines = _our_log_lines(caplog)
    assert len(lines) == 1 and lines[0].exc_info is None and lines[0].levelno == logging.WARNING
    _still_working(*setup)


def test_a_binary_event_whose_placeholder_names_no_attachment_is_refused(setup, room, caplog):
    caplog.set_level(logging.WARNING)
    sender = setup[0]
    sender.received.clear()
    _raw(sender, f'51-["doc:sync","{room}",{{"_placeholder":true,"num":"x"}}]', b"\x00\x02\x00")
    assert [e["args"][0]["error"] for e in sender.events("doc:error")] == ["malformed"]
    assert len(_our_log_lines(caplog)) == 1
    _still_working(*setup)


def test_a_binary_event_that_does_not_decode_takes_its_attachment_with_it(setup, room, caplog):
    caplog.set_level(logging.WARNING)
    sender = setup[0]
    sender.received.clear()
    _raw(sender, f'51-["doc:sync","{room}",', b"\x00\x02\x00")
    assert [e["args"][0]["error"] for e in sender.events("doc:error")] == ["malformed"]
    assert len(_our_log_lines(caplog)) == 1
    _still_working(*setup)


def test_a_malformed_packet_asking_for_an_ack_gets_the_refusal_as_its_ack(setup):
    sender = setup[0]
    _raw(sender, '27["doc:join"')  # ack id 7, then JSON cut short
    assert sender.sio.acks["args"][0]["error"] == "malformed"


def test_a_text_packet_over_the_message_limit_is_refused_before_it_is_parsed(setup, room, monkeypatch):
    from collab.extensions import socketio

    packet_class = socketio.server.packet_class

    class NoParsing:
        dumps = staticmethod(packet_class.json.dumps)

        @staticmethod
        def loads(text, **_kwargs):
            raise AssertionError(f"parsed {len(text)} characters")

    monkeypatch.setattr(packet_class, "max_text_bytes", 10_000)
    monkeypatch.setattr(packet_class, "json", NoParsing)
    sender = setup[0]
    ack = sender.emit("doc:join", room + " " + "x" * 20_000)
    assert ack["ok"] is False and ack["error"] == "too-large"
    monkeypatch.undo()
    _still_working(*setup)


def test_the_text_limit_is_the_message_limit(app):
    from collab.extensions import socketio

    assert socketio.server.packet_class.max_text_bytes == app.config["COLLAB_MAX_MESSAGE_BYTES"]


def test_a_refusal_never_echoes_a_long_room_name(setup):
    sender = setup[0]
    sender.received.clear()
    ack = sender.emit("doc:join", "plan:" + "1" * 5000)
    assert ack["error"] == "not-found" and len(ack["message"]) < 200
    assert sender.events("doc:error")[-1]["args"][0]["room"] is None


def test_a_refusal_never_echoes_a_long_event_name(setup):
    sender = setup[0]
    ack = sender.emit("x" * 10_000)
    assert ack["error"] == "unknown-event" and len(ack["message"]) < 200
