"""Presence tells the truth, and one person's connections share one update limit."""

from __future__ import annotations

import json

from pycrdt import Text

from tests.realtime.client import awareness_clients, awareness_message
from tests.waiting import wait_for


def _type(text: str):
    return lambda doc: doc.get("text", type=Text).insert(0, text)


def test_a_member_claiming_another_name_appears_under_their_own(world, room, peer):
    mallory, bob = peer(world.advocate, room), peer(world.colleague, room)
    mallory.join()
    bob.join()
    claim = {"user": {"id": world.lead.id, "name": world.lead.name, "color": "#000000"}}
    assert mallory.emit("doc:awareness", room, awareness_message(501, 1, claim))["ok"]
    bob.pump()
    user = json.loads(awareness_clients(bob.replica.awareness[-1])[501])["user"]
    assert (user["id"], user["name"]) == (world.advocate.id, world.advocate.name)


def test_an_awareness_state_that_is_not_json_is_refused_and_not_relayed(world, room, peer):
    alice, bob = peer(world.lead, room), peer(world.advocate, room)
    alice.join()
    bob.join()
    broken = awareness_message(502, 1, None).replace(b"null", b"{no}")
    ack = alice.emit("doc:awareness", room, broken)
    assert (ack["ok"], ack["error"]) == (False, "malformed")
    bob.pump()
    assert bob.replica.awareness == []


def test_a_connection_cannot_move_or_remove_someone_elses_cursor(world, room, peer):
    alice, mallory, bob = peer(world.lead, room), peer(world.advocate, room), peer(world.colleague, room)
    for p in (alice, mallory, bob):
        p.join()
    assert alice.emit("doc:awareness", room, awareness_message(503, 1, {"cursor": {"head": 1}}))["ok"]
    bob.pump()
    seen = len(bob.replica.awareness)
    ack = mallory.emit("doc:awareness", room, awareness_message(503, 2, None))  # "alice has left"
    assert (ack["ok"], ack["error"]) == (False, "forbidden")
    bob.pump()
    assert len(bob.replica.awareness) == seen


def test_a_cursor_id_is_free_again_once_its_connection_leaves(world, room, peer):
    alice, bob = peer(world.lead, room), peer(world.advocate, room)
    alice.join()
    bob.join()
    assert alice.emit("doc:awareness", room, awareness_message(504, 1, {"cursor": None}))["ok"]
    alice.emit("doc:leave", room)
    assert bob.emit("doc:awareness", room, awareness_message(504, 5, {"cursor": None}))["ok"]


def test_one_persons_connections_share_one_update_limit(world, room, peer, app):
    app.config["COLLAB_MAX_UPDATES_PER_SECOND"] = 4
    tabs = [peer(world.lead, room) for _ in range(3)]
    for tab in tabs:
        tab.join()
    acks = [tab.edit(_type("a")) for _ in range(3) for tab in tabs]
    assert [a["ok"] for a in acks].count(True) == 4
    assert {a.get("error") for a in acks if not a["ok"]} == {"rate-limited"}


def test_a_person_over_the_limit_does_not_slow_a_co_editor(world, room, peer, app):
    app.config["COLLAB_MAX_UPDATES_PER_SECOND"] = 4
    flooders = [peer(world.advocate, room) for _ in range(3)]
    honest = peer(world.lead, room)
    for p in (*flooders, honest):
        p.join()
    for _ in range(4):
        for flooder in flooders:
            flooder.edit(_type("x"))
    assert [honest.edit(_type("b"))["ok"] for _ in range(4)] == [True] * 4


def test_a_person_sending_malformed_updates_is_cut_off_for_a_while_and_others_are_not(world, room, peer):
    mallory, other_tab, honest = peer(world.advocate, room), peer(world.advocate, room), peer(world.lead, room)
    for p in (mallory, other_tab, honest):
        p.join()
    junk = [mallory.emit("doc:sync", room, b"\x00\x02\x03\xff\xff\xff")["error"] for _ in range(10)]
    assert set(junk) == {"malformed"}
    assert wait_for(lambda: not mallory.sio.is_connected() and not other_tab.sio.is_connected())
    assert not peer(world.advocate, room).sio.is_connected()  # reconnecting is refused during the pause
    assert honest.edit(_type("b"))["ok"]


def test_presence_messages_are_limited_per_person(world, room, peer, app):
    app.config["COLLAB_MAX_UPDATES_PER_SECOND"] = 3
    alice, bob = peer(world.lead, room), peer(world.advocate, room)
    alice.join()
    bob.join()
    acks = [alice.emit("doc:awareness", room, awareness_message(600, i, {"cursor": i})) for i in range(1, 7)]
    assert [a["ok"] for a in acks].count(True) == 3
