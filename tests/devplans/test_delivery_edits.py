"""Changing and removing saved delivery rows without JavaScript: aims, actions, PD sessions, progress updates;
removal asks first; the progress form starts from the aim's latest update."""

from __future__ import annotations

from datetime import date

import pytest

from collab.devplans.delivery import edits, services
from collab.devplans.delivery.models import PdSession, PlanAction, PlanAim, ProgressUpdate
from collab.devplans.plan.services import DevPlanError
from collab.extensions import db
from tests import factories
from tests.conftest import sign_in
from tests.devplans.delivery_helpers import aim_with_actions, visit_in_group, visit_in_other_group


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


# --- editing -------------------------------------------------------------------------------------------------

def test_the_aim_edit_page_is_filled_in_with_what_was_saved(client, world, devplan):
    aim = aim_with_actions(world, devplan)
    sign_in(client, world.advocate)
    page = client.get(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/edit").get_data(as_text=True)
    assert 'value="Every pupil in KS3 reasons multiplicatively"' in page
    assert "80% scale correctly" in page and "Year 7 baseline: 58% added" in page


def test_an_aim_is_changed_after_saving(client, world, devplan):
    aim = aim_with_actions(world, devplan)
    sign_in(client, world.colleague)
    response = client.post(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/edit",
                           data={"text": "Fluent ratio", "success_criteria": "85% scale correctly",
                                 "evidence_of_need": "Baseline 58%"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#aim-{aim.id}")
    aim = db.session.get(PlanAim, aim.id)
    assert (aim.text, aim.success_criteria, aim.evidence_of_need) == ("Fluent ratio", "85% scale correctly",
                                                                      "Baseline 58%")
    assert len(aim.actions) == 2  # its actions stay


def test_an_aim_cannot_be_emptied(client, world, devplan):
    aim = aim_with_actions(world, devplan)
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/edit", data={"text": "  "})
    assert response.status_code == 400 and "There is a problem" in response.get_data(as_text=True)
    assert db.session.get(PlanAim, aim.id).text == "Every pupil in KS3 reasons multiplicatively"


def test_an_actions_text_owner_and_date_are_changed(client, world, devplan):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    action = services.add_action(world.advocate, devplan, aim, "Co-plan a unit", world.colleague.id, None)
    sign_in(client, world.advocate)
    page = client.get(f"/devplans/{devplan.id}/delivery/actions/{action.id}/edit").get_data(as_text=True)
    assert 'value="Co-plan a unit"' in page
    assert f'<option selected value="{world.colleague.id}">' in page
    client.post(f"/devplans/{devplan.id}/delivery/actions/{action.id}/edit",
                data={"text": "Co-plan the ratio unit", "owner_id": str(world.advocate.id), "due_on": "2026-02-13"})
    action = db.session.get(PlanAction, action.id)
    assert (action.text, action.owner_id, action.due_on) == ("Co-plan the ratio unit", world.advocate.id,
                                                             date(2026, 2, 13))


def test_an_action_cannot_be_given_to_someone_outside_the_department(client, world, devplan):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    action = services.add_action(world.advocate, devplan, aim, "Co-plan", world.colleague.id, None)
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/delivery/actions/{action.id}/edit",
                           data={"text": "Co-plan", "owner_id": str(world.lead.id)})
    assert response.status_code == 400
    assert db.session.get(PlanAction, action.id).owner_id == world.colleague.id


def test_a_pd_session_is_changed_with_its_attendance(client, world, devplan):
    session = services.add_pd_session(world.advocate, devplan, "Ratio", date(2025, 10, 8), world.advocate.id,
                                      "https://example.org/a", [world.advocate.id])
    sign_in(client, world.advocate)
    page = client.get(f"/devplans/{devplan.id}/delivery/pd/{session.id}/edit").get_data(as_text=True)
    assert 'value="Ratio"' in page and 'value="2025-10-08"' in page and "https://example.org/a" in page
    response = client.post(f"/devplans/{devplan.id}/delivery/pd/{session.id}/edit",
                           data={"title": "Double number lines", "held_on": "2025-10-15",
                                 "led_by_id": str(world.advocate.id),
                                 "materials": "https://example.org/a\nhttps://example.org/b",
                                 "attendees": [str(world.advocate.id), str(world.colleague.id)]})
    assert response.status_code == 302
    session = db.session.get(PdSession, session.id)
    assert (session.title, session.held_on) == ("Double number lines", date(2025, 10, 15))
    assert session.material_links == ["https://example.org/a", "https://example.org/b"]
    assert sorted(a.user_id for a in session.attendance) == sorted([world.advocate.id, world.colleague.id])


def test_a_pd_session_with_a_bad_link_is_shown_again_and_not_saved(client, world, devplan):
    session = services.add_pd_session(world.advocate, devplan, "Ratio", date(2025, 10, 8), None)
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/delivery/pd/{session.id}/edit",
                           data={"title": "Renamed", "held_on": "2025-10-08", "materials": "the shared drive"})
    assert response.status_code == 400 and "Each material must be a link" in response.get_data(as_text=True)
    assert db.session.get(PdSession, session.id).title == "Ratio"


def test_a_progress_update_is_changed_on_its_own_page(client, world, devplan):
    visit = visit_in_group(world)
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    update = services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track", "Fine")
    sign_in(client, world.colleague)
    page = client.get(f"/devplans/{devplan.id}/delivery/progress/{update.id}/edit").get_data(as_text=True)
    assert '<option selected value="2025/26-1">' in page and "Fine" in page
    response = client.post(f"/devplans/{devplan.id}/delivery/progress/{update.id}/edit",
                           data={"half_term": "2025/26-1", "status": "some-concerns",
                                 "commentary": "Year 8 slipping", "evidence": [f"visit:{visit.id}"]})
    assert response.status_code == 302
    update = db.session.get(ProgressUpdate, update.id)
    assert (update.status.value, update.commentary, update.author_id) == ("some-concerns", "Year 8 slipping",
                                                                           world.colleague.id)
    assert [(e.target_kind, e.target_id) for e in update.evidence] == [("visit", visit.id)]


def test_a_progress_update_cannot_be_moved_onto_another_half_terms(client, world, devplan):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track", "Autumn 1")
    later = services.record_progress(world.advocate, devplan, aim, "2025/26", 2, "off-track", "Autumn 2")
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/delivery/progress/{later.id}/edit",
                           data={"half_term": "2025/26-1", "status": "off-track", "commentary": "Autumn 2"})
    assert response.status_code == 400 and "already has an update" in response.get_data(as_text=True)
    assert sorted(u.commentary for u in db.session.scalars(db.select(ProgressUpdate))) == ["Autumn 1", "Autumn 2"]


