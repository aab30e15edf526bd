"""A reviewer using only the keyboard comments on a development plan: Shift+arrows select the words in the
plan (which a reviewer reads but does not change), Tab reaches "Comment on selection", Enter opens the comment
box with the focus in it, and a screen reader hears what is happening; the comment is then listed, anchored."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_devplan_critique import AIM, _open, shared_plan  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

FIRST = "Raise attainment in ratio."


def _to_the_aim(page) -> None:
    """The caret to the start of the aim: the paragraph under the plan's first heading."""
    page.keyboard.press("Control+Home")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Home")


def _selected(page, text: str) -> None:
    """Waits until the editor has taken in the selection the keys made (it reads the page's selection a moment
    after each key)."""
    page.wait_for_function("""(text) => {
      const { state } = window.collabEditor.editor
      return state.doc.textBetween(state.selection.from, state.selection.to, '\\n') === text
    }""", arg=text)


def test_a_reviewer_selects_with_shift_arrows_and_comments_with_the_keyboard(
        live_server, new_page, shared_plan, artifact_path):  # noqa: F811
    plan_id = shared_plan["plan_id"]
    author, reviewer = new_page(shared_plan["author"]), new_page(shared_plan["reviewer"])
    _open(author, plan_id)
    _open(reviewer, plan_id)
    plan = reviewer.locator(".ProseMirror")
    expect(plan).to_have_attribute("aria-readonly", "true")
    expect(reviewer.locator("#comment-hint")).to_contain_text("Shift and the arrow keys")

    plan.focus()
    _to_the_aim(reviewer)
    for _ in FIRST:
        reviewer.keyboard.press("Shift+ArrowRight")
    # Typing does not change the plan for a reviewer.
    reviewer.keyboard.type("x")
    expect(plan.locator("p").first).to_have_text(AIM)
    for _ in FIRST:
        reviewer.keyboard.press("Shift+ArrowRight")
    _to_the_aim(reviewer)
    for _ in FIRST:
        reviewer.keyboard.press("Shift+ArrowRight")

    _selected(reviewer, FIRST)
    reviewer.keyboard.press("Tab")
    expect(reviewer.locator("#comment-start")).to_be_focused()
    expect(reviewer.locator("#comment-start")).to_have_attribute("aria-disabled", "false")
    reviewer.keyboard.press("Enter")
    expect(reviewer.locator("#comment-body")).to_be_focused()
    expect(reviewer.locator("#comment-quote")).to_have_text(FIRST)
    expect(reviewer.locator("#comment-live")).to_contain_text(f"Commenting on “{FIRST}”")

    reviewer.keyboard.type("Which ratio problems will show it?")
    reviewer.keyboard.press("Tab")
    expect(reviewer.locator("#comment-form button[type=submit]")).to_be_focused()
    reviewer.keyboard.press("Enter")

    thread = reviewer.locator("#open-comments .comment-thread")
    expect(thread).to_have_count(1)
    expect(thread.locator(".comment-quote")).to_have_text(FIRST)
    expect(thread).to_contain_text("Which ratio problems will show it?")
    expect(reviewer.locator("#comment-live")).to_contain_text("Comment added")
    expect(reviewer.locator("#comment-form")).to_be_hidden()
    # Anchored: the words are highlighted in the plan, on the author's page too.
    expect(reviewer.locator(".ProseMirror .comment-highlight")).to_have_text(FIRST)
    expect(author.locator(".ProseMirror .comment-highlight")).to_have_text(FIRST)
    expect(author.locator("#open-comments .comment-thread")).to_contain_text("Which ratio problems will show it?")
    reviewer.screenshot(path=str(artifact_path("devplan-keyboard-comment.png")))


def test_the_shortcut_starts_a_comment_and_escape_cancels_it(live_server, new_page, shared_plan):  # noqa: F811
    reviewer = new_page(shared_plan["reviewer"])
    _open(reviewer, shared_plan["plan_id"])
    plan = reviewer.locator(".ProseMirror")
    plan.focus()
    _to_the_aim(reviewer)
    reviewer.keyboard.press("Control+Alt+m")
    expect(reviewer.locator("#editor-message")).to_contain_text("Select some text in the plan first")
    for _ in "Raise":
        reviewer.keyboard.press("Shift+ArrowRight")
    _selected(reviewer, "Raise")
    reviewer.keyboard.press("Control+Alt+m")
    expect(reviewer.locator("#comment-body")).to_be_focused()
    expect(reviewer.locator("#comment-quote")).to_have_text("Raise")
    reviewer.keyboard.press("Escape")
    expect(reviewer.locator("#comment-form")).to_be_hidden()
    expect(plan).to_be_focused()
