"""Tagging anticipated items over the real-time layer: tags are entries of the observer's record document, so the
record's rules hold (only its observer writes, members read as the host allows, everyone else gets not-found), a
resent update is harmless, and whoever reads the record (the lead's visit room) gets each tag as it is made."""

from __future__ import annotations

import pytest
from pycrdt import Map

from collab.observations.records.content import record_content
from collab.observations.visits import lesson_clock
from tests.observations.anticipated_plan import item_id, ratio_plan
from tests.observations.helpers import make_visit, record_for


@pytest.fixture
def planned(world):
    return make_visit(world, plan=ratio_plan(world))


def _tagging(item: str, value: str):
    return lambda doc: doc.get("anticipated", type=Map).__setitem__(item, value)


def test_the_observer_tags_an_item_and_the_lead_reading_the_record_gets_it_live(world, planned, peer):
    record = record_for(planned, world.advocate)
    room = f"observation:{record.id}"
    lead, observer = peer(world.lead, room), peer(world.advocate, room)
    assert lead.join()["access"] == "read" and observer.join()["access"] == "edit"
    additive = item_id(planned, "Additive reasoning")
    assert observer.edit(_tagging(additive, "not-seen")) == {"ok": True}
    lead.pump()
    assert lead.replica.doc.get("anticipated", type=Map).to_py() == {additive: "not-seen"}
    assert record_content(record).tags == {additive: "not-seen"}


def test_a_resent_tag_is_stored_once(world, planned, peer):
    record = record_for(planned, world.advocate)
    observer = peer(world.advocate, f"observation:{record.id}")
    observer.join()
    additive = item_id(planned, "Additive reasoning")
    seq, update = observer.replica.edit(_tagging(additive, "seen"))
    assert observer.send(seq, update) == {"ok": True}
    assert observer.send(seq, update) == {"ok": True}  # the ack was lost: the page sends it again
    assert record_content(record).tags == {additive: "seen"}


def test_another_member_reading_the_record_cannot_tag_on_it(world, planned, peer):
    lesson_clock.set_sharing(world.lead, planned, True)
    record = record_for(planned, world.advocate)
    other = peer(world.colleague, f"observation:{record.id}")
    assert other.join()["access"] == "read"
    assert other.edit(_tagging(item_id(planned, "Additive reasoning"), "seen"))["error"] == "read-only"
    assert record_content(record).tags == {}


def test_the_lead_cannot_tag_on_an_observers_record(world, planned, peer):
    record = record_for(planned, world.advocate)
    lead = peer(world.lead, f"observation:{record.id}")
    lead.join()
    assert lead.edit(_tagging(item_id(planned, "Additive reasoning"), "seen"))["error"] == "read-only"


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_someone_outside_the_work_group_cannot_join_the_record_to_tag(world, planned, peer, who):
    record = record_for(planned, world.advocate)
    assert peer(getattr(world, who), f"observation:{record.id}").join()["error"] == "not-found"


def test_an_overlong_link_is_refused_and_nothing_is_stored(world, planned, peer):
    record = record_for(planned, world.advocate)
    observer = peer(world.advocate, f"observation:{record.id}")
    observer.join()
    ack = observer.edit(lambda doc: doc.get("anticipated_notes", type=Map).__setitem__("n1", "x" * 6000))
    assert ack["error"] == "too-long"
    assert record_content(record).links == {}
