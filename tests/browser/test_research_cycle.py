"""A research cycle end to end in Chromium: the lead starts a cycle, writes in its study document, links the
plan and the research lesson, revises the plan after the discussion (the agreed actions beside the editor) and
sees what changed in the compare view."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def setup(live_server):
    def build():
        import uuid
        from datetime import timedelta

        from collab.discussions import action_services
        from collab.discussions import services as discussions
        from collab.plans.services import create_plan
        from tests import factories

        world = factories.build_world()
        plan = create_plan(world.lead, world.group, "Year 8 ratio: sharing in a ratio", year_group="Year 8",
                           key_stage="KS3", topic="Ratio")
        lesson = factories.session(world.group, starts_in=timedelta(days=-7), title="Year 8 research lesson",
                                   attendees=[world.lead, world.advocate])
        discussions.create_post(world.advocate, lesson, str(uuid.uuid4()), "change",
                                "Start from the bar model next time.")
        action_services.create_action(world.lead, lesson, str(uuid.uuid4()),
                                      "Add a bar model before the double number line", world.advocate.id, "")
        return {"group_id": world.group.id, "plan_id": plan.id, "plan_title": plan.title, "lesson_id": lesson.id,
                "lead": world.lead.email, "lead_name": world.lead.name}

    return live_server.run(build)


def test_the_lead_runs_a_cycle_and_compares_the_revised_plan(live_server, new_page, setup, artifact_path):
    page = new_page(setup["lead"])

    # Start a cycle from the Work Group's list of cycles.
    page.goto(f"/groups/{setup['group_id']}/cycles")
    page.get_by_role("link", name="Start a research cycle").click()
    page.get_by_label("Title").fill("Year 8 ratio: the double number line")
    page.get_by_label("Research question").fill("Does the double number line help pupils scale?")
    page.get_by_role("button", name="Start the cycle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Year 8 ratio: the double number line")
    expect(page.locator("#next-step-action")).to_have_text("Write the study document")

    # The study document is co-edited live: type under "The maths".
    page.locator("#next-step-action").click()
    expect(page.locator("#save-state")).to_have_text("Saved")
    page.locator("#study-editor .ProseMirror p").first.click()
    page.keyboard.type("Ratio is multiplicative: the same multiplier for both quantities.")
    expect(page.locator("#save-state")).to_have_text("Saved")
    page.get_by_role("link", name="Research cycle: Year 8 ratio: the double number line").click()
    expect(page.locator("#stage-study")).to_contain_text(f"Written by {setup['lead_name']}")
    expect(page.locator("#next-step-action")).to_have_text("Link the research lesson plan")

    # Link the plan and the lesson that was taught (and discussed) from it.
    page.get_by_label("Research lesson plan").select_option(label=setup["plan_title"])
    page.get_by_role("button", name="Link the plan").click()
    expect(page.locator("#stage-plan")).to_contain_text(f"“{setup['plan_title']}” linked by {setup['lead_name']}")
    page.locator("#session_id").select_option(value=str(setup["lesson_id"]))
    page.get_by_role("button", name="Add to the cycle").click()
    expect(page.locator("#stage-discussion")).to_contain_text("1 agreed action (0 done)")
    expect(page.locator("#next-step-action")).to_have_text("Revise the plan")
    stages = page.locator("ol.cycle-timeline > li")
    expect(stages).to_have_count(6)
    expect(page.locator('ol.cycle-timeline > li[aria-current="step"]')).to_have_id("stage-revised-plan")

    # Revise: version 2 opens with the discussion's agreed actions beside the editor.
    page.locator("#next-step-action").click()
    expect(page.get_by_label("After the post-lesson discussion of")).to_have_value(str(setup["lesson_id"]))
    page.get_by_role("button", name="Make the revised plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{setup['plan_title']} (version 2)")
    expect(page.locator("#save-state")).to_have_text("Saved")
    action = page.get_by_role("checkbox", name="Add a bar model before the double number line")
    expect(action).to_have_attribute("aria-checked", "false")

    # Act on it in the plan: a new line under the anchor task, then tick the action.
    anchor = page.locator(".ProseMirror h2", has_text="Anchor task")
    anchor.locator("xpath=following-sibling::p[1]").click()
    page.keyboard.type("Draw the bar model first: 3 pencils cost £1.20.")
    expect(page.locator("#save-state")).to_have_text("Saved")
    action.click()
    expect(page.get_by_role("checkbox", name="Add a bar model before the double number line")) \
        .to_have_attribute("aria-checked", "true")
    page.screenshot(path=str(artifact_path("cycle-revised-plan.png")), full_page=True)

    # The compare view shows what changed, section by section.
    page.locator("#compare-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed")
    changed = page.locator("section.compare-changed")
    expect(changed).to_have_count(1)
    expect(changed.get_by_role("heading")).to_contain_text("Anchor task")
    expect(changed.locator("ins")).to_have_text("Draw the bar model first: 3 pencils cost £1.20.")
    page.screenshot(path=str(artifact_path("cycle-compare.png")), full_page=True)

    # Back on the cycle, the revised plan is its stage and the next step is to teach it again.
    page.goto(f"/groups/{setup['group_id']}/cycles")
    page.get_by_role("link", name="Year 8 ratio: the double number line").click()
    expect(page.locator("#stage-revised-plan")).to_contain_text("(version 2)” written by")
    expect(page.locator("#next-step-action")).to_have_text("Schedule the revised lesson")
    page.screenshot(path=str(artifact_path("cycle-page.png")), full_page=True)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_cycle_pages_have_no_wcag_a_or_aa_violations(live_server, browser, viewport):
    from tests.browser.test_accessibility import open_context, report, violations

    def build():
        import uuid
        from datetime import timedelta

        from collab.cycles import revisions, services
        from collab.cycles.models import SessionPurpose
        from collab.discussions import action_services
        from collab.plans.services import create_plan
        from tests import factories

        world = factories.build_world()
        services.set_theme(world.lead, world.group, "Multiplicative reasoning", "How do pupils see scaling?")
        cycle = services.create_cycle(world.lead, world.group, "Year 8 ratio", "Does the double number line help?")
        plan = create_plan(world.lead, world.group, "Year 8 ratio: sharing in a ratio")
        lesson = factories.session(world.group, starts_in=timedelta(days=-7), title="Year 8 research lesson")
        services.link_plan(world.lead, cycle, plan)
        services.link_session(world.lead, cycle, lesson, SessionPurpose.RESEARCH)
        action_services.create_action(world.lead, lesson, str(uuid.uuid4()), "Bar model first", world.advocate.id,
                                      "")
        revised = revisions.revise_plan(world.lead, plan, lesson)
        group = world.group.id
        return [f"/groups/{group}/cycles", f"/groups/{group}", f"/cycles/{cycle.id}", f"/cycles/{cycle.id}/study",
                f"/cycles/{cycle.id}/edit", f"/groups/{group}/research-theme", f"/plans/{revised.id}/revise",
                f"/plans/{revised.id}", f"/plans/{revised.id}/compare", f"/sessions/{lesson.id}"], world.lead.email

    paths, lead = live_server.run(build)
    context = open_context(browser, live_server, viewport, lead)
    try:
        page = context.pages[0]
        found = {}
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.ok, path
            if "/study" in path or path.startswith("/plans/") and path.count("/") == 2:
                expect(page.locator("#save-state")).to_have_text("Saved")
            found[path] = violations(page)
        assert not any(found.values()), report({k: v for k, v in found.items() if v})
    finally:
        context.close()
