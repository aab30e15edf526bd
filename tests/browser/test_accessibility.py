"""axe-core (pinned in package.json, loaded from node_modules; no CDN) finds no WCAG 2 A/AA violation on the
main pages, at laptop size and on a phone. A failure lists each violation's rule, help text and the nodes to fix."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PROJECT_ROOT

pytestmark = pytest.mark.browser

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORTS = {"desktop": {"width": 1200, "height": 900}, "phone": {"width": 390, "height": 844}}
# Nodes left out of the check, each with the reason (third-party markup we cannot change).
EXCLUDE: list[str] = []

# axe leaves these as "needs review" (incomplete) rather than violations, but on our pages a hit is always a fault:
# an aria-label on a plain span, or aria-describedby naming an element that is not there.
STRICT_INCOMPLETE = ["aria-prohibited-attr", "aria-valid-attr-value"]

RUN_AXE = """async ([tags, exclude, strict]) => {
  const result = await axe.run({ include: [document], exclude: exclude.map((s) => [s]) },
                               { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] })
  const faults = result.violations.concat(result.incomplete.filter((v) => strict.includes(v.id)))
  return faults.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ') + ' :: ' + n.failureSummary.replace(/\\s+/g, ' ')),
  }))
}"""


def build_pages(live_server) -> dict:
    """Every page the test visits, with the person who visits it."""

    def build():
        from datetime import date

        from collab.devplans.plan import services as devplan_services
        from collab.devplans.rounds import services as round_services
        from collab.plans.services import create_plan
        from tests import factories
        from tests.devplans.helpers import write
        from tests.observations.helpers import add_note, make_visit, record_for

        world = factories.build_world()
        visit = make_visit(world)
        add_note(record_for(visit, world.advocate), "Pupil A halves first", pupil="Pupil A")
        plan = create_plan(world.lead, world.group, "Year 8 ratio: sharing in a ratio", year_group="Year 8",
                           key_stage="KS3", topic="Ratio")
        devplan = devplan_services.create_plan(world.advocate, world.school_b.maths_department)
        write(devplan, "Raise attainment in ratio.")
        round_ = round_services.open_round(world.advocate, devplan, world.group, "Are our aims measurable?",
                                           date(2030, 1, 31))
        lead, advocate, admin = world.lead.email, world.advocate.email, world.admin.email
        return {
            "dashboard": (lead, "/"),
            "work group": (lead, f"/groups/{world.group.id}"),
            "calendar": (lead, "/calendar"),
            "session": (lead, f"/sessions/{visit.session_id}"),
            "plan editor": (lead, f"/plans/{plan.id}"),
            "plan history": (lead, f"/plans/{plan.id}/history"),
            "observation record": (advocate, f"/records/{record_for(visit, world.advocate).id}"),
            "visit room": (lead, f"/visits/{visit.id}"),
            "visit summary": (lead, f"/visits/{visit.id}/summary"),
            "discussion": (lead, f"/sessions/{visit.session_id}/discussion"),
            "development plan": (advocate, f"/devplans/{devplan.id}"),
            "critique round": (advocate, f"/devplans/{devplan.id}/rounds/{round_.id}"),
            "notifications": (lead, "/notifications"),  # the critique round shared with the group: unread ones
            "admin people": (admin, "/admin/people"),
            "admin schools": (admin, "/admin/schools"),
            # The forms and lists around them.
            "forgotten password": (None, "/password/forgot"),
            "profile": (lead, "/profile"),
            "work group members": (lead, f"/groups/{world.group.id}/members"),
            "new session": (lead, f"/groups/{world.group.id}/sessions/new"),
            "group plans": (lead, f"/groups/{world.group.id}/plans"),
            "visit set-up": (lead, f"/sessions/{visit.session_id}/visit"),
            "checklists": (lead, f"/groups/{world.group.id}/checklists"),
            "development plans": (advocate, "/devplans"),
            "development plan history": (advocate, f"/devplans/{devplan.id}/history"),
            "development plan evidence": (advocate, f"/devplans/{devplan.id}/evidence"),
            "admin overview": (admin, "/admin/"),
            "admin work groups": (admin, "/admin/groups"),
            "admin new person": (admin, "/admin/people/new"),
        }

    return live_server.run(build)


def violations(page) -> list[dict]:
    """axe-core's faults on the page as a person sees it (axe is in every page of the context: open_context).
    It waits for the page's load event first: the DOM can be complete while its stylesheet is still arriving,
    and axe would then measure the unstyled page (every menu link a 17 px tall touch target)."""
    page.wait_for_load_state("load")
    return page.evaluate(RUN_AXE, [WCAG_TAGS, EXCLUDE, STRICT_INCOMPLETE])


def report(found: dict[str, list[dict]]) -> str:
    lines = []
    for name, items in found.items():
        for v in items:
            lines.append(f"[{name}] {v['id']} ({v['impact']}): {v['help']}")
            lines.extend(f"    {node}" for node in v["nodes"][:8])
            if len(v["nodes"]) > 8:
                lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def open_context(browser, live_server, viewport: str, email: str | None = None):
    """A context at the viewport, signed in as email through the /login form when given, with axe-core in each
    of its pages: given once as an init script (sending it to each page with add_script_tag took ~0.2 s a page,
    as long as checking it). bypass_csp lets it run: the app's Content-Security-Policy allows only its own
    scripts."""
    from tests import factories

    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS[viewport], locale="en-GB",
                                  timezone_id="Europe/London", bypass_csp=True)
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(AXE))
    if email:
        page = context.new_page()
        page.goto("/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", factories.PASSWORD)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        assert "/login" not in page.url, f"could not sign in as {email}"
    return context


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_main_pages_have_no_wcag_a_or_aa_violations(live_server, browser, viewport):
    pages = build_pages(live_server)
    found: dict[str, list[dict]] = {}
    contexts = {None: open_context(browser, live_server, viewport)}
    try:
        contexts[None].new_page().goto("/login")
        found["sign-in"] = violations(contexts[None].pages[0])
        for name, (email, path) in pages.items():
            if email not in contexts:
                contexts[email] = open_context(browser, live_server, viewport, email)
            page = contexts[email].pages[0]
            response = page.goto(path)
            assert response is not None and response.ok, f"{name}: {path} answered {response and response.status}"
            if page.locator("#save-state").count():  # the live editors: wait until the document has loaded
                expect(page.locator("#save-state")).to_have_text("Saved")
            found[name] = violations(page)
    finally:
        for context in contexts.values():
            context.close()

    found = {name: items for name, items in found.items() if items}
    assert not found, f"axe-core found WCAG 2 A/AA violations ({viewport}):\n{report(found)}"


def build_lesson(live_server) -> dict:
    """A visit with notes in two records and a discussion with a reply: the pages with content in them."""

    def build():
        import uuid

        from collab.discussions.services import create_post
        from tests import factories
        from tests.observations.helpers import add_note, make_visit, rate, record_for

        world = factories.build_world()
        visit = make_visit(world)
        mine, theirs = record_for(visit, world.advocate), record_for(visit, world.colleague)
        add_note(mine, "Pupil A halves first", big_idea="Representation and structure", pupil="Pupil A")
        add_note(theirs, "Bar model for 3 : 5 on the board", at=1_700_000_060_000)
        rate(mine, "Representation and structure", "seen", "Bar model drawn unprompted")
        post, _ = create_post(world.lead, visit.session, str(uuid.uuid4()), "noticed", "Pupils **halved** first.")
        create_post(world.advocate, visit.session, str(uuid.uuid4()), "noticed", "Agreed.", parent_id=post.id)
        return {"visit_id": visit.id, "session_id": visit.session_id, "record_id": mine.id,
                "lead": world.lead.email, "advocate": world.advocate.email}

    return live_server.run(build)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_lesson_in_progress_and_its_discussion_have_no_wcag_a_or_aa_violations(live_server, browser, viewport):
    s = build_lesson(live_server)
    found: dict[str, list[dict]] = {}
    lead_context = open_context(browser, live_server, viewport, s["lead"])
    advocate_context = open_context(browser, live_server, viewport, s["advocate"])
    try:
        lead, advocate = lead_context.pages[0], advocate_context.pages[0]
        lead.goto(f"/visits/{s['visit_id']}")
        with lead.expect_navigation():  # the form posts, and the room comes back with the lesson started
            lead.click("button[value=start]")
        expect(lead.locator("#timeline .obs-note-text")).to_have_count(2)
        found["visit room, lesson in progress"] = violations(lead)

        advocate.goto(f"/records/{s['record_id']}")
        expect(advocate.locator("#save-state")).to_have_text("Saved")
        expect(advocate.locator("#lesson-status")).to_contain_text("In progress")
        found["observation record with notes"] = violations(advocate)

        lead.goto(f"/visits/{s['visit_id']}/summary")
        found["visit summary with notes and ratings"] = violations(lead)

        lead.goto(f"/sessions/{s['session_id']}/discussion")
        expect(lead.locator("#disc-state")).to_have_text("Saved")
        found["discussion with posts"] = violations(lead)

        if viewport == "phone":  # the site menu, opened
            lead.goto("/")
            lead.click(".menu-toggle")
            expect(lead.locator(".menu-toggle")).to_have_attribute("aria-expanded", "true")
            found["phone menu, open"] = violations(lead)
    finally:
        lead_context.close()
        advocate_context.close()

    found = {name: items for name, items in found.items() if items}
    assert not found, f"axe-core found WCAG 2 A/AA violations ({viewport}):\n{report(found)}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_plan_being_co_edited_has_no_wcag_a_or_aa_violations(live_server, browser, viewport):
    def build():
        from collab.plans.services import create_plan
        from tests import factories

        world = factories.build_world()
        plan = create_plan(world.lead, world.group, "Year 8 ratio", year_group="Year 8", key_stage="KS3",
                           topic="Ratio")
        return {"plan_id": plan.id, "lead": world.lead.email, "advocate": world.advocate.email}

    s = live_server.run(build)
    contexts = [open_context(browser, live_server, viewport, s[who]) for who in ("lead", "advocate")]
    try:
        lead, advocate = (context.pages[0] for context in contexts)
        for page in (lead, advocate):
            page.goto(f"/plans/{s['plan_id']}")
            expect(page.locator("#save-state")).to_have_text("Saved")
        advocate.locator(".ProseMirror p").first.click()
        advocate.keyboard.type("Pupils share 35 sweets")
        expect(lead.locator(".ProseMirror p").first).to_contain_text("Pupils share 35 sweets")
        expect(lead.locator(".collaboration-carets__caret")).to_have_count(1)  # the advocate's caret, labelled
        found = violations(lead)
    finally:
        for context in contexts:
            context.close()
    assert not found, f"axe-core found WCAG 2 A/AA violations ({viewport}):\n{report({'plan, co-edited': found})}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_forms_showing_their_errors_have_no_wcag_a_or_aa_violations(live_server, browser, viewport):
    def build():
        from tests import factories

        world = factories.build_world()
        return {"group_id": world.group.id, "lead": world.lead.email, "admin": world.admin.email}

    s = live_server.run(build)
    found: dict[str, list[dict]] = {}
    contexts = [open_context(browser, live_server, viewport),
                open_context(browser, live_server, viewport, s["lead"]),
                open_context(browser, live_server, viewport, s["admin"])]
    try:
        anonymous = contexts[0].new_page()
        anonymous.goto("/login")
        anonymous.fill("input[name=email]", s["lead"])
        anonymous.fill("input[name=password]", "not the password")
        with anonymous.expect_navigation():
            anonymous.click("form button[type=submit]")
        found["sign-in, wrong password"] = violations(anonymous)
        for name, context, path in (("new session, empty", contexts[1], f"/groups/{s['group_id']}/sessions/new"),
                                    ("new person, empty", contexts[2], "/admin/people/new")):
            page = context.pages[0]
            page.goto(path)
            with page.expect_navigation():
                page.click("main form[method=post] button[type=submit]")
            expect(page.locator(".error-message").first).to_be_visible()
            found[name] = violations(page)
    finally:
        for context in contexts:
            context.close()

    found = {name: items for name, items in found.items() if items}
    assert not found, f"axe-core found WCAG 2 A/AA violations ({viewport}):\n{report(found)}"
