"""The "exploring maths together" workspace in Chromium: two teachers draw on the shared whiteboard and each sees
the other's strokes, shapes and pointer; the board survives a reload; a shape drawn offline arrives once back online;
a snapshot goes into the session's record; axe finds no WCAG 2 A/AA violation on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import open_context, report, violations

pytestmark = pytest.mark.browser


@pytest.fixture
def setup(live_server):
    def build():
        from datetime import timedelta

        from collab.sessions.models import SessionKind
        from tests import factories

        world = factories.build_world()
        session = factories.session(world.group, kind=SessionKind.EXPLORING, starts_in=timedelta(days=2),
                                    title="Exploring maths together: ratio", attendees=[world.lead, world.advocate])
        return {"session_id": session.id, "lead": world.lead.email, "advocate": world.advocate.email,
                "lead_name": world.lead.name}

    return live_server.run(build)


def _drag(page, points):
    box = page.locator("#board svg").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=4)
    page.mouse.up()


def test_two_teachers_draw_on_the_board_and_see_each_other(live_server, browser, setup):
    path = f"/sessions/{setup['session_id']}/workspace"
    lead_context = open_context(browser, live_server, "desktop", setup["lead"])
    advocate_context = open_context(browser, live_server, "desktop", setup["advocate"])
    try:
        lead = lead_context.pages[0]
        advocate = advocate_context.pages[0]
        for page in (lead, advocate):
            page.goto(path)
            expect(page.locator("#save-state")).to_have_text("Saved")
            expect(page.locator("#workspace-editor")).to_contain_text("The task")

        # The lead draws a pen stroke; the advocate sees it.
        _drag(lead, [(60, 60), (120, 90), (180, 70), (240, 120)])
        expect(lead.locator("#board g[data-kind=stroke]")).to_have_count(1)
        expect(advocate.locator("#board g[data-kind=stroke]")).to_have_count(1)
        # ... and where the lead's pointer is, with the lead's name (presence, as the plans' carets).
        expect(advocate.locator("#board .board-cursor")).to_have_count(1)
        expect(advocate.locator("#presence")).to_contain_text(setup["lead_name"])

        # The advocate draws a rectangle and writes some working; the lead sees both.
        advocate.get_by_role("group", name="Tool").get_by_role("button", name="Rectangle").click()
        _drag(advocate, [(300, 200), (420, 280)])
        advocate.get_by_role("group", name="Tool").get_by_role("button", name="Text").click()
        advocate.locator("#board svg").click(position={"x": 320, "y": 330})
        advocate.get_by_label("Text to place on the board").fill("£4.20 ÷ 6 = £0.70")
        advocate.get_by_role("button", name="Place").click()
        expect(lead.locator("#board g[data-kind=rect]")).to_have_count(1)
        expect(lead.locator("#board g[data-kind=text]")).to_have_text("£4.20 ÷ 6 = £0.70")

        # The lead moves the rectangle; Undo takes back only the lead's own change.
        lead.get_by_role("group", name="Tool").get_by_role("button", name="Move").click()
        box = lead.locator("#board g[data-kind=rect] rect").first.bounding_box()
        start = lead.locator("#board svg").bounding_box()
        assert box is not None and start is not None
        x, y = box["x"] - start["x"] + 2, box["y"] - start["y"] + box["height"] / 2
        _drag(lead, [(x, y), (x + 100, y + 40)])
        moved = lead.locator("#board g[data-kind=rect]").get_attribute("transform")
        expect(advocate.locator("#board g[data-kind=rect]")).to_have_attribute("transform", moved or "")
        for page in (lead, advocate):
            expect(page.locator("#save-state")).to_have_text("Saved")

        # What was drawn is stored: a reload shows it.
        advocate.reload()
        expect(advocate.locator("#board g[data-kind=stroke]")).to_have_count(1)
        expect(advocate.locator("#board g[data-kind=rect]")).to_have_count(1)
        expect(advocate.locator("#board g[data-kind=text]")).to_have_count(1)
        expect(advocate.locator("#save-state")).to_have_text("Saved")

        # Drawn offline, it reaches the others once the connection is back.
        advocate_context.set_offline(True)
        advocate.get_by_role("group", name="Tool").get_by_role("button", name="Circle").click()
        _drag(advocate, [(600, 300), (700, 360)])
        expect(advocate.locator("#board g[data-kind=ellipse]")).to_have_count(1)
        expect(advocate.locator("#save-state")).not_to_have_text("Saved")
        advocate_context.set_offline(False)
        expect(lead.locator("#board g[data-kind=ellipse]")).to_have_count(1, timeout=30_000)
        expect(advocate.locator("#save-state")).to_have_text("Saved", timeout=30_000)

        found = violations(advocate)
        assert not found, f"axe-core found WCAG 2 A/AA violations:\n{report({'workspace': found})}"

        # A snapshot of the board goes into the session's record.
        lead.get_by_role("button", name="Save a snapshot").click()
        expect(lead.locator("#board-status")).to_have_text("Snapshot saved to the session’s record.")
        lead.goto(f"/sessions/{setup['session_id']}")
        link = lead.get_by_role("link", name="Board at")
        expect(link).to_have_count(1)
        image = lead.request.get(link.get_attribute("href") or "")
        assert image.ok and image.headers["content-type"] == "image/png" and len(image.body()) > 1000
    finally:
        lead_context.close()
        advocate_context.close()


def test_the_demo_board_in_progress_is_shown(live_server, new_page, artifact_path):
    from collab.demo.load import DEMO_PASSWORD, load_demo

    def demo_session_id():
        from collab.extensions import db
        from collab.sessions.models import GroupSession, SessionKind

        load_demo()
        return db.session.query(GroupSession).filter_by(kind=SessionKind.EXPLORING).one().id

    session_id = live_server.run(demo_session_id)
    page = new_page("jo@example.org", DEMO_PASSWORD)
    page.goto(f"/sessions/{session_id}/workspace")
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(page.locator("#workspace-editor")).to_contain_text("Which is the better buy")
    expect(page.locator("#workspace-editor .katex").first).to_be_visible()  # the task's formulas
    expect(page.locator("#board g[data-id]")).to_have_count(14)
    expect(page.locator("#board g[data-kind=text]").filter(has_text="4.20 ÷ 6 = 0.70")).to_have_count(1)
    expect(page.locator("#board g[data-kind=ellipse]")).to_have_count(1)
    page.screenshot(path=str(artifact_path("workspace-demo.png")), full_page=True)
