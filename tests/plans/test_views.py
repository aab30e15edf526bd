"""Plan pages: list, create, the co-editing page, who can edit, and 404 for everyone outside the group."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from collab.extensions import db
from collab.plans.models import LessonPlan, PlanKind, PlanReadOnly, PlanVersion


def _config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="plan-config">(.*?)</script>', html, re.S)
    assert match, "the page embeds the editor's configuration"
    return json.loads(match.group(1))


def test_a_member_creates_a_lesson_plan_and_lands_on_it(client, world, login_as):
    login_as(world.advocate)
    response = client.post(f"/groups/{world.group.id}/plans/new", data={
        "title": "Year 8: sharing in a ratio", "kind": "lesson", "year_group": "Year 8", "key_stage": "",
        "topic": "Ratio", "session_id": "0"})
    plan = db.session.scalars(select(LessonPlan)).one()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/plans/{plan.id}")
    assert (plan.title, plan.kind, plan.year_group, plan.key_stage) == (
        "Year 8: sharing in a ratio", PlanKind.LESSON, "Year 8", "KS3")


def test_a_transition_plan_is_for_year_6_and_year_7(client, world, login_as):
    login_as(world.lead)
    s = __import__("tests.factories", fromlist=["session"]).session(world.group, title="Transition visit")
    client.post(f"/groups/{world.group.id}/plans/new", data={
        "title": "Fractions across the divide", "kind": "transition", "year_group": "", "key_stage": "",
        "topic": "Fractions", "session_id": str(s.id)})
    plan = db.session.scalars(select(LessonPlan)).one()
    assert (plan.year_group, plan.key_stage, plan.session_id) == ("Year 6 / Year 7", "KS2–KS3", s.id)


def test_a_transition_plan_refuses_a_single_year_group(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/plans/new", data={
        "title": "Fractions", "kind": "transition", "year_group": "Year 3", "session_id": "0"})
    assert response.status_code == 200 and "transition plan is for Year 6 / Year 7" in response.text
    assert db.session.scalars(select(LessonPlan)).first() is None


def test_the_list_shows_the_group_s_plans(client, world, plan, login_as):
    login_as(world.colleague)
    response = client.get(f"/groups/{world.group.id}/plans")
    assert response.status_code == 200 and plan.title in response.text


def test_the_plan_page_embeds_room_user_and_edit_access(client, world, plan, login_as):
    login_as(world.advocate)
    html = client.get(f"/plans/{plan.id}").text
    config = _config(html)
    assert config["room"] == f"plan:{plan.id}" and config["access"] == "edit"
    assert config["user"]["name"] == world.advocate.name and config["user"]["color"].startswith("#")
    assert 'id="save-state"' in html and "dist/plan-editor.js" in html
    assert "Learning outcome" in html  # the server-rendered body, for readers without JavaScript
    assert "<script>" not in html  # the CSP forbids inline scripts


def test_a_read_only_member_is_told_and_gets_read_access(client, world, plan, read_only_colleague, login_as):
    login_as(read_only_colleague)
    html = client.get(f"/plans/{plan.id}").text
    assert "You can read this plan; the Work Group lead has made it read-only for you." in html
    assert _config(html)["access"] == "read"


def _plan_urls(plan, version_id: int, image_id: int) -> list[tuple[str, str]]:
    p = f"/plans/{plan.id}"
    return [("get", p), ("get", f"{p}/history"), ("get", f"{p}/versions/{version_id}"),
            ("post", f"{p}/versions"), ("post", f"{p}/versions/{version_id}/restore"),
            ("post", f"{p}/read-only"), ("post", f"{p}/images"), ("get", f"{p}/images/{image_id}"),
            ("get", f"{p}/export.pdf"), ("get", f"{p}/export.docx"),
            ("get", f"/groups/{plan.work_group_id}/plans"), ("get", f"/groups/{plan.work_group_id}/plans/new")]


@pytest.mark.parametrize("who", ["outsider", "other_admin"])
def test_people_outside_the_group_get_404_on_every_plan_url(client, world, plan, login_as, who):
    from collab.plans.history import save_named_version
    from collab.plans.models import PlanImage

    version = save_named_version(plan, world.lead, "Before the visit")
    image = PlanImage(plan_id=plan.id, filename="x.png", content_type="image/png")
    db.session.add(image)
    db.session.commit()
    login_as(getattr(world, who))
    for method, url in _plan_urls(plan, version.id, image.id):
        response = getattr(client, method)(url, data={"name": "x", "read_only": str(world.advocate.id)})
        assert response.status_code == 404, (method, url, response.status_code)
    assert db.session.scalars(select(PlanVersion)).all() == [version]


def test_the_lead_makes_a_member_read_only_and_back(client, world, plan, login_as):
    login_as(world.lead)
    response = client.post(f"/plans/{plan.id}/read-only", data={"read_only": [str(world.colleague.id)]})
    assert response.status_code == 302
    assert [r.user_id for r in db.session.scalars(select(PlanReadOnly))] == [world.colleague.id]
    client.post(f"/plans/{plan.id}/read-only", data={})
    assert db.session.scalars(select(PlanReadOnly)).all() == []


def test_the_lead_cannot_make_a_lead_or_an_outsider_read_only(client, world, plan, login_as):
    login_as(world.lead)
    client.post(f"/plans/{plan.id}/read-only", data={"read_only": [str(world.lead.id), str(world.outsider.id)]})
    assert db.session.scalars(select(PlanReadOnly)).all() == []


def test_only_the_lead_sees_who_can_edit(client, world, plan, login_as):
    login_as(world.lead)
    assert "Who can edit" in client.get(f"/plans/{plan.id}").text
    login_as(world.advocate)
    assert 'id="who-can-edit"' not in client.get(f"/plans/{plan.id}").text


def test_members_who_are_not_leads_get_403_for_who_can_edit(client, world, plan, login_as):
    login_as(world.advocate)
    response = client.post(f"/plans/{plan.id}/read-only", data={"read_only": [str(world.colleague.id)]})
    assert response.status_code == 403
    assert db.session.scalars(select(PlanReadOnly)).all() == []


def test_a_read_only_member_cannot_name_or_restore_a_version(client, world, plan, read_only_colleague, login_as):
    from collab.plans.history import save_named_version

    version = save_named_version(plan, world.lead, "Before the visit")
    login_as(read_only_colleague)
    assert client.post(f"/plans/{plan.id}/versions", data={"name": "Mine"}).status_code == 403
    assert client.post(f"/plans/{plan.id}/versions/{version.id}/restore").status_code == 403
