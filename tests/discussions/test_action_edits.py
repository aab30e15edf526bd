"""Agreed actions can be corrected (text, owner, due date) by the lead and their creator; an owner is chosen."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from collab.discussions import action_services
from collab.discussions.models import AgreedAction
from collab.discussions.services import Invalid
from collab.extensions import db
from tests.discussions.conftest import new_id, received

OWNER_REQUIRED = "Choose who owns this action: every agreed action needs an owner."


def _action(world, visit, by=None):
    action, _ = action_services.create_action(by or world.advocate, visit, new_id(), "Trial the bar model",
                                              world.advocate.id, "14/03/2025")
    return action


def _count() -> int:
    return db.session.scalar(select(func.count(AgreedAction.id)))


@pytest.mark.parametrize("who", ["advocate", "lead"])
def test_the_creator_and_the_lead_change_text_owner_and_due_date(world, visit, who):
    action = _action(world, visit)
    action_services.edit_action(getattr(world, who), visit, action.id, "Trial the double number line",
                                world.colleague.id, "21/03/2025")
    db.session.refresh(action)
    assert (action.text, action.owner_id, action.due_date) == (
        "Trial the double number line", world.colleague.id, date(2025, 3, 21))


def test_another_member_may_not_change_an_action(world, visit):
    action = _action(world, visit)
    with pytest.raises(Invalid) as refused:
        action_services.edit_action(world.colleague, visit, action.id, "Mine", world.colleague.id, None)
    assert refused.value.code == "forbidden"
    db.session.rollback()
    assert db.session.get(AgreedAction, action.id).text == "Trial the bar model"


def test_an_edit_keeps_the_rules_for_new_actions(world, visit):
    action = _action(world, visit)
    for text, owner, due, code in (("", world.lead.id, None, "invalid"), ("x" * 501, world.lead.id, None, "too-large"),
                                   ("Ok", world.outsider.id, None, "invalid"), ("Ok", world.lead.id, "soon", "invalid"),
                                   ("Ok", None, None, "invalid")):
        with pytest.raises(Invalid) as refused:
            action_services.edit_action(world.lead, visit, action.id, text, owner, due)
        assert refused.value.code == code
        db.session.rollback()


@pytest.mark.parametrize("owner", [None, "", 0])
def test_an_action_without_an_owner_is_refused_with_a_clear_message(world, visit, owner):
    with pytest.raises(Invalid) as refused:
        action_services.create_action(world.advocate, visit, new_id(), "Trial it", owner, None)
    assert str(refused.value) == OWNER_REQUIRED and refused.value.field == "owner_id"
    db.session.rollback()
    assert _count() == 0


def test_an_action_without_an_owner_over_the_socket_is_refused(world, visit, connect):
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    ack = sio.emit("discussion:action", {"client_id": new_id(), "text": "Trial it", "owner_id": None},
                   callback=True)
    assert ack == {"ok": False, "error": "invalid", "message": OWNER_REQUIRED}
    assert _count() == 0


def test_the_owner_box_starts_empty_and_submitting_it_empty_is_refused(world, visit, login_as):
    client = login_as(world.advocate)
    page = client.get(f"/sessions/{visit.id}/discussion").get_data(as_text=True)
    select_html = page.split('name="action-owner_id"')[1].split("</select>")[0]
    first_option = select_html.split("<option")[1]
    assert 'value=""' in first_option and "Choose the owner" in first_option and "selected" in first_option
    assert select_html.count("selected") == 1  # nobody is the owner by default
    response = client.post(f"/sessions/{visit.id}/discussion/actions", data={
        "action-client_id": new_id(), "action-text": "Trial it", "action-owner_id": "", "action-due_date": ""})
    assert response.status_code == 400
    assert OWNER_REQUIRED in response.get_data(as_text=True)
    assert _count() == 0


def test_an_action_edit_over_the_socket_reaches_the_room(world, visit, connect):
    sam, alex = connect(world.lead), connect(world.advocate)
    for sio in (sam, alex):
        sio.emit("discussion:join", visit.id, callback=True)
    action = _action(world, visit)
    alex.get_received()
    ack = sam.emit("discussion:action-edit", {"action_id": action.id, "text": "Trial it in set 2",
                                              "owner_id": world.lead.id, "due_date": ""}, callback=True)
    assert ack["ok"] is True
    assert ack["action"]["text"] == "Trial it in set 2" and ack["action"]["owner"]["id"] == world.lead.id
    assert ack["action"]["due_date"] is None
    assert received(alex, "discussion:action-updated") == [ack["action"]]


def test_the_edit_page_changes_an_action_and_others_get_403(world, visit, login_as):
    action = _action(world, visit)
    url = f"/sessions/{visit.id}/discussion/actions/{action.id}/edit"
    assert login_as(world.colleague).get(url).status_code == 403
    client = login_as(world.advocate)
    page = client.get(url).get_data(as_text=True)
    assert "Trial the bar model" in page and 'value="2025-03-14"' in page
    response = client.post(url, data={"action-text": "Trial it again", "action-owner_id": str(world.lead.id),
                                      "action-due_date": "28/03/2025"})
    assert response.status_code == 302
    db.session.refresh(action)
    assert (action.text, action.owner_id, action.due_date) == ("Trial it again", world.lead.id, date(2025, 3, 28))


def test_the_edit_page_refuses_an_empty_owner_with_the_message(world, visit, login_as):
    action = _action(world, visit)
    response = login_as(world.lead).post(f"/sessions/{visit.id}/discussion/actions/{action.id}/edit", data={
        "action-text": "Trial it", "action-owner_id": "", "action-due_date": ""})
    assert response.status_code == 400 and OWNER_REQUIRED in response.get_data(as_text=True)
    db.session.refresh(action)
    assert action.owner_id == world.advocate.id


def test_the_page_offers_change_to_the_creator_and_the_lead_only(world, visit, login_as):
    action = _action(world, visit)
    link = f"/actions/{action.id}/edit"
    for user, shown in ((world.advocate, True), (world.lead, True), (world.colleague, False)):
        page = login_as(user).get(f"/sessions/{visit.id}/discussion").get_data(as_text=True)
        assert (link in page) is shown


def test_any_member_still_ticks_an_action_done(world, visit, connect):
    action = _action(world, visit)
    sio = connect(world.colleague)
    sio.emit("discussion:join", visit.id, callback=True)
    ack = sio.emit("discussion:action-done", {"action_id": action.id, "done": True}, callback=True)
    assert ack["ok"] is True and ack["action"]["done"] is True
