"""The register's form with CSRF protection switched on, as in production."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from collab.extensions import db
from collab.reports.models import AttendanceMark
from tests import factories


@pytest.fixture
def app_config() -> dict:
    return {"WTF_CSRF_ENABLED": True}


def test_the_register_carries_a_csrf_token_and_a_post_without_one_changes_nothing(client, world, login_as):
    held = factories.session(world.group, starts_in=timedelta(hours=-1), attendees=[world.lead])
    login_as(world.lead)
    page = client.get(f"/sessions/{held.id}").get_data(as_text=True)
    assert page.count('name="csrf_token"') >= 1 and f'action="/sessions/{held.id}/register"' in page
    assert client.post(f"/sessions/{held.id}/register", data={f"mark-{world.lead.id}": "present"}).status_code == 400
    assert db.session.scalar(select(AttendanceMark)) is None
