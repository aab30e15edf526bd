"""Ticking the agreed actions beside a revised plan in Chromium: saved without reloading the page, so the
editor, what was typed and the keyboard focus stay where they are."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ACTION = "Add a bar model before the double number line"


@pytest.fixture
def revised(live_server):
    def build():
        import uuid
        from datetime import timedelta

        from collab.cycles import services as cycles
        from collab.cycles.models import SessionPurpose
        from collab.cycles.revisions import revise_plan
        from collab.discussions import action_services
        from collab.plans.services import create_plan
        from tests import factories

        world = factories.build_world()
        plan = create_plan(world.lead, world.group, "Year 8 ratio: sharing in a ratio")
        lesson = factories.session(world.group, starts_in=timedelta(days=-7), title="Year 8 research lesson",
                                   attendees=[world.lead, world.advocate])
        action, _ = action_services.create_action(world.lead, lesson, str(uuid.uuid4()), ACTION,
                                                  world.advocate.id, "")
        cycle = cycles.create_cycle(world.lead, world.group, "Year 8 ratio", "Does the double number line help?")
        cycles.link_plan(world.lead, cycle, plan)
        cycles.link_session(world.lead, cycle, lesson, SessionPurpose.RESEARCH)
        return {"plan_id": revise_plan(world.lead, plan, lesson).id, "action_id": action.id,
                "lead": world.lead.email}

    return live_server.run(build)


def _done(live_server, action_id: int) -> bool:
    def read():
        from collab.discussions.models import AgreedAction
        from collab.extensions import db

        return db.session.get(AgreedAction, action_id).done

    return live_server.run(read)


def test_ticking_an_action_saves_it_without_reloading_the_page(live_server, new_page, revised, artifact_path):
    page = new_page(revised["lead"])
    page.goto(f"/plans/{revised['plan_id']}")
    expect(page.locator("#save-state")).to_have_text("Saved")
    anchor = page.locator(".ProseMirror h2", has_text="Anchor task")
    anchor.locator("xpath=following-sibling::p[1]").click()
    page.keyboard.type("Draw the bar model first.")
    page.evaluate("window.notReloaded = true")

    action = page.get_by_role("checkbox", name=ACTION)
    action.focus()
    page.keyboard.press("Space")
    expect(action).to_have_attribute("aria-checked", "true")
    expect(page.locator("#action-checklist-status")).to_have_text(f"Marked done: {ACTION}")
    expect(page.locator(f"#agreed-action-{revised['action_id']}")).to_have_class("action-done")
    assert _done(live_server, revised["action_id"]) is True
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.getAttribute('role')") == "checkbox"  # focus stayed on it
    expect(page.locator(".ProseMirror")).to_contain_text("Draw the bar model first.")
    page.screenshot(path=str(artifact_path("revised-plan-action-ticked.png")), full_page=True)

    page.keyboard.press("Space")  # and untick, still in place
    expect(action).to_have_attribute("aria-checked", "false")
    expect(page.locator("#action-checklist-status")).to_have_text(f"Marked not done: {ACTION}")
    assert _done(live_server, revised["action_id"]) is False
    assert page.evaluate("window.notReloaded") is True
