"""Session forms with CSRF protection switched on, as in production."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from collab.extensions import db
from collab.sessions.models import Attendance, Response
from tests import factories


@pytest.fixture
def app_config() -> dict:
    return {"WTF_CSRF_ENABLED": True}


def test_the_reply_form_carries_a_csrf_token(client, world, login_as):
    session = factories.session(world.group, attendees=[world.advocate])
    login_as(world.advocate)
    assert 'name="csrf_token"' in client.get(f"/sessions/{session.id}").get_data(as_text=True)


def test_a_reply_without_a_csrf_token_changes_nothing(client, world, login_as):
    session = factories.session(world.group, attendees=[world.advocate])
    login_as(world.advocate)
    response = client.post(f"/sessions/{session.id}/respond", data={"response": "attending"})
    assert response.status_code == 400
    assert db.session.scalar(select(Attendance.response)) == Response.AWAITING


def test_making_a_feed_link_without_a_csrf_token_changes_nothing(client, world, login_as):
    login_as(world.advocate)
    assert client.post("/calendar/feed").status_code == 400
    db.session.refresh(world.advocate)
    assert world.advocate.calendar_token is None
