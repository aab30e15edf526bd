"""Anchored comments: idempotent creation, replies, @mentions, resolve and reopen, live push, side panel."""

from __future__ import annotations

import pytest

from collab.devplans.models import DevPlanComment
from collab.devplans.plan import services
from collab.extensions import db, socketio
from tests.conftest import sign_in
from tests.devplans.helpers import anchor_for, write
from tests.devplans.helpers import notes as _notes

SENTENCE = "Every pupil in KS3 explains their reasoning with a ratio table."


@pytest.fixture
def anchored(devplan):
    client_id, first = write(devplan, SENTENCE, section_index=0)
    start, end = anchor_for(client_id, first, first + len("Every pupil") - 1)
    return {"start": start, "end": end}


def _post(client, plan, **payload):
    return client.post(f"/devplans/{plan.id}/comments", json=payload)


def test_a_reviewer_comments_on_selected_text_and_it_is_grouped_under_its_section(
        client, devplan, open_round, reviewer, anchored):
    sign_in(client, reviewer)
    response = _post(client, devplan, clientId="first-comment-1", body="How will you know?", anchor=anchored,
                     quote="Every pupil")
    assert response.status_code == 201
    thread = response.get_json()["thread"]
    assert thread["section"] == "Aims (based on evidence of need)"
    assert (thread["status"], thread["currentText"], thread["quote"]) == ("ok", "Every pupil", "Every pupil")


def test_posting_the_same_client_id_twice_makes_one_comment(client, devplan, open_round, reviewer, anchored):
    sign_in(client, reviewer)
    payload = dict(clientId="retry-after-drop", body="Is this measurable?", anchor=anchored, quote="Every pupil")
    first, second = _post(client, devplan, **payload), _post(client, devplan, **payload)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json()["id"] == second.get_json()["id"]
    assert db.session.query(DevPlanComment).count() == 1


def test_someone_else_cannot_reuse_a_client_id(client, world, devplan, open_round, reviewer, anchored):
    sign_in(client, reviewer)
    _post(client, devplan, clientId="shared-id-123", body="One", anchor=anchored, quote="Every pupil")
    sign_in(client, world.advocate)
    assert _post(client, devplan, clientId="shared-id-123", body="Two", anchor=anchored).status_code == 400


def test_a_comment_without_an_anchor_or_body_is_refused(client, devplan, open_round, reviewer, anchored):
    sign_in(client, reviewer)
    assert _post(client, devplan, clientId="no-anchor-1", body="Hmm").status_code == 400
    assert _post(client, devplan, clientId="no-body-123", body=" ", anchor=anchored).status_code == 400


def test_a_comment_stays_attached_while_the_plan_changes_and_is_shown_on_deleted_text_when_it_goes(
        client, world, devplan, open_round, reviewer, anchored):
    from pycrdt import Doc, XmlFragment

    from collab.realtime.store import get_store

    sign_in(client, reviewer)
    _post(client, devplan, clientId="stays-attached", body="Which pupils?", anchor=anchored, quote="Every pupil")
    write(devplan, "Aim 1: ", section_index=0, client_id=5151)  # typed before the anchored words
    thread = client.get(f"/devplans/{devplan.id}/comments").get_json()["threads"][0]
    assert (thread["status"], thread["currentText"]) == ("ok", "Every pupil")

    doc: Doc = Doc(client_id=6161)
    doc.apply_update(services.document_state(devplan))
    before = doc.get_state()
    paragraph = doc.get("default", type=XmlFragment).children[1]
    for child in list(paragraph.children):
        text = "".join(c for c, _ in child.diff() if isinstance(c, str))
        del child[0:len(text.encode())]
    get_store().submit(devplan.document_id, doc.get_update(before), None)
    thread = client.get(f"/devplans/{devplan.id}/comments").get_json()["threads"][0]
    assert thread["status"] == "deleted"
    assert thread["quote"] == "Every pupil"
    page = client.get(f"/devplans/{devplan.id}").get_data(as_text=True)
    assert "On deleted text" in page and "Which pupils?" in page


