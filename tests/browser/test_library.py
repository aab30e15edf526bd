"""Shared outcomes in Chromium: the lead publishes a finished research cycle to the hub's library; the lead of
another Work Group of the hub finds it (in the library and through the header's search) and copies its plan."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def setup(live_server):
    def build():
        from tests import factories
        from tests.library.helpers import finished_cycle, others

        world = factories.build_world()
        cycle, revised = finished_cycle(world)
        other = others(world)
        return {"cycle_id": cycle.id, "cycle_title": cycle.title, "lead": world.lead.email,
                "other_lead": other.lead.email, "other_group": f"{other.group.project_code} · {other.group.title}",
                "plan_title": revised.title}

    return live_server.run(build)


def test_a_published_cycle_is_found_and_copied_by_another_groups_lead(live_server, new_page, setup):
    page = new_page(setup["lead"])
    page.goto(f"/cycles/{setup['cycle_id']}")
    page.get_by_role("link", name="Publish to the hub's library").click()
    page.get_by_label("What the Work Group learned").fill("Starting from the bar model helped pupils scale.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(setup["cycle_title"])
    expect(page.locator(".flash-success")).to_contain_text("Published to the hub's library")

    other = new_page(setup["other_lead"])
    other.goto("/")
    other.get_by_role("link", name="Library").click()
    other.get_by_role("link", name=setup["cycle_title"]).click()
    expect(other.locator("#learned-heading + p")).to_have_text("Starting from the bar model helped pupils scale.")
    expect(other.locator(".plan-body")).to_contain_text("Additive reasoning")

    # The header's search finds it too, the match highlighted.
    other.get_by_label("Search what you can read").fill("bar model")
    other.get_by_label("Search what you can read").press("Enter")
    result = other.locator(".search-result").filter(has_text=setup["cycle_title"])
    expect(result.locator("mark").first).to_have_text("bar", ignore_case=True)
    result.get_by_role("link", name=setup["cycle_title"]).click()

    other.get_by_label("Copy into", exact=True).select_option(label=setup["other_group"])
    other.get_by_role("button", name="Copy the plan").click()
    expect(other.get_by_role("heading", level=1)).to_contain_text(setup["plan_title"])
    expect(other.locator(".flash-success")).to_contain_text("is now a plan of")
