"""Creating and editing a Work Group."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from collab.activity.models import Activity
from collab.extensions import db
from collab.groups.forms import valid_school_year
from collab.groups.models import JourneyPhase, Role, WorkGroup
from collab.timeutil import school_year


def _count_groups() -> int:
    return db.session.scalar(select(func.count()).select_from(WorkGroup))


def _new_group_data(world, **overrides) -> dict:
    data = {
        "project_code": "NCP25-03a",
        "title": "Multiplicative reasoning in KS3",
        "focus": "Focus A: Developing mathematical thinking",
        "focus_other": "",
        "journey_phase": "development",
        "school_year": "2025/26",
        "description": "",
        "schools": [str(world.school_a.id), str(world.primary.id)],
        "lead": str(world.lead.id),
    }
    data.update(overrides)
    return data


def test_a_hub_admin_creates_a_work_group_with_schools_and_a_lead(client, world, login_as):
    login_as(world.admin)
    response = client.post("/groups/new", data=_new_group_data(world))
    assert response.status_code == 302
    group = db.session.scalar(select(WorkGroup).where(WorkGroup.project_code == "NCP25-03a"))
    assert group.hub_id == world.hub.id
    assert group.journey_phase == JourneyPhase.DEVELOPMENT
    assert {s.id for s in group.schools} == {world.school_a.id, world.primary.id}
    assert [(m.user_id, m.role) for m in group.memberships] == [(world.lead.id, Role.LEAD)]


def test_creating_a_work_group_is_recorded_as_activity(client, world, login_as):
    login_as(world.admin)
    client.post("/groups/new", data=_new_group_data(world))
    assert db.session.scalar(select(Activity).where(Activity.summary.like("%created Work Group NCP25-03a%")))


def test_a_free_text_focus_is_kept(client, world, login_as):
    login_as(world.admin)
    client.post("/groups/new", data=_new_group_data(world, focus="other", focus_other="Reasoning about fractions"))
    group = db.session.scalar(select(WorkGroup).where(WorkGroup.project_code == "NCP25-03a"))
    assert group.focus == "Reasoning about fractions"


def test_the_new_group_form_defaults_to_the_current_school_year(client, world, login_as):
    login_as(world.admin)
    page = client.get("/groups/new").get_data(as_text=True)
    assert f'value="{school_year(date.today())}"' in page


def test_an_invalid_project_code_shows_an_error_and_creates_nothing(client, world, login_as):
    login_as(world.admin)
    before = _count_groups()
    response = client.post("/groups/new", data=_new_group_data(world, project_code="NCP 24/14b"))
    assert response.status_code == 400
    assert "letters, digits and hyphens" in response.get_data(as_text=True)
    assert _count_groups() == before


def test_a_school_year_that_is_not_two_consecutive_years_is_refused(client, world, login_as):
    login_as(world.admin)
    before = _count_groups()
    response = client.post("/groups/new", data=_new_group_data(world, school_year="2024/26"))
    assert response.status_code == 400
    assert "like 2024/25" in response.get_data(as_text=True)
    assert _count_groups() == before


def test_school_years_are_checked_for_format_and_succession():
    assert valid_school_year("2024/25")
    assert valid_school_year("2099/00")
    assert not valid_school_year("2024-25")
    assert not valid_school_year("2024/2025")
    assert not valid_school_year("2025/25")


def test_a_duplicate_project_code_in_the_same_year_is_refused(client, world, login_as):
    login_as(world.admin)
    before = _count_groups()
    response = client.post("/groups/new", data=_new_group_data(world, project_code="ncp24-14b",
                                                               school_year="2024/25"))
    assert response.status_code == 400
    assert "already a Work Group" in response.get_data(as_text=True)
    assert _count_groups() == before


def test_a_school_from_another_hub_cannot_be_chosen(client, world, login_as):
    from tests import factories
    elsewhere = factories.school(world.other_hub, "Far Away Academy")
    login_as(world.admin)
    response = client.post("/groups/new", data=_new_group_data(world, schools=[str(elsewhere.id)]))
    assert response.status_code == 400
    assert _count_groups() == 1


def test_an_advocate_may_not_create_a_work_group(client, world, login_as):
    login_as(world.advocate)
    assert client.post("/groups/new", data=_new_group_data(world)).status_code == 403
    assert _count_groups() == 1


def test_a_work_group_lead_may_start_another_work_group(client, world, login_as):
    login_as(world.lead)
    assert client.post("/groups/new", data=_new_group_data(world)).status_code == 302
    assert _count_groups() == 2


def test_the_lead_edits_the_group(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/edit", data={
        "project_code": "NCP24-14b", "title": "Fluency and ratio",
        "focus": "Focus D: Bespoke teaching for mastery focus",
        "journey_phase": "embedding", "school_year": "2024/25", "description": "Meets each half term."})
    assert response.status_code == 302
    db.session.refresh(world.group)
    assert world.group.title == "Fluency and ratio"
    assert world.group.journey_phase == JourneyPhase.EMBEDDING


def test_the_edit_form_shows_the_current_values(client, world, login_as):
    login_as(world.admin)
    page = client.get(f"/groups/{world.group.id}/edit").get_data(as_text=True)
    assert 'value="NCP24-14b"' in page
    assert '<option selected value="sustaining">' in page


def test_an_advocate_may_not_edit_the_group(client, world, login_as):
    login_as(world.advocate)
    response = client.post(f"/groups/{world.group.id}/edit", data={
        "project_code": "HACKED", "title": "x", "focus": "Focus A: Developing mathematical thinking",
        "journey_phase": "embedding", "school_year": "2024/25"})
    assert response.status_code == 403
    db.session.refresh(world.group)
    assert world.group.project_code == "NCP24-14b"


def test_an_advocate_gets_403_on_the_edit_page(client, world, login_as):
    login_as(world.advocate)
    assert client.get(f"/groups/{world.group.id}/edit").status_code == 403


def test_an_invalid_school_year_on_edit_changes_nothing(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/edit", data={
        "project_code": "NCP24-14b", "title": "Renamed", "focus": "Focus A: Developing mathematical thinking",
        "journey_phase": "embedding", "school_year": "24/25"})
    assert response.status_code == 400
    db.session.refresh(world.group)
    assert world.group.title == "Developing fluency" and world.group.school_year == "2024/25"


def test_other_focus_needs_a_description(client, world, login_as):
    login_as(world.admin)
    response = client.post("/groups/new", data=_new_group_data(world, focus="other", focus_other=""))
    assert response.status_code == 400
    assert "Describe the focus" in response.get_data(as_text=True)
    assert _count_groups() == 1
