"""Publishing a research cycle to the hub's library, reading it, taking it out, and copying its plan."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from collab.extensions import db
from collab.library import services
from collab.library.models import PublishedItem
from collab.plans.models import LessonPlan
from collab.plans.services import plan_text
from tests.library.helpers import PRIVATE_NOTE, finished_cycle, others, publish


@pytest.fixture
def cycle(world):
    return finished_cycle(world)[0]


@pytest.fixture
def other(world):
    return others(world)


def test_publishing_freezes_the_revised_plan_summary_and_table(world, cycle):
    item = publish(world, cycle)
    assert item.hub_id == world.hub.id
    assert "Additive reasoning" in item.plan_text and "<h2>" in item.plan_html
    assert item.summary.startswith("Starting from the bar model")
    seen = next(row for row in item.rows if row.text.startswith("Additive reasoning"))
    assert (seen.seen, seen.not_seen, seen.something_else) == (1, 0, 0)
    assert {row.pupil for row in item.rows if row.kind == "pupil"} == {"Pupil A", "Pupil B"}


def test_a_published_item_keeps_no_observer_notes_or_names(world, cycle):
    item = publish(world, cycle)
    everything = " ".join([item.plan_html, item.plan_text, item.summary, *(row.text for row in item.rows)])
    assert PRIVATE_NOTE not in everything
    assert world.advocate.name not in everything


def test_the_page_is_readable_by_the_hubs_other_work_groups_and_admin(world, cycle, other, login_as):
    item = publish(world, cycle)
    for person in (other.lead, other.colleague, world.admin, world.lead):
        assert login_as(person).get(f"/library/{item.id}").status_code == 200


def test_other_hubs_and_people_outside_every_group_get_404(world, cycle, other, login_as):
    item = publish(world, cycle)
    for person in (other.far_lead, world.other_admin, world.outsider):
        client = login_as(person)
        assert client.get(f"/library/{item.id}").status_code == 404
        assert f"/library/{item.id}" not in client.get("/library").get_data(as_text=True)


def test_nothing_is_in_the_library_before_it_is_published(world, cycle, other, login_as):
    page = login_as(other.lead).get("/library").get_data(as_text=True)
    assert cycle.title not in page
    assert db.session.scalar(select(PublishedItem)) is None


def test_the_lead_publishes_from_the_form(world, cycle, login_as):
    client = login_as(world.lead)
    assert "Publish to the hub" in client.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    response = client.post(f"/cycles/{cycle.id}/publish", data={"summary": "We learned a lot.",
                                                                 "research_question": "Q?"})
    item = db.session.scalar(select(PublishedItem))
    assert response.status_code == 302 and response.location.endswith(f"/library/{item.id}")
    assert item.research_question == "Q?"


def test_publishing_needs_a_summary(world, cycle, login_as):
    response = login_as(world.lead).post(f"/cycles/{cycle.id}/publish", data={"summary": " "})
    assert response.status_code == 200
    assert "Write what the Work Group learned." in response.get_data(as_text=True)


def test_a_member_who_is_not_the_lead_may_not_publish(world, cycle, login_as):
    assert login_as(world.advocate).get(f"/cycles/{cycle.id}/publish").status_code == 403
    with pytest.raises(services.NotAllowed):
        publish_as(world.advocate, cycle)


def test_outside_the_group_the_publish_page_does_not_exist(world, cycle, other, login_as):
    assert login_as(other.lead).get(f"/cycles/{cycle.id}/publish").status_code == 404
    assert login_as(world.admin).get(f"/cycles/{cycle.id}/publish").status_code == 404


def test_a_cycle_without_a_revised_plan_cannot_be_published(world, login_as):
    from collab.cycles import services as cycle_services
    bare = cycle_services.create_cycle(world.lead, world.group, "Not yet", "")
    assert login_as(world.lead).get(f"/cycles/{bare.id}/publish").status_code == 403


def test_unpublishing_takes_it_out_of_the_library(world, cycle, other, login_as):
    item = publish(world, cycle)
    item_id = item.id
    response = login_as(world.lead).post(f"/library/{item_id}/unpublish")
    assert response.status_code == 302
    assert login_as(other.lead).get(f"/library/{item_id}").status_code == 404
    assert db.session.get(PublishedItem, item_id) is None


def test_a_reader_from_another_group_may_not_unpublish(world, cycle, other, login_as):
    item = publish(world, cycle)
    assert login_as(other.lead).post(f"/library/{item.id}/unpublish").status_code == 403


def test_copying_makes_a_new_plan_in_my_work_group(world, cycle, other, login_as):
    item = publish(world, cycle)
    response = login_as(other.lead).post(f"/library/{item.id}/copy", data={"group_id": other.group.id})
    assert response.status_code == 302
    plan = db.session.scalar(select(LessonPlan).where(LessonPlan.work_group_id == other.group.id))
    assert response.location.endswith(f"/plans/{plan.id}")
    assert "Additive reasoning" in plan_text(plan)
    assert plan.created_by_id == other.lead.id


def test_the_copy_does_not_change_when_the_original_is_unpublished(world, cycle, other):
    item = publish(world, cycle)
    plan = services.copy_into(other.lead, item, other.group)
    services.unpublish(world.lead, item)
    assert "Additive reasoning" in plan_text(db.session.get(LessonPlan, plan.id))


def test_a_department_colleague_may_read_but_not_copy(world, cycle, other, login_as):
    item = publish(world, cycle)
    client = login_as(other.colleague)
    assert "Copy the plan" not in client.get(f"/library/{item.id}").get_data(as_text=True)
    assert client.post(f"/library/{item.id}/copy", data={"group_id": other.group.id}).status_code == 403


def test_copying_into_a_group_of_another_hub_is_refused(world, cycle, other):
    item = publish(world, cycle)
    with pytest.raises(services.NotAllowed):
        services.copy_into(other.far_lead, item, other.far_group)
    with pytest.raises(services.NotAllowed):
        services.copy_into(other.lead, item, world.group)  # not a member there


def publish_as(person, cycle):
    return services.publish(person, cycle, "Summary")