def test_editing_keeps_evidence_the_editor_cannot_open(world, devplan):
    secret = visit_in_other_group(world)  # Olga Lead of the other group is in Castle Hill, not the department
    insider = factories.user("insider@example.org", "Ivy Insider", world.school_b)
    from collab.groups.models import Role
    factories.member(secret.session.work_group, insider, Role.ADVOCATE)
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    update = services.record_progress(insider, devplan, aim, "2025/26", 1, "on-track", "", [f"visit:{secret.id}"])
    edits.update_progress(world.colleague, devplan, update, "2025/26", 1, "done", "Met")
    assert [(e.target_kind, e.target_id) for e in db.session.get(ProgressUpdate, update.id).evidence] == [
        ("visit", secret.id)]


def test_someone_outside_the_department_may_not_change_an_aim(world, devplan, reviewer):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    with pytest.raises(DevPlanError) as error:
        edits.update_aim(reviewer, devplan, aim, "Changed")
    assert error.value.code == "forbidden"


# --- removing, after a confirm step ---------------------------------------------------------------------------

def test_the_delivery_page_links_each_row_to_its_edit_and_remove_pages(client, world, devplan):
    aim = aim_with_actions(world, devplan, done=0, not_done=1)
    update = services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track")
    session = services.add_pd_session(world.advocate, devplan, "Ratio", date(2025, 10, 8), None)
    sign_in(client, world.colleague)
    page = client.get(f"/devplans/{devplan.id}/delivery").get_data(as_text=True)
    base = f"/devplans/{devplan.id}/delivery"
    for path in (f"aims/{aim.id}", f"actions/{aim.actions[0].id}", f"pd/{session.id}", f"progress/{update.id}"):
        assert f'href="{base}/{path}/edit"' in page and f'href="{base}/{path}/delete"' in page, path


