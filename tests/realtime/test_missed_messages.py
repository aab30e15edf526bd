"""After this process may have missed another's relayed edits (its Redis listener reconnected, it was taken for
dead, a publish was dropped), its shared document rooms are sent their committed documents
(collab.realtime.sync.catch_up_rooms, called by collab.realtime.redis_queue): the pages there show what others
typed meanwhile without being reloaded."""

from __future__ import annotations

from pycrdt import Doc, Text

from collab.realtime import sync
from collab.realtime.doclog import append
from collab.realtime.metrics import REGISTRY


def _typed_elsewhere(text: str) -> bytes:
    """An edit another process's editor made and committed (its relay never reached this process)."""
    doc = Doc()
    doc.get("text", type=Text).insert(0, text)
    return doc.get_update()


def test_a_page_gets_what_another_process_committed_while_this_one_missed_its_relay(app, world, room, peer, plan):
    alice = peer(world.lead, room)
    alice.join()
    append(plan.document_id, [(_typed_elsewhere("Share £45 in the ratio 2:3"), None)])
    alice.pump()
    assert "ratio" not in str(alice.replica.text)  # nothing reaches the page on its own

    caught_up = REGISTRY.get_sample_value("collab_rooms_caught_up_total") or 0.0
    sync.catch_up_rooms(app)
    alice.pump()
    assert str(alice.replica.text) == "Share £45 in the ratio 2:3"
    assert REGISTRY.get_sample_value("collab_rooms_caught_up_total") == caught_up + 1  # seen in /metrics
    assert alice.edit(lambda doc: doc.get("text", type=Text).insert(0, "Bar model: ")) == {"ok": True}


def test_a_room_no_other_process_ever_shared_is_not_sent_again(app, world, room, peer, plan, monkeypatch):
    """With Redis, a room only this process has had connections in missed nothing: its pages are not sent their
    whole document again."""
    from collab.extensions import socketio

    alice = peer(world.lead, room)
    alice.join()
    alice.pump()
    before = len(alice.events("doc:sync"))
    monkeypatch.setattr(socketio.server.manager, "never_shared", lambda name: name == room, raising=False)
    sync.catch_up_rooms(app)
    alice.pump()
    assert len(alice.events("doc:sync")) == before
