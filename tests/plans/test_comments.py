"""Anchored comments on lesson and transition plans: who may comment and resolve, threads, retries, limits,
deleted text, notifications, and 404 for everyone outside the Work Group."""

from __future__ import annotations

import pytest
from pycrdt import Doc, XmlFragment

from collab.comments.services import MAX_COMMENT_CHARS, CommentError, NewComment, add_comment
from collab.extensions import db
from collab.plans.models import PlanComment, PlanKind
from collab.plans.services import PLAN_COMMENTS, create_plan, document_state
from collab.realtime.store import get_store
from tests.conftest import sign_in
from tests.devplans.helpers import notes as _notes
from tests.plans.comment_helpers import anchored

SENTENCE = "Pupils share 35 sweets in the ratio 2:5 with a bar model."


@pytest.fixture
def anchor(plan):
    return anchored(plan, "Learning outcome", SENTENCE, "Pupils share")


def _post(client, plan, **payload):
    return client.post(f"/plans/{plan.id}/comments", json=payload)


def _comment(client, plan, anchor, client_id="first-comment-1", body="Why 35?"):
    return _post(client, plan, clientId=client_id, body=body, anchor=anchor, quote="Pupils share")


def _resolve(client, plan, comment_id, resolved=True):
    return client.post(f"/plans/{plan.id}/comments/{comment_id}/resolve", json={"resolved": resolved})


def test_a_co_planner_comments_on_selected_text_and_it_is_grouped_under_its_section(client, world, plan, anchor):
    sign_in(client, world.advocate)
    response = _comment(client, plan, anchor)
    assert response.status_code == 201
    thread = response.get_json()["thread"]
    assert (thread["section"], thread["status"], thread["currentText"]) == ("Learning outcome", "ok", "Pupils share")
    assert thread["author"]["name"] == "Alex Advocate"


def test_a_read_only_member_may_comment_without_editing(client, world, plan, read_only_colleague, anchor):
    sign_in(client, read_only_colleague)
    assert _comment(client, plan, anchor).status_code == 201


def test_a_comment_on_a_transition_plan_names_the_side_and_the_section(client, world):
    plan = create_plan(world.lead, world.group, "Fractions across the transfer", kind=PlanKind.TRANSITION)
    anchor = anchored(plan, "Key questions", "Which is bigger, 3/4 or 4/5?", "Which is bigger", nth=1)
    sign_in(client, world.advocate)
    thread = _post(client, plan, clientId="transition-1", body="Both sides ask this?", anchor=anchor,
                   quote="Which is bigger").get_json()["thread"]
    assert thread["section"] == "KS3 side (Year 7) › Key questions"
    assert thread["currentText"] == "Which is bigger"


def test_posting_the_same_client_id_twice_makes_one_comment(client, world, plan, anchor):
    sign_in(client, world.advocate)
    first = _comment(client, plan, anchor, "retry-after-drop")
    second = _comment(client, plan, anchor, "retry-after-drop")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json()["id"] == second.get_json()["id"]
    assert db.session.query(PlanComment).count() == 1


def test_someone_else_cannot_reuse_a_client_id(client, world, plan, anchor):
    sign_in(client, world.advocate)
    _comment(client, plan, anchor, "shared-id-123")
    sign_in(client, world.colleague)
    response = _comment(client, plan, anchor, "shared-id-123", body="Mine")
    assert response.status_code == 400
    assert response.get_json()["message"] == "That client id is already used."


def test_an_empty_comment_is_refused_saying_so(client, world, plan, anchor):
    sign_in(client, world.advocate)
    response = _comment(client, plan, anchor, body="   ")
    assert response.status_code == 400
    assert response.get_json()["message"] == "Write a comment first."


def test_a_comment_over_the_limit_is_refused_with_the_limit_and_its_length(client, world, plan, anchor):
    sign_in(client, world.advocate)
    response = _comment(client, plan, anchor, body="x" * (MAX_COMMENT_CHARS + 1))
    assert response.status_code == 400
    message = response.get_json()["message"]
    assert "up to 5,000 characters" in message and "this one has 5,001" in message
    assert db.session.query(PlanComment).count() == 0


def test_a_comment_at_the_limit_is_taken(client, world, plan, anchor):
    sign_in(client, world.advocate)
    assert _comment(client, plan, anchor, body="x" * MAX_COMMENT_CHARS).status_code == 201


def test_a_comment_without_a_selection_is_refused(client, world, plan):
    sign_in(client, world.advocate)
    response = _post(client, plan, clientId="no-anchor-1", body="Hmm")
    assert response.status_code == 400
    assert response.get_json()["message"] == "Select some text in the plan to comment on."


