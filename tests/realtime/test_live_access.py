"""Who may edit takes effect live: a connection's access is asked of the database again once a change announced
after its decision names its room or person (collab.realtime.access); each process reads the changes made
elsewhere at most every COLLAB_ACCESS_RECHECK_SECONDS (0 here: before every update) and learns at once of those
committed on this process (the who-can-edit view)."""

from __future__ import annotations

import pytest
from pycrdt import Text

from collab.extensions import db
from collab.realtime.access import announce_access_change
from tests.realtime.conftest import sign_in, stored_bytes


@pytest.fixture
def app_config():
    return {"COLLAB_ACCESS_RECHECK_SECONDS": 0}


def _type(text: str):
    def change(doc) -> None:
        t = doc.get("text", type=Text)
        t.insert(len(t), text)
    return change


def _set_read_only(app, lead, plan, user_ids) -> None:
    client = app.test_client()
    sign_in(client, lead)
    response = client.post(f"/plans/{plan.id}/read-only", data={"read_only": [str(i) for i in user_ids]})
    assert response.status_code == 302


def test_a_member_made_read_only_while_editing_is_refused_at_once_and_editable_again_works(
        app, world, plan, room, peer):
    member, lead = peer(world.advocate, room), peer(world.lead, room)
    assert member.join() == {"ok": True, "access": "edit"}
    lead.join()
    assert member.edit(_type("before ")) == {"ok": True}

    _set_read_only(app, world.lead, plan, [world.advocate.id])
    before = stored_bytes()
    refused = member.edit(_type("after"))
    assert refused["error"] == "read-only"
    assert stored_bytes() == before
    assert member.events("doc:error")[-1]["args"][0]["error"] == "read-only"
    lead.pump()
    assert str(lead.replica.text) == "before "

    _set_read_only(app, world.lead, plan, [])
    assert member.resend_unacked() == [{"ok": True}]
    lead.pump()
    assert str(lead.replica.text) == "before after"


def test_a_change_made_elsewhere_counts_once_the_decision_is_older_than_the_setting(app, world, plan, room, peer):
    """No view on this process told us (another process saved it): the TTL alone makes it count."""
    from sqlalchemy import insert

    from collab.plans.models import PlanReadOnly
    from collab.realtime.models import AccessChange

    member = peer(world.advocate, room)
    member.join()
    app.config["COLLAB_ACCESS_RECHECK_SECONDS"] = 3600
    with db.engine.begin() as other_process:  # what another process's commit leaves in the database
        other_process.execute(insert(PlanReadOnly).values(plan_id=plan.id, user_id=world.advocate.id))
        other_process.execute(insert(AccessChange))
    assert member.edit(_type("still trusted for the hour")) == {"ok": True}
    app.config["COLLAB_ACCESS_RECHECK_SECONDS"] = 0
    assert member.edit(_type("!"))["error"] == "read-only"


def test_the_view_expires_decisions_on_this_process_whatever_the_setting(app, world, plan, room, peer):
    app.config["COLLAB_ACCESS_RECHECK_SECONDS"] = 3600
    member = peer(world.advocate, room)
    member.join()
    assert member.edit(_type("x")) == {"ok": True}
    _set_read_only(app, world.lead, plan, [world.advocate.id])
    assert member.edit(_type("y"))["error"] == "read-only"


def test_a_member_deactivated_while_joined_is_dropped_from_the_room(app, world, plan, room, peer):
    member, lead = peer(world.advocate, room), peer(world.lead, room)
    member.join()
    lead.join()
    world.advocate.active = False
    announce_access_change(users=[world.advocate.id])  # as groups.services.deactivate_person does
    db.session.commit()
    before = stored_bytes()
    assert member.edit(_type("gone"))["error"] == "not-found"
    assert stored_bytes() == before
    assert member.emit("doc:awareness", room, b"\x01\x00")["error"] == "not-joined"
    lead.edit(_type("private"))
    member.pump()
    assert "private" not in str(member.replica.text)


def test_a_member_removed_from_the_group_while_joined_is_dropped_from_the_room(app, world, plan, room, peer):
    from collab.groups.services import remove_member

    app.config["COLLAB_ACCESS_RECHECK_SECONDS"] = 3600  # the service announces it: no read of the database needed
    member = peer(world.advocate, room)
    member.join()
    assert member.edit(_type("mine")) == {"ok": True}
    remove_member(world.lead, next(m for m in world.group.memberships if m.user_id == world.advocate.id))
    assert member.edit(_type("gone"))["error"] == "not-found"


def test_a_member_whose_role_changes_keeps_editing(app, world, plan, room, peer):
    from collab.groups.models import Role
    from collab.groups.services import change_role

    member = peer(world.advocate, room)
    member.join()
    change_role(world.lead, next(m for m in world.group.memberships if m.user_id == world.advocate.id),
                Role.DEPARTMENT_COLLEAGUE)
    assert member.edit(_type("still mine")) == {"ok": True}
