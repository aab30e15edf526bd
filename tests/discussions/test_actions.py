"""Agreed actions: an owner who is a member, a due date, a done box; live and idempotent like posts."""

from __future__ import annotations

from datetime import date

import pytest

from collab.discussions import action_services
from collab.discussions.action_services import parse_due_date
from collab.discussions.models import AgreedAction
from collab.discussions.services import Invalid
from collab.extensions import db
from tests import factories
from tests.discussions.conftest import new_id, received


def _action(world, **overrides) -> dict:
    data = {"client_id": new_id(), "text": "Try the double number line with Year 9 set 3",
            "owner_id": world.advocate.id, "due_date": "14/03/2025"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("text, expected", [
    ("14/03/2025", date(2025, 3, 14)), ("4/3/2025", date(2025, 3, 4)), ("2025-03-14", date(2025, 3, 14)),
    ("", None), (None, None),
])
def test_due_dates_are_read_the_uk_way_and_as_date_inputs_send_them(text, expected):
    assert parse_due_date(text) == expected


@pytest.mark.parametrize("text", ["03/14/2025", "31/02/2025", "next week", "2025-13-01", 20250314])
def test_a_due_date_that_is_not_a_date_is_refused(text):
    with pytest.raises(Invalid):
        parse_due_date(text)


def test_an_action_is_acked_and_broadcast_with_a_uk_due_date(world, visit, connect):
    alex, sam = connect(world.advocate), connect(world.lead)
    for sio in (alex, sam):
        sio.emit("discussion:join", visit.id, callback=True)
    ack = alex.emit("discussion:action", _action(world), callback=True)
    assert ack["ok"] and ack["created"]
    assert ack["action"]["owner"] == {"id": world.advocate.id, "name": "Alex Advocate"}
    assert (ack["action"]["due_date"], ack["action"]["due_label"]) == ("2025-03-14", "Fri 14 Mar 2025")
    assert received(sam, "discussion:action-added") == [ack["action"]]


def test_the_owner_must_be_a_member_of_the_work_group(world, visit, connect):
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    for owner in (world.outsider.id, world.admin.id, 999_999, None, "x", True):
        assert sio.emit("discussion:action", _action(world, owner_id=owner), callback=True)["error"] == "invalid"
    assert db.session.query(AgreedAction).count() == 0


@pytest.mark.parametrize("change, error", [
    ({"text": ""}, "invalid"), ({"text": "x" * 501}, "too-large"), ({"due_date": "soon"}, "invalid"),
    ({"client_id": "abc"}, "malformed"),
])
def test_a_bad_action_changes_nothing(world, visit, connect, change, error):
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    assert sio.emit("discussion:action", _action(world, **change), callback=True)["error"] == error
    assert db.session.query(AgreedAction).count() == 0


def test_resending_an_action_makes_no_duplicate(world, visit, connect):
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    data = _action(world)
    first = sio.emit("discussion:action", data, callback=True)
    again = sio.emit("discussion:action", data, callback=True)
    assert again == {**first, "created": False}
    assert db.session.query(AgreedAction).count() == 1


def test_ticking_an_action_done_is_broadcast_once(world, visit, connect):
    alex, sam = connect(world.advocate), connect(world.lead)
    for sio in (alex, sam):
        sio.emit("discussion:join", visit.id, callback=True)
    action_id = alex.emit("discussion:action", _action(world), callback=True)["action"]["id"]
    sam.get_received()
    assert alex.emit("discussion:action-done", {"action_id": action_id, "done": True}, callback=True)[
        "action"]["done"] is True
    alex.emit("discussion:action-done", {"action_id": action_id, "done": True}, callback=True)
    updates = received(sam, "discussion:action-updated")
    assert [u["done"] for u in updates] == [True]
    assert db.session.get(AgreedAction, action_id).done is True


def test_an_action_of_another_discussion_cannot_be_ticked(world, visit, connect):
    other = factories.session(world.group, title="Other visit")
    action, _ = action_services.create_action(world.lead, other, new_id(), "Elsewhere", world.lead.id, None)
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    assert sio.emit("discussion:action-done", {"action_id": action.id, "done": True},
                    callback=True)["error"] == "not-found"
    assert sio.emit("discussion:action-done", {"action_id": action.id, "done": "yes"},
                    callback=True)["error"] == "malformed"
    db.session.refresh(action)
    assert action.done is False
