"""Restoring a development plan's version with CSRF protection switched on, as in production."""

from __future__ import annotations

import re

import pytest

from collab.devplans.plan import services
from tests.conftest import sign_in
from tests.devplans.helpers import write


@pytest.fixture
def app_config() -> dict:
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def restorable(world, devplan):
    write(devplan, "Fluency in multiplicative reasoning")
    version = services.save_version(world.advocate, devplan, "Before critique")
    write(devplan, "CHANGED ")
    return version


def test_a_restore_without_a_csrf_token_changes_nothing(client, world, devplan, restorable):
    sign_in(client, world.advocate)
    assert client.post(f"/devplans/{devplan.id}/versions/{restorable.id}/restore").status_code == 400
    assert "CHANGED" in services.plan_text(devplan)


def test_the_restore_button_carries_the_token_that_lets_it_through(client, world, devplan, restorable):
    sign_in(client, world.advocate)
    page = client.get(f"/devplans/{devplan.id}/versions/{restorable.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    response = client.post(f"/devplans/{devplan.id}/versions/{restorable.id}/restore",
                           data={"csrf_token": token[1]})
    assert response.status_code == 302 and "CHANGED" not in services.plan_text(devplan)
