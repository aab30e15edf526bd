"""Changing and removing delivery rows in a real browser: an advocate corrects an aim, removes an action after
the confirm page (and first changes their mind), and finds the progress form filled in from the last update;
axe finds no WCAG 2 A/AA violation on the edit, confirm and prefilled pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import open_context, report, violations

pytestmark = pytest.mark.browser


def _build():
    from collab.devplans.delivery import services
    from collab.devplans.plan.services import create_plan
    from tests import factories

    world = factories.build_world()
    plan = create_plan(world.advocate, world.school_b.maths_department)
    aim = services.add_aim(world.advocate, plan, "Every pupil in KS3 reasons multiplicativly", "80% scale")
    services.add_action(world.advocate, plan, aim, "Co-plan the Year 8 ratio unit", world.colleague.id, None)
    services.add_action(world.advocate, plan, aim, "Reuse four baseline items", world.colleague.id, None)
    services.record_progress(world.advocate, plan, aim, "2025/26", 1, "some-concerns", "Year 8 two lessons behind")
    return {"plan_id": plan.id, "advocate": world.advocate.email}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_an_advocate_corrects_an_aim_removes_an_action_and_starts_from_the_last_update(live_server, browser,
                                                                                        viewport):
    setup = live_server.run(_build)
    found: dict[str, list[dict]] = {}
    context = open_context(browser, live_server, viewport, setup["advocate"])
    page = context.new_page()
    page.goto(f"/devplans/{setup['plan_id']}/delivery")

    with page.expect_navigation():
        page.get_by_role("link", name="Edit aim 1").click()
    expect(page.get_by_label("Aim")).to_have_value("Every pupil in KS3 reasons multiplicativly")
    found["edit aim"] = violations(page)
    page.get_by_label("Aim").fill("Every pupil in KS3 reasons multiplicatively")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator(".delivery-aim h3")).to_have_text("Aim 1: Every pupil in KS3 reasons multiplicatively")

    remove = page.get_by_role("link", name="Remove the action: Reuse four baseline items")
    with page.expect_navigation():
        remove.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove the action “Reuse four baseline items”?")
    found["confirm removal"] = violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Cancel, keep it").click()
    expect(page.locator(".delivery-actions")).to_contain_text("Reuse four baseline items")
    with page.expect_navigation():
        remove.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Remove the action").click()
    expect(page.locator(".delivery-actions")).not_to_contain_text("Reuse four baseline items")
    expect(page.locator(".delivery-actions")).to_contain_text("Co-plan the Year 8 ratio unit")

    with page.expect_navigation():
        page.get_by_role("link", name="Add a progress update").click()
    expect(page.get_by_label("Status")).to_have_value("some-concerns")
    expect(page.get_by_label("Commentary")).to_have_value("Year 8 two lessons behind")
    expect(page.locator("#progress-prefilled")).to_contain_text("Autumn 1 2025/26, Some concerns")
    found["progress, prefilled"] = violations(page)
    context.close()
    assert not {k: v for k, v in found.items() if v}, report(found)
