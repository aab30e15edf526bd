"""The Delivery page and its forms, without JavaScript: adding an aim, an action, a PD session, a progress update."""

from __future__ import annotations

from collab.devplans.delivery import halfterms, services
from collab.devplans.delivery.models import PdSession, PlanAction, PlanAim, ProgressUpdate
from collab.extensions import db
from tests import factories
from tests.conftest import sign_in
from tests.devplans.delivery_helpers import aim_with_actions, visit_in_group, visit_in_other_group


def test_the_delivery_page_lists_aims_actions_and_progress(client, world, devplan):
    aim = aim_with_actions(world, devplan)
    services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "some-concerns", "Year 8 slipping")
    sign_in(client, world.colleague)
    page = client.get(f"/devplans/{devplan.id}/delivery").get_data(as_text=True)
    assert "Every pupil in KS3 reasons multiplicatively" in page
    assert "Action 1" in page and "Chris Colleague" in page
    assert "Autumn 1 2025/26" in page and "Some concerns" in page and "Year 8 slipping" in page


def test_an_advocate_adds_an_aim_with_the_form(client, world, devplan):
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/delivery/aims",
                           data={"aim-text": "Fluent ratio", "aim-success_criteria": "80%",
                                 "aim-evidence_of_need": "58% added"})
    aim = db.session.scalar(db.select(PlanAim))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#aim-{aim.id}")
    assert (aim.text, aim.success_criteria) == ("Fluent ratio", "80%")


def test_an_aim_too_long_is_shown_again_with_the_error(client, world, devplan):
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/delivery/aims", data={"aim-text": "x" * 301})
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(PlanAim)) is None


def test_an_action_is_added_to_an_aim_with_an_owner_and_a_due_date(client, world, devplan):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    sign_in(client, world.advocate)
    client.post(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/actions",
                data={f"aim{aim.id}-text": "Co-plan a unit", f"aim{aim.id}-owner_id": str(world.colleague.id),
                      f"aim{aim.id}-due_on": "2025-11-14"})
    action = db.session.scalar(db.select(PlanAction))
    assert (action.text, action.owner_id, action.due_on.isoformat()) == ("Co-plan a unit", world.colleague.id,
                                                                         "2025-11-14")


def test_an_owner_from_outside_the_department_is_refused(client, world, devplan):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/actions",
                           data={f"aim{aim.id}-text": "Co-plan", f"aim{aim.id}-owner_id": str(world.lead.id)})
    assert response.status_code == 400
    assert db.session.scalar(db.select(PlanAction)) is None


def test_an_action_is_marked_done(client, world, devplan):
    aim = aim_with_actions(world, devplan, done=0, not_done=1)
    sign_in(client, world.colleague)
    client.post(f"/devplans/{devplan.id}/delivery/actions/{aim.actions[0].id}/done", data={"done": "1"})
    assert db.session.scalar(db.select(PlanAction)).done is True


def test_a_pd_session_is_added_with_attendance(client, world, devplan):
    sign_in(client, world.advocate)
    client.post(f"/devplans/{devplan.id}/delivery/pd",
                data={"pd-title": "Double number lines", "pd-held_on": "2025-10-08",
                      "pd-led_by_id": str(world.advocate.id), "pd-materials": "https://example.org/slides",
                      "pd-attendees": [str(world.colleague.id)]})
    session = db.session.scalar(db.select(PdSession))
    assert [a.user_id for a in session.attendance] == [world.colleague.id]


def test_a_pd_session_with_a_bad_link_is_shown_again_with_the_error(client, world, devplan):
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/delivery/pd",
                           data={"pd-title": "Ratio", "pd-held_on": "2025-10-08", "pd-materials": "shared drive"})
    assert response.status_code == 400 and "Each material must be a link" in response.get_data(as_text=True)


def test_attendance_is_recorded_after_the_session(client, world, devplan):
    session = services.add_pd_session(world.advocate, devplan, "Ratio", halfterms_date(), None)
    sign_in(client, world.advocate)
    client.post(f"/devplans/{devplan.id}/delivery/pd/{session.id}/attendance",
                data={f"pd{session.id}-attendees": [str(world.advocate.id), str(world.colleague.id)]})
    assert len(db.session.get(PdSession, session.id).attendance) == 2


def halfterms_date():
    from datetime import date
    return date(2025, 10, 8)


def test_the_progress_form_offers_this_years_half_terms_and_readable_evidence(client, world, devplan):
    visit = visit_in_group(world)
    secret = visit_in_other_group(world)
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    sign_in(client, world.advocate)
    page = client.get(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/progress").get_data(as_text=True)
    assert "Autumn 1" in page and "Summer 2" in page
    assert f"visit:{visit.id}" in page and f"visit:{secret.id}" not in page


def test_a_progress_update_is_saved_with_its_evidence(client, world, devplan):
    visit = visit_in_group(world)
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    year, _ = halfterms.half_term_of(__import__("datetime").date.today())
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/progress",
                           data={"half_term": f"{year}-2", "status": "on-track", "commentary": "Going well",
                                 "evidence": [f"visit:{visit.id}"]})
    assert response.status_code == 302
    update = db.session.scalar(db.select(ProgressUpdate))
    assert (update.half_term, update.commentary, len(update.evidence)) == (2, "Going well", 1)


def test_evidence_the_user_may_not_read_is_refused(client, world, devplan):
    secret = visit_in_other_group(world)
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    year, _ = halfterms.half_term_of(__import__("datetime").date.today())
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/progress",
                           data={"half_term": f"{year}-1", "status": "on-track", "evidence": [f"visit:{secret.id}"]})
    assert response.status_code == 400
    assert db.session.scalar(db.select(ProgressUpdate)) is None


def test_too_much_evidence_is_shown_again_beside_the_evidence_with_the_commentary_kept(client, world, devplan):
    visits = [visit_in_group(world) for _ in range(services.MAX_LINKS + 1)]
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    year, _ = halfterms.half_term_of(__import__("datetime").date.today())
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/delivery/aims/{aim.id}/progress",
                           data={"half_term": f"{year}-1", "status": "on-track", "commentary": "Year 8 on track",
                                 "evidence": [f"visit:{v.id}" for v in visits]})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Year 8 on track" in page  # what was typed is still there
    evidence = page[page.index('id="evidence"'):]
    assert f"Choose at most {services.MAX_LINKS} pieces of evidence." in evidence[:evidence.index("</fieldset>")]
    assert db.session.scalar(db.select(ProgressUpdate)) is None


def test_evidence_is_a_link_only_for_readers_who_may_open_it(client, world, devplan):
    visit = visit_in_group(world)
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track", "", [f"visit:{visit.id}"])
    newcomer = factories.user("new@example.org", "Nia Newcomer", world.school_b)  # not in the Work Group
    sign_in(client, newcomer)
    page = client.get(f"/devplans/{devplan.id}/delivery").get_data(as_text=True)
    assert f"/visits/{visit.id}" not in page and "Evidence you cannot open" in page
    sign_in(client, world.colleague)
    assert f"/visits/{visit.id}" in client.get(f"/devplans/{devplan.id}/delivery").get_data(as_text=True)
