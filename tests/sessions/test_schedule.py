"""Scheduling, changing and cancelling a session."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from collab.activity.models import Activity
from collab.extensions import db
from collab.sessions.models import Attendance, GroupSession, Response, SessionKind
from tests import factories
from tests.sessions.helpers import session_form, summer_day


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_new_session_form_ticks_every_member_by_default(client, world, login_as):
    login_as(world.lead)
    page = client.get(f"/groups/{world.group.id}/sessions/new").get_data(as_text=True)
    ticked = re.findall(r'<input checked id="attendees-\d+" name="attendees" type="checkbox" value="(\d+)"', page)
    assert sorted(map(int, ticked)) == sorted([world.lead.id, world.advocate.id, world.colleague.id])


def test_a_lead_schedules_a_session_with_attendances_and_activity(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/sessions/new", data=session_form(world))

    session = db.session.scalar(select(GroupSession))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/sessions/{session.id}")
    assert session.kind == SessionKind.OBSERVATION
    assert session.host_school_id == world.school_a.id
    assert session.sequence == 0
    assert session.created_by_id == world.lead.id
    assert {a.user_id for a in session.attendances} == {world.lead.id, world.advocate.id, world.colleague.id}
    assert all(a.response == Response.AWAITING for a in session.attendances)
    activity = db.session.scalar(select(Activity))
    assert activity.work_group_id == world.group.id
    assert "scheduled" in activity.summary
    assert activity.link == f"/sessions/{session.id}"


def test_a_hub_admin_can_schedule_a_session(client, world, login_as):
    login_as(world.admin)
    response = client.post(f"/groups/{world.group.id}/sessions/new", data=session_form(world))
    assert response.status_code == 302
    assert _count(GroupSession) == 1


def test_only_ticked_members_are_invited(client, world, login_as):
    login_as(world.lead)
    client.post(f"/groups/{world.group.id}/sessions/new",
                data=session_form(world, attendees=[str(world.advocate.id)]))
    assert [a.user_id for a in db.session.scalars(select(Attendance))] == [world.advocate.id]


def test_an_end_time_before_the_start_is_rejected_and_nothing_is_created(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/sessions/new",
                           data=session_form(world, start_time="11:00", end_time="10:00"))
    assert response.status_code == 200
    assert "The end time must be after the start time." in response.get_data(as_text=True)
    assert _count(GroupSession) == 0
    assert _count(Attendance) == 0
    assert _count(Activity) == 0


def test_a_missing_title_is_rejected_and_nothing_is_created(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/sessions/new", data=session_form(world, title=""))
    assert "Enter a title." in response.get_data(as_text=True)
    assert _count(GroupSession) == 0


def test_a_host_school_outside_the_group_is_rejected(client, world, login_as):
    other = factories.school(world.hub, "Elsewhere Academy")
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/sessions/new",
                           data=session_form(world, host_school_id=str(other.id)))
    assert response.status_code == 200
    assert _count(GroupSession) == 0


def test_a_time_skipped_when_the_clocks_go_forward_is_rejected(client, world, login_as):
    login_as(world.lead)
    # The last Sunday of March 2027 is the 28th: 01:00 jumps to 02:00.
    response = client.post(f"/groups/{world.group.id}/sessions/new",
                           data=session_form(world, day="2027-03-28", start_time="01:30", end_time="03:00"))
    assert "clocks go forward" in response.get_data(as_text=True)
    assert _count(GroupSession) == 0


def test_an_advocate_gets_403_on_the_new_session_form(client, world, login_as):
    login_as(world.advocate)
    assert client.get(f"/groups/{world.group.id}/sessions/new").status_code == 403
    assert client.post(f"/groups/{world.group.id}/sessions/new", data=session_form(world)).status_code == 403
    assert _count(GroupSession) == 0


def test_an_advocate_gets_403_on_edit(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.advocate)
    assert client.get(f"/sessions/{session.id}/edit").status_code == 403
    assert client.post(f"/sessions/{session.id}/edit", data=session_form(world, title="Hijack")).status_code == 403
    db.session.refresh(session)
    assert session.title != "Hijack"


def test_an_advocate_gets_403_on_delete(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.advocate)
    assert client.post(f"/sessions/{session.id}/delete").status_code == 403
    assert _count(GroupSession) == 1


def test_an_outsider_gets_404_on_the_new_session_form(client, world, login_as):
    login_as(world.outsider)
    assert client.get(f"/groups/{world.group.id}/sessions/new").status_code == 404


def test_an_admin_of_another_hub_gets_404_on_the_new_session_form(client, world, login_as):
    login_as(world.other_admin)
    assert client.get(f"/groups/{world.group.id}/sessions/new").status_code == 404


def test_an_outsider_gets_404_on_edit(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.outsider)
    assert client.get(f"/sessions/{session.id}/edit").status_code == 404
    assert client.post(f"/sessions/{session.id}/delete").status_code == 404


def test_the_edit_form_shows_the_saved_london_times(client, world, login_as):
    session = factories.session(world.group)
    session.starts_at = datetime(summer_day().year, 7, 14, 8, 0, tzinfo=UTC)
    session.ends_at = datetime(summer_day().year, 7, 14, 10, 0, tzinfo=UTC)
    db.session.commit()
    login_as(world.lead)
    page = client.get(f"/sessions/{session.id}/edit").get_data(as_text=True)
    assert 'value="09:00"' in page
    assert 'value="11:00"' in page


def test_editing_a_session_bumps_its_sequence(client, world, login_as):
    session = factories.session(world.group, attendees=[world.lead, world.advocate])
    login_as(world.lead)
    response = client.post(f"/sessions/{session.id}/edit", data=session_form(world, title="Moved to M5"))
    assert response.status_code == 302
    db.session.refresh(session)
    assert session.title == "Moved to M5"
    assert session.sequence == 1


def test_editing_keeps_replies_of_people_still_invited(client, world, login_as):
    session = factories.session(world.group, attendees=[world.lead, world.advocate])
    session.attendances[1].response = Response.ATTENDING
    db.session.commit()
    login_as(world.lead)
    client.post(f"/sessions/{session.id}/edit",
                data=session_form(world, attendees=[str(world.advocate.id), str(world.colleague.id)]))
    replies = {a.user_id: a.response for a in db.session.scalars(select(Attendance))}
    assert replies == {world.advocate.id: Response.ATTENDING, world.colleague.id: Response.AWAITING}


def test_a_rejected_edit_changes_nothing(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.lead)
    client.post(f"/sessions/{session.id}/edit", data=session_form(world, title="New", end_time="08:00"))
    db.session.refresh(session)
    assert session.title == "Year 8 ratio lesson"
    assert session.sequence == 0


def test_the_delete_page_asks_for_confirmation(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.lead)
    response = client.get(f"/sessions/{session.id}/delete")
    assert response.status_code == 200
    assert "Cancel the session" in response.get_data(as_text=True)
    assert _count(GroupSession) == 1


def test_a_lead_cancels_a_session_and_it_is_recorded(client, world, login_as):
    session = factories.session(world.group, attendees=[world.advocate])
    login_as(world.lead)
    response = client.post(f"/sessions/{session.id}/delete")
    assert response.headers["Location"] == f"/groups/{world.group.id}"
    assert _count(GroupSession) == 0
    assert _count(Attendance) == 0
    assert "cancelled" in db.session.scalar(select(Activity.summary))
