"""A lesson observation visit in Chromium: two observers record notes on their tablets (one offline for a while)
and the lead's visit room shows every note on one timeline, in time order, live."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Offline, the indicator says the work is kept on the device; how many edits wait is in its title.
OFFLINE = "Offline: your changes are kept on this device and will be sent when you are back online"
UNSENT = re.compile(r"^\d+ changes? not sent yet$")


def build_visit(live_server) -> dict:
    """An observation visit in a fresh Work Group: the advocate (following Pupil A) and the colleague observe.
    Returns the emails, names and ids a test needs (reusable by other visit tests)."""

    def build():
        from tests import factories
        from tests.observations.helpers import make_visit, record_for

        world = factories.build_world()
        visit = make_visit(world)
        return {"visit_id": visit.id, "session_id": visit.session_id, "lead": world.lead.email,
                "advocate": world.advocate.email, "colleague": world.colleague.email,
                "advocate_name": world.advocate.name, "colleague_name": world.colleague.name,
                "advocate_record": record_for(visit, world.advocate).id,
                "colleague_record": record_for(visit, world.colleague).id}

    return live_server.run(build)


def open_record(page, record_id: int):
    page.goto(f"/records/{record_id}")
    expect(page.locator("#save-state")).to_have_text("Saved")
    return page


def add_note(page, text: str, big_idea: str | None = None, pupil: str | None = None) -> None:
    if big_idea:
        page.locator(".obs-tag[data-tag=big_idea]", has_text=big_idea).click()
    if pupil:
        page.locator(".obs-tag[data-tag=pupil]", has_text=pupil).click()
    page.fill("#note-text", text)
    page.click("#add-note")
    expect(page.locator("#my-notes .obs-note-text", has_text=text)).to_be_visible()


@pytest.fixture
def visit_setup(live_server):
    return build_visit(live_server)


def test_two_observers_record_notes_and_the_lead_sees_them_in_time_order(live_server, new_page, visit_setup,
                                                                         artifact_path):
    s = visit_setup
    lead = new_page(s["lead"])
    a = open_record(new_page(s["advocate"]), s["advocate_record"])
    b = open_record(new_page(s["colleague"]), s["colleague_record"])

    # The lead starts the lesson from the visit room; both record pages hear it.
    lead.goto(f"/visits/{s['visit_id']}")
    lead.click("button[value=start]")
    for page in (a, b):
        expect(page.locator("#lesson-status")).to_have_text("In progress: Starter")

    add_note(a, "Bar model for 3 : 5 on the board", big_idea="Representation and structure", pupil="Pupil A")

    # B's tablet loses the Wi-Fi: the note waits on the tablet and the page says so.
    b.context.set_offline(True)
    expect(b.locator("#save-state")).to_have_text(re.compile(r"^Offline: "))
    add_note(b, "Pupil B adds 9 to both quantities", pupil="Pupil B")
    expect(b.locator("#save-state")).to_have_text(OFFLINE)
    expect(b.locator("#save-state")).to_have_attribute("title", UNSENT)
    add_note(a, "Teacher asks: what stays the same?", big_idea="Mathematical thinking")
    b.context.set_offline(False)
    expect(b.locator("#save-state")).to_have_text("Saved", timeout=20_000)

    # The lead's visit room: every note, in the order they were written, with the phase the host set.
    lead.goto(f"/visits/{s['visit_id']}")
    texts = lead.locator("#timeline .obs-note-text")
    expect(texts).to_have_text(["Bar model for 3 : 5 on the board", "Pupil B adds 9 to both quantities",
                                "Teacher asks: what stays the same?"])
    expect(lead.locator("#timeline .obs-note").first).to_contain_text("Starter")

    # A note written now appears live; the filters narrow the timeline.
    add_note(a, "Exit check: 7 of 9 correct")
    expect(texts).to_have_count(4)
    expect(texts.last).to_have_text("Exit check: 7 of 9 correct")
    lead.select_option("#timeline-filters select[name=pupil]", "Pupil B")
    expect(texts).to_have_text(["Pupil B adds 9 to both quantities"])
    expect(lead.locator(f"#observers li:has-text('{s['advocate_name']}')")).to_contain_text("observing now")
    lead.screenshot(path=str(artifact_path("visit-room.png")), full_page=True)


def open_discussion(page, session_id: int):
    page.goto(f"/sessions/{session_id}/discussion")
    expect(page.locator("#disc-state")).to_have_text("Saved")
    return page


def test_a_discussion_post_appears_live_on_every_page_and_offline_posts_follow_in_order(
        live_server, new_page, visit_setup, artifact_path):
    s = visit_setup

    def note():  # written before the pages open: the server caches a record's document once it has read it
        from collab.extensions import db
        from collab.observations.models import ObservationRecord
        from tests.observations.helpers import add_note

        add_note(db.session.get(ObservationRecord, s["advocate_record"]), "Pupil A halves first", pupil="Pupil A")

    live_server.run(note)
    pages = [open_discussion(new_page(s[who]), s["session_id"]) for who in ("lead", "advocate", "colleague")]
    lead, a, b = pages

    a.fill("#body-case-pupils", "Pupil A reached for a **ratio table** at once.")
    a.click("#section-case-pupils > form.disc-composer button[type=submit]")
    for page in pages:
        expect(page.locator("#section-case-pupils .disc-body strong")).to_have_text("ratio table")

    # B's tablet drops off the Wi-Fi: two posts wait on the tablet, then go in the order they were written.
    b.context.set_offline(True)
    expect(b.locator("#disc-state")).to_have_text(re.compile(r"^Offline: "))
    for text in ("Pupil B added 9 to both quantities", "Then he spotted the ×3 from the table"):
        b.fill("#body-noticed", text)
        b.click("#section-noticed > form.disc-composer button[type=submit]")
    expect(b.locator("#disc-state")).to_have_text(
        "Offline: your posts are kept on this device and will be sent when you are back online")
    expect(b.locator("#disc-state")).to_have_attribute("title", "2 posts not sent yet")
    b.context.set_offline(False)
    expect(b.locator("#disc-state")).to_have_text("Saved", timeout=20_000)
    for page in pages:
        expect(page.locator("#section-noticed .disc-body")).to_have_text(
            ["Pupil B added 9 to both quantities", "Then he spotted the ×3 from the table"])

    # A reply and an agreed action, live for the others too.
    lead.locator("#section-case-pupils details.disc-reply summary").first.click()
    lead.locator("#section-case-pupils details.disc-reply textarea").first.fill("Agreed, and without a prompt.")
    lead.locator("#section-case-pupils details.disc-reply button[type=submit]").first.click()
    lead.fill("#action-text", "Share the anchor task with the Work Group")
    lead.select_option("#action-owner_id", label=s["advocate_name"])
    lead.fill("#action-due_date", "2025-03-14")
    lead.click("#action-form button[type=submit]")
    for page in (a, b):
        expect(page.locator("#section-case-pupils .disc-replies .disc-body")).to_have_text(
            "Agreed, and without a prompt.")
        expect(page.locator("#action-list tbody tr")).to_contain_text(
            ["Share the anchor task with the Work Group"])
    expect(a.locator("#action-list tbody tr").first).to_contain_text("Fri 14 Mar 2025")

    # A quotes an observation note (written before the pages opened) into the evidence section.
    a.click("#section-evidence .disc-quote-open")
    a.click("#quote-picker .disc-quote-pick")
    a.fill("#body-evidence", "Evidence of scaling via the unit")
    a.click("#section-evidence > form.disc-composer button[type=submit]")
    for page in pages:
        expect(page.locator("#section-evidence .disc-quote blockquote")).to_have_text("Pupil A: Pupil A halves first")

    # Everything is there after a reload, drawn by the server alone.
    lead.reload()
    expect(lead.locator("#section-noticed .disc-body")).to_have_count(2)
    lead.screenshot(path=str(artifact_path("visit-discussion.png")), full_page=True)


def test_a_note_written_offline_survives_closing_the_page_and_a_photo_reaches_the_visit_room(
        live_server, new_page, visit_setup, tmp_path):
    import io

    from PIL import Image

    s = visit_setup
    a = open_record(new_page(s["advocate"]), s["advocate_record"])
    a.context.set_offline(True)
    expect(a.locator("#save-state")).to_have_text(re.compile(r"^Offline: "))
    add_note(a, "Written with no Wi-Fi")
    a.fill("#note-text", "Half-typed when the tablet slept")
    expect(a.locator("#save-state")).to_have_text(OFFLINE)
    expect(a.locator("#save-state")).to_have_attribute("title", UNSENT)
    context = a.context
    a.close()  # the note now lives only in this tablet's IndexedDB

    context.set_offline(False)
    again = open_record(context.new_page(), s["advocate_record"])
    expect(again.locator("#my-notes .obs-note-text", has_text="Written with no Wi-Fi")).to_be_visible()
    expect(again.locator("#note-text")).to_have_value("Half-typed when the tablet slept")

    picture = tmp_path / "work.jpg"
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 90, 160)).save(out, "JPEG")
    picture.write_bytes(out.getvalue())
    again.set_input_files("#photo-picker", str(picture))
    expect(again.locator("#my-notes img.obs-thumb")).to_have_count(1)

    lead = new_page(s["lead"])
    lead.goto(f"/visits/{s['visit_id']}")
    expect(lead.locator("#timeline .obs-note-text", has_text="Written with no Wi-Fi")).to_be_visible()
    thumb = lead.locator("#timeline img.obs-thumb")
    expect(thumb).to_have_count(1)
    assert lead.request.get(thumb.get_attribute("src")).ok
