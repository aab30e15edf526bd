"""The visit room page follows the visit's records (static/src/_obs-room.js): at load and whenever the visit room
says they changed, it asks GET /visits/<id>/room-records for the records this person may read now. That list
follows the page's own rules; Chromium's part is in tests/browser/test_visit_room_live.py."""

from __future__ import annotations

import html
import json
import re

from collab.extensions import db
from collab.observations.visits import lesson_clock, services
from collab.sessions.models import Attendance, SessionKind
from tests import factories
from tests.observations.helpers import add_note, make_visit, record_for


def _listed(client, visit) -> dict:
    response = client.get(f"/visits/{visit.id}/room-records")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def _rooms(client, visit) -> set[str]:
    return {r["room"] for r in _listed(client, visit)["records"]}


def _room(visit, user) -> str:
    return f"observation:{record_for(visit, user).id}"


def test_the_list_names_an_observer_who_started_after_the_page_was_loaded(client, world, login_as):
    visit = make_visit(world, observers=[(world.advocate, 0)])
    login_as(world.lead)
    assert _rooms(client, visit) == {_room(visit, world.advocate)}
    services.join_as_observer(world.colleague, visit)
    listed = _listed(client, visit)
    record = record_for(visit, world.colleague)
    assert {"id": record.id, "room": f"observation:{record.id}", "observer": world.colleague.name,
            "observerId": world.colleague.id} in listed["records"]
    assert listed["observers"] == [
        {"id": world.advocate.id, "name": world.advocate.name, "follows": "Pupil A"},
        {"id": world.colleague.id, "name": world.colleague.name, "follows": ""}]
    assert listed["hidden"] == 0


def test_during_a_private_lesson_a_member_is_listed_only_their_own_record(client, world, visit, login_as):
    lesson_clock.start_lesson(world.lead, visit)
    login_as(world.advocate)
    listed = _listed(client, visit)
    assert {r["room"] for r in listed["records"]} == {_room(visit, world.advocate)}
    assert listed["hidden"] == 1
    assert {o["name"] for o in listed["observers"]} == {world.advocate.name, world.colleague.name}


def test_a_record_joins_the_list_when_the_host_shares_notes_and_leaves_it_when_the_lesson_resumes(
        client, world, visit, login_as):
    lesson_clock.start_lesson(world.lead, visit)
    login_as(world.advocate)
    own, other = _room(visit, world.advocate), _room(visit, world.colleague)
    lesson_clock.set_sharing(world.lead, visit, True)
    assert _rooms(client, visit) == {own, other}
    lesson_clock.set_sharing(world.lead, visit, False)
    assert _rooms(client, visit) == {own}
    lesson_clock.end_lesson(world.lead, visit)
    assert _rooms(client, visit) == {own, other} and _listed(client, visit)["hidden"] == 0
    lesson_clock.start_lesson(world.lead, visit)  # resumed: notes are private again
    assert _rooms(client, visit) == {own}


def test_a_member_who_does_not_observe_is_listed_nothing_during_a_private_lesson(client, world, login_as):
    visit = make_visit(world, observers=[(world.advocate, 0)])
    login_as(world.colleague)
    assert _listed(client, visit)["records"] == [] and _listed(client, visit)["hidden"] == 1


def test_an_invited_host_sees_the_visit_room_but_is_listed_no_record_even_after_a_transition_lesson(
        client, world, login_as):
    visit = make_visit(world, kind=SessionKind.TRANSITION, host=world.primary)
    teacher = factories.user("y6@example.org", "Yasmin Year6", world.primary)
    visit.session.attendances.append(Attendance(user=teacher))
    db.session.commit()
    lesson_clock.end_lesson(world.lead, visit)  # the summary is shared with them now, the live room is not
    login_as(teacher)
    listed = _listed(client, visit)
    assert listed["records"] == [] and listed["hidden"] == 0


def test_after_the_records_are_deleted_the_list_is_empty(client, world, visit, login_as):
    from collab.observations.retention.deletion import delete_visit_records

    delete_visit_records(world.lead, visit)
    login_as(world.lead)
    assert _listed(client, visit)["records"] == [] and _listed(client, visit)["hidden"] == 0


def test_someone_outside_the_work_group_gets_404_for_the_list(client, world, visit, login_as):
    login_as(world.outsider)
    assert client.get(f"/visits/{visit.id}/room-records").status_code == 404
    login_as(world.admin)  # a hub administrator who is not a member
    assert client.get(f"/visits/{visit.id}/room-records").status_code == 404


def test_the_list_needs_a_sign_in(client, world, visit):
    response = client.get(f"/visits/{visit.id}/room-records")
    assert response.status_code in (302, 401) and world.advocate.name.encode() not in response.data


# --- the page: it follows the records even with none to read yet ---------------------------------------------

def _config(page: str) -> dict | None:
    found = re.search(r'<script type="application/json" id="obs-config">(.*?)</script>', page, re.S)
    return json.loads(found.group(1)) if found else None


def test_a_visit_without_observers_yet_gets_the_live_timeline_for_its_first_observer(client, world, login_as):
    visit = make_visit(world, observers=[])
    login_as(world.lead)
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    config = _config(page)
    assert config["records"] == [] and config["recordsUrl"] == f"/visits/{visit.id}/room-records"
    assert 'id="timeline"' in page and "dist/observation.js" in page and "Nothing to show you yet" not in page


def test_the_page_gives_a_member_only_the_records_they_may_read(client, world, visit, login_as):
    add_note(record_for(visit, world.colleague), "Colleague saw the ratio table")
    login_as(world.advocate)
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert {r["room"] for r in _config(page)["records"]} == {_room(visit, world.advocate)}
    assert "Colleague saw the ratio table" not in page
    assert "1 observer's notes are hidden until the lesson ends" in html.unescape(page)


def test_an_invited_host_gets_no_live_timeline(client, world, login_as):
    visit = make_visit(world, host=world.primary)
    teacher = factories.user("y6@example.org", "Yasmin Year6", world.primary)
    visit.session.attendances.append(Attendance(user=teacher))
    db.session.commit()
    login_as(teacher)
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert _config(page) is None and "dist/observation.js" not in page and "Nothing to show you yet" in page