def test_a_long_quote_is_kept_to_its_limit(client, world, plan, anchor):
    sign_in(client, world.advocate)
    _post(client, plan, clientId="long-quote-1", body="Long", anchor=anchor, quote="q" * 5000)
    assert len(db.session.scalar(db.select(PlanComment)).quote) == 2000


def test_replies_are_threaded_and_a_reply_to_another_plans_comment_is_refused(client, world, plan, anchor):
    sign_in(client, world.advocate)
    root = _comment(client, plan, anchor).get_json()["id"]
    sign_in(client, world.colleague)
    reply = _post(client, plan, clientId="reply-thread-1", body="Fewer sweets first?", parentId=root)
    assert reply.status_code == 201
    assert [r["body"] for r in reply.get_json()["thread"]["replies"]] == ["Fewer sweets first?"]
    other = create_plan(world.lead, world.group, "Another plan")
    assert _post(client, other, clientId="reply-elsewhere", body="Here?", parentId=root).status_code == 400
    assert _post(client, plan, clientId="reply-to-reply", body="Nested?",
                 parentId=reply.get_json()["id"]).status_code == 400


def test_a_co_planner_resolves_and_reopens_a_thread(client, world, plan, anchor):
    sign_in(client, world.advocate)
    root = _comment(client, plan, anchor).get_json()["id"]
    sign_in(client, world.colleague)
    response = _resolve(client, plan, root)
    assert response.status_code == 200
    assert response.get_json()["thread"]["resolvedBy"] == "Chris Colleague"
    assert db.session.get(PlanComment, root).resolved_at is not None
    _resolve(client, plan, root, resolved=False)
    assert db.session.get(PlanComment, root).resolved_at is None


def test_a_read_only_member_resolves_their_own_thread_but_not_someone_elses(
        client, world, plan, read_only_colleague, anchor):
    sign_in(client, world.advocate)
    theirs = _comment(client, plan, anchor, "advocates-1").get_json()["id"]
    sign_in(client, read_only_colleague)
    own = _comment(client, plan, anchor, "colleagues-1").get_json()["id"]
    assert _resolve(client, plan, own).status_code == 200
    refused = _resolve(client, plan, theirs)
    assert refused.status_code == 403
    assert "can resolve it" in refused.get_json()["message"]


def test_resolving_with_a_plain_form_goes_back_to_the_thread(client, world, plan, anchor):
    sign_in(client, world.advocate)
    root = _comment(client, plan, anchor).get_json()["id"]
    response = client.post(f"/plans/{plan.id}/comments/{root}/resolve", data={"resolved": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/plans/{plan.id}#comment-{root}")


def test_a_comment_of_another_plan_or_a_reply_cannot_be_resolved_here(client, world, plan, anchor):
    sign_in(client, world.advocate)
    root = _comment(client, plan, anchor).get_json()["id"]
    reply = _post(client, plan, clientId="a-reply-123", body="Yes", parentId=root).get_json()["id"]
    other = create_plan(world.lead, world.group, "Another plan")
    assert _resolve(client, other, root).status_code == 404
    assert _resolve(client, plan, reply).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "admin", "other_admin"])
def test_people_outside_the_group_get_404_on_the_comments(client, world, plan, anchor, who):
    sign_in(client, world.advocate)
    root = _comment(client, plan, anchor).get_json()["id"]
    sign_in(client, getattr(world, who))
    assert client.get(f"/plans/{plan.id}/comments").status_code == 404
    assert _comment(client, plan, anchor, "outsiders-1").status_code == 404
    assert _post(client, plan, clientId="outsiders-2", body="Hi", parentId=root).status_code == 404
    assert _resolve(client, plan, root).status_code == 404
    assert db.session.query(PlanComment).count() == 1


def test_the_service_refuses_someone_outside_the_group(world, plan, anchor):
    with pytest.raises(CommentError) as refused:
        add_comment(PLAN_COMMENTS, world.outsider, plan, NewComment("outsider-direct", "Hi", anchor["start"],
                                                                     anchor["end"], "Pupils share"))
    assert refused.value.code == "forbidden"


