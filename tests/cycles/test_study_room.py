"""The study document's room ("study:<id>") on the real-time layer: members join and edit, others are refused."""

from __future__ import annotations

import pytest
from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from collab.cycles.study import study_html
from collab.extensions import socketio
from collab.realtime.yupdates import sync_update
from tests.conftest import sign_in


@pytest.fixture
def socket_of(app):
    made = []

    def connect(user):
        http = app.test_client()
        sign_in(http, user)
        socket = socketio.test_client(app, flask_test_client=http)
        made.append(socket)
        return socket

    yield connect
    for socket in made:
        if socket.is_connected():
            socket.disconnect()


def test_a_member_joins_the_study_room_to_edit(world, cycle, socket_of):
    answer = socket_of(world.colleague).emit("doc:join", f"study:{cycle.study.id}", callback=True)
    assert answer["ok"] and answer["access"] == "edit"


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_people_outside_the_group_are_refused_as_not_found(world, cycle, socket_of, who):
    answer = socket_of(getattr(world, who)).emit("doc:join", f"study:{cycle.study.id}", callback=True)
    assert answer == {"ok": False, "error": "not-found", "message": answer["message"]}


def test_an_edit_sent_to_the_room_is_stored_and_shown_on_the_page(world, cycle, socket_of):
    from collab.realtime.store import get_store

    socket = socket_of(world.advocate)
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
