"""Who sees and changes a plan's delivery: readers of the plan read, the department writes, 404 outside."""

from __future__ import annotations

import pytest

from collab.devplans.delivery import services
from tests.conftest import sign_in

WRITES = [
    ("post", "/devplans/{plan}/delivery/aims", {"aim-text": "Reasoning"}),
    ("post", "/devplans/{plan}/delivery/aims/{aim}/actions", {"aim{aim}-text": "Co-plan"}),
    ("post", "/devplans/{plan}/delivery/aims/{aim}/delete", {}),
    ("post", "/devplans/{plan}/delivery/pd", {"pd-title": "Ratio", "pd-held_on": "2025-10-08"}),
    ("get", "/devplans/{plan}/delivery/aims/{aim}/progress", {}),
    ("post", "/devplans/{plan}/delivery/aims/{aim}/progress", {"status": "on-track"}),
]


def _url(template: str, plan, aim) -> str:
    return template.format(plan=plan.id, aim=aim.id)


@pytest.mark.parametrize("who", ["outsider", "lead", "admin"])
def test_the_delivery_page_is_404_outside_the_department_without_an_open_round(client, world, devplan, who):
    sign_in(client, getattr(world, who))
    assert client.get(f"/devplans/{devplan.id}/delivery").status_code == 404


@pytest.mark.parametrize(("method", "url", "data"), WRITES)
def test_every_write_is_404_to_an_outsider(client, world, devplan, method, url, data):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    sign_in(client, world.outsider)
    data = {k.format(aim=aim.id): v for k, v in data.items()}
    assert getattr(client, method)(_url(url, devplan, aim), data=data).status_code == 404


def test_a_reviewer_in_an_open_round_reads_the_delivery_page(client, world, devplan, open_round, reviewer):
    services.add_aim(world.advocate, devplan, "Reasoning")
    sign_in(client, reviewer)
    page = client.get(f"/devplans/{devplan.id}/delivery").get_data(as_text=True)
    assert "Reasoning" in page and "Add an aim" not in page


@pytest.mark.parametrize(("method", "url", "data"), WRITES)
def test_a_reviewer_may_not_write(client, world, devplan, open_round, reviewer, method, url, data):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    sign_in(client, reviewer)
    data = {k.format(aim=aim.id): v for k, v in data.items()}
    assert getattr(client, method)(_url(url, devplan, aim), data=data).status_code == 403


def test_a_reviewer_is_404_once_the_round_closes(client, world, devplan, closed_round, reviewer):
    sign_in(client, reviewer)
    assert client.get(f"/devplans/{devplan.id}/delivery").status_code == 404


def test_an_aim_of_another_plan_is_404(client, world, devplan):
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    sign_in(client, world.advocate)
    assert client.get(f"/devplans/{devplan.id + 1}/delivery/aims/{aim.id}/progress").status_code == 404


def test_the_side_by_side_view_is_for_the_work_groups_lead_only(client, world, devplan):
    for who, status in (("lead", 200), ("advocate", 404), ("outsider", 404), ("admin", 404)):
        sign_in(client, getattr(world, who))
        assert client.get(f"/groups/{world.group.id}/delivery").status_code == status, who
