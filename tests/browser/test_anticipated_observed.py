"""Anticipated versus observed in Chromium: an observer tags an anticipated misconception on their tablet and
links a note to it, and the lead's visit room table updates live."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_visit_observation import add_note, open_record

pytestmark = pytest.mark.browser

MISCONCEPTION = "Additive reasoning: adding 9 to both quantities."


def build(live_server) -> dict:
    def make():
        from tests import factories
        from tests.observations.anticipated_plan import item_id, ratio_plan
        from tests.observations.helpers import make_visit, record_for

        world = factories.build_world()
        visit = make_visit(world, plan=ratio_plan(world))
        return {"visit_id": visit.id, "lead": world.lead.email, "advocate": world.advocate.email,
                "advocate_name": world.advocate.name, "record": record_for(visit, world.advocate).id,
                "item": item_id(visit, "Additive reasoning")}

    return live_server.run(make)


def test_an_observer_tags_a_note_against_a_misconception_and_the_lead_sees_the_table_update_live(
        live_server, new_page, artifact_path):
    s = build(live_server)
    lead = new_page(s["lead"])
    lead.goto(f"/visits/{s['visit_id']}")
    row = lead.locator(f"#anticipated-table tr[data-item='{s['item']}']")
    expect(row).to_contain_text(MISCONCEPTION)
    expect(row.locator("td[data-tag=seen]")).to_have_text("0")

    observer = open_record(new_page(s["advocate"]), s["record"])
    item = observer.locator(f".obs-ant-item[data-item='{s['item']}']")
    expect(item).to_contain_text(MISCONCEPTION)
    # The radio group works from the keyboard: focus "Seen", then the arrow key moves the choice to "Not seen".
    item.get_by_label("Seen", exact=True).focus()
    observer.keyboard.press("Space")
    expect(row.locator("td[data-tag=seen]")).to_have_text(f"1 ({s['advocate_name']})")
    observer.keyboard.press("ArrowRight")
    expect(item.get_by_label("Not seen")).to_be_checked()
    expect(row.locator("td[data-tag=not-seen]")).to_have_text(f"1 ({s['advocate_name']})")
    expect(row.locator("td[data-tag=seen]")).to_have_text("0")
    item.get_by_label("Seen", exact=True).check()

    # A note written during the lesson, tagged against the misconception from the note itself.
    add_note(observer, "Pupil B added 9 to both: 12 pencils cost £10.20", pupil="Pupil B")
    note = observer.locator("#my-notes .obs-note", has_text="12 pencils cost £10.20")
    note.locator(".obs-ant-on-note select").select_option(s["item"])
    expect(item.locator(".obs-ant-linked")).to_contain_text("12 pencils cost £10.20")

    notes = row.locator(".obs-ant-notes")
    expect(notes).to_contain_text("12 pencils cost £10.20")
    expect(notes).to_contain_text(s["advocate_name"])
    expect(row.locator("td[data-tag=seen]")).to_have_text(f"1 ({s['advocate_name']})")
    href = notes.locator("a").first.get_attribute("href")
    assert href.startswith(f"/visits/{s['visit_id']}/summary#note-")
    lead.screenshot(path=str(artifact_path("anticipated-observed-room.png")), full_page=True)
    observer.screenshot(path=str(artifact_path("anticipated-observed-record.png")), full_page=True)

    # Unlinking from the item takes the note out of the lead's table too.
    item.locator(".obs-ant-unlink").click()
    expect(notes).to_have_text("None")

    # The summary links the note to its place in the timeline.
    note.locator(".obs-ant-on-note select").select_option(s["item"])
    expect(notes).to_contain_text("12 pencils cost £10.20")
    lead.goto(href)
    expect(lead.locator(f"#{href.split('#')[1]}")).to_contain_text("12 pencils cost £10.20")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_anticipated_parts_have_no_wcag_a_or_aa_violations(live_server, browser, viewport):
    from tests.browser.test_accessibility import open_context, report, violations

    s = build(live_server)

    def tagged():
        from collab.extensions import db
        from collab.observations.models import ObservationRecord
        from tests.observations.anticipated_plan import link, tag
        from tests.observations.helpers import add_note

        record = db.session.get(ObservationRecord, s["record"])
        note = add_note(record, "Pupil B added 9 to both", pupil="Pupil B")
        tag(record, s["item"], "seen")
        link(record, note["id"], s["item"])
        return record.visit.session_id

    session_id = live_server.run(tagged)
    found: dict[str, list[dict]] = {}
    lead = open_context(browser, live_server, viewport, s["lead"]).pages[0]
    observer = open_context(browser, live_server, viewport, s["advocate"]).pages[0]
    try:
        observer.goto(f"/records/{s['record']}")
        item = observer.locator(f".obs-ant-item[data-item='{s['item']}']")
        expect(item.locator(".obs-ant-linked")).to_contain_text("Pupil B added 9 to both")
        expect(observer.locator(".obs-ant-on-note select")).to_have_value(s["item"])
        found["record with tags"] = violations(observer)
        lead.goto(f"/visits/{s['visit_id']}")
        expect(lead.locator(f"#anticipated-table tr[data-item='{s['item']}'] .obs-ant-notes")).to_contain_text(
            "Pupil B added 9 to both")
        found["visit room table"] = violations(lead)
        lead.goto(f"/visits/{s['visit_id']}/summary")
        found["summary table"] = violations(lead)
        lead.goto(f"/sessions/{session_id}/discussion")
        found["discussion table"] = violations(lead)
    finally:
        lead.context.close()
        observer.context.close()
    assert not any(found.values()), report(found)
