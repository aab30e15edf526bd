"""The protocol as a third-party client sees it (docs/realtime-protocol.md), over the socket test client."""

from __future__ import annotations

import json

from pycrdt import Doc, Text

import collab.realtime.doclog as doclog
from collab.plans.services import FRAGMENT_NAME, plan_text
from collab.realtime.doclog import load
from collab.realtime.presence import colour_for
from tests.realtime.client import awareness_clients, awareness_message, sync_message


def type_text(text: str, index: int = 0):
    def change(doc: Doc) -> None:
        doc.get("text", type=Text).insert(index, text)
    return change


def test_joining_acks_with_edit_access_and_sends_step1_and_step2(world, room, peer):
    alice = peer(world.lead, room)
    assert alice.join() == {"ok": True, "access": "edit"}
    subtypes = [p["args"][1][1] for p in alice.events("doc:sync")]
    assert subtypes[:2] == [0, 1]


def test_a_fresh_client_receives_the_plan_template(world, room, peer):
    alice = peer(world.advocate, room)
    alice.join()
    headings = [el.tag for el in alice.replica.doc.get(FRAGMENT_NAME, type=__import__("pycrdt").XmlFragment).children]
    assert headings[:2] == ["heading", "paragraph"]
    assert "Anchor task" in str(alice.replica.fragment)


def test_a_fresh_client_receives_existing_edits(world, room, peer):
    alice = peer(world.lead, room)
    alice.join()
    assert alice.edit(type_text("Share £45 in the ratio 2:3")) == {"ok": True}
    bob = peer(world.advocate, room)
    bob.join()
    assert str(bob.replica.text) == "Share £45 in the ratio 2:3"


def test_an_edit_reaches_a_peer_and_is_stored(world, room, peer, plan):
    alice, bob = peer(world.lead, room), peer(world.advocate, room)
    alice.join()
    bob.join()
    alice.edit(type_text("bar model"))
    bob.pump()
    assert str(bob.replica.text) == "bar model"
    assert str(load(plan.document_id).get("text", type=Text)) == "bar model"


def test_peers_get_an_edit_before_its_commit_and_a_failed_commit_is_sent_again(world, room, peer, plan,
                                                                               monkeypatch):
    """Collaborators never wait for the database; the sender's ack does. A commit that fails leaves the sender
    unacknowledged, and its resend is stored once."""
    alice, bob = peer(world.lead, room), peer(world.advocate, room)
    alice.join()
    bob.join()

    def disk_full(rows: list[dict]) -> list[int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(doclog, "write_updates", disk_full)
    ack = alice.edit(type_text("ratio table"))
    assert ack["ok"] is False and ack["error"] == "server-error"
    bob.pump()
    assert str(bob.replica.text) == "ratio table"  # relayed although never committed
    assert str(load(plan.document_id).get("text", type=Text)) == ""
    monkeypatch.undo()
    assert alice.resend_unacked() == [{"ok": True}]
    assert alice.replica.unacked == {}
    assert str(load(plan.document_id).get("text", type=Text)) == "ratio table"
    bob.pump()
    assert str(bob.replica.text) == "ratio table"


def test_the_sender_does_not_get_its_own_update_back(world, room, peer):
    alice, bob = peer(world.lead, room), peer(world.advocate, room)
    alice.join()
    bob.join()
    alice.received.clear()
    alice.edit(type_text("x"))
    assert alice.events("doc:sync") == []


def test_sync_step1_is_answered_with_what_the_client_lacks(world, room, peer):
    alice, bob = peer(world.lead, room), peer(world.advocate, room)
    alice.join()
    bob.join()
    alice.edit(type_text("ratio table"))
    fresh = Doc()
    ack = bob.emit("doc:sync", room, sync_message(0, fresh.get_state()))
    assert ack == {"ok": True}
    assert str(bob.replica.text) == "ratio table"


def test_offline_edits_reach_the_server_as_step2_after_the_servers_step1(world, room, peer, plan):
    alice = peer(world.lead, room, connect=False)
    alice.replica.edit(type_text("written on the train"))
    alice.connect()
    alice.join()  # the server's step 1 is answered with a step 2 holding the offline edit
    assert str(load(plan.document_id).get("text", type=Text)) == "written on the train"


def test_awareness_is_relayed_to_others_and_not_stored(world, room, peer, plan):
    alice, bob = peer(world.lead, room), peer(world.advocate, room)
    alice.join()
    bob.join()
    message = awareness_message(1234, 1, {"user": {"name": "Sam Lead", "color": "#c33"}, "cursor": {"head": 4}})
    assert alice.emit("doc:awareness", room, message) == {"ok": True}
    bob.pump()
    [relayed] = bob.replica.awareness
    assert json.loads(awareness_clients(relayed)[1234]) == {
        "user": {"id": world.lead.id, "name": world.lead.name, "color": colour_for(world.lead.id)},
        "cursor": {"head": 4}}
    assert alice.replica.awareness == []


def test_leaving_removes_the_leavers_awareness_for_others(world, room, peer):
    alice, bob = peer(world.lead, room), peer(world.advocate, room)
    alice.join()
    bob.join()
    alice.emit("doc:awareness", room, awareness_message(77, 3, {"cursor": None}))
    bob.pump()
    assert alice.emit("doc:leave", room) == {"ok": True}
    bob.pump()
    assert awareness_clients(bob.replica.awareness[-1]) == {77: "null"}


def test_disconnecting_removes_awareness_for_others(world, room, peer):
    alice, bob = peer(world.lead, room), peer(world.advocate, room)
    alice.join()
    bob.join()
    alice.emit("doc:awareness", room, awareness_message(88, 1, {"cursor": None}))
    alice.disconnect()
    bob.pump()
    assert awareness_clients(bob.replica.awareness[-1]) == {88: "null"}


def test_after_leaving_updates_are_refused_and_nothing_more_arrives(world, room, peer):
    alice, bob = peer(world.lead, room), peer(world.advocate, room)
    alice.join()
    bob.join()
    bob.emit("doc:leave", room)
    bob.received.clear()
    assert bob.edit(type_text("late"))["error"] == "not-joined"
    alice.edit(type_text("after"))
    bob.pump()
    assert bob.events("doc:sync") == []


def test_plan_text_shows_what_was_typed_into_the_editor_body(world, room, peer, plan):
    from pycrdt import XmlFragment, XmlText

    alice = peer(world.lead, room)
    alice.join()

    def type_into_first_paragraph(doc: Doc) -> None:
        paragraph = doc.get(FRAGMENT_NAME, type=XmlFragment).children[1]
        paragraph.children.append(XmlText("Pupils share an amount in a given ratio."))

    assert alice.edit(type_into_first_paragraph) == {"ok": True}
    assert "Learning outcome\nPupils share an amount in a given ratio.\nPrior knowledge" in plan_text(plan)


def test_rate_limit_refuses_updates_beyond_the_limit_and_keeps_the_connection(world, room, peer, app):
    app.config["COLLAB_MAX_UPDATES_PER_SECOND"] = 3
    alice = peer(world.lead, room)
    alice.join()
    acks = [alice.edit(type_text("a")) for _ in range(6)]
    assert [a["ok"] for a in acks].count(True) == 3
    assert {a.get("error") for a in acks if not a["ok"]} == {"rate-limited"}
    assert alice.sio.is_connected()
    alice.resend_unacked()  # a later resend is harmless