@pytest.mark.parametrize("kind", ["aim", "action", "pd", "progress"])
def test_remove_first_asks_and_removes_nothing(client, world, devplan, kind):
    aim = aim_with_actions(world, devplan, done=0, not_done=1)
    update = services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track")
    session = services.add_pd_session(world.advocate, devplan, "Ratio", date(2025, 10, 8), None)
    path = {"aim": f"aims/{aim.id}", "action": f"actions/{aim.actions[0].id}", "pd": f"pd/{session.id}",
            "progress": f"progress/{update.id}"}[kind]
    sign_in(client, world.advocate)
    response = client.get(f"/devplans/{devplan.id}/delivery/{path}/delete")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>Remove the" in page and "cannot be undone" in page
    assert 'method="post"' in page and "Cancel, keep it" in page
    assert (_count(PlanAim), _count(PlanAction), _count(PdSession), _count(ProgressUpdate)) == (1, 1, 1, 1)


def test_the_aims_confirm_page_says_what_goes_with_it(client, world, devplan):
    aim = aim_with_actions(world, devplan)
    services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track")
    sign_in(client, world.advocate)
    page = client.get(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/delete").get_data(as_text=True)
    assert "Its 2 action(s) and 1 progress update(s) are removed with it." in page


def test_confirming_removes_the_aim_with_its_actions_and_updates(client, world, devplan):
    aim = aim_with_actions(world, devplan)
    services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track")
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/delete")
    assert response.status_code == 302
    assert (_count(PlanAim), _count(PlanAction), _count(ProgressUpdate)) == (0, 0, 0)


def test_confirming_removes_an_action_and_only_it(client, world, devplan):
    aim = aim_with_actions(world, devplan)
    first, second = aim.actions
    sign_in(client, world.colleague)
    client.post(f"/devplans/{devplan.id}/delivery/actions/{first.id}/delete")
    assert [a.id for a in db.session.scalars(db.select(PlanAction))] == [second.id]
    assert "Action 0" not in client.get(f"/devplans/{devplan.id}/delivery").get_data(as_text=True)


def test_confirming_removes_a_pd_session_with_its_attendance(client, world, devplan):
    session = services.add_pd_session(world.advocate, devplan, "Ratio", date(2025, 10, 8), None, "",
                                      [world.colleague.id])
    sign_in(client, world.advocate)
    client.post(f"/devplans/{devplan.id}/delivery/pd/{session.id}/delete")
    assert _count(PdSession) == 0
    assert db.session.scalar(db.text("SELECT count(*) FROM pd_attendance")) == 0


def test_confirming_removes_a_progress_update_and_the_aim_shows_the_one_before(client, world, devplan):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track", "Autumn 1")
    later = services.record_progress(world.advocate, devplan, aim, "2025/26", 2, "off-track", "Autumn 2")
    sign_in(client, world.advocate)
    client.post(f"/devplans/{devplan.id}/delivery/progress/{later.id}/delete")
    assert db.session.get(PlanAim, aim.id).latest_update.commentary == "Autumn 1"


# --- the progress form starts from the latest update ----------------------------------------------------------

def test_the_progress_form_is_prefilled_with_the_aims_latest_update(client, world, devplan):
    visit = visit_in_group(world)
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    services.record_progress(world.advocate, devplan, aim, "2024/25", 6, "on-track", "Last year")
    services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "some-concerns", "Year 8 slipping",
                             [f"visit:{visit.id}"])
    sign_in(client, world.colleague)
    page = client.get(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/progress").get_data(as_text=True)
    assert '<option selected value="some-concerns">' in page
    assert "Year 8 slipping</textarea>" in page and "Last year" not in page
    assert f'<input checked id="evidence-0" name="evidence" type="checkbox" value="visit:{visit.id}">' in page
    assert "Filled in from the latest update (Autumn 1 2025/26, Some concerns)" in page


def test_the_progress_form_is_empty_for_an_aim_without_updates(client, world, devplan):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    sign_in(client, world.advocate)
    page = client.get(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/progress").get_data(as_text=True)
    assert "Filled in from the latest update" not in page and "<option selected value=\"on-track\">" not in page


def test_prefilled_evidence_leaves_out_what_the_colleague_may_not_open(client, world, devplan):
    secret = visit_in_other_group(world)
    insider = factories.user("insider@example.org", "Ivy Insider", world.school_b)
    from collab.groups.models import Role
    factories.member(secret.session.work_group, insider, Role.ADVOCATE)
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    services.record_progress(insider, devplan, aim, "2025/26", 1, "on-track", "Seen", [f"visit:{secret.id}"])
    sign_in(client, world.colleague)
    page = client.get(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/progress").get_data(as_text=True)
    assert f"visit:{secret.id}" not in page and "Secret visit" not in page
