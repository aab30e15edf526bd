"""Fixtures for visits: a visit with two observers, signing in, socket peers."""

from __future__ import annotations

import pytest

from collab.extensions import socketio
from tests.observations.helpers import make_visit
from tests.realtime.client import TestPeer


@pytest.fixture
def visit(world):
    """An observation visit: the advocate (following Pupil A) and the colleague observe; notes not shared."""
    return make_visit(world)


@pytest.fixture
def peer(app):
    """peer(user, room) -> a connected TestPeer over Flask-SocketIO's test client."""
    made: list[TestPeer] = []

    def make(user, room: str) -> TestPeer:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        p = TestPeer(app, socketio, client, room)
        p.connect()
        made.append(p)
        return p

    yield make
    for p in made:
        p.disconnect()
