"""Exact visibility: the department always; the Work Group only while a round is open; nobody else.

Every view and the socket join, for: department member (advocate), department colleague, Work Group
member from another school (no round / while shared / after the round closes), outsider, anonymous.
Outsiders get 404 (the plan does not exist for them); anonymous people are sent to sign in.
"""

from __future__ import annotations

import pytest

from collab.devplans.plan import services
from collab.devplans.rounds import services as round_services
from collab.extensions import socketio
from tests import factories
from tests.conftest import sign_in
from tests.devplans.conftest import make_reviewer

VIEWS = [
    "/devplans/{plan}",
    "/devplans/{plan}/comments",
    "/devplans/{plan}/export.txt",
    "/devplans/{plan}/export.pdf",
    "/devplans/{plan}/history",
    "/devplans/{plan}/versions/{version}",
    "/devplans/{plan}/rounds/{round}",
    "/devplans/{plan}/evidence",
]

# who -> round state -> may read
CAN_READ = {
    "department member": {"none": True, "open": True, "closed": True},
    "department colleague": {"none": True, "open": True, "closed": True},
    "other school in the group": {"none": False, "open": True, "closed": False},
    "outsider": {"none": False, "open": False, "closed": False},
}


def _build_scene(state: str) -> dict:
    """The world, a reviewer from another school of the Work Group and Riverside's plan with a version: shared
    with the Work Group in a round ("open"), the round since closed ("closed") or never shared ("none")."""
    from datetime import date

    from collab.extensions import db

    world = factories.build_world()
    reviewer = make_reviewer(world)
    devplan = services.create_plan(world.advocate, world.school_b.maths_department)
    round_ = round_services.open_round(world.advocate, devplan, world.group, "Is it coherent?", date(2030, 1, 1))
    version = services.save_version(world.advocate, devplan, "First draft")
    ids = {"plan": devplan.id, "version": version.id, "round": round_.id}
    if state == "none":
        # A plan never shared: remove the round entirely.
        db.session.delete(round_)
        db.session.commit()
    elif state == "closed":
        round_services.close_round(world.advocate, round_)
    return {"ids": ids, "department member": world.advocate, "department colleague": world.colleague,
            "other school in the group": reviewer, "outsider": world.outsider}


@pytest.fixture
def scene(request, built_once):
    """(state, who is who and the plan's ids): each state built once per database, its rows written again for
    each of its many tests."""
    state = request.param
    return state, built_once(("devplan visibility", state), lambda: _build_scene(state))


VIEW_STATES = [(view, state) for view in VIEWS for state in ("none", "open", "closed")
               if not (state == "none" and "{round}" in view)]  # a plan never shared has no round page


@pytest.mark.parametrize("who", list(CAN_READ))
@pytest.mark.parametrize(("view", "scene"), VIEW_STATES, indirect=["scene"])
def test_each_view_answers_only_those_who_may_read_the_plan(client, scene, who, view):
    state, named = scene
    sign_in(client, named[who])
    status = client.get(view.format(**named["ids"])).status_code
    assert status == (200 if CAN_READ[who][state] else 404)


@pytest.mark.parametrize("scene", ["open"], indirect=True)
@pytest.mark.parametrize("view", VIEWS)
def test_anonymous_people_are_sent_to_sign_in(client, scene, view):
    _state, named = scene
    response = client.get(view.format(**named["ids"]))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("scene", ["none", "open", "closed"], indirect=True)
@pytest.mark.parametrize("who", list(CAN_READ))
def test_posting_a_comment_is_refused_with_404_to_those_who_may_not_read(client, scene, who):
    from tests.devplans.helpers import anchor_for, write

    state, named = scene
    ids = named["ids"]
    from collab.devplans.models import DevPlan
    from collab.extensions import db
    client_id, first = write(db.session.get(DevPlan, ids["plan"]), "Raise attainment in KS3 ratio")
    start, end = anchor_for(client_id, first, first + 4)
    sign_in(client, named[who])
    response = client.post(f"/devplans/{ids['plan']}/comments", json={
        "clientId": f"c-{who.replace(' ', '-')}-{state}", "body": "Why?", "anchor": {"start": start, "end": end},
        "quote": "Raise"})
    assert response.status_code == (201 if CAN_READ[who][state] else 404)


@pytest.mark.parametrize("scene", ["none", "open", "closed"], indirect=True)
@pytest.mark.parametrize("who", list(CAN_READ))
def test_the_socket_join_follows_the_same_rule(app, client, scene, who):
    state, named = scene
    sign_in(client, named[who])
    sio = socketio.test_client(app, flask_test_client=client)
    ack = sio.emit("doc:join", f"devplan:{named['ids']['plan']}", callback=True)
    sio.disconnect()
    if CAN_READ[who][state]:
        expected_access = "edit" if who == "department member" else "read"
        assert ack == {"ok": True, "access": expected_access}
    else:
        assert ack["error"] == "not-found"


def test_an_anonymous_socket_cannot_connect(app, client, devplan):
    sio = socketio.test_client(app, flask_test_client=client)
    assert not sio.is_connected()


def test_a_hub_admin_outside_the_department_gets_404(client, world, devplan):
    sign_in(client, world.admin)
    assert client.get(f"/devplans/{devplan.id}").status_code == 404


def test_a_missing_plan_is_404(client, world):
    sign_in(client, world.advocate)
    assert client.get("/devplans/999999").status_code == 404


def test_a_reviewer_with_the_plan_open_is_dropped_when_the_round_closes(app, client, world, devplan, open_round,
                                                                       reviewer):
    from tests.realtime.client import awareness_message

    sign_in(client, reviewer)
    sio = socketio.test_client(app, flask_test_client=client)
    room = f"devplan:{devplan.id}"
    assert sio.emit("doc:join", room, callback=True)["ok"]
    round_services.close_round(world.advocate, open_round)
    ack = sio.emit("doc:awareness", room, awareness_message(7, 1, {"user": {"name": "Rosa"}}), callback=True)
    sio.disconnect()
    assert ack["error"] == "not-found"
