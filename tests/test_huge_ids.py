"""Ids no row can have (2^63 and more: past SQLite's INTEGER and PostgreSQL's bigint) are 404 / `not-found`,
never a server error, in URLs and in socket room names."""

from __future__ import annotations

import pytest

from collab.extensions import socketio
from collab.plans.models import LessonPlan
from tests import factories
from tests.conftest import sign_in

HUGE = [2**63, 10**30]
PATHS = ["/plans/{id}", "/plans/{id}/export.docx", "/plans/{plan}/versions/{id}", "/plans/{plan}/images/{id}",
         "/groups/{id}", "/groups/{id}/plans", "/sessions/{id}", "/sessions/{id}/discussion", "/visits/{id}",
         "/visits/{id}/summary", "/records/{id}", "/photos/{id}", "/photos/{id}/thumb", "/devplans/{id}",
         "/sessions/{id}/visit"]


def _world_and_plan() -> dict:
    from collab.plans.services import create_plan

    world = factories.build_world()
    return {**vars(world), "plan": create_plan(world.lead, world.group, "Year 8 ratio")}


@pytest.fixture
def planned(built_once) -> tuple[factories.World, LessonPlan]:
    """(world, the lead's plan "Year 8 ratio"): built once per database, its rows written again for each test."""
    named = dict(built_once("world and the lead's plan", _world_and_plan))
    plan = named.pop("plan")
    return factories.World(**named), plan


@pytest.mark.parametrize("huge", HUGE)
@pytest.mark.parametrize("path", PATHS)
def test_a_url_with_an_id_no_row_can_have_is_404(client, planned, login_as, path, huge):
    world, plan = planned
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
    from collab.devplans.plan import services

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
    from collab.observations.visits import services

    with pytest.raises(services.InvalidVisit):
        services.template_choice(world.group, str(huge))


@pytest.mark.parametrize("huge", HUGE)
def test_an_image_id_no_row_can_have_in_a_plan_is_left_out_of_its_exports(client, planned, login_as, huge):
    world, plan = planned
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


# --- discussions: ids in socket payloads and forms ------------------------------------------------------

WRONG_IDS = [2**63, str(2**63), 10**30, "²"]  # "²" is a digit to str.isdigit, and no int


@pytest.fixture
def discussion(world):
    from datetime import timedelta

    from tests import factories

    return factories.session(world.group, starts_in=timedelta(days=-14), attendees=[world.lead, world.advocate])


@pytest.fixture
def joined(lead_socket, discussion):
    assert lead_socket.emit("discussion:join", discussion.id, callback=True)["ok"] is True
    return lead_socket


def _client_id() -> str:
    import uuid

    return str(uuid.uuid4())


@pytest.mark.parametrize("parent_id", WRONG_IDS)
def test_a_reply_to_a_post_id_no_row_can_have_is_refused_as_a_missing_post_is(joined, parent_id):
    def post(parent):
        return joined.emit("discussion:post", {"client_id": _client_id(), "section": "noticed", "body": "Yes",
                                               "parent_id": parent}, callback=True)

    assert post(parent_id) == post(999_999)  # ok False, "invalid", "A reply must answer a post in this discussion."


@pytest.mark.parametrize("owner_id", WRONG_IDS)
def test_an_action_owner_id_no_row_can_have_is_refused_as_a_missing_member_is(joined, owner_id):
    def action(owner):
        return joined.emit("discussion:action", {"client_id": _client_id(), "text": "Try it",
                                                 "owner_id": owner}, callback=True)

    assert action(owner_id) == action(999_999)  # ok False, "invalid", "The owner of an action must be a member..."


@pytest.mark.parametrize("action_id", WRONG_IDS)
def test_ticking_an_action_id_no_row_can_have_is_not_found(joined, action_id):
    ack = joined.emit("discussion:action-done", {"action_id": action_id, "done": True}, callback=True)
    assert ack["ok"] is False and ack["error"] == "not-found"


@pytest.mark.parametrize("parent_id", WRONG_IDS)
def test_an_http_reply_to_a_post_id_no_row_can_have_is_refused(client, world, discussion, login_as, parent_id):
    login_as(world.lead)
    response = client.post(f"/sessions/{discussion.id}/discussion/posts", data={
        "client_id": _client_id(), "section": "noticed", "parent_id": str(parent_id), "body": "Yes"})
    assert response.status_code == 400
    assert "A reply must answer a post in this discussion." in response.get_data(as_text=True)


@pytest.mark.parametrize("owner_id", WRONG_IDS)
def test_an_http_action_for_an_owner_id_no_row_can_have_is_refused(client, world, discussion, login_as, owner_id):
    login_as(world.lead)
    response = client.post(f"/sessions/{discussion.id}/discussion/actions", data={
        "action-client_id": _client_id(), "action-text": "Try it", "action-owner_id": str(owner_id),
        "action-due_date": ""})
    assert response.status_code == 400


# --- development plans: a reply's parent and a notification named in a form -----------------------------

