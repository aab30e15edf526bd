"""Hub administration: schools, people and roles, for that hub's administrators only."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from collab.accounts.models import User
from collab.extensions import db
from collab.groups.models import Phase, School
from tests import factories
from tests.conftest import sign_in

ADMIN_PAGES = ["/admin/", "/admin/schools", "/admin/schools/new", "/admin/people", "/admin/people/new",
               "/admin/groups"]


def _schools() -> int:
    return db.session.scalar(select(func.count()).select_from(School))


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_a_work_group_lead_gets_403_on_every_admin_page(client, world, login_as, page):
    login_as(world.lead)
    response = client.get(page)
    assert response.status_code == 403
    assert world.hub.name not in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_a_hub_admin_sees_every_admin_page(client, world, login_as, page):
    login_as(world.admin)
    assert client.get(page).status_code == 200


def test_the_admin_overview_names_the_hub(client, world, login_as):
    login_as(world.admin)
    assert world.hub.name in client.get("/admin/").get_data(as_text=True)


def test_an_admin_cannot_edit_a_school_of_another_hub(client, world, login_as):
    far = factories.school(world.other_hub, "Far Academy")
    login_as(world.admin)
    assert client.get(f"/admin/schools/{far.id}/edit").status_code == 404


def test_the_admin_adds_a_secondary_school_with_a_maths_department(client, world, login_as):
    login_as(world.admin)
    response = client.post("/admin/schools/new", data={"name": "Oakfield Academy", "urn": "137285",
                                                        "phase": "secondary", "town": "Leeds"})
    assert response.status_code == 302
    school = db.session.scalar(select(School).where(School.urn == "137285"))
    assert school.hub_id == world.hub.id and school.town == "Leeds"
    assert [d.name for d in school.departments] == ["Mathematics"]


def test_an_all_through_school_gets_a_maths_department(client, world, login_as):
    login_as(world.admin)
    client.post("/admin/schools/new", data={"name": "Brook All-through", "urn": "137286", "phase": "all-through"})
    school = db.session.scalar(select(School).where(School.urn == "137286"))
    assert school.maths_department is not None


def test_a_primary_school_gets_no_department(client, world, login_as):
    login_as(world.admin)
    client.post("/admin/schools/new", data={"name": "Willow Primary", "urn": "107001", "phase": "primary"})
    school = db.session.scalar(select(School).where(School.urn == "107001"))
    assert school.phase == Phase.PRIMARY and school.departments == []


@pytest.mark.parametrize("urn", ["12345", "1234567", "12345a", ""])
def test_a_urn_that_is_not_six_digits_is_refused(client, world, login_as, urn):
    login_as(world.admin)
    before = _schools()
    response = client.post("/admin/schools/new", data={"name": "Bad URN School", "urn": urn, "phase": "secondary"})
    assert response.status_code == 400
    assert _schools() == before


def test_a_urn_already_used_is_refused(client, world, login_as):
    login_as(world.admin)
    before = _schools()
    response = client.post("/admin/schools/new", data={"name": "Copy", "urn": world.school_a.urn,
                                                        "phase": "secondary"})
    assert response.status_code == 400
    assert "already belongs to Castle Hill Academy" in response.get_data(as_text=True)
    assert _schools() == before


def test_the_admin_edits_a_school(client, world, login_as):
    login_as(world.admin)
    response = client.post(f"/admin/schools/{world.primary.id}/edit", data={
        "name": "Meadow Primary Academy", "urn": world.primary.urn, "phase": "primary", "town": "York"})
    assert response.status_code == 302
    db.session.refresh(world.primary)
    assert world.primary.name == "Meadow Primary Academy" and world.primary.town == "York"


def test_editing_a_school_to_another_schools_urn_is_refused(client, world, login_as):
    login_as(world.admin)
    response = client.post(f"/admin/schools/{world.primary.id}/edit", data={
        "name": "Meadow", "urn": world.school_a.urn, "phase": "primary"})
    assert response.status_code == 400
    db.session.refresh(world.primary)
    assert world.primary.name == "Meadow Primary School"


def test_the_people_list_searches_by_name_or_email(client, world, login_as):
    login_as(world.admin)
    page = client.get("/admin/people?q=advocate").get_data(as_text=True)
    assert "Alex Advocate" in page
    assert "Sam Lead" not in page


def test_the_people_list_leaves_out_other_hubs(client, world, login_as):
    login_as(world.admin)
    assert "Oscar Admin" not in client.get("/admin/people").get_data(as_text=True)


def test_the_people_list_filters_by_school_and_state(client, world, login_as):
    factories.user("gone@example.org", "Gwen Gone", world.school_b, active=False)
    login_as(world.admin)
    page = client.get(f"/admin/people?school={world.school_b.id}&state=inactive").get_data(as_text=True)
    assert "Gwen Gone" in page
    assert "Alex Advocate" not in page


def test_the_admin_creates_a_person_without_a_password(client, world, login_as):
    login_as(world.admin)
    response = client.post("/admin/people/new", follow_redirects=True, data={
        "name": "Priya Patel", "email": "Priya@Castle.example", "school": world.school_a.id})
    assert "Forgotten your password?" in response.get_data(as_text=True)
    person = db.session.scalar(select(User).where(User.email == "priya@castle.example"))
    assert person.password_hash is None
    assert person.school_id == world.school_a.id and person.hub_id == world.hub.id
    assert person.department_id == world.school_a.maths_department.id
    assert not person.is_hub_admin


def test_a_person_with_an_email_already_used_is_refused(client, world, login_as):
    login_as(world.admin)
    response = client.post("/admin/people/new", data={"name": "Copy", "email": "LEAD@example.org", "school": 0})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(User).where(User.name == "Copy")) == 0


def test_deactivating_a_person_signs_them_out_everywhere(app, client, world, login_as):
    colleague_client = app.test_client()
    sign_in(colleague_client, world.colleague)
    assert colleague_client.get("/").status_code == 200
    login_as(world.admin)
    assert client.post(f"/admin/people/{world.colleague.id}/deactivate").status_code == 302
    response = colleague_client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_deactivated_person_is_marked_inactive_with_a_new_session_token(client, world, login_as):
    old_token = world.colleague.session_token
    login_as(world.admin)
    client.post(f"/admin/people/{world.colleague.id}/deactivate")
    db.session.refresh(world.colleague)
    assert not world.colleague.active
    assert world.colleague.session_token != old_token


def test_a_reactivated_person_is_active_again(client, world, login_as):
    world.colleague.active = False
    db.session.commit()
    login_as(world.admin)
    assert client.post(f"/admin/people/{world.colleague.id}/reactivate").status_code == 302
    db.session.refresh(world.colleague)
    assert world.colleague.active


def test_an_admin_cannot_deactivate_themselves(client, world, login_as):
    login_as(world.admin)
    response = client.post(f"/admin/people/{world.admin.id}/deactivate", follow_redirects=True)
    assert "deactivate your own account" in response.get_data(as_text=True)
    db.session.refresh(world.admin)
    assert world.admin.active


def test_an_admin_cannot_deactivate_someone_in_another_hub(client, world, login_as):
    login_as(world.other_admin)
    assert client.post(f"/admin/people/{world.colleague.id}/deactivate").status_code == 404
    db.session.refresh(world.colleague)
    assert world.colleague.active


def test_a_lead_cannot_deactivate_anyone(client, world, login_as):
    login_as(world.lead)
    assert client.post(f"/admin/people/{world.colleague.id}/deactivate").status_code == 403
    db.session.refresh(world.colleague)
    assert world.colleague.active


def test_the_admin_makes_someone_a_hub_admin_and_back(client, world, login_as):
    login_as(world.admin)
    client.post(f"/admin/people/{world.lead.id}/make-admin")
    db.session.refresh(world.lead)
    assert world.lead.is_hub_admin
    client.post(f"/admin/people/{world.lead.id}/remove-admin")
    db.session.refresh(world.lead)
    assert not world.lead.is_hub_admin


def test_an_admin_cannot_remove_their_own_admin_role(client, world, login_as):
    login_as(world.admin)
    client.post(f"/admin/people/{world.admin.id}/remove-admin")
    db.session.refresh(world.admin)
    assert world.admin.is_hub_admin


def test_the_admin_work_group_list_links_to_each_group(client, world, login_as):
    login_as(world.admin)
    page = client.get("/admin/groups").get_data(as_text=True)
    assert f'href="/groups/{world.group.id}"' in page


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_an_admin_form_without_its_csrf_token_changes_nothing(self, client, world, login_as):
        login_as(world.admin)
        response = client.post(f"/admin/people/{world.colleague.id}/deactivate")
        assert response.status_code == 400
        db.session.refresh(world.colleague)
        assert world.colleague.active

    def test_admin_forms_carry_a_csrf_token(self, client, world, login_as):
        login_as(world.admin)
        assert 'name="csrf_token"' in client.get("/admin/schools/new").get_data(as_text=True)
