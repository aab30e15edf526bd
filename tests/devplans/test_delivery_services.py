"""Delivery services: aims, actions, the PD programme and half-termly progress, and who may write them."""

from __future__ import annotations

from datetime import date

import pytest

from collab.devplans.delivery import halfterms, services
from collab.devplans.delivery.evidence import evidence_choices
from collab.devplans.delivery.models import PlanAim, ProgressStatus, ProgressUpdate
from collab.devplans.plan.services import DevPlanError
from collab.extensions import db
from tests import factories
from tests.devplans.delivery_helpers import aim_with_actions, thread_in_group, visit_in_group, visit_in_other_group


def test_an_advocate_adds_an_aim_with_its_success_criteria_and_evidence_of_need(world, devplan):
    aim = services.add_aim(world.advocate, devplan, " Fluent ratio ", "80% scale", "58% added")
    assert (aim.text, aim.success_criteria, aim.evidence_of_need) == ("Fluent ratio", "80% scale", "58% added")


def test_a_department_colleague_may_add_an_aim(world, devplan):
    assert services.add_aim(world.colleague, devplan, "Reasoning").plan_id == devplan.id


def test_someone_outside_the_department_may_not_add_an_aim(world, devplan, reviewer):
    with pytest.raises(DevPlanError) as error:
        services.add_aim(reviewer, devplan, "Reasoning")
    assert error.value.code == "forbidden"


@pytest.mark.parametrize("text", ["", "   ", "x" * 301])
def test_an_aim_needs_text_of_at_most_300_characters(world, devplan, text):
    with pytest.raises(DevPlanError):
        services.add_aim(world.advocate, devplan, text)


def test_an_actions_owner_must_be_from_the_department(world, devplan):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    with pytest.raises(DevPlanError):
        services.add_action(world.advocate, devplan, aim, "Co-plan a unit", world.lead.id, None)


def test_an_action_has_an_owner_a_due_date_and_can_be_done(world, devplan):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    action = services.add_action(world.advocate, devplan, aim, "Co-plan a unit", world.colleague.id,
                                 date(2025, 11, 14))
    services.set_action_done(world.colleague, devplan, action, True)
    assert (action.owner, action.due_on, action.done) == (world.colleague, date(2025, 11, 14), True)


def test_a_pd_session_is_led_by_an_advocate_with_attendance_and_links(world, devplan):
    session = services.add_pd_session(world.advocate, devplan, "Double number lines", date(2025, 10, 8),
                                      world.advocate.id, "https://example.org/slides\n\n/library/3",
                                      [world.colleague.id, world.advocate.id])
    assert session.led_by == world.advocate
    assert session.material_links == ["https://example.org/slides", "/library/3"]
    assert sorted(a.user_id for a in session.attendance) == sorted([world.colleague.id, world.advocate.id])


def test_a_department_colleague_cannot_lead_a_pd_session(world, devplan):
    with pytest.raises(DevPlanError):
        services.add_pd_session(world.advocate, devplan, "Ratio", date(2025, 10, 8), world.colleague.id)


@pytest.mark.parametrize("materials", ["javascript:alert(1)", "//evil.example/x", "see the shared drive"])
def test_materials_must_be_links(world, devplan, materials):
    with pytest.raises(DevPlanError):
        services.add_pd_session(world.advocate, devplan, "Ratio", date(2025, 10, 8), None, materials)


def test_attendance_is_only_people_from_the_department(world, devplan):
    session = services.add_pd_session(world.advocate, devplan, "Ratio", date(2025, 10, 8), None)
    with pytest.raises(DevPlanError):
        services.set_attendance(world.advocate, devplan, session, [world.lead.id])


def test_attendance_can_be_changed(world, devplan):
    session = services.add_pd_session(world.advocate, devplan, "Ratio", date(2025, 10, 8), None, "",
                                      [world.colleague.id])
    services.set_attendance(world.advocate, devplan, session, [world.advocate.id])
    assert [a.user_id for a in session.attendance] == [world.advocate.id]


def test_a_second_update_for_the_same_half_term_replaces_the_first(world, devplan):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track", "Started")
    services.record_progress(world.colleague, devplan, aim, "2025/26", 1, "some-concerns", "Slipping")
    updates = db.session.scalars(db.select(ProgressUpdate)).all()
    assert [(u.status, u.commentary, u.author) for u in updates] == [
        (ProgressStatus.SOME_CONCERNS, "Slipping", world.colleague)]


def test_the_latest_update_is_the_latest_half_term(world, devplan):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    services.record_progress(world.advocate, devplan, aim, "2025/26", 2, "off-track")
    services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track")
    assert db.session.get(PlanAim, aim.id).latest_update.half_term == 2


def test_an_unknown_status_is_refused(world, devplan):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    with pytest.raises(DevPlanError):
        services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "fine")


def test_evidence_is_stored_as_link_targets_of_visits_and_discussions(world, devplan):
    visit = visit_in_group(world)
    thread = thread_in_group(world)
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    update = services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track", "",
                                      [f"visit:{visit.id}", f"discussion:{thread.id}"])
    assert [(e.target_kind, e.target_id) for e in update.evidence] == [("visit", visit.id),
                                                                        ("discussion", thread.id)]


def test_evidence_from_a_work_group_the_actor_is_not_in_is_refused(world, devplan):
    secret = visit_in_other_group(world)
    assert f"visit:{secret.id}" not in dict(evidence_choices(world.advocate, devplan))
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    with pytest.raises(DevPlanError):
        services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track", "",
                                 [f"visit:{secret.id}"])


def test_a_department_colleague_outside_the_work_group_is_offered_no_evidence(world, devplan):
    visit_in_group(world)
    newcomer = factories.user("new@example.org", "Nia Newcomer", world.school_b)
    assert evidence_choices(newcomer, devplan) == []


def test_deleting_an_aim_deletes_its_actions_and_updates(world, devplan):
    aim = aim_with_actions(world, devplan)
    services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track")
    services.delete_aim(world.advocate, devplan, aim)
    assert db.session.scalars(db.select(ProgressUpdate)).all() == []


@pytest.mark.parametrize(("day", "expected"), [
    (date(2025, 9, 10), ("2025/26", 1)), (date(2025, 11, 10), ("2025/26", 2)), (date(2025, 12, 29), ("2025/26", 2)),
    (date(2026, 1, 2), ("2025/26", 2)), (date(2026, 1, 12), ("2025/26", 3)), (date(2026, 3, 2), ("2025/26", 4)),
    (date(2026, 4, 20), ("2025/26", 5)), (date(2026, 6, 15), ("2025/26", 6)), (date(2025, 9, 1), ("2024/25", 6)),
])
def test_the_half_term_of_a_day(day, expected):
    assert halfterms.half_term_of(day) == expected
