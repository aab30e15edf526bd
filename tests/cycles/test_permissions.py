"""Who may see and change cycles: members see them; the lead changes them; everyone else gets 404."""

from __future__ import annotations

import pytest

from collab.cycles.permissions import can_edit_study, can_manage_cycle, can_read_cycle, can_revise_plan
from collab.cycles.study import ROOM_KIND
from collab.extensions import db
from collab.plans.models import PlanReadOnly
from collab.realtime.rooms import resolve_room


def _urls(cycle, plan) -> list[str]:
    return [f"/groups/{cycle.work_group_id}/cycles", f"/groups/{cycle.work_group_id}/cycles/new",
            f"/groups/{cycle.work_group_id}/research-theme", f"/cycles/{cycle.id}", f"/cycles/{cycle.id}/edit",
            f"/cycles/{cycle.id}/study", f"/plans/{plan.id}/revise", f"/plans/{plan.id}/compare"]


@pytest.mark.parametrize("who", ["outsider", "admin", "other_admin"])
def test_people_outside_the_work_group_get_404_everywhere(client, world, linked, plan, login_as, who):
    login_as(getattr(world, who))
    for url in _urls(linked, plan):
        assert client.get(url).status_code == 404, url
    for url in [f"/cycles/{linked.id}/plan", f"/cycles/{linked.id}/plan/new", f"/cycles/{linked.id}/sessions",
                f"/plans/{plan.id}/revise", f"/groups/{linked.work_group_id}/cycles/new"]:
        assert client.post(url, data={}).status_code == 404, url


def test_the_group_page_shows_no_cycles_to_a_hub_admin_who_is_not_a_member(client, world, cycle, login_as):
    login_as(world.admin)
    html = client.get(f"/groups/{world.group.id}").text
    assert "<h2>Research cycles</h2>" not in html and f'href="/groups/{world.group.id}/cycles"' not in html


def test_members_who_are_not_the_lead_get_403_on_changes(client, world, cycle, plan, login_as):
    login_as(world.advocate)
    assert client.get(f"/groups/{world.group.id}/cycles/new").status_code == 403
    assert client.get(f"/groups/{world.group.id}/research-theme").status_code == 403
    assert client.get(f"/cycles/{cycle.id}/edit").status_code == 403
    assert client.post(f"/cycles/{cycle.id}/plan", data={"plan_id": plan.id}).status_code == 403
    assert client.post(f"/cycles/{cycle.id}/plan/new").status_code == 403
    assert cycle.research_plan_id is None


def test_signed_out_people_are_sent_to_sign_in(client, cycle):
    assert client.get(f"/cycles/{cycle.id}").status_code == 302


def test_the_permission_functions(world, cycle, plan):
    assert can_read_cycle(world.colleague, cycle) and not can_read_cycle(world.admin, cycle)
    assert can_manage_cycle(world.lead, cycle) and not can_manage_cycle(world.advocate, cycle)
    assert can_edit_study(world.colleague, cycle) and not can_edit_study(world.outsider, cycle)
    assert can_revise_plan(world.advocate, plan)


def test_a_read_only_member_may_not_revise_the_plan(client, world, plan, login_as):
    db.session.add(PlanReadOnly(plan_id=plan.id, user_id=world.colleague.id))
    db.session.commit()
    assert not can_revise_plan(world.colleague, plan)
    login_as(world.colleague)
    assert client.get(f"/plans/{plan.id}/revise").status_code == 403
    assert "Revise this plan" not in client.get(f"/plans/{plan.id}").text


def test_the_study_room_is_for_members_only(world, cycle):
    room = f"{ROOM_KIND}:{cycle.study.id}"
    assert resolve_room(world.advocate, room).access == "edit"
    assert resolve_room(world.outsider, room) is None
    assert resolve_room(world.admin, room) is None


def test_cycle_pages_are_never_kept_by_a_browser_or_proxy(client, world, linked, plan, login_as):
    from collab.cycles import revisions

    revised = revisions.revise_plan(world.lead, plan, None)
    login_as(world.lead)
    for url in [f"/cycles/{linked.id}", f"/cycles/{linked.id}/study", f"/plans/{revised.id}/compare",
                f"/groups/{world.group.id}/cycles"]:
        assert client.get(url).headers["Cache-Control"] == "no-store", url
