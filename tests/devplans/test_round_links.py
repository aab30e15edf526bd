"""Critique rounds without dead ends: sharing again leads to the open round; the list shows open rounds."""

from __future__ import annotations

from collab.devplans.models import CritiqueRound
from collab.extensions import db
from collab.groups.models import Role
from tests import factories
from tests.conftest import sign_in


def test_share_for_critique_while_the_round_is_open_goes_to_that_round(client, world, devplan, open_round):
    sign_in(client, world.advocate)
    response = client.get(f"/devplans/{devplan.id}/rounds/new")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/devplans/{devplan.id}/rounds/{open_round.id}")
    assert "already open for critique in NCP24-14b" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_submitting_the_share_form_for_a_group_with_an_open_round_goes_to_that_round(client, world, devplan,
                                                                                    open_round):
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/rounds/new", data={
        "work_group_id": world.group.id, "question": "Again?", "due_on": "2030-03-14"})
    assert response.headers["Location"].endswith(f"/devplans/{devplan.id}/rounds/{open_round.id}")
    assert db.session.scalar(db.select(db.func.count()).select_from(CritiqueRound)) == 1


def test_share_for_critique_offers_only_groups_where_the_plan_is_not_open(client, world, devplan, open_round):
    other = factories.work_group(world.hub, "NCP24-31c", [world.school_b])
    factories.member(other, world.advocate, Role.ADVOCATE)
    sign_in(client, world.advocate)
    page = client.get(f"/devplans/{devplan.id}/rounds/new").get_data(as_text=True)
    options = page[page.index("<select"):page.index("</select>")]
    assert "NCP24-31c" in options and "NCP24-14b" not in options
    assert f'href="/devplans/{devplan.id}/rounds/{open_round.id}">NCP24-14b</a>' in page


def test_the_department_sees_its_plans_open_round_in_the_list(client, world, devplan, open_round):
    sign_in(client, world.advocate)
    page = client.get("/devplans").get_data(as_text=True)
    assert f'href="/devplans/{devplan.id}/rounds/{open_round.id}"' in page
    assert "Round with NCP24-14b" in page


def test_the_department_list_says_when_its_plan_is_not_open_for_critique(client, world, devplan, closed_round):
    sign_in(client, world.advocate)
    page = client.get("/devplans").get_data(as_text=True)
    assert "Not open for critique just now" in page and f"/rounds/{closed_round.id}" not in page


def test_a_reviewer_sees_the_other_schools_open_plan_in_the_list(client, world, devplan, open_round, reviewer):
    sign_in(client, reviewer)
    page = client.get("/devplans").get_data(as_text=True)
    assert f'href="/devplans/{devplan.id}"' in page and "Riverside School, for NCP24-14b" in page


def test_a_closed_round_is_not_listed_for_the_reviewer(client, world, devplan, closed_round, reviewer):
    sign_in(client, reviewer)
    page = client.get("/devplans").get_data(as_text=True)
    assert "No other school's plan is open for critique" in page
