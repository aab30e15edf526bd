"""Convergence: 3-5 clients edit one shared Text concurrently, with disconnects, offline edits, reconnects
that resend what was not acknowledged, duplicated and reordered deliveries in both directions. At the end
every client's document equals the one rebuilt from the database log."""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Text

from collab.plans.services import create_plan
from collab.realtime.doclog import load
from tests.realtime.client import sync_message

OPS = ("insert", "insert", "delete", "disconnect", "reconnect", "deliver", "deliver-shuffled",
       "deliver-twice", "resend-duplicate", "send-reordered")
op = st.tuples(st.sampled_from(OPS), st.integers(0, 4), st.integers(0, 1000), st.text("abcxyz", min_size=1, max_size=4))

# bench/hostile.py --convergence N runs thousands (COLLAB_CONVERGENCE_EXAMPLES); the suite runs 50.
EXAMPLES = int(os.environ.get("COLLAB_CONVERGENCE_EXAMPLES", "50"))


@pytest.fixture
def app_config():
    return {"COLLAB_MAX_UPDATES_PER_SECOND": 100_000, "COLLAB_COMPACT_AFTER_UPDATES": 7}


class Editor:
    """One client: a TestPeer that may be offline, with a hand on how deliveries reach it."""

    def __init__(self, make_peer, user, room: str, rng: random.Random) -> None:
        self.peer = make_peer(user, room)
        self.online = True
        self.rng = rng
        self.last_update: bytes | None = None
        assert self.peer.join()["ok"]

    @property
    def text(self) -> Text:
        return self.peer.replica.text

    def change(self, kind: str, where: int, chars: str) -> None:
        length = len(self.text)

        def edit(doc: Doc) -> None:
            text = doc.get("text", type=Text)
            if kind == "insert":
                text.insert(where % (length + 1), chars)
            elif length:
                start = where % length
                del text[start:min(length, start + len(chars))]

        seq, update = self.peer.replica.edit(edit)
        self.last_update = update
        if self.online:
            self.peer.send(seq, update)

    def deliver(self, mode: str) -> None:
        if not self.online:
            return
        batch = self.peer.sio.get_received()
        if mode == "deliver-shuffled":
            self.rng.shuffle(batch)
        elif mode == "deliver-twice":
            batch = batch + batch
        for packet in batch:
            for event, args in self.peer.replica.receive(packet["name"], packet["args"]):
                self.peer.sio.emit(event, *args, callback=True)
        if mode == "deliver-shuffled":
            # yrs (this test client's CRDT, not the browser's Yjs) can drop an update held back in its pending
            # set when several clients' updates arrive out of order (docs/decisions.md, "yrs pending updates").
            # A client that saw its updates out of order asks for what it lacks, as on reconnecting; the server's
            # step 2 answer is applied by the next delivery. The server never relies on yrs's pending set.
            self.peer.emit("doc:sync", self.peer.room, self.peer.replica.step1())
        self.peer.pump()

    def go_offline(self) -> None:
        if self.online:
            self.peer.disconnect()
            self.online = False

    def come_back(self) -> None:
        """A new connection: join (the server's step 1 is answered with our step 2), then resend un-acked."""
        if self.online:
            return
        self.peer.connect()
        self.online = True
        assert self.peer.join()["ok"]
        self.peer.resend_unacked()

    def send_reordered(self, chars: str) -> None:
        """Two edits whose updates reach the server in the wrong order (the second depends on the first)."""
        first = self.peer.replica.edit(lambda d: d.get("text", type=Text).insert(0, chars))
        second = self.peer.replica.edit(lambda d: d.get("text", type=Text).insert(len(chars), chars.upper()))
        if self.online:
            self.peer.send(*second)  # refused out-of-sync: the server asks for a step 2, which carries both
            self.peer.send(*first)

    def resend_duplicate(self) -> None:
        if self.online and self.last_update is not None:
            self.peer.emit("doc:sync", self.peer.room, sync_message(2, self.last_update))


def run_scenario(world, make_peer, n_clients: int, ops: list[tuple], seed: int) -> None:
    plan = create_plan(world.lead, world.group, "Convergence")
    room = f"plan:{plan.id}"
    rng = random.Random(seed)
    people = [world.lead, world.advocate, world.colleague, world.advocate, world.lead]
    editors = [Editor(make_peer, people[i], room, rng) for i in range(n_clients)]
    for kind, who, where, chars in ops:
        editor = editors[who % n_clients]
        if kind in ("insert", "delete"):
            editor.change(kind, where, chars)
        elif kind == "disconnect":
            editor.go_offline()
        elif kind == "reconnect":
            editor.come_back()
        elif kind.startswith("deliver"):
            editor.deliver(kind)
        elif kind == "resend-duplicate":
            editor.resend_duplicate()
        elif kind == "send-reordered":
            editor.send_reordered(chars)
    for editor in editors:
        editor.come_back()
        editor.peer.resend_unacked()  # e.g. one refused out-of-sync earlier: resending is always safe
    for _ in range(3):
        for editor in editors:
            editor.deliver("deliver")
    expected = str(load(plan.document_id).get("text", type=Text))
    for editor in editors:
        assert editor.peer.replica.unacked == {}
        assert str(editor.text) == expected
        editor.peer.disconnect()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(n_clients=st.integers(3, 5), ops=st.lists(op, max_size=30), seed=st.integers(0, 2**16))
@example(n_clients=3, ops=[("send-reordered", 0, 0, "ab"), ("insert", 1, 3, "x")], seed=0)
@example(n_clients=3, ops=[("disconnect", 0, 0, "a"), ("insert", 0, 0, "abc"), ("delete", 1, 0, "a"),
                           ("insert", 1, 0, "zz"), ("reconnect", 0, 0, "a"), ("delete", 0, 2, "ab")], seed=1)
@example(n_clients=4, ops=[("insert", 0, 0, "abcd"), ("deliver-shuffled", 1, 0, "a"), ("delete", 1, 1, "xy"),
                           ("deliver-twice", 2, 0, "a"), ("resend-duplicate", 1, 0, "a")], seed=2)
# Reported once by a full PostgreSQL run (the rebuilt log had 5 of 8 acknowledged inserts); not reproduced since
# in 160 runs of this case (5-14 inserts) and ~750 generated examples on PostgreSQL, with and without CPU load.
@example(n_clients=3, ops=[("insert", 0, 0, "a")] * 8, seed=0)
# Failed about one run in two before the client asked for what it lacked after a shuffled delivery (yrs bug above).
@example(n_clients=4, seed=39266, ops=[
    ("deliver-twice", 2, 288, "bbx"), ("deliver-twice", 4, 363, "cc"), ("insert", 0, 189, "xx"),
    ("send-reordered", 3, 584, "bac"), ("send-reordered", 4, 538, "zy"), ("insert", 3, 657, "abbc"),
    ("insert", 3, 17, "xycb"), ("send-reordered", 0, 76, "zxbz"), ("disconnect", 0, 410, "a"),
    ("reconnect", 0, 497, "yazb"), ("insert", 0, 890, "yy"), ("insert", 0, 249, "axxb"),
    ("deliver-shuffled", 2, 39, "xzcx"), ("disconnect", 4, 378, "z"), ("deliver-twice", 0, 189, "xabx")])
def test_every_client_converges_to_the_database_log(world, peer, n_clients, ops, seed):
    run_scenario(world, peer, n_clients, ops, seed)
