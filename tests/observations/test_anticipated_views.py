"""Anticipated versus observed on the pages: the visit room (with "Refresh from the plan"), the record page's
tagging, the summary and its PDF, and the discussion's opening. 404 outside the Work Group; what a person may
not read (another observer's record during the lesson) is neither counted nor shown."""

from __future__ import annotations

import pytest
from pycrdt import Map

from collab.observations.visits import lesson_clock
from tests.observations.anticipated_plan import item_id, link, ratio_plan, tag
from tests.observations.helpers import _edit as edit_record
from tests.observations.helpers import add_note, make_visit, record_for
from tests.plans.pdftext import pdf_text


@pytest.fixture
def planned(world):
    """A visit of a plan with anticipated items: the advocate tags the additive misconception seen with a note
    linked; the colleague tags it seen and 'unit price' something else."""
    visit = make_visit(world, plan=ratio_plan(world))
    additive, unit = item_id(visit, "Additive reasoning"), item_id(visit, "Unit price")
    mine, theirs = record_for(visit, world.advocate), record_for(visit, world.colleague)
    note = add_note(mine, "Pupil B added 9 to both: 12 pencils cost £10.20", pupil="Pupil B")
    tag(mine, additive, "seen")
    link(mine, note["id"], additive)
    tag(theirs, additive, "seen")
    tag(theirs, unit, "something-else")
    hidden = add_note(theirs, "Rounded 0.4 to 0 and got stuck")
    link(theirs, hidden["id"], unit)
    return visit, note, hidden


def _row(page: str, item: str) -> str:
    return page.split(f'<tr data-item="{item}">')[1].split("</tr>")[0]


def _counts(row: str) -> list[str]:
    return [cell.split(">", 1)[1].split("<")[0].strip() for cell in row.split('class="obs-ant-count"')[1:]]


def test_the_summary_counts_each_item_and_links_the_notes(client, world, planned, login_as):
    visit, note, hidden = planned
    login_as(world.lead)
    page = client.get(f"/visits/{visit.id}/summary").get_data(as_text=True)
    additive = _row(page, item_id(visit, "Additive reasoning"))
    assert _counts(additive) == ["2", "0", "0"] and "Alex Advocate, Chris Colleague" in additive
    assert f'href="#note-{note["id"]}"' in additive and "12 pencils cost £10.20" in additive
    assert f'id="note-{note["id"]}"' in page  # the link's target, in the timeline
    unit = _row(page, item_id(visit, "Unit price"))
    assert _counts(unit) == ["0", "0", "1"] and "Rounded 0.4 to 0" in unit
    assert _counts(_row(page, item_id(visit, "Scale factor"))) == ["0", "0", "0"]


def test_the_summary_pdf_has_the_table(client, world, planned, login_as):
    visit, _note, _hidden = planned
    login_as(world.lead)
    text = " ".join(pdf_text(client.get(f"/visits/{visit.id}/summary.pdf").data).split())
    assert "Anticipated versus observed" in text and "Additive reasoning: adding 9 to both quantities." in text
    assert "12 pencils cost £10.20" in text


def test_an_observer_during_the_lesson_sees_only_their_own_tags_and_notes(client, world, planned, login_as):
    visit, note, hidden = planned
    login_as(world.advocate)
    page = client.get(f"/visits/{visit.id}/summary").get_data(as_text=True)
    assert _counts(_row(page, item_id(visit, "Additive reasoning"))) == ["1", "0", "0"]
    assert "Rounded 0.4 to 0" not in page and "Chris Colleague" not in _row(page, item_id(visit, "Unit price"))
    lesson_clock.end_lesson(world.lead, visit)
    page = client.get(f"/visits/{visit.id}/summary").get_data(as_text=True)
    assert _counts(_row(page, item_id(visit, "Additive reasoning"))) == ["2", "0", "0"]


def test_values_the_record_page_never_writes_are_not_counted(client, world, planned, login_as):
    visit, note, _hidden = planned
    mine, theirs = record_for(visit, world.advocate), record_for(visit, world.colleague)
    scale = item_id(visit, "Scale factor")
    tag(mine, scale, "maybe")  # no such tag
    tag(mine, "999999", "seen")  # no such item
    link(mine, "no-such-note", scale)
    link(theirs, note["id"], scale)  # a note of another record
    edit_record(mine, lambda doc: doc.get("anticipated", type=Map).__setitem__("x" * 65, "seen"))
    login_as(world.lead)
    page = client.get(f"/visits/{visit.id}/summary").get_data(as_text=True)
    row = _row(page, scale)
    assert _counts(row) == ["0", "0", "0"] and 'class="obs-ant-note"' not in row


def test_the_visit_room_shows_the_table_and_the_lead_can_refresh_it_from_the_plan(client, world, planned,
                                                                                   login_as):
    visit, _note, _hidden = planned
    login_as(world.lead)
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert 'id="anticipated-table"' in page and "Refresh from the plan" in page
    assert f'href="/visits/{visit.id}/summary#note-' in page
    response = client.post(f"/visits/{visit.id}/anticipated/refresh", follow_redirects=True)
    assert response.status_code == 200 and "Refreshed from the plan: 0 new items, 5 unchanged" in response.get_data(
        as_text=True)


def test_an_observer_sees_the_table_but_may_not_refresh_it(client, world, planned, login_as):
    visit, _note, _hidden = planned
    login_as(world.advocate)
    assert "Refresh from the plan" not in client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert client.post(f"/visits/{visit.id}/anticipated/refresh").status_code == 403


def test_everything_is_404_outside_the_work_group(client, world, planned, login_as):
    visit, _note, _hidden = planned
    for person in (world.outsider, world.admin):
        login_as(person)
        assert client.post(f"/visits/{visit.id}/anticipated/refresh").status_code == 404
        assert client.get(f"/visits/{visit.id}/summary").status_code == 404
        assert client.get(f"/sessions/{visit.session_id}/discussion").status_code == 404
        assert client.get(f"/records/{record_for(visit, world.advocate).id}").status_code == 404


def test_the_record_page_offers_a_radio_group_per_item_to_its_observer_only(client, world, planned, login_as):
    visit, _note, _hidden = planned
    record = record_for(visit, world.advocate)
    login_as(world.advocate)
    page = client.get(f"/records/{record.id}").get_data(as_text=True)
    additive = item_id(visit, "Additive reasoning")
    assert page.count(f'type="radio" name="ant-{additive}"') == 3 and "Something else" in page
    assert "Choose one of my notes" in page
    login_as(world.lead)
    page = client.get(f"/records/{record.id}").get_data(as_text=True)
    assert f'name="ant-{additive}" value="seen" disabled' in page and "Choose one of my notes" not in page


def test_the_discussion_opens_with_the_table(client, world, planned, login_as):
    visit, note, _hidden = planned
    lesson_clock.end_lesson(world.lead, visit)
    login_as(world.advocate)
    page = client.get(f"/sessions/{visit.session_id}/discussion").get_data(as_text=True)
    opening = page.split('id="anticipated"')[1].split('id="section-case-pupils"')[0]
    assert "Anticipated versus observed" in opening
    assert f'href="/visits/{visit.id}/summary#note-{note["id"]}"' in opening
    assert _counts(_row(opening, item_id(visit, "Additive reasoning"))) == ["2", "0", "0"]


def test_a_discussion_without_anticipated_items_has_no_table(client, world, visit, login_as):
    login_as(world.lead)
    assert 'id="anticipated-table"' not in client.get(f"/sessions/{visit.session_id}/discussion").get_data(
        as_text=True)
