"""A department shares its development plan; a reviewer from another school comments on a sentence; the
author sees it live, replies and resolves it; the reviewer sees the reply and the resolution live."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SENTENCE = "Every pupil explains their reasoning with a ratio table."
AIM = "Raise attainment in ratio. " + SENTENCE

# Select a sentence in the editor as a person would with the mouse: from its first to its last character.
SELECT = """(sentence) => {
  const { editor } = window.collabEditor
  let from = null
  editor.state.doc.descendants((node, pos) => {
    if (from === null && node.isText && node.text.includes(sentence)) from = pos + node.text.indexOf(sentence)
    return from === null
  })
  editor.commands.setTextSelection({ from, to: from + sentence.length })
  return from
}"""


@pytest.fixture
def shared_plan(live_server):
    def build():
        from datetime import date

        from collab.devplans.plan import services
        from collab.devplans.rounds import services as round_services
        from collab.groups.models import Role
        from tests import factories
        from tests.devplans.helpers import write

        world = factories.build_world()
        reviewer = factories.user("reviewer@example.org", "Rosa Reviewer", world.school_a)
        factories.member(world.group, reviewer, Role.ADVOCATE)
        plan = services.create_plan(world.advocate, world.school_b.maths_department)
        write(plan, AIM)
        round_services.open_round(world.advocate, plan, world.group, "Are our aims measurable?", date(2030, 1, 31))
        return {"plan_id": plan.id, "author": world.advocate.email, "reviewer": reviewer.email}

    return live_server.run(build)


def _open(page, plan_id):
    page.goto(f"/devplans/{plan_id}")
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(page.locator(".ProseMirror p").first).to_have_text(AIM)


def test_a_reviewer_comments_on_a_sentence_and_the_author_replies_and_resolves_it(
        live_server, new_page, shared_plan, artifact_path):
    plan_id = shared_plan["plan_id"]
    author, reviewer = new_page(shared_plan["author"]), new_page(shared_plan["reviewer"])
    _open(author, plan_id)
    _open(reviewer, plan_id)
    expect(reviewer.locator("#round-note")).to_contain_text("Are our aims measurable?")

    # The reviewer selects the second sentence and comments on it.
    reviewer.evaluate(SELECT, SENTENCE)
    expect(reviewer.locator("#comment-start")).to_be_enabled()
    reviewer.click("#comment-start")
    expect(reviewer.locator("#comment-quote")).to_have_text(SENTENCE)
    reviewer.fill("#comment-body", "How will you know every pupil does this?")
    reviewer.click("#comment-form button[type=submit]")
    expect(reviewer.locator("#open-comments .comment-thread")).to_have_count(1)

    # The author sees it live, under its section, with the sentence highlighted in the plan.
    thread = author.locator("#open-comments .comment-thread")
    expect(thread).to_contain_text("How will you know every pupil does this?")
    expect(thread).to_contain_text("Rosa Reviewer")
    expect(author.locator("#open-comments h3")).to_have_text("Aims (based on evidence of need)")
    expect(author.locator(".ProseMirror .comment-highlight")).to_have_text(SENTENCE)
    expect(author.locator("#notify-count")).to_have_text("1")  # the bell, live

    # The author replies; the reviewer sees the reply live.
    thread.locator("textarea").fill("Exit tickets every lesson in the ratio unit.")
    thread.locator("button", has_text="Reply").click()
    expect(reviewer.locator("#open-comments .comment-reply")).to_contain_text("Exit tickets every lesson")
    expect(reviewer.locator("#notify-count")).to_have_text("2")  # shared with her group, then the reply

    # The author edits the plan before the sentence: the comment stays on it.
    author.locator(".ProseMirror p").first.click()
    author.keyboard.press("Home")
    author.keyboard.type("Aim 1: ")
    expect(reviewer.locator(".ProseMirror .comment-highlight")).to_have_text(SENTENCE)

    # The author resolves it; it moves to the resolved list for both.
    author.locator("#open-comments .comment-thread button", has_text="Resolve").click()
    expect(author.locator("#resolved-comments .comment-thread")).to_have_count(1)
    expect(reviewer.locator("#resolved-comments .comment-thread")).to_have_count(1)
    expect(reviewer.locator("#open-comments")).to_contain_text("No open comments.")
    expect(reviewer.locator(".ProseMirror .comment-highlight")).to_have_count(0)
    author.screenshot(path=str(artifact_path("devplan-critique.png")), full_page=True)
