"""Ids no row can have (2^63 and more: past SQLite's INTEGER and PostgreSQL's bigint) are 404 / `not-found`,
never a server error, in URLs and in socket room names."""

from __future__ import annotations

import pytest

from collab.extensions import socketio
from tests.conftest import sign_in

HUGE = [2**63, 10**30]
PATHS = ["/plans/{id}", "/plans/{id}/export.docx", "/plans/{plan}/versions/{id}", "/plans/{plan}/images/{id}",
         "/groups/{id}", "/groups/{id}/plans", "/sessions/{id}", "/sessions/{id}/discussion", "/visits/{id}",
         "/visits/{id}/summary", "/records/{id}", "/photos/{id}", "/photos/{id}/thumb", "/devplans/{id}",
         "/sessions/{id}/visit"]


@pytest.fixture
def plan(world):
    from collab.plans.services import create_plan

    return create_plan(world.lead, world.group, "Year 8 ratio")


@pytest.mark.parametrize("huge", HUGE)
@pytest.mark.parametrize("path", PATHS)
def test_a_url_with_an_id_no_row_can_have_is_404(client, world, plan, login_as, path, huge):
    login_as(world.lead)
    assert client.get(path.format(id=huge, plan=plan.id)).status_code == 404


@pytest.mark.parametrize("huge", HUGE)
def test_a_post_to_a_url_with_an_id_no_row_can_have_is_404(client, world, login_as, huge):
    login_as(world.lead)
    assert client.post(f"/visits/{huge}/lesson", data={"action": "start"}).status_code == 404


@pytest.fixture
def lead_socket(app, world):
    http = app.test_client()
    sign_in(http, world.lead)
    sio = socketio.test_client(app, flask_test_client=http)
    yield sio
    sio.disconnect()


@pytest.mark.parametrize("huge", HUGE)
@pytest.mark.parametrize("kind", ["plan", "observation", "devplan"])
def test_a_doc_join_with_an_id_no_row_can_have_is_not_found(world, lead_socket, kind, huge):
    ack = lead_socket.emit("doc:join", f"{kind}:{huge}", callback=True)
    assert ack["ok"] is False and ack["error"] == "not-found"


@pytest.mark.parametrize("huge", HUGE)
def test_a_visit_join_with_an_id_no_row_can_have_is_not_found(world, lead_socket, huge):
    ack = lead_socket.emit("visit:join", f"visit:{huge}", callback=True)
    assert ack["ok"] is False and ack["error"] == "not-found"


@pytest.mark.parametrize("huge", HUGE)
def test_a_reply_to_a_comment_id_no_row_can_have_is_refused(client, world, huge):
    from collab.devplans import services

    devplan = services.create_plan(world.advocate, world.school_b.maths_department)
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/comments", json={
        "clientId": "reply-to-huge-1", "body": "Yes", "anchor": {}, "quote": "", "parentId": huge})
    assert response.status_code == 400


@pytest.mark.parametrize("huge", HUGE)
def test_marking_a_notification_id_no_row_can_have_as_read_marks_nothing(client, world, huge):
    sign_in(client, world.advocate)
    assert client.post("/notifications/read", data={"id": str(huge)}).status_code == 302


@pytest.mark.parametrize("huge", HUGE)
def test_a_checklist_id_no_row_can_have_is_no_checklist_of_the_group(world, huge):
    from collab.observations import services

    with pytest.raises(services.InvalidVisit):
        services.template_choice(world.group, str(huge))


@pytest.mark.parametrize("huge", HUGE)
def test_an_image_id_no_row_can_have_in_a_plan_is_left_out_of_its_exports(client, world, plan, login_as, huge):
    from pycrdt import Doc, XmlElement, XmlFragment

    from collab.plans.services import document_state
    from collab.realtime.store import get_store

    doc = Doc()
    doc.apply_update(document_state(plan.document_id))
    before = doc.get_state()
    doc.get("default", type=XmlFragment).children.append(
        XmlElement("image", {"src": f"/plans/{plan.id}/images/{huge}"}))
    get_store().submit(plan.document_id, doc.get_update(before), world.lead.id)
    login_as(world.lead)
    assert client.get(f"/plans/{plan.id}/export.docx").status_code == 200
    assert client.get(f"/plans/{plan.id}/export.pdf").status_code == 200
