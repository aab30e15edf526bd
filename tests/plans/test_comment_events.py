"""Comments reach everyone with the plan open, live (`plan:comment` on the room "plan:<id>"), and nobody else."""

from __future__ import annotations

import pytest

from collab.extensions import socketio
from collab.plans.services import create_plan
from tests.conftest import sign_in
from tests.plans.comment_helpers import anchored


@pytest.fixture
def anchor(plan):
    return anchored(plan, "Anchor task", "Share 35 sweets in the ratio 2:5.", "Share 35")


@pytest.fixture
def joined(app, world):
    """joined(user, plan) -> a socket client of that person, joined to the plan's room (or refused: None)."""
    clients = []

    def join(user, plan):
        http = app.test_client()
        sign_in(http, user)
        socket = socketio.test_client(app, flask_test_client=http)
        clients.append(socket)
        answer = socket.emit("doc:join", f"plan:{plan.id}", callback=True)
        socket.get_received()
        return socket if answer["ok"] else None

    yield join
    for socket in clients:
        if socket.is_connected():
            socket.disconnect()


def _pushed(socket):
    return [p["args"][0] for p in socket.get_received() if p["name"] == "plan:comment"]


def test_a_comment_reply_and_resolve_are_pushed_live_to_everyone_in_the_plan(client, world, plan, anchor, joined):
    lead = joined(world.lead, plan)
    sign_in(client, world.advocate)
    root = client.post(f"/plans/{plan.id}/comments", json={
        "clientId": "live-push-1", "body": "Seen live?", "anchor": anchor, "quote": "Share 35"}).get_json()["id"]
    [thread] = _pushed(lead)
    assert (thread["id"], thread["body"], thread["section"]) == (root, "Seen live?", "Anchor task")

    client.post(f"/plans/{plan.id}/comments", json={"clientId": "live-reply-1", "body": "And this?", "parentId": root})
    [thread] = _pushed(lead)
    assert [r["body"] for r in thread["replies"]] == ["And this?"]

    client.post(f"/plans/{plan.id}/comments/{root}/resolve", json={"resolved": True})
    [thread] = _pushed(lead)
    assert thread["resolved"] is True and thread["resolvedBy"] == "Alex Advocate"


def test_a_retried_post_is_not_pushed_again(client, world, plan, anchor, joined):
    lead = joined(world.lead, plan)
    sign_in(client, world.advocate)
    payload = {"clientId": "live-retry-1", "body": "Once", "anchor": anchor, "quote": "Share 35"}
    client.post(f"/plans/{plan.id}/comments", json=payload)
    client.post(f"/plans/{plan.id}/comments", json=payload)
    assert len(_pushed(lead)) == 1


def test_someone_with_another_plan_open_gets_nothing(client, world, plan, anchor, joined):
    other = joined(world.lead, create_plan(world.lead, world.group, "Another plan"))
    sign_in(client, world.advocate)
    client.post(f"/plans/{plan.id}/comments", json={
        "clientId": "live-other-1", "body": "Here only", "anchor": anchor, "quote": "Share 35"})
    assert _pushed(other) == []


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_people_outside_the_group_cannot_join_the_plan_to_hear_its_comments(world, plan, joined, who):
    assert joined(getattr(world, who), plan) is None
