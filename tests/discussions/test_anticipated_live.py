"""The discussion page's anticipated-versus-observed table is kept live in the browser (disc-anticipated.js): the
page gives the script the record rooms this person may read, and nothing more. Chromium's part is in
tests/browser/test_discussion_anticipated_live.py."""

from __future__ import annotations

import json
import re

import pytest

from collab.observations.visits import lesson_clock
from tests.observations.anticipated_plan import item_id, ratio_plan, tag
from tests.observations.helpers import make_visit, record_for


@pytest.fixture
def planned(world):
    visit = make_visit(world, plan=ratio_plan(world))
    tag(record_for(visit, world.advocate), item_id(visit, "Additive reasoning"), "seen")
    record_for(visit, world.colleague)
    return visit


def _config(page: str) -> dict | None:
    found = re.search(r'<script type="application/json" id="anticipated-config">(.*?)</script>', page, re.S)
    return json.loads(found.group(1)) if found else None


def test_the_lead_gets_every_record_room_and_the_live_script(client, world, planned, login_as):
    lesson_clock.end_lesson(world.lead, planned)
    login_as(world.lead)
    page = client.get(f"/sessions/{planned.session_id}/discussion").get_data(as_text=True)
    config = _config(page)
    rooms = {r["room"] for r in config["records"]}
    assert rooms == {f"observation:{record_for(planned, p).id}" for p in (world.advocate, world.colleague)}
    assert {r["observer"] for r in config["records"]} == {world.advocate.name, world.colleague.name}
    assert [i["text"] for i in config["anticipated"]][0] == "Additive reasoning: adding 9 to both quantities."
    assert config["summaryUrl"] == f"/visits/{planned.id}/summary"
    assert "dist/disc-anticipated.js" in page and "updates as the observers tag" in page


def test_during_a_private_lesson_an_observer_gets_only_the_records_they_may_read(client, world, planned, login_as):
    lesson_clock.start_lesson(world.lead, planned)
    login_as(world.colleague)
    page = client.get(f"/sessions/{planned.session_id}/discussion").get_data(as_text=True)
    assert {r["room"] for r in _config(page)["records"]} == {f"observation:{record_for(planned, world.colleague).id}"}


def test_a_discussion_without_anticipated_items_gets_no_live_script(client, world, login_as):
    visit = make_visit(world)
    login_as(world.lead)
    page = client.get(f"/sessions/{visit.session_id}/discussion").get_data(as_text=True)
    assert _config(page) is None and "dist/disc-anticipated.js" not in page


def test_a_visit_without_records_yet_is_followed_for_its_first_observer(client, world, login_as):
    visit = make_visit(world, observers=[], plan=ratio_plan(world))
    login_as(world.lead)
    page = client.get(f"/sessions/{visit.session_id}/discussion").get_data(as_text=True)
    assert 'id="anticipated-table"' in page and "dist/disc-anticipated.js" in page
    config = _config(page)
    assert config["records"] == [] and config["visitRoom"] == f"visit:{visit.id}"
    assert config["recordsUrl"] == f"/sessions/{visit.session_id}/discussion/anticipated-records"


# --- GET /sessions/<id>/discussion/anticipated-records: what the script asks when the visit's records change ----

def _listed(client, visit) -> set[str]:
    response = client.get(f"/sessions/{visit.session_id}/discussion/anticipated-records")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return {r["room"] for r in response.get_json()["records"]}


def test_the_records_list_names_a_record_started_after_the_page_was_loaded(client, world, login_as):
    from collab.observations.visits import services

    visit = make_visit(world, observers=[(world.advocate, 0)], plan=ratio_plan(world))
    login_as(world.lead)
    assert _listed(client, visit) == {f"observation:{record_for(visit, world.advocate).id}"}
    services.join_as_observer(world.colleague, visit)
    record = record_for(visit, world.colleague)
    assert _listed(client, visit) == {f"observation:{record_for(visit, world.advocate).id}",
                                      f"observation:{record.id}"}
    found = next(r for r in client.get(f"/sessions/{visit.session_id}/discussion/anticipated-records")
                 .get_json()["records"] if r["id"] == record.id)
    assert found == {"id": record.id, "room": f"observation:{record.id}", "observer": world.colleague.name,
                     "observerId": world.colleague.id}


def test_the_records_list_leaves_out_a_record_the_reader_may_not_read_until_it_becomes_readable(
        client, world, planned, login_as):
    lesson_clock.start_lesson(world.lead, planned)
    login_as(world.colleague)
    own = f"observation:{record_for(planned, world.colleague).id}"
    assert _listed(client, planned) == {own}  # the advocate's notes are private during the lesson
    lesson_clock.end_lesson(world.lead, planned)
    assert _listed(client, planned) == {own, f"observation:{record_for(planned, world.advocate).id}"}


def test_someone_outside_the_work_group_gets_404_for_the_records_list(client, world, planned, login_as):
    login_as(world.outsider)
    assert client.get(f"/sessions/{planned.session_id}/discussion/anticipated-records").status_code == 404
    login_as(world.admin)  # a hub administrator who is not a member
    assert client.get(f"/sessions/{planned.session_id}/discussion/anticipated-records").status_code == 404


def test_the_records_list_needs_a_sign_in_and_a_visit(client, world, planned, visit, login_as):
    response = client.get(f"/sessions/{planned.session_id}/discussion/anticipated-records")
    assert response.status_code in (302, 401) and b"Alex Advocate" not in response.data
    login_as(world.lead)
    assert client.get(f"/sessions/{visit.id}/discussion/anticipated-records").status_code == 404  # no visit
