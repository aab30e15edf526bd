"""Starting a plan, who edits it, sharing it for critique and closing the round, evidence and versions."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from collab.devplans.models import CritiqueRound, DevPlan, EvidenceLink
from collab.devplans.plan import services
from collab.devplans.rounds import services as round_services
from collab.extensions import db
from collab.groups.models import Role
from collab.realtime.presence import colour_for
from tests import factories
from tests.conftest import sign_in


def test_an_advocate_starts_the_departments_plan_from_the_template(client, world):
    sign_in(client, world.advocate)
    response = client.post("/devplans", data={"title": ""})
    plan = db.session.scalar(db.select(DevPlan))
    assert response.headers["Location"].endswith(f"/devplans/{plan.id}")
    assert [line for line in services.plan_text(plan).splitlines() if line] == [
        "Aims (based on evidence of need)", "Evidence of need", "Actions",
        "Professional development programme for the department", "Timeline",
        "Success criteria (how success will be judged)"]
    assert plan.title == "Riverside School mathematics development plan"


def test_a_department_colleague_cannot_start_the_plan(client, world):
    sign_in(client, world.colleague)
    assert client.post("/devplans", data={}).status_code == 403


def test_a_department_has_one_plan(world):
    department = world.school_b.maths_department
    assert services.create_plan(world.advocate, department).id == services.create_plan(world.advocate, department).id


def test_the_plan_page_shows_the_editor_to_advocates_and_read_access_to_colleagues(client, world, devplan):
    sign_in(client, world.advocate)
    assert '"access": "edit"' in client.get(f"/devplans/{devplan.id}").get_data(as_text=True)
    sign_in(client, world.colleague)
    page = client.get(f"/devplans/{devplan.id}").get_data(as_text=True)
    assert '"access": "read"' in page and "read-only-note" in page


def test_the_plan_page_gives_the_editor_the_same_caret_colour_the_server_stamps_on_presence(client, world, devplan):
    sign_in(client, world.advocate)
    page = client.get(f"/devplans/{devplan.id}").get_data(as_text=True)
    config = json.loads(re.search(r'<script type="application/json" id="plan-config">(.*?)</script>', page, re.S)[1])
    assert config["user"] == {"id": world.advocate.id, "name": world.advocate.name,
                              "color": colour_for(world.advocate.id)}


def test_sharing_opens_a_round_and_tells_the_other_schools_members(client, world, devplan, reviewer):
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/rounds/new", data={
        "work_group_id": world.group.id, "question": "Are our actions realistic for one year?",
        "due_on": "2030-03-14"})
    round_ = db.session.scalar(db.select(CritiqueRound))
    assert response.headers["Location"].endswith(f"/devplans/{devplan.id}/rounds/{round_.id}")
    from collab.devplans.models import Notification
    told = {n.user_id: n.text for n in db.session.scalars(db.select(Notification))}
    assert set(told) == {reviewer.id, world.lead.id}  # not Riverside's own people
    assert told[reviewer.id] == ("Riverside School shared its development plan with NCP24-14b for critique "
                                 "(due Thu 14 Mar 2030): Are our actions realistic for one year?")


def test_a_plan_cannot_be_shared_with_a_group_its_school_is_not_in(world, devplan):
    other = factories.work_group(world.hub, "NCP24-99z", [world.school_a])
    factories.member(other, world.advocate, Role.ADVOCATE)
    with pytest.raises(services.DevPlanError):
        round_services.open_round(world.advocate, devplan, other, "Q?", date(2030, 1, 1))


def test_a_colleague_cannot_open_a_round(client, world, devplan):
    sign_in(client, world.colleague)
    assert client.get(f"/devplans/{devplan.id}/rounds/new").status_code == 403


def test_closing_the_round_hides_the_plan_from_the_group_again(client, world, devplan, open_round, reviewer):
    sign_in(client, world.advocate)
    client.post(f"/devplans/{devplan.id}/rounds/{open_round.id}/close")
    sign_in(client, reviewer)
    assert client.get(f"/devplans/{devplan.id}").status_code == 404


def test_only_the_department_closes_a_round(client, world, devplan, open_round, reviewer):
    sign_in(client, reviewer)
    assert client.post(f"/devplans/{devplan.id}/rounds/{open_round.id}/close").status_code == 403


def test_an_aim_links_evidence_from_the_groups_observation_visits(client, world, devplan):
    from collab.sessions.models import SessionKind

    visit = factories.session(world.group, SessionKind.OBSERVATION, title="Year 9 proportional reasoning")
    factories.session(world.group, SessionKind.PLANNING, title="Co-planning")
    sign_in(client, world.advocate)
    page = client.get(f"/devplans/{devplan.id}/evidence").get_data(as_text=True)
    assert "Year 9 proportional reasoning" in page and "Co-planning" not in page
    from collab.devplans.evidence.views import evidence_choices

    choice = next(value for value, _ in evidence_choices(devplan) if value.startswith("visit-summary|"))
    client.post(f"/devplans/{devplan.id}/evidence", data={"aim": "Aim 1", "evidence": choice})
    link = db.session.scalar(db.select(EvidenceLink))
    assert (link.aim, link.kind, link.url) == ("Aim 1", "visit-summary", f"/sessions/{visit.id}/visit")
    assert f'href="/sessions/{visit.id}/visit"' in client.get(f"/devplans/{devplan.id}").get_data(as_text=True)


def test_a_colleague_cannot_link_evidence(client, world, devplan):
    sign_in(client, world.colleague)
    assert client.post(f"/devplans/{devplan.id}/evidence", data={"evidence": "x"}).status_code == 403


def test_named_versions_keep_the_plan_as_it_was(client, world, devplan):
    from tests.devplans.helpers import write

    write(devplan, "Fluency in multiplicative reasoning")
    sign_in(client, world.advocate)
    client.post(f"/devplans/{devplan.id}/history", data={"name": "Before critique"})
    write(devplan, "CHANGED ")
    page = client.get(f"/devplans/{devplan.id}/history").get_data(as_text=True)
    assert "Before critique" in page
    from collab.devplans.models import DevPlanVersion
    version = db.session.scalar(db.select(DevPlanVersion))
    shown = client.get(f"/devplans/{devplan.id}/versions/{version.id}").get_data(as_text=True)
    assert "Fluency in multiplicative reasoning" in shown and "CHANGED" not in shown


def test_the_plans_list_shows_your_plan_and_plans_shared_with_your_groups(client, world, devplan, open_round,
                                                                         reviewer):
    sign_in(client, reviewer)
    page = client.get("/devplans").get_data(as_text=True)
    assert devplan.title in page and "due" in page
