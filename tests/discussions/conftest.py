"""Fixtures for discussion tests: a finished observation visit, signed-in HTTP clients and socket clients."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests import factories


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def visit(world):
    return factories.session(world.group, starts_in=timedelta(days=-14), title="Year 9 proportional reasoning",
                             attendees=[world.lead, world.advocate, world.colleague])




def received(sio, name: str) -> list:
    return [p["args"][0] for p in sio.get_received() if p["name"] == name]


def post_payload(**overrides) -> dict:
    payload = {"client_id": new_id(), "section": "noticed", "body": "Pupil A used a ratio table at once."}
    payload.update(overrides)
    return payload
