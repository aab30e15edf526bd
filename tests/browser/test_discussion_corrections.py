"""Correcting the post-lesson discussion in Chromium: an author edits and deletes their posts, a lead deletes
one (moderation), and another page sees each change live, with the deleted words gone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_visit_observation import build_visit, open_discussion

pytestmark = pytest.mark.browser

NAME = "Jamie Smith-Real"  # a pupil's real name, posted by mistake


def post(page, section: str, text: str) -> None:
    page.fill(f"#body-{section}", text)
    page.click(f"#section-{section} > form.disc-composer button[type=submit]")


def test_an_edit_and_deletions_show_live_on_another_page(live_server, new_page, artifact_path):
    s = build_visit(live_server)
    lead = open_discussion(new_page(s["lead"]), s["session_id"])
    author = open_discussion(new_page(s["advocate"]), s["session_id"])
    lead.on("dialog", lambda dialog: dialog.accept())
    author.on("dialog", lambda dialog: dialog.accept())

    post(author, "noticed", "Pupil A used a table")
    post(author, "evidence", f"{NAME} counted on in threes")
    post(author, "change", "Start with the bar model")
    for page in (lead, author):
        expect(page.locator("#section-change .disc-body")).to_have_text("Start with the bar model")
    lead.locator("#section-change details.disc-reply summary").first.click()
    lead.locator("#section-change details.disc-reply textarea").first.fill("Yes, before the table")
    lead.locator("#section-change details.disc-reply button[type=submit]").first.click()
    expect(author.locator("#section-change .disc-replies .disc-body")).to_have_text("Yes, before the table")

    # Only the author is offered Edit; the lead (moderating) gets Delete.
    expect(lead.locator("#section-noticed a.disc-edit")).to_have_count(0)
    expect(lead.locator("#section-noticed form.disc-delete")).to_have_count(1)

    # The author corrects a post in place: the lead sees the new words, marked edited.
    author.click("#section-noticed a.disc-edit")
    author.fill("#section-noticed form.disc-edit-form textarea", "Pupil A used a **ratio** table")
    author.click("#section-noticed form.disc-edit-form button[type=submit]")
    for page in (lead, author):
        expect(page.locator("#section-noticed .disc-body strong")).to_have_text("ratio")
        expect(page.locator("#section-noticed .disc-edited")).to_have_text("(edited)")

    # The lead removes the pupil's real name: it leaves the author's page at once.
    expect(author.locator("#section-evidence")).to_contain_text(NAME)
    lead.click("#section-evidence form.disc-delete button")
    for page in (lead, author):
        expect(page.locator("#section-evidence .disc-post")).to_have_count(0)
        expect(page.locator("#section-evidence")).not_to_contain_text(NAME)
        expect(page.locator("#section-evidence .disc-empty")).to_be_visible()

    # The author deletes a post with a reply: "Post deleted" stays where the reply hangs off it.
    author.locator("#section-change > ol > li > article form.disc-delete button").click()
    for page in (lead, author):
        expect(page.locator("#section-change .disc-deleted")).to_have_text("Post deleted")
        expect(page.locator("#section-change")).not_to_contain_text("Start with the bar model")
        expect(page.locator("#section-change .disc-replies .disc-body")).to_have_text("Yes, before the table")

    # The server draws the same after a reload.
    lead.reload()
    expect(lead.locator("#disc-state")).to_have_text("Saved")
    expect(lead.locator("body")).not_to_contain_text(NAME)
    expect(lead.locator("#section-change .disc-deleted")).to_have_text("Post deleted")
    expect(lead.locator("#section-noticed .disc-edited")).to_have_text("(edited)")
    lead.screenshot(path=str(artifact_path("discussion-corrections.png")), full_page=True)


def test_an_action_ticked_done_offline_is_sent_when_back_online(live_server, new_page):
    s = build_visit(live_server)

    def action():
        import uuid

        from sqlalchemy import select

        from collab.accounts.models import User
        from collab.discussions.action_services import create_action
        from collab.extensions import db
        from collab.sessions.models import GroupSession

        lead = db.session.scalar(select(User).where(User.email == s["lead"]))
        owner = db.session.scalar(select(User).where(User.email == s["advocate"]))
        create_action(lead, db.session.get(GroupSession, s["session_id"]), str(uuid.uuid4()), "Share the task",
                      owner.id, None)

    live_server.run(action)
    lead = open_discussion(new_page(s["lead"]), s["session_id"])
    owner = open_discussion(new_page(s["advocate"]), s["session_id"])
    box = "#action-list tbody tr form.disc-done button"
    owner.context.set_offline(True)
    owner.click(box)
    expect(owner.locator(box)).to_have_attribute("aria-checked", "true")  # shown at once, waiting to send
    expect(owner.locator("#disc-state")).to_have_attribute("title", "1 post not sent yet")
    expect(lead.locator(box)).to_have_attribute("aria-checked", "false")
    owner.context.set_offline(False)
    expect(owner.locator("#disc-state")).to_have_text("Saved", timeout=20_000)
    expect(lead.locator(box)).to_have_attribute("aria-checked", "true")
    lead.reload()
    expect(lead.locator(box)).to_have_attribute("aria-checked", "true")
