"""Two co-planners of a lesson plan: one comments on a sentence, the other sees it highlighted and the thread live
and replies, the first resolves it; a member the lead made read-only comments too, without changing the text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_devplan_critique import SELECT

pytestmark = pytest.mark.browser

SENTENCE = "Pupils share 35 sweets in the ratio 2:5 using a bar model."
OUTCOME = "Learning outcome: " + SENTENCE


@pytest.fixture
def plan_with_text(live_server):
    def build():
        from collab.extensions import db
        from collab.plans.models import PlanReadOnly
        from collab.plans.services import create_plan
        from tests import factories
        from tests.plans.comment_helpers import write_under

        world = factories.build_world()
        plan = create_plan(world.lead, world.group, "Year 8 ratio: sharing in a ratio", year_group="Year 8")
        write_under(plan, "Learning outcome", OUTCOME)
        reader = factories.user("reader@example.org", "Rae Reader", world.school_a)
        factories.member(world.group, reader)
        db.session.add(PlanReadOnly(plan_id=plan.id, user_id=reader.id))
        db.session.commit()
        return {"plan_id": plan.id, "advocate": world.advocate.email, "colleague": world.colleague.email,
                "reader": reader.email}

    return live_server.run(build)


def _open(page, plan_id):
    page.goto(f"/plans/{plan_id}")
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(page.locator(".ProseMirror p").first).to_have_text(OUTCOME)


def test_a_co_planner_comments_on_a_sentence_and_the_other_replies_live_then_it_is_resolved(
        live_server, new_page, plan_with_text, artifact_path):
    plan_id = plan_with_text["plan_id"]
    alex, chris = new_page(plan_with_text["advocate"]), new_page(plan_with_text["colleague"])
    _open(alex, plan_id)
    _open(chris, plan_id)

    # Alex selects the sentence and comments on it.
    alex.evaluate(SELECT, SENTENCE)
    expect(alex.locator("#comment-start")).to_have_attribute("aria-disabled", "false")
    alex.click("#comment-start")
    expect(alex.locator("#comment-quote")).to_have_text(SENTENCE)
    alex.fill("#comment-body", "Would 2:5 with 35 sweets be too easy for the anchor task?")
    alex.click("#comment-form button[type=submit]")
    expect(alex.locator("#open-comments .comment-thread")).to_have_count(1)

    # Chris sees it live, under its section, with the sentence highlighted in the plan.
    thread = chris.locator("#open-comments .comment-thread")
    expect(thread).to_contain_text("Would 2:5 with 35 sweets be too easy")
    expect(thread).to_contain_text("Alex Advocate")
    expect(chris.locator("#open-comments h3")).to_have_text("Learning outcome")
    expect(chris.locator(".ProseMirror .comment-highlight")).to_have_text(SENTENCE)
    expect(chris.locator("#notify-count")).to_have_text("1")  # the bell, live: a new thread for a co-planner

    # Chris writes a reply while Alex goes on with the plan: Chris's panel is drawn again on each change, and the
    # reply being written stays, with the focus. Then Chris sends it; Alex sees the reply live.
    reply = thread.locator("textarea")
    reply.fill("Try 2:5 with 42 first, then 35.")
    alex.locator(".ProseMirror h2:has-text('Prior knowledge') + p").click()
    alex.keyboard.type("Starter: 3:4.")
    expect(chris.locator(".ProseMirror")).to_contain_text("Starter: 3:4.")
    chris.wait_for_timeout(600)  # the panel is drawn again 300 ms after a change to the plan
    expect(reply).to_have_value("Try 2:5 with 42 first, then 35.")
    expect(reply).to_be_focused()
    thread.locator("button", has_text="Reply").click()
    expect(alex.locator("#open-comments .comment-reply")).to_contain_text("Try 2:5 with 42 first")

    # Text typed before the sentence leaves the comment on it.
    chris.locator(".ProseMirror p").first.click()
    chris.keyboard.press("Home")
    chris.keyboard.type("By the end: ")
    expect(alex.locator(".ProseMirror .comment-highlight")).to_have_text(SENTENCE)

    # Alex resolves it; it moves to the resolved list for both, and the highlight goes.
    alex.locator("#open-comments .comment-thread button", has_text="Resolve").click()
    expect(alex.locator("#resolved-comments .comment-thread")).to_have_count(1)
    expect(chris.locator("#resolved-comments .comment-thread")).to_have_count(1)
    expect(chris.locator("#open-comments")).to_contain_text("No open comments.")
    expect(chris.locator(".ProseMirror .comment-highlight")).to_have_count(0)
    alex.screenshot(path=str(artifact_path("plan-comments.png")), full_page=True)


def test_a_read_only_member_comments_with_the_keyboard_but_cannot_change_the_text(
        live_server, new_page, plan_with_text):
    plan_id = plan_with_text["plan_id"]
    alex, reader = new_page(plan_with_text["advocate"]), new_page(plan_with_text["reader"])
    _open(alex, plan_id)
    _open(reader, plan_id)
    plan = reader.locator(".ProseMirror")
    expect(plan).to_have_attribute("aria-readonly", "true")
    expect(reader.locator("#plan-toolbar")).to_be_hidden()

    plan.locator("p").first.click()
    reader.keyboard.press("Home")
    reader.keyboard.type("x")  # refused: the text stays as it is
    expect(plan.locator("p").first).to_have_text(OUTCOME)
    for _ in "Learning":
        reader.keyboard.press("Shift+ArrowRight")
    reader.wait_for_function("""() => {
      const { state } = window.collabEditor.editor
      return state.doc.textBetween(state.selection.from, state.selection.to) === 'Learning'
    }""")
    reader.keyboard.press("Control+Alt+m")
    expect(reader.locator("#comment-body")).to_be_focused()
    reader.keyboard.type("Which year group is this for?")
    reader.keyboard.press("Tab")
    reader.keyboard.press("Enter")
    expect(reader.locator("#open-comments .comment-thread")).to_have_count(1)
    expect(alex.locator(".ProseMirror .comment-highlight")).to_have_text("Learning")
    expect(alex.locator("#open-comments .comment-thread")).to_contain_text("Which year group is this for?")
