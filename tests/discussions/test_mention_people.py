"""@-mention suggestions on the discussion page: the Work Group's members only, and only for those who post."""

from __future__ import annotations

import json
import re

from tests.conftest import sign_in


def _config(client, session_id: int) -> dict:
    page = client.get(f"/sessions/{session_id}/discussion").get_data(as_text=True)
    found = re.search(r'<script type="application/json" id="discussion-config">(.*?)</script>', page, re.S)
    return json.loads(found[1])


def test_the_page_suggests_the_work_groups_members_by_name(client, world, visit):
    sign_in(client, world.advocate)
    names = [p["name"] for p in _config(client, visit.id)["people"]]
    assert names == ["Alex Advocate", "Chris Colleague", "Sam Lead"]
    assert world.outsider.name not in names and world.admin.name not in names
