"""The visit room page follows the visit's records in Chromium, without a reload: an observer who starts after the
lead opened the page appears there with their notes; during a private lesson another observer's notes stay out of
an observer's page until the host shares them."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_until
from tests.browser.test_visit_observation import add_note

pytestmark = pytest.mark.browser


def _visit(live_server, observers: str, start: bool = False) -> dict:
    def make():
        from collab.observations.visits import lesson_clock
        from tests import factories
        from tests.observations.helpers import make_visit

        world = factories.build_world()
        visit = make_visit(world, observers=[(world.advocate, 0)] if observers == "advocate" else [])
        if start:
            lesson_clock.start_lesson(world.lead, visit)  # notes private to each observer (and the lead)
        return {"visit_id": visit.id, "lead": world.lead.email, "advocate": world.advocate.email,
                "advocate_name": world.advocate.name, "colleague": world.colleague.email,
                "colleague_name": world.colleague.name}

    return live_server.run(make)


def _start_observing(page, visit_id: int):
    page.goto(f"/visits/{visit_id}")
    page.get_by_role("button", name="Observe this lesson").click()
    expect(page.locator("#save-state")).to_have_text("Saved")
    return page


def test_observers_who_start_after_the_lead_opened_the_visit_room_appear_there_with_their_notes(
        live_server, new_page, artifact_path):
    s = _visit(live_server, observers="none")
    lead = new_page(s["lead"])
    lead.goto(f"/visits/{s['visit_id']}")
    expect(lead.locator("#observers")).to_have_text("No observers assigned yet.")
    expect(lead.locator("#timeline")).to_have_text("No notes yet.")
    lead.evaluate("window.notReloaded = true")

    # A colleague arrives late, starts observing and writes a note: the lead sees both, live.
    colleague = _start_observing(new_page(s["colleague"]), s["visit_id"])
    add_note(colleague, "Pupil C doubled 6 and added 3", pupil="Pupil C")
    texts = lead.locator("#timeline .obs-note-text")
    expect(texts).to_have_text(["Pupil C doubled 6 and added 3"])
    expect(lead.locator("#timeline .obs-note-observer")).to_have_text([s["colleague_name"]])
    expect(lead.locator("#observers li")).to_have_text([f"{s['colleague_name']} · observing now"])

    # A second one, who certainly starts after the page has joined the visit room (it heard of the first).
    advocate = _start_observing(new_page(s["advocate"]), s["visit_id"])
    add_note(advocate, "Bar model for 3 : 5 on the board")
    expect(texts).to_have_text(["Pupil C doubled 6 and added 3", "Bar model for 3 : 5 on the board"])
    lead.select_option("#timeline-filters select[name=observer]", label=s["advocate_name"])
    expect(texts).to_have_text(["Bar model for 3 : 5 on the board"])
    assert lead.evaluate("window.notReloaded") is True
    lead.screenshot(path=str(artifact_path("visit-room-late-observer.png")), full_page=True)


def test_during_a_private_lesson_a_late_observers_notes_reach_another_observers_page_only_once_shared(
        live_server, new_page):
    s = _visit(live_server, observers="advocate", start=True)
    advocate = new_page(s["advocate"])
    advocate.goto(f"/visits/{s['visit_id']}")
    expect(advocate.locator("#observers li")).to_have_count(1)
    expect(advocate.locator("#hidden-note")).to_be_hidden()
    advocate.evaluate("window.notReloaded = true")

    colleague = _start_observing(new_page(s["colleague"]), s["visit_id"])
    # The advocate's page hears of the new observer, but is not given their record.
    expect(advocate.locator("#observers")).to_contain_text(s["colleague_name"])
    expect(advocate.locator("#hidden-note")).to_have_text(
        "1 observer's notes are hidden until the lesson ends (the host's choice).")
    add_note(colleague, "Pupil B added 9 to both quantities", pupil="Pupil B")
    time.sleep(1)  # what the page would have shown by now, had it joined the colleague's record
    expect(advocate.locator("#timeline")).not_to_contain_text("added 9 to both")
    assert advocate.evaluate("window.collabVisitRoom.sources.map((s) => s.observer.name)") == [s["advocate_name"]]

    lead = new_page(s["lead"])
    lead.goto(f"/visits/{s['visit_id']}")
    lead.get_by_role("button", name="Let them see them now").click()
    expect(advocate.locator("#timeline .obs-note-text")).to_have_text(["Pupil B added 9 to both quantities"])
    expect(advocate.locator("#hidden-note")).to_be_hidden()
    wait_until(advocate, "() => window.collabVisitRoom.sources.length === 2")
    assert advocate.evaluate("window.notReloaded") is True


def test_an_observer_who_started_while_the_leads_page_was_offline_appears_once_it_is_back_online(
        live_server, new_page):
    s = _visit(live_server, observers="none")
    lead = new_page(s["lead"])
    lead.goto(f"/visits/{s['visit_id']}")
    lead.evaluate("window.notReloaded = true")
    lead.context.set_offline(True)  # the lead's laptop loses the Wi-Fi: visit:records is sent while it is away

    colleague = _start_observing(new_page(s["colleague"]), s["visit_id"])
    add_note(colleague, "Pupil A used a double number line", pupil="Pupil A")
    time.sleep(1)
    expect(lead.locator("#timeline")).to_have_text("No notes yet.")

    lead.context.set_offline(False)  # reconnected: the page asks again what it may read
    expect(lead.locator("#timeline .obs-note-text")).to_have_text(["Pupil A used a double number line"],
                                                                 timeout=20_000)
    expect(lead.locator("#observers li")).to_contain_text([s["colleague_name"]])
    assert lead.evaluate("window.notReloaded") is True
