"""@-mentions in the post-lesson discussion, in Chromium: typing "@Al" suggests the Work Group's members whose
names match, as a listbox the keyboard drives (the combobox pattern); the picked name is posted."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_visit_observation import build_visit, open_discussion

pytestmark = pytest.mark.browser


def test_typing_at_al_suggests_alex_advocate_and_the_keyboard_picks_it(live_server, new_page, artifact_path):
    s = build_visit(live_server)
    lead = open_discussion(new_page(s["lead"]), s["session_id"])
    box = lead.locator("#body-noticed")
    listbox = lead.locator("#section-noticed > form.disc-composer [role=listbox]")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id") or "")

    # Only members are suggested: nobody outside the Work Group (Olive Outsider is not in it).
    box.press_sequentially("@O")
    expect(listbox).to_be_hidden()
    box.fill("")

    # "@" alone lists every member; the arrow keys move through them.
    box.press_sequentially("Thanks @")
    options = listbox.get_by_role("option")
    expect(options).to_have_text(["Alex Advocate", "Chris Colleague", "Sam Lead"])
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id") or "")
    box.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(listbox).to_be_hidden()

    # "@Al": Alex Advocate, picked with Enter.
    box.press_sequentially("Al")
    option = listbox.get_by_role("option", name="Alex Advocate")
    expect(options).to_have_count(1)
    expect(option).to_have_attribute("aria-selected", "true")
    option_id = option.get_attribute("id") or ""
    expect(box).to_have_attribute("aria-activedescendant", option_id)
    lead.screenshot(path=str(artifact_path("discussion-mention-suggestions.png")))
    box.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("Thanks @Alex Advocate ")
    expect(box).not_to_have_attribute("aria-activedescendant", option_id)
    box.press_sequentially("for the ratio table")
    lead.click("#section-noticed > form.disc-composer button[type=submit]")
    expect(lead.locator("#section-noticed .disc-body")).to_have_text("Thanks @Alex Advocate for the ratio table")

    # Correcting the post: the edit box suggests too, and Tab picks.
    lead.click("#section-noticed a.disc-edit")
    edit = lead.locator("#section-noticed form.disc-edit-form textarea")
    edit.press("End")
    edit.press_sequentially(" and @Ch")
    expect(lead.locator("#section-noticed form.disc-edit-form [role=option]")).to_have_text(["Chris Colleague"])
    edit.press("Tab")
    expect(edit).to_have_value("Thanks @Alex Advocate for the ratio table and @Chris Colleague ")
    lead.click("#section-noticed form.disc-edit-form button[type=submit]")
    expect(lead.locator("#section-noticed .disc-body")).to_have_text(
        "Thanks @Alex Advocate for the ratio table and @Chris Colleague")


def test_on_a_touch_phone_a_tapped_name_is_picked(browser, live_server):
    from tests import factories

    s = build_visit(live_server)
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 390, "height": 844},
                                  has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto("/login")
        page.fill("input[name=email]", s["advocate"])
        page.fill("input[name=password]", factories.PASSWORD)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        open_discussion(page, s["session_id"])
        box = page.locator("#body-noticed")
        box.tap()
        box.press_sequentially("@S")
        page.locator("#section-noticed > form.disc-composer [role=option]", has_text="Sam Lead").tap()
        expect(box).to_have_value("@Sam Lead ")
        expect(box).to_be_focused()
        expect(page.locator("#section-noticed > form.disc-composer [role=listbox]")).to_be_hidden()
    finally:
        context.close()
