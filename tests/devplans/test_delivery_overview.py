"""The lead's side-by-side view: each department's aims, actions done of total, latest status, last update."""

from __future__ import annotations

from collab.devplans.delivery import services
from collab.devplans.delivery.overview import group_delivery
from collab.devplans.plan import services as plan_services
from collab.groups.models import Role
from tests import factories
from tests.conftest import sign_in
from tests.devplans.delivery_helpers import aim_with_actions


def _row(rows, school):
    return next(r for r in rows if r.school == school)


def test_each_departments_figures_side_by_side(world, devplan):
    first = aim_with_actions(world, devplan, done=2, not_done=1)
    second = aim_with_actions(world, devplan, "A department that plans together", done=0, not_done=2)
    services.record_progress(world.advocate, devplan, first, "2025/26", 1, "on-track")
    services.record_progress(world.advocate, devplan, first, "2025/26", 2, "some-concerns")
    row = _row(group_delivery(world.group), world.school_b)
    assert (len(row.aims), row.actions_done, row.actions_total) == (2, 2, 5)
    assert [(a.aim.id, a.latest.status.label if a.latest else None) for a in row.aims] == [
        (first.id, "Some concerns"), (second.id, None)]
    assert row.last_update == max(u.updated_at for u in first.updates)


def test_a_school_without_a_plan_is_listed_without_figures(world, devplan):
    row = _row(group_delivery(world.group), world.school_a)
    assert row.plan is None and row.aims == []


def test_plans_of_schools_in_other_work_groups_are_not_listed(world, devplan):
    other_group = factories.work_group(world.hub, "NCP24-77x", [world.school_a])
    assert [r.school for r in group_delivery(other_group)] == [world.school_a]


def test_the_lead_sees_the_figures_in_a_table(client, world, devplan):
    aim = aim_with_actions(world, devplan, done=1, not_done=1)
    services.record_progress(world.advocate, devplan, aim, "2025/26", 2, "off-track")
    castle_hill_advocate = factories.user("ch@example.org", "Cara Hill", world.school_a)
    factories.member(world.group, castle_hill_advocate, Role.ADVOCATE)
    plan_services.create_plan(castle_hill_advocate, world.school_a.maths_department)
    sign_in(client, world.lead)
    page = client.get(f"/groups/{world.group.id}/delivery").get_data(as_text=True)
    assert "Riverside School" in page and "Castle Hill Academy" in page
    assert "1 of 2" in page and "Off track" in page and "(Autumn 2)" in page


def test_the_work_group_page_links_its_lead_to_the_side_by_side_view(client, world):
    sign_in(client, world.lead)
    assert f"/groups/{world.group.id}/delivery" in client.get(f"/groups/{world.group.id}").get_data(as_text=True)
    sign_in(client, world.advocate)
    assert f"/groups/{world.group.id}/delivery" not in client.get(f"/groups/{world.group.id}").get_data(as_text=True)