def test_replies_resolve_and_reopen(client, world, devplan, open_round, reviewer, anchored):
    sign_in(client, reviewer)
    root = _post(client, devplan, clientId="root-thread-1", body="Why Year 8?", anchor=anchored,
                 quote="Every pupil").get_json()["id"]
    sign_in(client, world.advocate)
    reply = _post(client, devplan, clientId="reply-thread-1", body="Our data says so.", parentId=root)
    assert [r["body"] for r in reply.get_json()["thread"]["replies"]] == ["Our data says so."]
    assert client.post(f"/devplans/{devplan.id}/comments/{root}/resolve", json={"resolved": True}).status_code == 200
    assert db.session.get(DevPlanComment, root).resolved_at is not None
    client.post(f"/devplans/{devplan.id}/comments/{root}/resolve", json={"resolved": False})
    assert db.session.get(DevPlanComment, root).resolved_at is None
    assert [n.kind for n in _notes(reviewer, "reply")] == ["reply"]


def test_a_department_colleague_may_not_resolve_someone_elses_comment(
        client, world, devplan, open_round, reviewer, anchored):
    sign_in(client, reviewer)
    root = _post(client, devplan, clientId="not-yours-123", body="Hmm", anchor=anchored, quote="x").get_json()["id"]
    sign_in(client, world.colleague)
    assert client.post(f"/devplans/{devplan.id}/comments/{root}/resolve", json={"resolved": True}).status_code == 403


def test_an_at_mention_of_a_member_notifies_them(client, world, devplan, open_round, reviewer, anchored):
    sign_in(client, reviewer)
    _post(client, devplan, clientId="mention-123", body="@Sam Lead what do you think?", anchor=anchored,
          quote="Every pupil")
    notes = _notes(world.lead, "mention")
    assert len(notes) == 1 and notes[0].text == f"Rosa Reviewer mentioned you on the development plan “{devplan.title}”"
    assert _notes(world.outsider) == []


def test_a_mention_of_someone_who_may_not_read_the_plan_notifies_nobody(
        client, world, devplan, open_round, reviewer, anchored):
    sign_in(client, reviewer)
    _post(client, devplan, clientId="mention-out1", body="@Olive Outsider look", anchor=anchored, quote="x")
    assert _notes(world.outsider) == []


def test_a_new_comment_notifies_the_departments_advocates(client, world, devplan, open_round, reviewer, anchored):
    sign_in(client, reviewer)
    _post(client, devplan, clientId="notify-adv-1", body="Good aim.", anchor=anchored, quote="Every pupil")
    assert [n.text for n in _notes(world.advocate, "comment")] == [
        "Rosa Reviewer commented on “Every pupil” in your development plan"]


def test_a_comment_is_pushed_live_to_everyone_reading_the_plan(app, client, world, devplan, open_round, reviewer,
                                                                anchored):
    reader_client = app.test_client()
    sign_in(reader_client, world.advocate)
    reader = socketio.test_client(app, flask_test_client=reader_client)
    assert reader.emit("doc:join", f"devplan:{devplan.id}", callback=True)["ok"]
    reader.get_received()
    sign_in(client, reviewer)
    _post(client, devplan, clientId="live-push-1", body="Seen live?", anchor=anchored, quote="Every pupil")
    pushed = [p for p in reader.get_received() if p["name"] == "devplan:comment"]
    reader.disconnect()
    assert len(pushed) == 1 and pushed[0]["args"][0]["body"] == "Seen live?"


def test_a_reviewer_marks_their_review_done_and_the_round_shows_it(client, world, devplan, open_round, reviewer):
    sign_in(client, reviewer)
    assert client.post(f"/devplans/{devplan.id}/rounds/{open_round.id}/reviewed").status_code == 302
    page = client.get(f"/devplans/{devplan.id}/rounds/{open_round.id}").get_data(as_text=True)
    assert "Rosa Reviewer" in page and "reviewed" in page
    assert [n.kind for n in _notes(world.advocate, "reviewed")] == ["reviewed"]


def test_the_department_cannot_mark_its_own_review_done(client, world, devplan, open_round):
    sign_in(client, world.advocate)
    assert client.post(f"/devplans/{devplan.id}/rounds/{open_round.id}/reviewed").status_code == 403


def test_the_export_lists_comments_with_their_state(client, world, devplan, open_round, reviewer, anchored):
    sign_in(client, reviewer)
    _post(client, devplan, clientId="export-1234", body="Needs a date.", anchor=anchored, quote="Every pupil")
    text = client.get(f"/devplans/{devplan.id}/export.txt").get_data(as_text=True)
    assert SENTENCE in text
    assert "[open] Rosa Reviewer (Aims (based on evidence of need)) on “Every pupil”: Needs a date." in text
