"""The session page and answering an invitation."""

from __future__ import annotations

from sqlalchemy import select

from collab.extensions import db
from collab.sessions.models import Attendance, Response
from tests import factories


def test_a_member_sees_the_session_with_agenda_and_attendees(client, world, login_as):
    session = factories.session(world.group, host=world.school_a, attendees=[world.lead, world.advocate])
    login_as(world.colleague)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "Year 8 ratio lesson" in page
    assert "Lesson observation visit" in page
    assert "Castle Hill Academy" in page
    assert "Maths block, room M4" in page
    assert "Sam Lead" in page and "Alex Advocate" in page
    assert "Not yet replied" in page
    assert f'href="/sessions/{session.id}.ics"' in page


def test_the_agenda_is_escaped_plain_text(client, world, login_as):
    session = factories.session(world.group)
    session.agenda = "<script>alert(1)</script>\nSecond line"
    db.session.commit()
    login_as(world.lead)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\nSecond line" in page


def test_the_page_shows_uk_date_and_time(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.lead)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    from collab.timeutil import uk_datetime
    assert uk_datetime(session.starts_at) in page


def test_a_hub_admin_of_the_hub_can_see_the_session(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.admin)
    assert client.get(f"/sessions/{session.id}").status_code == 200


def test_a_hub_admin_who_is_not_a_member_is_not_linked_to_the_visit_room_or_its_plan(client, world, login_as):
    from collab.plans.services import create_plan
    from tests.observations.helpers import make_visit

    plan = create_plan(world.lead, world.group, "Year 8 ratio tables")
    visit = make_visit(world, plan=plan)
    links = (f'href="/visits/{visit.id}"', f'href="/plans/{plan.id}"')  # both 404 for such an admin
    lead_page = login_as(world.lead).get(f"/sessions/{visit.session_id}").get_data(as_text=True)
    assert all(link in lead_page for link in links)
    admin_page = login_as(world.admin).get(f"/sessions/{visit.session_id}").get_data(as_text=True)
    assert not any(link in admin_page for link in links)
    assert "Lesson observation" in admin_page  # the session's visit is still shown


def test_an_outsider_gets_404_on_the_session_page(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.outsider)
    assert client.get(f"/sessions/{session.id}").status_code == 404


def test_an_anonymous_visitor_is_asked_to_sign_in(client, world):
    session = factories.session(world.group)
    response = client.get(f"/sessions/{session.id}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_an_invitee_sees_the_reply_buttons(client, world, login_as):
    session = factories.session(world.group, attendees=[world.advocate])
    login_as(world.advocate)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert 'name="response" value="attending"' in page
    assert 'name="response" value="declined"' in page


def test_replying_changes_only_my_attendance(client, world, login_as):
    session = factories.session(world.group, attendees=[world.lead, world.advocate, world.colleague])
    login_as(world.advocate)
    response = client.post(f"/sessions/{session.id}/respond", data={"response": "maybe"})
    assert response.status_code == 302
    replies = {a.user_id: a.response for a in db.session.scalars(select(Attendance))}
    assert replies == {world.lead.id: Response.AWAITING, world.advocate.id: Response.MAYBE,
                       world.colleague.id: Response.AWAITING}


def test_a_reply_records_when_it_was_given(client, world, login_as):
    session = factories.session(world.group, attendees=[world.advocate])
    login_as(world.advocate)
    client.post(f"/sessions/{session.id}/respond", data={"response": "declined"})
    attendance = db.session.scalar(select(Attendance))
    assert attendance.response == Response.DECLINED
    assert attendance.responded_at is not None


def test_an_unknown_reply_changes_nothing(client, world, login_as):
    session = factories.session(world.group, attendees=[world.advocate])
    login_as(world.advocate)
    client.post(f"/sessions/{session.id}/respond", data={"response": "awaiting"})
    assert db.session.scalar(select(Attendance.response)) == Response.AWAITING


def test_a_member_who_was_not_invited_gets_403_when_replying(client, world, login_as):
    session = factories.session(world.group, attendees=[world.advocate])
    login_as(world.colleague)
    assert client.post(f"/sessions/{session.id}/respond", data={"response": "attending"}).status_code == 403


def test_an_outsider_gets_404_when_replying(client, world, login_as):
    session = factories.session(world.group, attendees=[world.advocate])
    login_as(world.outsider)
    assert client.post(f"/sessions/{session.id}/respond", data={"response": "attending"}).status_code == 404
