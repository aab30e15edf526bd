"""Cycle pages: the list and theme, starting a cycle, the timeline with the next step, linking, the study page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from collab.cycles import services
from collab.cycles.models import CycleSession, ResearchCycle, SessionPurpose
from collab.extensions import db
from collab.plans.models import LessonPlan
from collab.sessions.models import GroupSession
from tests import factories
from tests.cycles.conftest import write_under


def test_the_lead_starts_a_cycle_from_the_form(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/cycles/new",
                           data={"title": "Year 7 fractions", "research_question": "Do bar models help?"})
    cycle = db.session.scalars(select(ResearchCycle)).one()
    assert response.status_code == 302 and response.location.endswith(f"/cycles/{cycle.id}")
    assert cycle.research_question == "Do bar models help?"


def test_a_title_too_long_is_refused_with_a_clear_message(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/cycles/new", data={"title": "x" * 205})
    assert response.status_code == 400
    assert "The title can be at most 200 characters (this has 205)." in response.text
    assert db.session.scalars(select(ResearchCycle)).first() is None


def test_the_cycle_page_is_an_ordered_list_of_stages_with_the_next_step(client, world, cycle, login_as):
    login_as(world.advocate)
    html = client.get(f"/cycles/{cycle.id}").text
    assert '<ol class="cycle-timeline"' in html
    assert html.index("Study document") < html.index("Research lesson plan") < html.index("Post-lesson discussion") \
        < html.index("Revised plan")
    assert 'aria-current="step"' in html
    assert f'href="/cycles/{cycle.id}/study">Write the study document</a>' in html


def test_a_member_sees_no_lead_forms(client, world, cycle, login_as):
    login_as(world.advocate)
    html = client.get(f"/cycles/{cycle.id}").text
    assert "Link the plan" not in html and "Add to the cycle" not in html


def test_the_lead_links_a_plan_and_the_timeline_says_who_and_when(client, world, cycle, plan, login_as):
    login_as(world.lead)
    response = client.post(f"/cycles/{cycle.id}/plan", data={"plan_id": plan.id})
    assert response.status_code == 302
    html = client.get(f"/cycles/{cycle.id}").text
    assert f"“{plan.title}” linked by {world.lead.name} on" in html


def test_the_lead_starts_a_new_research_plan_from_the_cycle(client, world, cycle, login_as):
    login_as(world.lead)
    response = client.post(f"/cycles/{cycle.id}/plan/new")
    plan = db.session.scalars(select(LessonPlan)).one()
    assert response.location.endswith(f"/plans/{plan.id}")
    assert cycle.research_plan_id == plan.id and plan.title == f"Research lesson: {cycle.title}"


def test_schedule_the_research_lesson_opens_the_session_form_prefilled(client, world, cycle, plan, login_as):
    services.link_plan(world.lead, cycle, plan)
    write_under(cycle.study.document_id, "The maths", "Scaling.", world.advocate)
    login_as(world.lead)
    html = client.get(f"/cycles/{cycle.id}").text
    url = f"/groups/{world.group.id}/sessions/new?cycle={cycle.id}&amp;purpose=research"
    assert f'href="{url}">Schedule the research lesson</a>' in html
    form = client.get(url.replace("&amp;", "&")).text
    assert f"the research lesson of the research cycle “{cycle.title}”" in form
    assert f'value="Research lesson: {cycle.title}"' in form


def test_a_session_scheduled_from_the_cycle_joins_it(client, world, cycle, plan, login_as):
    services.link_plan(world.lead, cycle, plan)
    login_as(world.lead)
    day = (factories.at(days=10)).date().isoformat()
    response = client.post(f"/groups/{world.group.id}/sessions/new?cycle={cycle.id}&purpose=research", data={
        "kind": "observation", "title": "Research lesson: ratio", "day": day, "start_time": "09:00",
        "end_time": "11:00", "attendees": [world.lead.id, world.advocate.id]})
    assert response.status_code == 302
    session = db.session.scalars(select(GroupSession)).one()
    link = db.session.scalars(select(CycleSession)).one()
    assert (link.cycle_id, link.session_id, link.purpose) == (cycle.id, session.id, SessionPurpose.RESEARCH)
    assert plan.session_id == session.id  # the visit set-up offers the cycle's plan
    assert f"/cycles/{cycle.id}" in client.get(f"/sessions/{session.id}").text


def test_a_cycle_id_in_the_session_form_of_another_group_links_nothing(client, world, cycle, login_as):
    other = factories.work_group(world.hub)
    factories.member(other, world.lead, role=factories.Role.LEAD)
    login_as(world.lead)
    day = (factories.at(days=10)).date().isoformat()
    client.post(f"/groups/{other.id}/sessions/new?cycle={cycle.id}", data={
        "kind": "observation", "title": "Elsewhere", "day": day, "start_time": "09:00", "end_time": "10:00"})
    assert db.session.scalars(select(CycleSession)).first() is None


def test_the_lead_adds_an_existing_session_and_takes_it_out(client, world, cycle, login_as):
    lesson = factories.session(world.group, starts_in=timedelta(days=5), title="Visit to Riverside")
    login_as(world.lead)
    client.post(f"/cycles/{cycle.id}/sessions", data={"session_id": lesson.id, "purpose": "research"})
    link = db.session.scalars(select(CycleSession)).one()
    assert "Visit to Riverside" in client.get(f"/cycles/{cycle.id}").text
    client.post(f"/cycles/{cycle.id}/sessions/{link.id}/remove")
    assert db.session.scalars(select(CycleSession)).first() is None
    assert db.session.get(GroupSession, lesson.id) is not None


def test_adding_without_choosing_a_session_says_so(client, world, cycle, login_as):
    login_as(world.lead)
    response = client.post(f"/cycles/{cycle.id}/sessions", data={"session_id": 0, "purpose": "research"})
    assert response.status_code == 400 and "Choose a session." in response.text


def test_the_study_page_renders_the_document_and_its_room(client, world, cycle, login_as):
    write_under(cycle.study.document_id, "The maths", "Ratio <b>as</b> scaling", world.advocate)
    login_as(world.colleague)
    html = client.get(f"/cycles/{cycle.id}/study").text
    assert "Ratio &lt;b&gt;as&lt;/b&gt; scaling" in html
    assert f'"room": "study:{cycle.study.id}"' in html and '"access": "edit"' in html


def test_the_group_page_shows_the_theme_and_links_the_cycles(client, world, cycle, login_as):
    services.set_theme(world.lead, world.group, "Multiplicative reasoning", "How do pupils see scaling?")
    login_as(world.colleague)
    html = client.get(f"/groups/{world.group.id}").text
    assert "Multiplicative reasoning" in html and "How do pupils see scaling?" in html
    assert f'href="/cycles/{cycle.id}"' in html


def test_the_theme_form_saves_and_shows_on_the_cycles_list(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/research-theme",
                           data={"theme": "Fluency", "question": "What does fluency look like in Year 8?"})
    assert response.status_code == 302
    assert "What does fluency look like in Year 8?" in client.get(f"/groups/{world.group.id}/cycles").text


def test_the_plan_page_links_to_its_cycle(client, world, linked, plan, login_as):
    login_as(world.advocate)
    html = client.get(f"/plans/{plan.id}").text
    assert f'href="/cycles/{linked.id}"' in html and "Revise this plan" in html


def test_the_lead_finishes_a_cycle(client, world, cycle, login_as):
    login_as(world.lead)
    client.post(f"/cycles/{cycle.id}/edit", data={"title": cycle.title, "research_question": "",
                                                  "status": "finished"})
    html = client.get(f"/cycles/{cycle.id}").text
    assert "Finished" in html and "Next step" not in html
