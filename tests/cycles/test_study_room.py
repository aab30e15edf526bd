"""The study document's room ("study:<id>") on the real-time layer: members join and edit, others are refused."""

from __future__ import annotations

import pytest
from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from collab.cycles.study import study_html
from collab.realtime.yupdates import sync_update


def test_a_member_joins_the_study_room_to_edit(world, cycle, connect):
    answer = connect(world.colleague).emit("doc:join", f"study:{cycle.study.id}", callback=True)
    assert answer["ok"] and answer["access"] == "edit"


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_people_outside_the_group_are_refused_as_not_found(world, cycle, connect, who):
    answer = connect(getattr(world, who)).emit("doc:join", f"study:{cycle.study.id}", callback=True)
    assert answer == {"ok": False, "error": "not-found", "message": answer["message"]}


def test_an_edit_sent_to_the_room_is_stored_and_shown_on_the_page(world, cycle, connect):
    from collab.realtime.store import get_store

    socket = connect(world.advocate)
    room = f"study:{cycle.study.id}"
    assert socket.emit("doc:join", room, callback=True)["ok"]
    doc = Doc()
    doc.apply_update(get_store().full_state(cycle.study.document_id))
    before = doc.get_state()
    fragment = doc.get("default", type=XmlFragment)
    with doc.transaction():
        paragraph = fragment.children.append(XmlElement("paragraph"))
        paragraph.children.append(XmlText("Ratio tables from Year 6"))
    assert socket.emit("doc:sync", room, sync_update(doc.get_update(before)), callback=True)["ok"]
    assert "<p>Ratio tables from Year 6</p>" in study_html(cycle.study)
