"""Marking a session's register on its page: who may, when, and what is saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from collab.extensions import db
from collab.observations.models import Visit
from collab.reports.models import AttendanceMark, Presence
from collab.sessions.models import SessionKind
from tests import factories


@pytest.fixture
def held(world):
    """A visit at Riverside (world.school_b) this morning... well, two hours ago."""
    return factories.session(world.group, SessionKind.OBSERVATION, timedelta(hours=-2), world.school_b,
                             [world.lead, world.advocate])


def marks() -> dict[int, Presence]:
    return {m.user_id: m.presence for m in db.session.scalars(select(AttendanceMark))}


def test_the_lead_sees_the_register_with_everyone_invited_and_the_other_members(client, world, held, login_as):
    login_as(world.lead)
    page = client.get(f"/sessions/{held.id}").get_data(as_text=True)
    assert 'id="register-heading"' in page
    for person in (world.lead, world.advocate, world.colleague):
        assert f'name="mark-{person.id}"' in page
    assert page.index(world.advocate.name) < page.index(f'name="mark-{world.colleague.id}"')  # invited first
    assert "not invited" in page


def test_the_lead_marks_present_absent_and_apologies(client, world, held, login_as):
    login_as(world.lead)
    response = client.post(f"/sessions/{held.id}/register", data={
        f"mark-{world.lead.id}": "present", f"mark-{world.advocate.id}": "apologies",
        f"mark-{world.colleague.id}": "absent"}, follow_redirects=True)
    assert "Register saved: 1 present, 1 apologies, 1 absent." in response.get_data(as_text=True)
    assert marks() == {world.lead.id: Presence.PRESENT, world.advocate.id: Presence.APOLOGIES,
                       world.colleague.id: Presence.ABSENT}


def test_marking_again_changes_a_mark_and_not_marked_clears_one(client, world, held, login_as):
    login_as(world.lead)
    client.post(f"/sessions/{held.id}/register", data={f"mark-{world.lead.id}": "present",
                                                       f"mark-{world.advocate.id}": "absent"})
    client.post(f"/sessions/{held.id}/register", data={f"mark-{world.lead.id}": "",
                                                       f"mark-{world.advocate.id}": "present"})
    assert marks() == {world.advocate.id: Presence.PRESENT}


def test_the_saved_marks_are_checked_when_the_page_is_opened_again(client, world, held, login_as):
    login_as(world.lead)
    client.post(f"/sessions/{held.id}/register", data={f"mark-{world.advocate.id}": "apologies"})
    page = client.get(f"/sessions/{held.id}").get_data(as_text=True)
    assert f'name="mark-{world.advocate.id}" value="apologies" checked' in page


def test_the_visit_host_marks_the_register(client, world, held, login_as):
    db.session.add(Visit(session_id=held.id, host_id=world.colleague.id, checklist_name="c", criteria_json="[]",
                         phases_json="[]"))
    db.session.commit()
    login_as(world.colleague)
    assert client.post(f"/sessions/{held.id}/register",
                       data={f"mark-{world.lead.id}": "present"}).status_code == 302
    assert marks() == {world.lead.id: Presence.PRESENT}


def test_a_member_who_is_not_the_host_may_not_mark_it(client, world, held, login_as):
    db.session.add(Visit(session_id=held.id, host_id=world.colleague.id, checklist_name="c", criteria_json="[]",
                         phases_json="[]"))
    db.session.commit()
    login_as(world.advocate)
    assert client.post(f"/sessions/{held.id}/register",
                       data={f"mark-{world.advocate.id}": "present"}).status_code == 403
    assert 'name="mark-' not in client.get(f"/sessions/{held.id}").get_data(as_text=True)
    assert marks() == {}


@pytest.mark.parametrize("who", ["outsider", "other_admin"])
def test_someone_outside_the_work_group_gets_404(client, world, held, login_as, who):
    login_as(getattr(world, who))
    assert client.post(f"/sessions/{held.id}/register",
                       data={f"mark-{world.lead.id}": "present"}).status_code == 404
    assert marks() == {}


def test_the_hubs_administrator_marks_the_register(client, world, held, login_as):
    login_as(world.admin)
    assert client.post(f"/sessions/{held.id}/register",
                       data={f"mark-{world.lead.id}": "present"}).status_code == 302
    assert marks() == {world.lead.id: Presence.PRESENT}


def test_a_register_cannot_be_marked_before_the_day_of_the_session(client, world, login_as):
    coming = factories.session(world.group, starts_in=timedelta(days=3), attendees=[world.lead])
    login_as(world.lead)
    assert client.post(f"/sessions/{coming.id}/register",
                       data={f"mark-{world.lead.id}": "present"}).status_code == 403
    page = client.get(f"/sessions/{coming.id}").get_data(as_text=True)
    assert "The register can be marked from the day of the session." in page
    assert marks() == {}


def test_an_unknown_mark_changes_nothing(client, world, held, login_as):
    login_as(world.lead)
    response = client.post(f"/sessions/{held.id}/register", data={
        f"mark-{world.lead.id}": "present", f"mark-{world.advocate.id}": "late"}, follow_redirects=True)
    assert "The register was not changed." in response.get_data(as_text=True)
    assert marks() == {}


def test_someone_not_on_the_register_is_not_marked(client, world, held, login_as):
    login_as(world.lead)
    client.post(f"/sessions/{held.id}/register", data={f"mark-{world.outsider.id}": "present"})
    assert marks() == {}


def test_a_member_from_the_host_school_marks_it_before_a_visit_host_is_chosen(client, world, held, login_as):
    login_as(world.advocate)  # Riverside hosts
    assert client.post(f"/sessions/{held.id}/register",
                       data={f"mark-{world.advocate.id}": "present"}).status_code == 302


def test_members_see_the_count_but_not_the_form(client, world, login_as):
    held = factories.session(world.group, SessionKind.PLANNING, timedelta(hours=-2), None,
                             [world.lead, world.advocate])
    login_as(world.lead)
    client.post(f"/sessions/{held.id}/register", data={f"mark-{world.lead.id}": "present",
                                                       f"mark-{world.advocate.id}": "present"})
    login_as(world.advocate)
    page = client.get(f"/sessions/{held.id}").get_data(as_text=True)
    assert "<strong>2</strong> present" in page and 'name="mark-' not in page


def test_a_deleted_session_takes_its_register_with_it(client, world, held, login_as):
    login_as(world.lead)
    client.post(f"/sessions/{held.id}/register", data={f"mark-{world.lead.id}": "present"})
    client.post(f"/sessions/{held.id}/delete")
    assert marks() == {}
