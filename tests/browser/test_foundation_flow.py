"""A Work Group lead's first morning, end to end in Chromium: create a Work Group, invite a colleague,
the colleague accepts in their own browser, the lead schedules a visit, and both dashboards show it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from collab.demo.load import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.browser


def test_lead_creates_group_invites_and_schedules_a_visit_seen_on_both_dashboards(
        live_server, browser, new_page, artifact_path):
    live_server.run(load_demo)
    lead = new_page("lead@example.org", DEMO_PASSWORD)

    # Create a Work Group
    lead.goto("/groups/new")
    lead.fill("#project_code", "NCP25-07a")
    lead.fill("#title", "Developing mathematical thinking in Year 7")
    lead.select_option("#focus", index=0)
    lead.select_option("#journey_phase", "development")
    lead.select_option("#schools", label="Riverside School (Secondary)")
    assert lead.locator("#lead option:checked").inner_text().startswith("Sam Patel")  # themselves by default
    with lead.expect_navigation():
        lead.get_by_role("button", name=re.compile("Create")).click()
    assert "NCP25-07a" in lead.locator("h1").inner_text()
    group_path = re.search(r"/groups/\d+", lead.url).group(0)

    # Invite a colleague; in development the link is shown to the inviter
    lead.goto(f"{group_path}/invite")
    lead.fill("#email", "new.teacher@example.org")
    lead.select_option("#role", "advocate")
    with lead.expect_navigation():
        lead.get_by_role("button", name="Send invitation").click()
    flash = lead.locator(".flash-success").inner_text()
    invitation_path = re.search(r"/invitations/[\w-]+", flash).group(0)

    # The colleague accepts in a browser of their own
    colleague_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    colleague = colleague_context.new_page()
    colleague.goto(invitation_path)
    assert "NCP25-07a" in colleague.locator("main").inner_text()
    colleague.fill("#name", "Nadia Teacher")
    colleague.fill("#password", "a long new password")
    colleague.fill("#confirm", "a long new password")
    with colleague.expect_navigation():
        colleague.locator("main form button[type=submit]").click()
    assert "NCP25-07a" in colleague.locator("main").inner_text()

    # The lead schedules a lesson observation visit
    visit_day = date.today() + timedelta(days=9)
    lead.goto(f"{group_path}/sessions/new")
    lead.select_option("#kind", "observation")
    lead.fill("#title", "Year 7 research lesson: visit to Riverside")
    lead.select_option("#host_school_id", label="Riverside School")
    lead.fill("#day", visit_day.isoformat())
    lead.fill("#start_time", "09:00")
    lead.fill("#end_time", "11:30")
    lead.fill("#place", "Maths block, room M4")
    with lead.expect_navigation():
        lead.locator("main form button[type=submit]").last.click()
    assert "Year 7 research lesson" in lead.locator("h1").inner_text()

    # Both dashboards show the visit
    for page in (lead, colleague):
        page.goto("/")
        assert "Year 7 research lesson: visit to Riverside" in page.locator("main").inner_text()
    colleague.screenshot(path=str(artifact_path("dashboard-new-member.png")), full_page=True)
    lead.screenshot(path=str(artifact_path("dashboard-lead.png")), full_page=True)
    colleague_context.close()
