"""In a live lesson nothing is lost by one tap: a note is corrected in place and everyone's timeline follows, a
deleted note can be put back, and ending the lesson takes a second tap and can be undone without moving the
notes' minute stamps."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_visit_observation import add_note, build_visit, open_record

pytestmark = pytest.mark.browser


def test_a_note_is_corrected_and_a_deleted_note_put_back_and_ending_the_lesson_is_undone(live_server, new_page):
    s = build_visit(live_server)
    lead = new_page(s["lead"])
    lead.goto(f"/visits/{s['visit_id']}")
    lead.click("button[value=start]")
    advocate = open_record(new_page(s["advocate"]), s["advocate_record"])
    expect(advocate.locator("#lesson-status")).to_have_text(re.compile("^In progress"))
    add_note(advocate, "Pupil A multiples by 3", pupil="Pupil A")

    # The author corrects a typo; the lead's timeline shows the new text, marked edited, live.
    lead.goto(f"/visits/{s['visit_id']}")
    timeline = lead.locator("#timeline .obs-note-text")
    expect(timeline).to_have_text(["Pupil A multiples by 3"])
    minute = lead.locator("#timeline .obs-note .muted").first.text_content()
    advocate.click("#my-notes .obs-edit")
    advocate.fill("#my-notes textarea", "Pupil A multiplies by 3")
    advocate.click("#my-notes .obs-note-editor button[type=submit]")
    expect(advocate.locator("#my-notes .obs-note-text")).to_have_text(["Pupil A multiplies by 3"])
    expect(timeline).to_have_text(["Pupil A multiplies by 3"])
    expect(lead.locator("#timeline .obs-note").first).to_contain_text("edited")

    # A stray tap on Delete: the note can be put back, with its time.
    advocate.click("#my-notes .obs-delete")
    expect(advocate.locator("#my-notes .obs-note-text")).to_have_count(0)
    advocate.click(".obs-undo button")
    expect(advocate.locator("#my-notes .obs-note-text")).to_have_text(["Pupil A multiplies by 3"])
    expect(timeline).to_have_text(["Pupil A multiplies by 3"])

    # Ending the lesson asks first; resuming keeps the lesson's start, so the note's "+N min" stays.
    lead.click("summary:has-text('End the lesson')")
    lead.click("button[value=end]")
    expect(lead.locator(".obs-ended")).to_contain_text("Ended by mistake?")
    lead.click("button:has-text('Undo: resume the lesson')")
    expect(lead.locator("#lesson-status")).to_have_text(re.compile("^In progress"))
    expect(lead.locator("#timeline .obs-note .muted").first).to_have_text(minute)
