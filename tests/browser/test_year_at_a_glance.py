"""The Work Group's year in Chromium: the lead marks the register of a session held this morning, opens the
year at a glance and sees the attendance rate in its chart and table, downloads the attendance CSV holding the
marks, and axe finds no WCAG A/AA violation on the register or the year page, at laptop size and on a phone."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import VIEWPORTS, open_context, report, violations

pytestmark = pytest.mark.browser


@pytest.fixture
def setup(live_server):
    def build():
        from datetime import timedelta

        from collab.sessions.models import SessionKind
        from tests import factories

        world = factories.build_world()
        held = factories.session(world.group, SessionKind.PLANNING, timedelta(hours=-3), world.school_a,
                                 [world.lead, world.advocate, world.colleague], "Co-planning ratio tables")
        factories.session(world.group, SessionKind.TRANSITION, timedelta(days=10), world.primary,
                          [world.lead, world.advocate], "KS2–KS3 transition")
        return {"group_id": world.group.id, "session_id": held.id, "lead": world.lead.email,
                "advocate": world.advocate.name, "colleague": world.colleague.name, "lead_name": world.lead.name}

    return live_server.run(build)


def test_the_lead_marks_the_register_and_sees_it_in_the_year(live_server, new_page, setup, artifact_path):
    page = new_page(setup["lead"])
    page.goto(f"/sessions/{setup['session_id']}")
    register = page.locator("section", has=page.get_by_role("heading", name="Register"))
    register.get_by_role("group", name=re.compile(setup["lead_name"])).get_by_label("Present").check()
    register.get_by_role("group", name=re.compile(setup["advocate"])).get_by_label("Present").check()
    register.get_by_role("group", name=re.compile(setup["colleague"])).get_by_label("Apologies").check()
    register.get_by_role("button", name="Save the register").click()
    expect(page.get_by_role("status")).to_contain_text("Register saved: 2 present, 1 apologies, 0 absent.")
    expect(register.get_by_role("group", name=re.compile(setup["colleague"])).get_by_label("Apologies")).to_be_checked()

    page.get_by_role("link", name="The Work Group's year at a glance").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("The year at a glance")
    rates = page.get_by_role("table", name="Attendance by session")
    expect(rates.get_by_role("row", name=re.compile("Co-planning ratio tables"))).to_contain_text("66.7%")
    chart = page.get_by_role("img", name="Attendance rate by session")
    expect(chart).to_be_visible()
    expect(chart.locator("text").filter(has_text="66.7%")).to_have_count(1)
    page.screenshot(path=str(artifact_path("year-at-a-glance.png")), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Attendance by person (CSV)").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = {(r["Person"], r["Attendance"]) for r in csv.DictReader(io.StringIO(text))}
    assert rows == {(setup["lead_name"], "Present"), (setup["advocate"], "Present"),
                    (setup["colleague"], "Apologies")}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_register_and_the_year_have_no_wcag_a_or_aa_violations(live_server, browser, setup, viewport,
                                                                    artifact_path):
    context = open_context(browser, live_server, viewport, setup["lead"])
    page = context.new_page()
    found = {}
    try:
        page.goto(f"/sessions/{setup['session_id']}")
        expect(page.get_by_role("heading", name="Register")).to_be_visible()
        found["register"] = violations(page)
        page.get_by_role("button", name="Save the register").click()
        page.goto(f"/groups/{setup['group_id']}/year")
        expect(page.get_by_role("img", name="Sessions by kind: held and still to come")).to_be_visible()
        found["year"] = violations(page)
        page.screenshot(path=str(artifact_path(f"year-at-a-glance-{viewport}.png")), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[viewport]["width"], "the year page scrolls sideways"
    finally:
        context.close()
    found = {name: items for name, items in found.items() if items}
    assert not found, f"axe-core found WCAG 2 A/AA violations ({viewport}):\n{report(found)}"
