"""Fixtures for discussion tests: a finished observation visit, signed-in HTTP clients and socket clients."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from collab.extensions import socketio
from tests import factories
from tests.conftest import sign_in


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def visit(world):
    return factories.session(world.group, starts_in=timedelta(days=-14), title="Year 9 proportional reasoning",
                             attendees=[world.lead, world.advocate, world.colleague])



@pytest.fixture
def connect(app):
    """connect(user) -> a Socket.IO test client signed in as user (its own HTTP client, like a browser)."""
    made = []

    def _connect(user):
        http = app.test_client()
        sign_in(http, user)
        sio = socketio.test_client(app, flask_test_client=http)
        made.append(sio)
        return sio

    yield _connect
    for sio in made:
        if sio.is_connected():
            sio.disconnect()


def received(sio, name: str) -> list:
    return [p["args"][0] for p in sio.get_received() if p["name"] == name]


def post_payload(**overrides) -> dict:
    payload = {"client_id": new_id(), "section": "noticed", "body": "Pupil A used a ratio table at once."}
    payload.update(overrides)
    return payload