def test_a_reply_to_a_comment_id_that_is_no_number_is_refused(client, world):
    from collab.devplans.plan import services

    devplan = services.create_plan(world.advocate, world.school_b.maths_department)
    sign_in(client, world.advocate)
    response = client.post(f"/devplans/{devplan.id}/comments", json={
        "clientId": "reply-to-digit-1", "body": "Yes", "anchor": {}, "quote": "", "parentId": "²"})
    assert response.status_code == 400
    assert response.get_json()["message"] == "There is no such comment to reply to."


@pytest.mark.parametrize("raw", ["²", "0", "-1", "x"])
def test_marking_a_notification_id_no_row_can_have_as_read_marks_nothing_either(client, world, raw):
    from collab.devplans.notifications import services as notifications

    notifications.notify([world.advocate], "mention", "You were mentioned", world.group)
    sign_in(client, world.advocate)
    assert client.post("/notifications/read", data={"id": raw}).status_code == 302
    assert notifications.unread_count(world.advocate.id) == 1


# --- observation records: a photo id written into a record's shared document ----------------------------

@pytest.mark.parametrize("photo_id", [float(2**63), 1e30, float("inf"), float("nan"), -1, 0.5])
def test_a_note_with_a_photo_id_no_row_can_have_shows_no_photo(client, world, login_as, photo_id):
    from tests.observations.helpers import add_note, make_visit, record_for

    visit = make_visit(world)
    add_note(record_for(visit, world.advocate), "Pupil A drew a bar model", photo_id=photo_id)
    login_as(world.lead)
    response = client.get(f"/visits/{visit.id}/summary")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Pupil A drew a bar model" in page and "/photos/" not in page


@pytest.mark.parametrize("at", [float("inf"), float("nan"), 1e300])
def test_a_note_at_a_time_no_clock_can_have_is_still_shown(client, world, login_as, at):
    from tests.observations.helpers import add_note, make_visit, record_for

    visit = make_visit(world)
    add_note(record_for(visit, world.advocate), "Pupil A drew a bar model", at=at)
    login_as(world.lead)
    response = client.get(f"/visits/{visit.id}/summary")
    assert response.status_code == 200 and "Pupil A drew a bar model" in response.get_data(as_text=True)


# --- lesson plans: a session to attach a new plan to, and who may only read it ---------------------------

NOT_IDS = ["²", str(2**63), "9" * 5000, "012", "-1", "0"]  # "9" * 5000: past int()'s 4300-digit limit


@pytest.mark.parametrize("raw", NOT_IDS)
def test_a_new_plan_for_a_session_id_no_row_can_have_is_attached_to_no_session(client, world, login_as, raw):
    from datetime import timedelta

    from tests import factories

    session = factories.session(world.group, starts_in=timedelta(days=7))
    login_as(world.lead)
    response = client.get(f"/groups/{world.group.id}/plans/new", query_string={"session": raw})
    assert response.status_code == 200
    assert f'<option selected value="{session.id}">' not in response.get_data(as_text=True)


def test_a_new_plan_for_a_session_id_is_attached_to_that_session(client, world, login_as):
    from datetime import timedelta

    from tests import factories

    session = factories.session(world.group, starts_in=timedelta(days=7))
    login_as(world.lead)
    response = client.get(f"/groups/{world.group.id}/plans/new", query_string={"session": str(session.id)})
    assert f'<option selected value="{session.id}">' in response.get_data(as_text=True)


@pytest.mark.parametrize("raw", [*NOT_IDS, "0{id}"])
def test_read_only_ids_no_row_can_have_are_left_out(client, planned, login_as, raw):
    world, plan = planned
    from sqlalchemy import select

    from collab.extensions import db
    from collab.plans.models import PlanReadOnly

    login_as(world.lead)
    response = client.post(f"/plans/{plan.id}/read-only",
                           data={"read_only": [raw.format(id=world.colleague.id), str(world.advocate.id)]})
    assert response.status_code == 302
    assert [r.user_id for r in db.session.scalars(select(PlanReadOnly))] == [world.advocate.id]


# --- lesson plans: numbers and ids written into a plan's shared document ---------------------------------

def _add_to_plan(plan, world, element):
    from pycrdt import Doc, XmlFragment

    from collab.plans.services import document_state
    from collab.realtime.store import get_store

    doc = Doc()
    doc.apply_update(document_state(plan.document_id))
    before = doc.get_state()
    doc.get("default", type=XmlFragment).children.append(element)
    get_store().submit(plan.document_id, doc.get_update(before), world.lead.id)


@pytest.mark.parametrize("level", [float("inf"), float("-inf"), float("nan"), "1e400", 1e300, "²", -5])
def test_a_heading_level_no_heading_can_have_is_shown_and_exported(client, planned, login_as, level):
    world, plan = planned
    from pycrdt import XmlElement, XmlText

    _add_to_plan(plan, world, XmlElement("heading", {"level": level}, [XmlText("Ratio tables")]))
    login_as(world.lead)
    page = client.get(f"/plans/{plan.id}")
    assert page.status_code == 200 and "Ratio tables" in page.get_data(as_text=True)
    assert client.get(f"/plans/{plan.id}/export.docx").status_code == 200
    assert client.get(f"/plans/{plan.id}/export.pdf").status_code == 200


