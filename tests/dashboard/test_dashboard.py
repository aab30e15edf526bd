"""The dashboard: my groups, my next sessions, recent activity."""

from __future__ import annotations

from datetime import timedelta

from collab.activity.services import record
from collab.extensions import db
from collab.groups.models import Role
from collab.sessions.models import Response
from tests import factories


def test_the_dashboard_shows_my_work_groups(client, world, login_as):
    login_as(world.advocate)
    page = client.get("/").get_data(as_text=True)
    assert "NCP24-14b" in page
    assert "Mastery Advocate" in page


def test_the_dashboard_leaves_out_groups_i_am_not_in(client, world, login_as):
    factories.work_group(world.hub, "NCP24-77q")
    login_as(world.advocate)
    assert "NCP24-77q" not in client.get("/").get_data(as_text=True)


def test_my_next_sessions_are_listed_soonest_first(client, world, login_as):
    factories.session(world.group, title="Later planning meeting", starts_in=timedelta(days=20),
                      attendees=[world.advocate])
    factories.session(world.group, title="Sooner research lesson", starts_in=timedelta(days=2),
                      attendees=[world.advocate])
    login_as(world.advocate)
    page = client.get("/").get_data(as_text=True)
    assert page.index("Sooner research lesson") < page.index("Later planning meeting")


def test_past_sessions_are_not_among_my_next_sessions(client, world, login_as):
    factories.session(world.group, title="Autumn visit", starts_in=timedelta(days=-3), attendees=[world.advocate])
    login_as(world.advocate)
    assert "Autumn visit" not in client.get("/").get_data(as_text=True)


def test_sessions_of_other_groups_are_not_shown(client, world, login_as):
    other = factories.work_group(world.hub, "NCP24-88r")
    factories.member(other, world.outsider, Role.LEAD)
    factories.session(other, title="Someone else's visit")
    login_as(world.advocate)
    page = client.get("/").get_data(as_text=True)
    assert "Someone else" not in page


def test_my_attendance_reply_is_shown_next_to_a_session(client, world, login_as):
    session = factories.session(world.group, title="Transition session", attendees=[world.advocate])
    session.attendances[0].response = Response.ATTENDING
    db.session.commit()
    login_as(world.advocate)
    page = client.get("/").get_data(as_text=True)
    assert "Attending" in page


def test_a_session_of_my_group_i_am_not_invited_to_is_not_among_my_next_sessions(client, world, login_as):
    factories.session(world.group, title="Leads only", attendees=[world.lead])
    factories.session(world.group, title="Everyone's visit", attendees=[world.lead, world.advocate])
    login_as(world.advocate)
    page = client.get("/").get_data(as_text=True)
    assert "Everyone&#39;s visit" in page and "Leads only" not in page


def test_recent_activity_in_my_groups_is_shown(client, world, login_as):
    record(world.group.id, world.lead, "Sam Lead scheduled a lesson observation visit")
    db.session.commit()
    login_as(world.advocate)
    assert "Sam Lead scheduled a lesson observation visit" in client.get("/").get_data(as_text=True)


def test_activity_in_other_groups_is_not_shown(client, world, login_as):
    other = factories.work_group(world.hub, "NCP24-66s")
    record(other.id, world.outsider, "Olive shared a secret plan")
    db.session.commit()
    login_as(world.advocate)
    assert "secret plan" not in client.get("/").get_data(as_text=True)


def test_a_new_person_is_told_how_to_join_a_work_group(client, world, login_as):
    login_as(world.outsider)
    page = client.get("/").get_data(as_text=True)
    assert "You are not in a Work Group yet" in page
    assert "invit" in page


def test_a_hub_admin_with_no_groups_is_pointed_to_hub_administration(client, world, login_as):
    login_as(world.admin)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/admin/"' in page and 'href="/groups/new"' in page


def test_a_next_session_links_to_its_page(client, world, login_as):
    session = factories.session(world.group, title="Linked visit", attendees=[world.advocate])
    login_as(world.advocate)
    assert f'href="/sessions/{session.id}"' in client.get("/").get_data(as_text=True)


def test_an_activity_entry_links_to_what_it_is_about(client, world, login_as):
    session = factories.session(world.group, title="Linked visit")
    record(world.group.id, world.lead, "Sam Lead changed the visit", session)
    db.session.commit()
    login_as(world.advocate)
    assert f'<a href="/sessions/{session.id}">Sam Lead changed the visit</a>' in client.get("/").get_data(as_text=True)


def test_an_activity_entry_about_a_deleted_session_is_shown_without_a_link(client, world, login_as):
    session = factories.session(world.group, title="Cancelled visit")
    record(world.group.id, world.lead, "Sam Lead changed the visit", session)
    db.session.delete(session)
    db.session.commit()
    login_as(world.advocate)
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Sam Lead changed the visit" in page and f"/sessions/{session.id}" not in page
