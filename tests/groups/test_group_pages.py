"""Work Group list and pages: who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from collab.activity.services import record
from collab.extensions import db
from tests import factories

GROUP_PAGES = ["", "/edit", "/members", "/invite"]


@pytest.mark.parametrize("page", GROUP_PAGES)
def test_an_outsider_gets_404_on_every_group_page(client, world, login_as, page):
    login_as(world.outsider)
    assert client.get(f"/groups/{world.group.id}{page}").status_code == 404


@pytest.mark.parametrize("page", GROUP_PAGES)
def test_the_admin_of_another_hub_gets_404_on_every_group_page(client, world, login_as, page):
    login_as(world.other_admin)
    assert client.get(f"/groups/{world.group.id}{page}").status_code == 404


def test_a_missing_group_is_404(client, world, login_as):
    login_as(world.admin)
    assert client.get("/groups/9999").status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(f"/groups/{world.group.id}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_list_shows_my_groups_only(client, world, login_as):
    factories.work_group(world.hub, "NCP24-99z")
    login_as(world.advocate)
    page = client.get("/groups/").get_data(as_text=True)
    assert "NCP24-14B" in page.upper()
    assert "NCP24-99z" not in page


def test_a_hub_admin_sees_every_group_in_their_hub_but_not_other_hubs(client, world, login_as):
    factories.work_group(world.hub, "NCP24-20a")
    factories.work_group(world.other_hub, "NCP24-30c")
    login_as(world.admin)
    page = client.get("/groups/").get_data(as_text=True)
    assert "NCP24-14b" in page and "NCP24-20a" in page
    assert "NCP24-30c" not in page


def test_a_member_sees_the_group_details(client, world, login_as):
    login_as(world.colleague)
    page = client.get(f"/groups/{world.group.id}").get_data(as_text=True)
    assert "NCP24-14b" in page
    assert "Focus B: Developing fluency" in page
    assert "Sustaining" in page
    assert "2024/25" in page
    assert "Meadow Primary School" in page and "Primary" in page


def test_the_group_page_lists_members_with_their_roles_by_school(client, world, login_as):
    login_as(world.colleague)
    page = client.get(f"/groups/{world.group.id}").get_data(as_text=True)
    assert "Sam Lead – Work Group Lead (Mastery Specialist)" in page
    assert "Alex Advocate – Mastery Advocate" in page
    assert page.index("<h3>Castle Hill Academy</h3>") < page.index("Sam Lead –")
    assert page.index("<h3>Riverside School</h3>") < page.index("Alex Advocate –")


def test_the_group_page_shows_upcoming_sessions_but_not_past_ones(client, world, login_as):
    factories.session(world.group, title="Ratio research lesson", starts_in=timedelta(days=3))
    factories.session(world.group, title="Last term's visit", starts_in=timedelta(days=-30))
    login_as(world.advocate)
    page = client.get(f"/groups/{world.group.id}").get_data(as_text=True)
    assert "Ratio research lesson" in page
    assert "Last term&#39;s visit" not in page and "Last term's visit" not in page


def test_the_group_page_shows_recent_activity(client, world, login_as):
    record(world.group.id, world.lead, "Sam Lead shared the Year 8 ratio plan")
    db.session.commit()
    login_as(world.advocate)
    assert "Sam Lead shared the Year 8 ratio plan" in client.get(f"/groups/{world.group.id}").get_data(as_text=True)


def test_a_member_without_a_managing_role_sees_no_manage_links(client, world, login_as):
    login_as(world.advocate)
    page = client.get(f"/groups/{world.group.id}").get_data(as_text=True)
    assert "Manage members" not in page


def test_the_lead_sees_the_manage_links(client, world, login_as):
    login_as(world.lead)
    page = client.get(f"/groups/{world.group.id}").get_data(as_text=True)
    assert "Manage members" in page and "Invite someone" in page
