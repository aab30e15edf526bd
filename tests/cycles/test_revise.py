"""Revising a plan after the discussion: version 2 linked to version 1 and to the discussion, the agreed actions
beside its editor (ticked through the discussion's own service), and the cycle's revised plan."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from collab.activity.models import Activity
from collab.cycles import revisions, services, timeline
from collab.cycles.models import PlanRevision
from collab.extensions import db
from collab.plans.models import LessonPlan
from collab.plans.services import plan_text
from tests import factories
from tests.cycles.conftest import write_under


def test_revising_makes_version_2_with_version_1s_text(world, linked, plan, research_lesson, discussed):
    write_under(plan.document_id, "Anchor task", "Share £12 in the ratio 1 : 3.", world.advocate)
    revised = revisions.revise_plan(world.advocate, plan, research_lesson)
    link = revisions.revision_of(revised)
    assert (link.revised_from_id, link.session_id) == (plan.id, research_lesson.id)
    assert revised.title == f"{plan.title} (version 2)"
    assert "Share £12 in the ratio 1 : 3." in plan_text(revised)
    assert revised.work_group_id == plan.work_group_id and revised.year_group == plan.year_group


def test_the_revised_plan_becomes_the_cycles_revised_plan(world, linked, plan, research_lesson, discussed):
    revised = revisions.revise_plan(world.advocate, plan, research_lesson)
    assert linked.revised_plan_id == revised.id
    revised_stage = next(s for s in timeline.stages(linked) if s.key == "revised-plan")
    assert revised_stage.state == "done" and world.advocate.name in revised_stage.events[0]
    assert timeline.next_step(linked, world.lead).label == "Schedule the revised lesson"


def test_revising_is_in_the_groups_activity_linking_the_new_plan(world, linked, plan, research_lesson):
    revised = revisions.revise_plan(world.advocate, plan, research_lesson)
    entry = db.session.scalars(select(Activity).order_by(Activity.id.desc())).first()
    assert "revised the plan" in entry.summary and entry.link == f"/plans/{revised.id}"


def test_a_plan_is_revised_once(world, plan):
    revisions.revise_plan(world.lead, plan, None)
    with pytest.raises(services.Invalid, match="already been revised"):
        revisions.revise_plan(world.lead, plan, None)


def test_a_version_2_can_itself_be_revised_as_version_3(world, plan):
    second = revisions.revise_plan(world.lead, plan, None)
    third = revisions.revise_plan(world.lead, second, None)
    assert third.title == f"{plan.title} (version 3)" and revisions.version_number(third) == 3


def test_the_discussion_must_be_of_a_lesson_taught_from_the_plan(world, plan):
    unrelated = factories.session(world.group, title="Another lesson")
    with pytest.raises(services.Invalid, match="taught from this plan"):
        revisions.revise_plan(world.lead, plan, unrelated)


def test_the_revise_page_offers_the_cycles_research_lesson(client, world, linked, plan, research_lesson,
                                                           login_as):
    login_as(world.advocate)
    html = client.get(f"/plans/{plan.id}/revise").text
    assert f'<option selected value="{research_lesson.id}">' in html


def test_revise_from_the_form_then_the_editor_shows_the_actions_as_a_checklist(client, world, linked, plan,
                                                                                research_lesson, discussed,
                                                                                login_as):
    login_as(world.advocate)
    response = client.post(f"/plans/{plan.id}/revise", data={"session_id": research_lesson.id})
    revised = db.session.scalars(select(LessonPlan).where(LessonPlan.id != plan.id)).one()
    assert response.location.endswith(f"/plans/{revised.id}")
    html = client.get(f"/plans/{revised.id}").text
    assert "Agreed actions" in html and 'role="checkbox" aria-checked="false"' in html
    assert "Start with the bar model before the double number line" in html
    assert f'href="/plans/{revised.id}/compare"' in html
    assert f"Revised as <a href=\"/plans/{revised.id}\">" in client.get(f"/plans/{plan.id}").text


def test_ticking_an_action_beside_the_editor_uses_the_discussions_service(client, world, linked, plan,
                                                                          research_lesson, discussed, login_as):
    revised = revisions.revise_plan(world.advocate, plan, research_lesson)
    login_as(world.colleague)
    action = discussed[0]
    response = client.post(f"/plans/{revised.id}/actions/{action.id}/done", data={"done": "yes"})
    assert response.status_code == 302 and response.location.endswith(f"#agreed-action-{action.id}")
    assert action.done
    assert 'aria-checked="true"' in client.get(f"/plans/{revised.id}").text
    client.post(f"/plans/{revised.id}/actions/{action.id}/done", data={"done": "no"})
    assert not action.done


def test_an_action_of_another_discussion_cannot_be_ticked_from_the_plan(client, world, linked, plan,
                                                                        research_lesson, discussed, login_as):
    revised = revisions.revise_plan(world.advocate, plan, research_lesson)
    other_plan = factories.session(world.group, title="Other")
    import uuid

    from collab.discussions import action_services
    stranger, _ = action_services.create_action(world.lead, other_plan, str(uuid.uuid4()), "Elsewhere",
                                                world.lead.id, "")
    login_as(world.lead)
    assert client.post(f"/plans/{revised.id}/actions/{stranger.id}/done", data={"done": "yes"}).status_code == 404
    assert not stranger.done


def test_ticking_needs_yes_or_no(client, world, linked, plan, research_lesson, discussed, login_as):
    revised = revisions.revise_plan(world.advocate, plan, research_lesson)
    login_as(world.lead)
    assert client.post(f"/plans/{revised.id}/actions/{discussed[0].id}/done", data={"done": "maybe"}) \
        .status_code == 400


def test_opening_revise_on_a_revised_plan_goes_to_the_revision(client, world, plan, login_as):
    revised = revisions.revise_plan(world.lead, plan, None)
    login_as(world.lead)
    response = client.get(f"/plans/{plan.id}/revise")
    assert response.status_code == 302 and response.location.endswith(f"/plans/{revised.id}")
    assert db.session.scalars(select(PlanRevision)).one().plan_id == revised.id


def test_the_lead_schedules_the_revised_lesson_from_the_revised_plan(client, world, linked, plan, research_lesson,
                                                                     login_as):
    from collab.cycles.models import CycleSession, SessionPurpose
    from collab.sessions.models import GroupSession

    revised = revisions.revise_plan(world.advocate, plan, research_lesson)
    login_as(world.lead)
    url = f"/groups/{world.group.id}/sessions/new?cycle={linked.id}&amp;purpose=revised"
    assert f'href="{url}">Schedule the revised lesson</a>' in client.get(f"/plans/{revised.id}").text
    day = factories.at(days=12).date().isoformat()
    client.post(url.replace("&amp;", "&"), data={"kind": "observation", "title": "Revised lesson: ratio",
                                                 "day": day, "start_time": "09:00", "end_time": "10:00"})
    session = db.session.scalars(select(GroupSession).where(GroupSession.title == "Revised lesson: ratio")).one()
    link = db.session.scalars(select(CycleSession).where(CycleSession.session_id == session.id)).one()
    assert (link.cycle_id, link.purpose) == (linked.id, SessionPurpose.REVISED)
    assert revised.session_id == session.id
    step = timeline.next_step(linked, world.lead)
    assert (step.label, step.session) == ("Set up the observation visit", session)


def test_a_member_who_is_not_the_lead_sees_no_schedule_link(client, world, linked, plan, research_lesson, login_as):
    revised = revisions.revise_plan(world.advocate, plan, research_lesson)
    login_as(world.advocate)
    assert "Schedule the revised lesson" not in client.get(f"/plans/{revised.id}").text


def test_version_2_shows_version_1s_images_as_its_own(app, client, world, plan, login_as):
    import io

    from PIL import Image
    from pycrdt import Doc, XmlElement, XmlFragment

    from collab.plans.export import upload_folder
    from collab.plans.images import store_image
    from collab.plans.richtext import load
    from collab.plans.services import document_state
    from collab.realtime.store import get_store

    png = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(png, "PNG")
    image = store_image(plan, png.getvalue(), upload_folder(), world.lead.id)
    doc = Doc()
    doc.apply_update(document_state(plan.document_id))
    before = doc.get_state()
    with doc.transaction():
        doc.get("default", type=XmlFragment).children.append(
            XmlElement("image", {"src": f"/plans/{plan.id}/images/{image.id}", "alt": "Bar model"}))
    get_store().submit(plan.document_id, doc.get_update(before), world.lead.id)

    revised = revisions.revise_plan(world.lead, plan, None)
    [node] = [n for n in revisions._nodes(load(document_state(revised.document_id))) if n.tag == "image"]
    assert node.attrs["src"].startswith(f"/plans/{revised.id}/images/") and node.attrs["alt"] == "Bar model"
    login_as(world.colleague)
    assert client.get(node.attrs["src"]).status_code == 200
    assert client.get(f"/plans/{plan.id}/images/{image.id}").status_code == 200
