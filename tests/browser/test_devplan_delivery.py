"""Delivery of a development plan in a real browser: an advocate adds an aim, an action and a progress update
citing a visit with the plain forms; the Work Group's lead sees it in the side-by-side table; axe finds no
WCAG 2 A/AA violation on the pages, the table also on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import open_context, report, violations

pytestmark = pytest.mark.browser


def _build():
    from collab.devplans.plan.services import create_plan
    from tests import factories
    from tests.observations.helpers import make_visit

    world = factories.build_world()
    plan = create_plan(world.advocate, world.school_b.maths_department)
    visit = make_visit(world)
    return {"plan_id": plan.id, "group_id": world.group.id, "visit_id": visit.id, "advocate": world.advocate.email,
            "lead": world.lead.email, "colleague": world.colleague.name}


def test_an_advocate_records_delivery_and_the_lead_sees_it_side_by_side(live_server, browser):
    setup = live_server.run(_build)
    found: dict[str, list[dict]] = {}

    # contexts that bypass the Content-Security-Policy, so that axe can be injected (as test_accessibility does)
    advocate = open_context(browser, live_server, "desktop", setup["advocate"])
    page = advocate.new_page()
    page.goto(f"/devplans/{setup['plan_id']}/delivery")
    found["delivery, empty"] = violations(page)
    page.fill("#aim-text", "Every pupil in KS3 reasons multiplicatively")
    page.fill("#aim-success_criteria", "80% of Year 8 scale correctly")
    with page.expect_navigation():
        page.get_by_role("button", name="Add aim").click()
    aim = page.locator(".delivery-aim").first
    expect(aim).to_contain_text("Every pupil in KS3 reasons multiplicatively")

    aim.get_by_text("Add an action to aim 1").click()
    aim.get_by_label("Action", exact=True).fill("Co-plan the Year 8 ratio unit")
    aim.get_by_label("Owner").select_option(label=setup["colleague"])
    with page.expect_navigation():
        aim.get_by_role("button", name="Add action").click()
    expect(page.locator(".delivery-actions")).to_contain_text("Co-plan the Year 8 ratio unit")
    found["delivery, with an aim"] = violations(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Add a progress update").click()
    page.get_by_label("Half-term").select_option(index=0)
    page.get_by_label("Status").select_option(label="Some concerns")
    page.get_by_label("Commentary").fill("Year 8 sets are two lessons behind.")
    page.locator(f"input[value='visit:{setup['visit_id']}']").check()
    found["progress update"] = violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save progress update").click()
    progress = page.locator(".delivery-progress")
    expect(progress).to_contain_text("Some concerns")
    expect(progress.locator(f"a[href='/visits/{setup['visit_id']}']")).to_have_count(1)

    lead_context = open_context(browser, live_server, "desktop", setup["lead"])
    lead = lead_context.new_page()
    lead.goto(f"/groups/{setup['group_id']}/delivery")
    row = lead.locator("#group-delivery tr", has_text="Riverside School")
    expect(row).to_contain_text("0 of 1")
    expect(row).to_contain_text("Every pupil in KS3 reasons multiplicatively: Some concerns (Autumn 1)")
    found["side by side"] = violations(lead)
    lead.set_viewport_size({"width": 390, "height": 844})
    found["side by side, phone"] = violations(lead)
    advocate.close()
    lead_context.close()
    assert not {k: v for k, v in found.items() if v}, report(found)
