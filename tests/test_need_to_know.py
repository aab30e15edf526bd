"""Pupil data is need-to-know: a hub administrator who is not a member of a Work Group administers it (its
details, schools, members, sessions) but reads none of its work (plans, observation visits and records,
summaries, discussions), over HTTP or the socket; as a member, they read it like a member (docs/privacy.md)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from collab.extensions import socketio
from collab.groups.models import Role
from collab.observations.visits import lesson_clock
from collab.plans.services import create_plan
from tests import factories
from tests.conftest import sign_in
from tests.observations.helpers import add_note, make_visit, record_for


@pytest.fixture
def work(world, client, login_as):
    """A plan, a finished visit with a note and a photo in the advocate's record, and the visit's discussion."""
    plan = create_plan(world.lead, world.group, "Year 8 ratio", year_group="Year 8")
    visit = make_visit(world, plan=plan)
    record = record_for(visit, world.advocate)
    add_note(record, "Pupil A added instead of multiplying", pupil="Pupil A")
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(jpeg, "JPEG")
    login_as(world.advocate)
    photo = client.post(f"/records/{record.id}/photos", data={"photo": (io.BytesIO(jpeg.getvalue()), "w.jpg")},
                        content_type="multipart/form-data").json
    lesson_clock.end_lesson(world.lead, visit)
    return {"plan": plan, "visit": visit, "record": record, "photo": photo}


def _work_pages(world, work) -> dict[str, str]:
    plan, visit, record = work["plan"], work["visit"], work["record"]
    return {
        "the group's plan list": f"/groups/{world.group.id}/plans",
        "a new plan form": f"/groups/{world.group.id}/plans/new",
        "a plan": f"/plans/{plan.id}",
        "a plan's history": f"/plans/{plan.id}/history",
        "a plan's Word export": f"/plans/{plan.id}/export.docx",
        "a visit room": f"/visits/{visit.id}",
        "a visit room's records list": f"/visits/{visit.id}/room-records",
        "a visit's set-up": f"/sessions/{visit.session_id}/visit",
        "an observation record": f"/records/{record.id}",
        "a visit summary": f"/visits/{visit.id}/summary",
        "a visit's records and retention": f"/visits/{visit.id}/records",
        "a photo": work["photo"]["url"],
        "a photo's thumbnail": work["photo"]["thumb"],
        "a post-lesson discussion": f"/sessions/{visit.session_id}/discussion",
    }


PAGES = ["the group's plan list", "a new plan form", "a plan", "a plan's history", "a plan's Word export",
         "a visit room", "a visit room's records list", "a visit's set-up", "an observation record", "a visit summary",
         "a visit's records and retention", "a photo", "a photo's thumbnail", "a post-lesson discussion"]


@pytest.mark.parametrize("page", PAGES)
def test_a_hub_admin_who_is_not_a_member_gets_404_for_the_groups_work(client, world, work, login_as, page):
    login_as(world.admin)
    assert client.get(_work_pages(world, work)[page]).status_code == 404


@pytest.mark.parametrize("page", ["a plan", "a visit room", "a visit room's records list", "an observation record",
                                  "a visit summary", "a photo", "a post-lesson discussion"])
def test_a_hub_admin_who_is_a_member_reads_the_groups_work(client, world, work, login_as, page):
    factories.member(world.group, world.admin, Role.ADVOCATE)
    login_as(world.admin)
    assert client.get(_work_pages(world, work)[page]).status_code == 200


@pytest.mark.parametrize("path", ["/admin/", "/admin/groups", "/admin/people", "/admin/schools",
                                  "/groups/{group}", "/groups/{group}/members", "/groups/{group}/edit",
                                  "/groups/{group}/invite", "/groups/{group}/sessions/new", "/sessions/{session}"])
def test_a_hub_admin_who_is_not_a_member_still_administers_the_group(client, world, work, login_as, path):
    login_as(world.admin)
    url = path.format(group=world.group.id, session=work["visit"].session_id)
    assert client.get(url).status_code == 200


def test_the_session_page_offers_a_non_member_hub_admin_no_summary_or_discussion(client, world, work, login_as):
    login_as(world.admin)
    page = client.get(f"/sessions/{work['visit'].session_id}").get_data(as_text=True)
    assert "/summary" not in page and "/discussion" not in page and "Change the visit set-up" not in page


@pytest.fixture
def admin_socket(app, world):
    http = app.test_client()
    sign_in(http, world.admin)
    sio = socketio.test_client(app, flask_test_client=http)
    yield sio
    sio.disconnect()


def test_a_hub_admin_who_is_not_a_member_cannot_join_a_plan_over_the_socket(world, work, admin_socket):
    ack = admin_socket.emit("doc:join", f"plan:{work['plan'].id}", callback=True)
    assert ack["ok"] is False and ack["error"] == "not-found"


def test_a_hub_admin_who_is_not_a_member_cannot_join_a_record_over_the_socket(world, work, admin_socket):
    ack = admin_socket.emit("doc:join", f"observation:{work['record'].id}", callback=True)
    assert ack["ok"] is False and ack["error"] == "not-found"


def test_a_hub_admin_who_is_not_a_member_cannot_join_the_visit_clock(world, work, admin_socket):
    ack = admin_socket.emit("visit:join", f"visit:{work['visit'].id}", callback=True)
    assert ack["ok"] is False and ack["error"] == "not-found"


def test_a_hub_admin_who_is_not_a_member_cannot_join_the_discussion(world, work, admin_socket):
    ack = admin_socket.emit("discussion:join", work["visit"].session_id, callback=True)
    assert ack["ok"] is False and ack["error"] == "not-found"

