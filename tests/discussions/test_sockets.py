"""Posting over the socket: committed before the ack, broadcast to the room, never duplicated on resend."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from collab.discussions import services
from collab.discussions.models import DiscussionThread, Post
from collab.extensions import db
from tests import factories
from tests.discussions.conftest import new_id, post_payload, received


def _count() -> int:
    n = db.session.scalar(select(func.count(Post.id)))
    db.session.commit()
    return n


def test_a_post_is_committed_then_acked_and_everyone_in_the_room_receives_it(world, visit, connect):
    alex, sam = connect(world.advocate), connect(world.lead)
    assert alex.emit("discussion:join", visit.id, callback=True) == {
        "ok": True, "room": f"discussion:{visit.id}", "access": "post"}
    sam.emit("discussion:join", visit.id, callback=True)
    payload = post_payload(body="Pupil B **drew** a bar model.")
    ack = alex.emit("discussion:post", payload, callback=True)
    assert ack["ok"] is True and ack["created"] is True
    assert ack["post"]["client_id"] == payload["client_id"]
    assert ack["post"]["body_html"] == "<p>Pupil B <strong>drew</strong> a bar model.</p>\n"
    assert ack["post"]["author"] == {"id": world.advocate.id, "name": "Alex Advocate"}
    stored = db.session.scalar(select(Post).where(Post.client_id == payload["client_id"]))
    assert stored is not None and stored.id == ack["post"]["id"]  # committed by the time of the ack
    assert received(sam, "discussion:posted") == [ack["post"]]


def test_resending_the_same_client_id_after_a_dropped_connection_returns_the_same_post(world, visit, connect):
    first = connect(world.advocate)
    first.emit("discussion:join", visit.id, callback=True)
    payload = post_payload()
    original = first.emit("discussion:post", payload, callback=True)["post"]
    first.disconnect()  # the ack was lost with the connection: the browser sends the post again
    other = connect(world.lead)
    other.emit("discussion:join", visit.id, callback=True)
    other.get_received()
    again = connect(world.advocate)
    again.emit("discussion:join", visit.id, callback=True)
    ack = again.emit("discussion:post", payload, callback=True)
    assert ack == {"ok": True, "post": original, "created": False}
    assert _count() == 1
    assert received(other, "discussion:posted") == []  # nothing new to tell the room


def test_someone_elses_client_id_is_refused_and_changes_nothing(world, visit, connect):
    alex, sam = connect(world.advocate), connect(world.lead)
    for sio in (alex, sam):
        sio.emit("discussion:join", visit.id, callback=True)
    payload = post_payload()
    alex.emit("discussion:post", payload, callback=True)
    ack = sam.emit("discussion:post", {**payload, "body": "Mine now"}, callback=True)
    assert ack["ok"] is False and ack["error"] == "malformed"
    assert _count() == 1


def test_a_non_member_is_refused_and_receives_nothing(world, visit, connect):
    member, outsider = connect(world.advocate), connect(world.outsider)
    member.emit("discussion:join", visit.id, callback=True)
    assert outsider.emit("discussion:join", visit.id, callback=True)["error"] == "not-found"
    assert outsider.emit("discussion:post", post_payload(), callback=True)["error"] == "not-joined"
    assert outsider.emit("discussion:post", post_payload(session_id=visit.id), callback=True)["error"] == "not-joined"
    member.emit("discussion:post", post_payload(), callback=True)
    names = {p["name"] for p in outsider.get_received()}
    assert "discussion:posted" not in names
    assert _count() == 1


@pytest.mark.parametrize("session_id", [2**63, str(2**63), 2**64, "0", -1, True])
def test_joining_with_an_id_no_session_can_have_is_refused_not_found(world, connect, session_id):
    ack = connect(world.advocate).emit("discussion:join", session_id, callback=True)
    assert ack["error"] == "not-found"  # past 2**63 - 1 the database driver would overflow: server-error


def test_another_hubs_admin_cannot_join(world, visit, connect):
    assert connect(world.other_admin).emit("discussion:join", visit.id, callback=True)["error"] == "not-found"


def test_a_hub_admin_who_is_not_a_member_cannot_join_and_receives_nothing(world, visit, connect):
    admin, member = connect(world.admin), connect(world.advocate)
    assert admin.emit("discussion:join", visit.id, callback=True)["error"] == "not-found"
    member.emit("discussion:join", visit.id, callback=True)
    assert admin.emit("discussion:post", post_payload(session_id=visit.id), callback=True)["error"] == "not-joined"
    member.emit("discussion:post", post_payload(), callback=True)
    assert received(admin, "discussion:posted") == []
    assert _count() == 1


def test_someone_removed_from_the_work_group_cannot_post_on_an_open_connection(world, visit, connect):
    from collab.groups.models import Membership

    sio = connect(world.colleague)
    sio.emit("discussion:join", visit.id, callback=True)
    db.session.execute(Membership.__table__.delete().where(Membership.user_id == world.colleague.id))
    db.session.commit()
    assert sio.emit("discussion:post", post_payload(), callback=True)["error"] == "not-found"
    assert _count() == 0


def test_posting_before_joining_is_refused(world, visit, connect):
    sio = connect(world.advocate)
    ack = sio.emit("discussion:post", post_payload(), callback=True)
    assert ack["error"] == "not-joined"
    assert {"name": "discussion:error", "args": [{"session_id": None, "error": "not-joined",
                                                  "message": ack["message"]}], "namespace": "/"} \
        in sio.get_received()


def test_a_connection_in_two_discussions_must_say_which(world, visit, connect):
    second = factories.session(world.group, title="Year 8 ratio lesson")
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    sio.emit("discussion:join", second.id, callback=True)
    assert sio.emit("discussion:post", post_payload(), callback=True)["error"] == "not-joined"
    ack = sio.emit("discussion:post", post_payload(session_id=second.id), callback=True)
    assert ack["ok"]
    thread = db.session.scalar(select(DiscussionThread).where(DiscussionThread.session_id == second.id))
    assert [p.id for p in thread.posts] == [ack["post"]["id"]]


@pytest.mark.parametrize("change, error", [
    ({"body": ""}, "invalid"),
    ({"body": "   \n "}, "invalid"),
    ({"body": None}, "invalid"),
    ({"body": "x" * 10_001}, "too-large"),
    ({"section": "gossip"}, "invalid"),
    ({"section": None}, "invalid"),
    ({"client_id": "not-a-uuid"}, "malformed"),
    ({"client_id": 12}, "malformed"),
    ({"client_id": None}, "malformed"),
    ({"parent_id": 999_999}, "invalid"),
    ({"parent_id": "abc"}, "invalid"),
    ({"quote": "a string"}, "malformed"),
])
def test_bad_input_gets_a_clear_error_and_changes_nothing(world, visit, connect, change, error):
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    ack = sio.emit("discussion:post", post_payload(**change), callback=True)
    assert ack["ok"] is False and ack["error"] == error and ack["message"]
    assert _count() == 0
    assert sio.emit("discussion:post", post_payload(), callback=True)["ok"]  # the connection keeps working


def test_a_body_of_exactly_ten_thousand_characters_is_accepted(world, visit, connect):
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    assert sio.emit("discussion:post", post_payload(body="y" * 10_000), callback=True)["ok"]


def test_a_payload_that_is_not_an_object_is_malformed(world, visit, connect):
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    assert sio.emit("discussion:post", "hello", callback=True)["error"] == "malformed"
    assert sio.emit("discussion:join", "abc", callback=True)["error"] == "not-found"


def test_a_reply_to_a_post_in_another_sessions_thread_is_refused(world, visit, connect):
    other = factories.session(world.group, title="Another visit")
    elsewhere, _ = services.create_post(world.lead, other, new_id(), "noticed", "Elsewhere")
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    sio.emit("discussion:post", post_payload(), callback=True)  # so this thread exists
    ack = sio.emit("discussion:post", post_payload(parent_id=elsewhere.id), callback=True)
    assert ack["error"] == "invalid"
    assert _count() == 2


def test_a_reply_joins_its_parents_section_and_replies_stay_one_level_deep(world, visit, connect):
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    top = sio.emit("discussion:post", post_payload(section="evidence"), callback=True)["post"]
    reply = sio.emit("discussion:post", post_payload(section="change", parent_id=top["id"]), callback=True)["post"]
    deeper = sio.emit("discussion:post", post_payload(parent_id=str(reply["id"])), callback=True)["post"]
    assert (reply["section"], reply["parent_id"]) == ("evidence", top["id"])
    assert (deeper["section"], deeper["parent_id"]) == ("evidence", top["id"])


def test_posts_queued_offline_and_sent_in_sequence_keep_their_order(world, visit, connect):
    queue = [post_payload(body=f"Point {n}", section="noticed") for n in range(1, 6)]
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    acks = [sio.emit("discussion:post", p, callback=True) for p in queue[:2]]
    sio.disconnect()  # offline: the rest wait in the page's queue, then go in order after reconnecting
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    acks += [sio.emit("discussion:post", p, callback=True) for p in queue[1:]]  # the unacked one is resent
    assert [a["post"]["id"] for a in acks[1:3]] == [acks[1]["post"]["id"]] * 2
    view = services.discussion_view(visit)
    assert [pv.post.body_markdown for pv in view.sections["noticed"]] == [f"Point {n}" for n in range(1, 6)]
    ids = [pv.post.id for pv in view.sections["noticed"]]
    assert ids == sorted(ids)


def test_a_flood_of_posts_is_rate_limited_and_the_refused_ones_change_nothing(app, world, visit, connect):
    app.config["COLLAB_MAX_UPDATES_PER_SECOND"] = 3
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    acks = [sio.emit("discussion:post", post_payload(), callback=True) for _ in range(6)]
    assert [a["ok"] for a in acks[:3]] == [True] * 3
    assert "rate-limited" in [a.get("error") for a in acks[3:]]
    assert _count() == sum(1 for a in acks if a["ok"])
