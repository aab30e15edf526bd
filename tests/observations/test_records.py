"""Observation records: the observer edits only their own; others read them as the host allows; 404 outside."""

from __future__ import annotations

from pycrdt import Array

from collab.observations.records.content import record_content
from collab.observations.visits import lesson_clock
from tests.observations.helpers import add_note, record_for


def _note(doc) -> None:
    doc.get("notes", type=Array).append({"id": "x", "at": 1, "phase": "Starter", "big_idea": "", "pupil": "",
                                         "text": "Pupil A draws a bar model"})


def test_an_observer_joins_their_own_record_to_edit_it(world, visit, peer):
    record = record_for(visit, world.advocate)
    p = peer(world.advocate, f"observation:{record.id}")
    assert p.join() == {"ok": True, "access": "edit"}
    assert p.edit(_note)["ok"]
    assert record_content(record).notes[0]["text"] == "Pupil A draws a bar model"


def test_an_observer_cannot_read_another_observers_record_during_the_lesson(world, visit, peer):
    other = record_for(visit, world.colleague)
    p = peer(world.advocate, f"observation:{other.id}")
    assert p.join()["error"] == "not-found"


def test_an_observer_reads_but_cannot_edit_another_record_when_the_host_shares_notes(world, visit, peer):
    lesson_clock.set_sharing(world.lead, visit, True)
    other = record_for(visit, world.colleague)
    p = peer(world.advocate, f"observation:{other.id}")
    assert p.join() == {"ok": True, "access": "read"}
    assert p.edit(_note)["error"] == "read-only"
    assert record_content(other).notes == []


def test_every_member_reads_every_record_once_the_lesson_has_ended(world, visit, peer):
    lesson_clock.end_lesson(world.lead, visit)
    other = record_for(visit, world.colleague)
    assert peer(world.advocate, f"observation:{other.id}").join() == {"ok": True, "access": "read"}


def test_the_lead_always_reads_every_record(world, visit, peer):
    record = record_for(visit, world.advocate)
    assert peer(world.lead, f"observation:{record.id}").join() == {"ok": True, "access": "read"}


def test_someone_outside_the_work_group_cannot_join_a_record_even_after_the_lesson(world, visit, peer):
    lesson_clock.end_lesson(world.lead, visit)
    record = record_for(visit, world.advocate)
    assert peer(world.outsider, f"observation:{record.id}").join()["error"] == "not-found"


def test_the_record_page_is_404_outside_the_work_group(client, world, visit, login_as):
    login_as(world.outsider)
    assert client.get(f"/records/{record_for(visit, world.advocate).id}").status_code == 404


def test_the_record_page_is_404_for_a_member_while_notes_are_private(client, world, visit, login_as):
    login_as(world.advocate)
    assert client.get(f"/records/{record_for(visit, world.colleague).id}").status_code == 404


def test_the_record_page_opens_for_its_observer_in_edit_mode(client, world, visit, login_as):
    login_as(world.advocate)
    page = client.get(f"/records/{record_for(visit, world.advocate).id}").get_data(as_text=True)
    assert '"access": "edit"' in page and 'id="add-note"' in page and 'capture="environment"' in page


def test_the_visit_room_is_404_outside_the_work_group(client, world, visit, login_as):
    login_as(world.outsider)
    assert client.get(f"/visits/{visit.id}").status_code == 404


def test_the_visit_room_shows_a_member_only_their_own_notes_during_the_lesson(client, world, visit, login_as):
    add_note(record_for(visit, world.advocate), "Advocate saw the bar model")
    add_note(record_for(visit, world.colleague), "Colleague saw the ratio table")
    login_as(world.advocate)
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert "Advocate saw the bar model" in page and "Colleague saw the ratio table" not in page
    assert "hidden until the lesson ends" in page


def test_the_visit_room_shows_the_lead_every_observers_notes_in_time_order(client, world, visit, login_as):
    add_note(record_for(visit, world.colleague), "Second: ratio table", at=1_700_000_060_000)
    add_note(record_for(visit, world.advocate), "First: bar model", at=1_700_000_000_000)
    login_as(world.lead)
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert page.index("First: bar model") < page.index("Second: ratio table")


def test_a_member_who_was_not_assigned_can_start_observing(client, world, login_as):
    from tests.observations.helpers import make_visit

    visit = make_visit(world, observers=[(world.advocate, None)])
    login_as(world.colleague)
    response = client.post(f"/visits/{visit.id}/observe")
    assert response.status_code == 302
    assert any(r.observer_id == world.colleague.id for r in visit.records)


def test_a_hub_admin_of_another_hub_gets_404_for_the_visit(client, world, visit, login_as):
    login_as(world.other_admin)
    assert client.get(f"/visits/{visit.id}").status_code == 404


def test_a_reader_of_shared_notes_loses_them_at_once_when_the_host_stops_sharing(world, visit, peer):
    from tests.realtime.client import awareness_message

    lesson_clock.set_sharing(world.lead, visit, True)
    other = record_for(visit, world.colleague)
    p = peer(world.advocate, f"observation:{other.id}")
    assert p.join() == {"ok": True, "access": "read"}
    lesson_clock.set_sharing(world.lead, visit, False)
    assert p.emit("doc:awareness", f"observation:{other.id}", awareness_message(7, 1, {}))["error"] == "not-found"


def test_an_observer_with_their_record_open_loses_it_when_the_session_is_cancelled(world, visit, peer):
    from collab.sessions.services import delete_session

    record = record_for(visit, world.advocate)
    p = peer(world.advocate, f"observation:{record.id}")
    assert p.join()["ok"]
    delete_session(world.lead, visit.session)
    assert p.edit(_note)["error"] == "not-found"
