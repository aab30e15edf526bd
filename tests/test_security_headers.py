"""Headers on every response: a Permissions-Policy that turns off device and sensor APIs, and no browser or
proxy copy (Cache-Control: no-store) of anything holding pupil data (docs/privacy.md)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from collab.plans.services import create_plan
from tests import factories
from tests.observations.helpers import add_note, make_visit, record_for

DENIED = ("camera", "microphone", "geolocation", "display-capture", "usb", "payment")


@pytest.mark.parametrize("path", ["/login", "/static/collab.css", "/no-such-page"])
def test_every_response_turns_off_the_camera_microphone_and_location(client, path):
    response = client.get(path)
    response.close()  # a static file's response holds it open until closed
    policy = response.headers["Permissions-Policy"]
    for feature in DENIED:
        assert f"{feature}=()" in policy


def test_a_signed_in_page_turns_them_off_too(client, world, login_as):
    login_as(world.lead)
    assert "camera=()" in client.get("/").headers["Permissions-Policy"]


@pytest.fixture
def pupil_pages(client, world, login_as) -> dict[str, str]:
    plan = create_plan(world.lead, world.group, "Year 8 ratio")
    visit = make_visit(world, plan=plan)
    record = record_for(visit, world.advocate)
    add_note(record, "Pupil A added instead of multiplying", pupil="Pupil A")
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(jpeg, "JPEG")
    login_as(world.advocate)
    photo = client.post(f"/records/{record.id}/photos", data={"photo": (io.BytesIO(jpeg.getvalue()), "w.jpg")},
                        content_type="multipart/form-data").json
    png = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 120, 0)).save(png, "PNG")
    image = client.post(f"/plans/{plan.id}/images", data={"image": (io.BytesIO(png.getvalue()), "a.png")},
                        content_type="multipart/form-data").json
    login_as(world.lead)
    return {
        "a plan": f"/plans/{plan.id}",
        "a plan's history": f"/plans/{plan.id}/history",
        "a plan's Word export": f"/plans/{plan.id}/export.docx",
        "an image in a plan": image["url"],
        "a visit room": f"/visits/{visit.id}",
        "a visit room's records list": f"/visits/{visit.id}/room-records",
        "a visit's set-up": f"/sessions/{visit.session_id}/visit",
        "an observation record": f"/records/{record.id}",
        "a photo": photo["url"],
        "a photo's thumbnail": photo["thumb"],
        "a visit summary": f"/visits/{visit.id}/summary",
        "a post-lesson discussion": f"/sessions/{visit.session_id}/discussion",
    }


@pytest.mark.parametrize("page", ["a plan", "a plan's history", "a plan's Word export", "an image in a plan",
                                  "a visit room", "a visit room's records list", "a visit's set-up",
                                  "an observation record", "a photo",
                                  "a photo's thumbnail", "a visit summary", "a post-lesson discussion"])
def test_a_page_with_pupil_data_is_never_stored(client, pupil_pages, page):
    response = client.get(pupil_pages[page])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_the_summary_pdf_is_never_stored(client, world, login_as):
    visit = make_visit(world)
    login_as(world.lead)
    assert client.get(f"/visits/{visit.id}/summary.pdf").headers["Cache-Control"] == "no-store"


def test_a_page_without_pupil_data_may_be_kept(client, world, login_as):
    login_as(world.lead)
    session = factories.session(world.group)
    assert "no-store" not in client.get(f"/sessions/{session.id}").headers.get("Cache-Control", "")
