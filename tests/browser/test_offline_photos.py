"""Photos taken on an observation record with no connection wait on the tablet (shown as waiting to upload,
counted in the save state), survive a reload, and are uploaded once when the connection is back: a retried upload
never makes a second photo, and the server still strips their EXIF and location."""

from __future__ import annotations

import io
import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CONTROLLED, KEPT, wait_until
from tests.browser.test_visit_observation import build_visit, open_record

pytestmark = pytest.mark.browser

TWO_WAITING = ("Offline: 2 photos and your changes are kept on this device and will be sent when you are back "
               "online")
WAITING = "#my-notes .obs-note-waiting"
UPLOADED = "#my-notes img.obs-thumb[src$='/thumb']"


def photo_with_location(path, colour) -> str:
    from PIL import Image

    image = Image.new("RGB", (800, 600), colour)
    exif = Image.Exif()
    exif[0x010F] = "TabletMaker"
    exif[0x8825] = {1: "N", 2: (53.0, 48.0, 0.0), 3: "W", 4: (1.0, 33.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return str(path)


def stored_photos(live_server, record_id: int) -> list[dict]:
    def read():
        from collab.observations.models import ObservationPhoto

        return [{"client_id": p.client_id, "filename": p.filename}
                for p in ObservationPhoto.query.filter_by(record_id=record_id).order_by(ObservationPhoto.id)]

    return live_server.run(read)


def photo_note_ids(page) -> list[str]:
    return page.evaluate("""() => window.collabObservation.notes.toArray()
        .filter((note) => note.photo_id).map((note) => note.id)""")


@pytest.fixture
def visit_setup(live_server):
    return build_visit(live_server)


def test_photos_taken_offline_wait_on_the_tablet_and_are_uploaded_once_when_back(live_server, new_page, visit_setup,
                                                                                 tmp_path):
    s = visit_setup
    record = s["advocate_record"]
    page = new_page(s["advocate"])
    wait_until(page, CONTROLLED)
    open_record(page, record)
    wait_until(page, KEPT, arg=f"/records/{record}")

    page.context.set_offline(True)
    expect(page.locator("#save-state")).to_have_text(re.compile(r"^Offline: "))
    page.set_input_files("#photo-picker", photo_with_location(tmp_path / "one.jpg", (200, 30, 30)))
    page.set_input_files("#photo-picker", photo_with_location(tmp_path / "two.jpg", (30, 200, 30)))
    waiting = page.locator(WAITING)
    expect(waiting).to_have_count(2)
    expect(waiting.first).to_contain_text("waiting to upload")
    expect(waiting.locator("img.obs-thumb[alt*='waiting to upload']")).to_have_count(2)
    expect(page.locator("#save-state")).to_have_text(TWO_WAITING)
    expect(page.locator("#save-state")).to_have_attribute("title", "2 photos waiting to upload")

    page.reload()  # the tablet slept; the page comes back from the device
    expect(page.locator(WAITING)).to_have_count(2)
    expect(page.locator("#save-state")).to_have_text(TWO_WAITING)
    assert stored_photos(live_server, record) == []

    page.context.set_offline(False)
    expect(page.locator("#save-state")).to_have_text("Saved", timeout=20_000)
    expect(page.locator(WAITING)).to_have_count(0)
    expect(page.locator(UPLOADED)).to_have_count(2)
    photos = stored_photos(live_server, record)
    assert len(photos) == 2 and sorted(p["client_id"] for p in photos) == sorted(photo_note_ids(page))
    for photo in photos:  # stored without EXIF or location
        data = (live_server.upload_dir / "observations" / str(s["visit_id"]) / photo["filename"]).read_bytes()
        assert b"TabletMaker" not in data and b"Exif" not in data


def test_an_upload_whose_answer_was_lost_is_retried_without_a_second_photo(live_server, new_page, visit_setup,
                                                                           tmp_path):
    s = visit_setup
    record = s["advocate_record"]
    page = open_record(new_page(s["advocate"]), record)
    answers: list[int] = []

    def lose_the_first_answer(route) -> None:
        response = route.fetch()  # the server stores the photo...
        answers.append(response.status)
        if len(answers) == 1:
            route.abort("connectionreset")  # ...but the tablet never hears back
        else:
            route.fulfill(response=response)

    page.route("**/records/*/photos", lose_the_first_answer)
    page.set_input_files("#photo-picker", photo_with_location(tmp_path / "work.jpg", (30, 90, 160)))
    expect(page.locator(WAITING)).to_have_count(1)
    expect(page.locator("#save-state")).to_have_text("Sending 1 photo…")
    deadline = time.monotonic() + 10
    while not answers and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    expect(page.locator(WAITING)).to_have_count(1)  # not heard back: still waiting on the tablet
    assert len(stored_photos(live_server, record)) == 1

    page.context.set_offline(True)  # the Wi-Fi comes back: the queue is sent again
    page.context.set_offline(False)
    expect(page.locator(WAITING)).to_have_count(0)
    expect(page.locator(UPLOADED)).to_have_count(1)
    expect(page.locator("#save-state")).to_have_text("Saved")
    assert answers == [201, 200]  # the retry found the photo already stored
    assert len(stored_photos(live_server, record)) == 1
    assert len(photo_note_ids(page)) == 1
