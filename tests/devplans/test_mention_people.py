"""@-mention suggestions on a development plan: the people who may read it (whom a mention notifies)."""

from __future__ import annotations

import json
import re

from tests.conftest import sign_in


def _people(client, plan_id: int) -> list[str]:
    page = client.get(f"/devplans/{plan_id}").get_data(as_text=True)
    config = json.loads(re.search(r'<script type="application/json" id="plan-config">(.*?)</script>', page, re.S)[1])
    return [p["name"] for p in config["people"]]


def test_a_plan_suggests_its_department_only_while_no_round_is_open(client, world, devplan, reviewer):
    sign_in(client, world.advocate)
    names = _people(client, devplan.id)
    assert world.advocate.name in names and world.colleague.name in names
    assert reviewer.name not in names and world.outsider.name not in names


def test_an_open_round_adds_the_reviewing_work_groups_members(client, world, devplan, open_round, reviewer):
    sign_in(client, reviewer)
    names = _people(client, devplan.id)
    assert reviewer.name in names and world.lead.name in names and world.advocate.name in names
    assert world.outsider.name not in names
