"""Convergence: 3 observers, each on a tablet and a phone, write notes and ratings into their own records with
interleaved offline periods (edits made offline, resent after reconnecting) while the lead's visit room reads
every record. At the end every replica equals the record rebuilt from the database log."""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pycrdt import Array, Doc, Map

from collab.realtime.doclog import load
from tests.observations.helpers import make_visit, record_for

OPS = ("note", "note", "rate", "delete", "offline", "online", "deliver")
op = st.tuples(st.sampled_from(OPS), st.integers(0, 5), st.integers(0, 100))
_ids = itertools.count(1)

# bench/hostile.py --convergence N runs thousands (COLLAB_CONVERGENCE_EXAMPLES); the suite runs 25.
EXAMPLES = int(os.environ.get("COLLAB_CONVERGENCE_EXAMPLES", "25"))


@pytest.fixture
def app_config():
    return {"COLLAB_MAX_UPDATES_PER_SECOND": 100_000, "COLLAB_COMPACT_AFTER_UPDATES": 5}


class Device:
    def __init__(self, make_peer, user, room: str) -> None:
        self.peer = make_peer(user, room)
        self.online = True
        assert self.peer.join()["ok"]

    def change(self, kind: str, n: int) -> None:
        def edit(doc: Doc) -> None:
            notes = doc.get("notes", type=Array)
            if kind == "note":
                notes.append({"id": f"n{next(_ids)}", "at": 1_700_000_000_000 + n * 1000, "phase": "Starter",
                              "big_idea": "fluency", "pupil": "Pupil A", "text": f"note {n}"})
            elif kind == "rate":
                doc.get("ratings", type=Map)[f"fluency-{n % 2 + 1}"] = {"rating": ("seen", "partly")[n % 2],
                                                                        "evidence": f"evidence {n}"}
            elif len(notes):
                del notes[n % len(notes)]

        seq, update = self.peer.replica.edit(edit)
        if self.online:
            self.peer.send(seq, update)

    def deliver(self) -> None:
        if self.online:
            self.peer.pump()

    def offline(self) -> None:
        if self.online:
            self.peer.disconnect()
            self.online = False

    def come_back(self) -> None:
        if not self.online:
            self.peer.connect()
            self.online = True
            assert self.peer.join()["ok"]
            self.peer.resend_unacked()


def _content(doc: Doc) -> tuple:
    return doc.get("notes", type=Array).to_py(), doc.get("ratings", type=Map).to_py()


def run_scenario(world, make_peer, ops) -> None:
    from tests import factories

    third = factories.user(name="Theo Third", school=world.school_a)
    factories.member(world.group, third)
    observers = [world.advocate, world.colleague, third]
    visit = make_visit(world, observers=[(u, None) for u in observers])
    records = [record_for(visit, u) for u in observers]
    devices = [Device(make_peer, u, f"observation:{r.id}") for u, r in zip(observers, records, strict=True)
               for _ in range(2)]  # devices 2i and 2i+1 belong to observer i
    readers = [make_peer(world.lead, f"observation:{r.id}") for r in records]
    for reader in readers:
        assert reader.join()["access"] == "read"
    for kind, who, n in ops:
        device = devices[who]
        if kind in ("note", "rate", "delete"):
            device.change(kind, n)
        elif kind == "offline":
            device.offline()
        elif kind == "online":
            device.come_back()
        else:
            device.deliver()
    for device in devices:
        device.come_back()
        device.peer.resend_unacked()
    for _ in range(2):
        for device in devices:
            device.deliver()
    for reader in readers:
        reader.pump()
    for i, record in enumerate(records):
        expected = _content(load(record.document_id))
        for device in devices[2 * i:2 * i + 2]:
            assert device.peer.replica.unacked == {}
            assert _content(device.peer.replica.doc) == expected
        assert _content(readers[i].replica.doc) == expected


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(ops=st.lists(op, max_size=30))
@example(ops=[("offline", 0, 0), ("note", 0, 1), ("note", 1, 2), ("online", 0, 0), ("delete", 1, 0)])
@example(ops=[("offline", 2, 0), ("offline", 3, 0), ("rate", 2, 1), ("rate", 3, 2), ("online", 3, 0),
              ("note", 4, 5), ("online", 2, 0)])
def test_observation_records_converge_through_offline_periods(world, peer, ops):
    run_scenario(world, peer, ops)
