"""Anticipated versus observed on the post-lesson discussion page, in Chromium: an observer tags a misconception
and links a note on their record, and the lead's discussion page shows it without a reload; so does a member who
starts observing after the page was loaded, and (only once the host shares notes) another observer's record."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_until
from tests.browser.test_anticipated_observed import MISCONCEPTION, build
from tests.browser.test_visit_observation import add_note, open_record
from tests.waiting import wait_for

pytestmark = pytest.mark.browser


def test_an_observers_tag_shows_on_the_discussion_page_without_a_reload(live_server, new_page, artifact_path):
    s = build(live_server)

    def session_id():
        from collab.extensions import db
        from collab.observations.models import Visit

        return db.session.get(Visit, s["visit_id"]).session_id

    lead = new_page(s["lead"])
    lead.goto(f"/sessions/{live_server.run(session_id)}/discussion")
    row = lead.locator(f"#anticipated-table tr[data-item='{s['item']}']")
    expect(row).to_contain_text(MISCONCEPTION)
    expect(row.locator("td[data-tag=seen]")).to_have_text("0")
    expect(lead.locator("#anticipated-live-note")).to_be_visible()
    lead.evaluate("window.notReloaded = true")
    # Every record has arrived over the socket before the observer starts.
    assert wait_for(lambda: lead.evaluate("() => !!window.collabDiscussionTable && "
                                          "window.collabDiscussionTable.sources.every((s) => s.provider.synced)"),
                    timeout=10)

    observer = open_record(new_page(s["advocate"]), s["record"])
    item, notes = _seen_with_a_linked_note(observer, row, s["item"], s["advocate_name"],
                                           "Pupil B added 9 to both: 12 pencils cost £10.20", "Pupil B")
    assert notes.locator("a").first.get_attribute("href").startswith(f"/visits/{s['visit_id']}/summary#note-")

    # Changing the tag moves the count, still without a reload.
    item.get_by_label("Not seen").check()
    expect(row.locator("td[data-tag=not-seen]")).to_have_text(f"1 ({s['advocate_name']})")
    expect(row.locator("td[data-tag=seen]")).to_have_text("0")
    assert lead.evaluate("window.notReloaded") is True
    lead.screenshot(path=str(artifact_path("discussion-anticipated-live.png")), full_page=True)


def _seen_with_a_linked_note(observer, row, item_id: str, observer_name: str, text: str, pupil: str):
    """The observer tags the anticipated item seen and links a new note to it; the lead's `row` shows both, named,
    without a reload. Returns the observer's item and the row's notes cell."""
    item = observer.locator(f".obs-ant-item[data-item='{item_id}']")
    item.get_by_label("Seen", exact=True).check()
    expect(row.locator("td[data-tag=seen]")).to_have_text(f"1 ({observer_name})")
    add_note(observer, text, pupil=pupil)
    observer.locator("#my-notes .obs-note", has_text=text).locator(".obs-ant-on-note select").select_option(item_id)
    notes = row.locator(".obs-ant-notes")
    expect(notes).to_contain_text(text)
    expect(notes).to_contain_text(observer_name)
    return item, notes


def test_a_member_who_starts_observing_after_the_page_was_loaded_joins_the_table_without_a_reload(
        live_server, new_page, artifact_path):
    def make():
        from tests import factories
        from tests.observations.anticipated_plan import item_id, ratio_plan
        from tests.observations.helpers import make_visit

        world = factories.build_world()
        visit = make_visit(world, observers=[(world.advocate, 0)], plan=ratio_plan(world))
        return {"visit_id": visit.id, "session_id": visit.session_id, "lead": world.lead.email,
                "colleague": world.colleague.email, "colleague_name": world.colleague.name,
                "item": item_id(visit, "Additive reasoning")}

    s = live_server.run(make)
    lead = new_page(s["lead"])
    lead.goto(f"/sessions/{s['session_id']}/discussion")
    row = lead.locator(f"#anticipated-table tr[data-item='{s['item']}']")
    expect(row.locator("td[data-tag=seen]")).to_have_text("0")
    lead.evaluate("window.notReloaded = true")
    wait_until(lead, "() => !!window.collabDiscussionTable && window.collabDiscussionTable.sources.length === 1 && "
                     "window.collabDiscussionTable.sources.every((s) => s.provider.synced)")

    # The colleague was not assigned: they start observing from the visit room, then tag and link a note.
    observer = new_page(s["colleague"])
    observer.goto(f"/visits/{s['visit_id']}")
    observer.get_by_role("button", name="Observe this lesson").click()
    expect(observer.locator("#save-state")).to_have_text("Saved")
    _seen_with_a_linked_note(observer, row, s["item"], s["colleague_name"], "Pupil C doubled 6 and added 3",
                             "Pupil C")
    assert lead.evaluate("window.collabDiscussionTable.sources.length") == 2
    assert lead.evaluate("window.notReloaded") is True
    lead.screenshot(path=str(artifact_path("discussion-anticipated-new-observer.png")), full_page=True)


def test_an_observers_record_joins_the_table_when_the_host_shares_notes_and_not_before(
        live_server, new_page):
    def make():
        from collab.observations.visits import lesson_clock
        from tests import factories
        from tests.observations.anticipated_plan import item_id, ratio_plan
        from tests.observations.helpers import make_visit, record_for

        world = factories.build_world()
        visit = make_visit(world, plan=ratio_plan(world))
        lesson_clock.start_lesson(world.lead, visit)  # notes private to each observer (and the lead) for now
        return {"visit_id": visit.id, "session_id": visit.session_id, "lead": world.lead.email,
                "advocate": world.advocate.email, "advocate_name": world.advocate.name,
                "colleague": world.colleague.email, "record": record_for(visit, world.advocate).id,
                "item": item_id(visit, "Additive reasoning")}

    s = live_server.run(make)
    colleague = new_page(s["colleague"])
    colleague.goto(f"/sessions/{s['session_id']}/discussion")
    row = colleague.locator(f"#anticipated-table tr[data-item='{s['item']}']")
    colleague.evaluate("window.notReloaded = true")
    wait_until(colleague, "() => !!window.collabDiscussionTable && "
                          "window.collabDiscussionTable.sources.every((s) => s.provider.synced)")
    assert colleague.evaluate("window.collabDiscussionTable.sources.map((s) => s.record.observer)") == [
        "Chris Colleague"]  # only their own record during a private lesson

    advocate = open_record(new_page(s["advocate"]), s["record"])
    advocate.locator(f".obs-ant-item[data-item='{s['item']}']").get_by_label("Seen", exact=True).check()
    expect(advocate.locator("#save-state")).to_have_text("Saved")
    expect(row.locator("td[data-tag=seen]")).to_have_text("0")

    lead = new_page(s["lead"])
    lead.goto(f"/visits/{s['visit_id']}")
    lead.get_by_role("button", name="Let them see them now").click()
    expect(row.locator("td[data-tag=seen]")).to_have_text(f"1 ({s['advocate_name']})")
    assert colleague.evaluate("window.notReloaded") is True