def test_a_comment_follows_its_text_and_is_shown_on_deleted_text_when_it_goes(client, world, plan, anchor):
    sign_in(client, world.advocate)
    _comment(client, plan, anchor, body="Which pupils?")
    anchored(plan, "Learning outcome", "By the end: ", "By the end", client_id=5151)  # typed before it
    thread = client.get(f"/plans/{plan.id}/comments").get_json()["threads"][0]
    assert (thread["status"], thread["currentText"]) == ("ok", "Pupils share")

    doc: Doc = Doc(client_id=6161)
    doc.apply_update(document_state(plan.document_id))
    before = doc.get_state()
    text = doc.get("default", type=XmlFragment).children[1].children[0]
    del text[0:len("".join(c for c, _ in text.diff() if isinstance(c, str)).encode())]
    get_store().submit(plan.document_id, doc.get_update(before), None)
    thread = client.get(f"/plans/{plan.id}/comments").get_json()["threads"][0]
    assert (thread["status"], thread["quote"]) == ("deleted", "Pupils share")
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "On deleted text" in page and "Which pupils?" in page


def test_a_new_thread_notifies_the_co_planners_but_not_read_only_members(
        client, world, plan, read_only_colleague, anchor):
    sign_in(client, world.advocate)
    root = _comment(client, plan, anchor).get_json()["id"]
    notes = _notes(world.lead, "comment")
    assert [n.text for n in notes] == [f"Alex Advocate commented on “Pupils share” in the plan “{plan.title}”"]
    assert notes[0].link == f"/plans/{plan.id}#comment-{root}"
    assert _notes(world.advocate) == [] and _notes(read_only_colleague) == []


def test_a_mention_notifies_a_member_and_nobody_outside_the_group(client, world, plan, anchor):
    sign_in(client, world.advocate)
    _comment(client, plan, anchor, body="@Chris Colleague and @Olive Outsider, thoughts?")
    assert [n.text for n in _notes(world.colleague, "mention")] == [
        f"Alex Advocate mentioned you on the plan “{plan.title}”"]
    assert _notes(world.outsider) == []


def test_a_reply_notifies_the_thread(client, world, plan, anchor):
    sign_in(client, world.advocate)
    root = _comment(client, plan, anchor).get_json()["id"]
    sign_in(client, world.lead)
    _post(client, plan, clientId="reply-notify-1", body="Good point.", parentId=root)
    assert [n.text for n in _notes(world.advocate, "reply")] == [
        f"Sam Lead replied to a comment on the plan “{plan.title}”"]


def test_the_plan_page_lists_threads_and_suggests_only_the_groups_members(client, world, plan, anchor):
    import json
    import re

    sign_in(client, world.advocate)
    _comment(client, plan, anchor, body="Is 35 too many?")
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Is 35 too many?" in page and "Comment on selection" in page
    config = json.loads(re.search(r'<script type="application/json" id="plan-config">(.*?)</script>', page, re.S)[1])
    assert config["commentsUrl"] == f"/plans/{plan.id}/comments"
    assert config["commentEvent"] == "plan:comment"
    assert config["sections"][:2] == ["Learning outcome", "Prior knowledge"]
    names = [p["name"] for p in config["people"]]
    assert sorted(names) == ["Alex Advocate", "Chris Colleague", "Sam Lead"]


def test_a_retry_that_races_the_first_post_returns_the_first_comment(world, plan, anchor, monkeypatch):
    from collab.comments import services

    new = NewComment("raced-retry-1", "Twice at once?", anchor["start"], anchor["end"], "Pupils share")
    first, _ = add_comment(PLAN_COMMENTS, world.advocate, plan, new)
    looked = services._existing
    calls = []

    def missed_once(*args):  # the retry looked before the first post had committed
        calls.append(args)
        return None if len(calls) == 1 else looked(*args)

    monkeypatch.setattr(services, "_existing", missed_once)
    again, created = add_comment(PLAN_COMMENTS, world.advocate, plan, new)
    assert (again.id, created) == (first.id, False)
    assert db.session.query(PlanComment).count() == 1


@pytest.mark.parametrize("level", [float("inf"), float("nan"), "1e400", 1e300, "²", -5, 3])
def test_a_heading_of_any_level_still_names_the_section(client, world, plan, level):
    from pycrdt import XmlElement, XmlText

    doc: Doc = Doc()
    doc.apply_update(document_state(plan.document_id))
    before = doc.get_state()
    fragment = doc.get("default", type=XmlFragment)
    fragment.children.insert(2, XmlElement("heading", {"level": level}, [XmlText("Odd heading")]))
    fragment.children.insert(3, XmlElement("paragraph", {}, [XmlText("Under the odd heading.")]))
    get_store().submit(plan.document_id, doc.get_update(before), None)
    anchor = anchored(plan, "Odd heading", "Look here. ", "Look here")
    sign_in(client, world.advocate)
    thread = _comment(client, plan, anchor).get_json()["thread"]
    assert thread["section"] == ("Learning outcome › Odd heading" if level == 3 else "Odd heading")
    assert client.get(f"/plans/{plan.id}").status_code == 200