@pytest.mark.parametrize("span", [float("inf"), float("nan"), 1e300, "1e400", str(10**30)])
def test_a_table_cell_span_no_table_can_have_is_shown_and_exported(client, planned, login_as, span):
    world, plan = planned
    from pycrdt import XmlElement, XmlText

    cell = XmlElement("tableCell", {"colspan": span, "rowspan": span}, [
        XmlElement("paragraph", {}, [XmlText("Bar model")])])
    _add_to_plan(plan, world, XmlElement("table", {}, [XmlElement("tableRow", {}, [cell])]))
    login_as(world.lead)
    page = client.get(f"/plans/{plan.id}")
    assert page.status_code == 200 and "Bar model" in page.get_data(as_text=True)
    assert client.get(f"/plans/{plan.id}/export.pdf").status_code == 200


# 4,900 digits: an id no row can have, in a path under the longest value a shared document takes (5,000 characters,
# COLLAB_MAX_VALUE_CHARS; longer is refused before it reaches the document: tests/realtime/test_value_limit.py).
@pytest.mark.parametrize("src", ["/plans/{plan}/images/" + "9" * 4900, "/plans/" + "9" * 4900 + "/images/{image}",
                                 "/plans/0{plan}/images/{image}", "/plans/{plan}/images/0{image}"])
def test_an_image_path_no_row_can_have_in_a_plan_is_left_out_of_its_exports(client, planned, login_as, src):
    world, plan = planned
    import io

    from PIL import Image
    from pycrdt import XmlElement

    from collab.plans.export import image_file

    png = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 255)).save(png, "PNG")
    login_as(world.lead)
    image_id = client.post(f"/plans/{plan.id}/images", data={"image": (io.BytesIO(png.getvalue()), "a.png")},
                           content_type="multipart/form-data").json["id"]
    src = src.format(plan=plan.id, image=image_id)
    _add_to_plan(plan, world, XmlElement("image", {"src": src}))
    assert image_file(plan, f"/plans/{plan.id}/images/{image_id}") is not None
    assert image_file(plan, src) is None
    assert client.get(f"/plans/{plan.id}/export.docx").status_code == 200
    assert client.get(f"/plans/{plan.id}/export.pdf").status_code == 200


# --- sign-ins: the user id in the session or remember-me cookie ("<user id>:<token>") --------------------

@pytest.mark.parametrize("raw_id", ["²", str(2**63), "9" * 5000, "0{id}", "-{id}", "+{id}", " {id}"])
def test_a_sign_in_naming_a_user_id_no_row_can_have_signs_no_one_in(client, world, raw_id):
    sign_in(client, world.advocate)
    with client.session_transaction() as session:
        _user_id, _, token = session["_user_id"].partition(":")
        session["_user_id"] = f"{raw_id.format(id=world.advocate.id)}:{token}"
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location


def test_a_sign_in_naming_its_user_id_signs_them_in(client, world):
    sign_in(client, world.advocate)
    assert client.get("/").status_code == 200


# --- visits: the case pupil an observer follows ----------------------------------------------------------

@pytest.mark.parametrize("follows", ["²", "01", "-1", str(2**63), "9" * 5000, "6", " 1"])
def test_an_observer_following_a_row_no_pupil_can_have_follows_no_one(client, world, login_as, follows):
    from collab.extensions import db
    from collab.observations.models import Visit
    from tests import factories

    session = factories.session(world.group)
    login_as(world.lead)
    response = client.post(f"/sessions/{session.id}/visit", data={
        "plan_id": "0", "template": "default", "phases": "Starter\nPlenary", "host_id": "0",
        "pupil-0-used": "1", "pupil-0-label": "Pupil A", "pupil-1-used": "1", "pupil-1-label": "Pupil B",
        f"observer-{world.advocate.id}": "1", f"follows-{world.advocate.id}": follows})
    assert response.status_code == 302
    [record] = db.session.query(Visit).one().records
    assert record.observer_id == world.advocate.id and record.follows is None


def test_an_observer_follows_the_row_named(client, world, login_as):
    from collab.extensions import db
    from collab.observations.models import Visit
    from tests import factories

    session = factories.session(world.group)
    login_as(world.lead)
    client.post(f"/sessions/{session.id}/visit", data={
        "plan_id": "0", "template": "default", "phases": "Starter\nPlenary", "host_id": "0",
        "pupil-0-used": "1", "pupil-0-label": "Pupil A", "pupil-1-used": "1", "pupil-1-label": "Pupil B",
        f"observer-{world.advocate.id}": "1", f"follows-{world.advocate.id}": "1"})
    [record] = db.session.query(Visit).one().records
    assert record.follows.label == "Pupil B"
