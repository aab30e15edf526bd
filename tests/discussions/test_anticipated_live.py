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


def test_a_visit_without_records_gets_no_live_script(client, world, login_as):
    visit = make_visit(world, observers=[], plan=ratio_plan(world))
    login_as(world.lead)
    page = client.get(f"/sessions/{visit.session_id}/discussion").get_data(as_text=True)
    assert 'id="anticipated-table"' in page
    assert _config(page) is None and "dist/disc-anticipated.js" not in page
