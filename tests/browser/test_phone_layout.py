"""A 390 px phone: the header is one row with a Menu button, long words wrap instead of widening the page, and
the save state stays in view on a long document."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_visit_observation import build_visit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# A note typed (or pasted) as one 20,000-letter word once made the visit pages 189,514 px wide. The server now
# refuses values over 5,000 characters (COLLAB_MAX_VALUE_CHARS); a 4,000-letter word is still 30,000 px of text.
LONG_WORD = "ratio" * 800
# Titles and names are shorter, but one word of them is still far wider than a phone.
LONG_TITLE = "Proportionalreasoning" * 8
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


def on_phone(page):
    page.set_viewport_size(PHONE)
    return page


def assert_fits(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert page.evaluate(FITS), f"{page.url} is {width[0]} px wide in a {width[1]} px window"


@pytest.fixture
def long_plan(live_server):
    def build():
        from collab.plans.services import create_plan
        from tests import factories

        world = factories.build_world()
        plan = create_plan(world.lead, world.group, LONG_TITLE, year_group="Year 8", key_stage="KS3", topic="Ratio")
        return {"plan_id": plan.id, "lead": world.lead.email}

    return live_server.run(build)


@pytest.fixture
def long_note_visit(live_server):
    s = build_visit(live_server)

    def note():
        from collab.extensions import db
        from collab.observations.models import ObservationRecord
        from tests.observations.helpers import add_note

        record = db.session.get(ObservationRecord, s["advocate_record"])
        for n in range(12):  # enough notes that the record is longer than the phone's screen
            add_note(record, f"Note {n}: pupils compare the two ratios on the board", at=1_700_000_000_000 + n)
        add_note(record, LONG_WORD, at=1_700_000_100_000, pupil="Pupil A")

    live_server.run(note)
    return s


def test_on_a_phone_the_header_is_one_row_and_its_menu_opens_and_closes_by_keyboard(new_page, long_plan,
                                                                                  artifact_path):
    page = on_phone(new_page(long_plan["lead"]))
    page.goto("/")
    header = page.locator(".site-header")
    button = page.get_by_role("button", name="Menu")
    menu = page.locator("#main-menu")

    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    brand, toggle = page.locator(".brand").bounding_box(), button.bounding_box()
    assert abs(brand["y"] + brand["height"] / 2 - (toggle["y"] + toggle["height"] / 2)) < 8  # side by side
    assert header.bounding_box()["height"] <= 72  # one row: it was three, a fifth of the screen

    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Calendar")).to_be_visible()
    expect(menu.get_by_role("button", name="Sign out")).to_be_visible()
    page.screenshot(path=artifact_path("phone-menu-open.png"))
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Dashboard")).to_be_focused()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()
    assert_fits(page)


def test_on_a_laptop_the_menu_button_is_not_shown_and_the_links_are(new_page, long_plan):
    page = new_page(long_plan["lead"])
    page.goto("/")
    expect(page.locator(".menu-toggle")).to_be_hidden()
    expect(page.locator("#main-menu").get_by_role("link", name="Calendar")).to_be_visible()
    assert page.locator(".site-header").bounding_box()["height"] <= 72


def test_a_plan_with_a_long_one_word_title_fits_a_phone(new_page, long_plan, artifact_path):
    page = on_phone(new_page(long_plan["lead"]))
    page.goto(f"/plans/{long_plan['plan_id']}")
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(page.locator("h1")).to_have_text(LONG_TITLE)
    assert_fits(page)
    page.screenshot(path=artifact_path("phone-plan-long-title.png"))


def test_a_4000_letter_word_in_a_note_fits_a_phone_on_the_record_room_and_summary(new_page, long_note_visit,
                                                                                  artifact_path):
    s = long_note_visit
    observer = on_phone(new_page(s["advocate"]))
    observer.goto(f"/records/{s['advocate_record']}")
    expect(observer.locator("#save-state")).to_have_text("Saved")
    expect(observer.locator("#my-notes .obs-note-text", has_text=LONG_WORD[:50])).to_be_visible()
    assert_fits(observer)

    # The save state stays in view at the end of the long record.
    observer.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    box = observer.locator("#save-state").bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    observer.screenshot(path=artifact_path("phone-record-long-word.png"))

    lead = on_phone(new_page(s["lead"]))
    for url in (f"/visits/{s['visit_id']}", f"/visits/{s['visit_id']}/summary"):
        lead.goto(url)
        expect(lead.locator("main")).to_contain_text(LONG_WORD[:50])
        assert_fits(lead)


def test_on_a_laptop_the_save_state_and_who_is_here_stay_in_view_at_the_end_of_a_plan(new_page, long_plan):
    page = new_page(long_plan["lead"])
    page.goto(f"/plans/{long_plan['plan_id']}")
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(page.locator("#presence li")).to_have_count(1)
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    height = page.viewport_size["height"]
    for element in (page.locator("#save-state"), page.locator("#presence li")):
        box = element.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= height


def in_view(page, element) -> dict:
    box = element.bounding_box()
    height = page.viewport_size["height"]
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= height, f"{box} is not inside 0-{height} px"
    return box


def overlaps(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or
                a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


LONG_PLAN_TEXT = """() => {
  const paragraphs = Array.from({ length: 60 }, (_, n) => ({ type: 'paragraph',
    content: [{ type: 'text', text: `Step ${n + 1}: pupils share 35 sweets in the ratio 3 : 4.` }] }))
  window.collabEditor.editor.chain().focus('end').insertContent(paragraphs).run()
}"""


def test_on_a_phone_the_save_state_and_who_is_here_stay_in_view_at_the_end_of_a_long_plan(new_page, long_plan,
                                                                                         artifact_path):
    page = on_phone(new_page(long_plan["lead"]))
    page.goto(f"/plans/{long_plan['plan_id']}")
    expect(page.locator("#save-state")).to_have_text("Saved")
    page.wait_for_function("() => Boolean(window.collabEditor && window.collabEditor.editor)")
    page.evaluate(LONG_PLAN_TEXT)
    expect(page.locator(".ProseMirror p", has_text="Step 60:")).to_have_count(1)
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(page.locator("#presence li")).to_have_count(1)
    assert page.evaluate("() => document.documentElement.scrollHeight") > 4 * PHONE["height"]

    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1")
    state = in_view(page, page.locator("#save-state"))
    here = in_view(page, page.locator("#presence li"))
    assert not overlaps(state, here)  # the save state sits above the line of people
    assert_fits(page)
    # The last line of the plan can still be scrolled clear of them.
    last = page.locator(".ProseMirror p", has_text="Step 60:").bounding_box()
    strip = page.locator(".plan-people").bounding_box()
    assert last["y"] + last["height"] <= min(state["y"], strip["y"])
    page.screenshot(path=artifact_path("phone-plan-end.png"))

    page.context.set_offline(True)  # the longest text the save state says still fits above them
    expect(page.locator("#save-state")).to_have_text(re.compile(r"^Offline: "))
    assert not overlaps(in_view(page, page.locator("#save-state")), in_view(page, page.locator("#presence li")))


def test_on_a_phone_the_discussion_state_stays_in_view_at_the_end(live_server, new_page):
    from tests.browser.test_visit_observation import open_discussion

    s = build_visit(live_server)
    page = on_phone(new_page(s["advocate"]))
    open_discussion(page, s["session_id"])
    assert page.evaluate("() => document.documentElement.scrollHeight") > PHONE["height"]
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    in_view(page, page.locator("#disc-state"))
    assert_fits(page)
