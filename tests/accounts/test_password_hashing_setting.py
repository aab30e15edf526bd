"""COLLAB_PASSWORD_HASHING: argon2 parameters from the environment (the test suite's servers sign in fast); a
hash made with other parameters still signs in and is renewed with the configured ones."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from collab.accounts.models import User
from collab.config import load_settings
from collab.extensions import db
from tests import factories


def test_the_parameters_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("COLLAB_PASSWORD_HASHING", "time_cost=2, memory_cost=2048,parallelism=1")
    assert load_settings()["COLLAB_PASSWORD_HASHING"] == {"time_cost": 2, "memory_cost": 2048, "parallelism": 1}
    monkeypatch.delenv("COLLAB_PASSWORD_HASHING")
    assert load_settings()["COLLAB_PASSWORD_HASHING"] == {}  # argon2-cffi's own, as in production


@pytest.mark.parametrize("value", ["time_cost=0", "memory=1024", "time_cost=fast", "parallelism"])
def test_a_mistyped_setting_stops_the_start_with_its_name(monkeypatch, value):
    monkeypatch.setenv("COLLAB_PASSWORD_HASHING", value)
    with pytest.raises(ValueError, match="COLLAB_PASSWORD_HASHING"):
        load_settings()


def test_a_hash_made_with_other_parameters_signs_in_and_is_renewed(client, world):
    old = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(factories.PASSWORD)
    world.lead.password_hash = old
    db.session.commit()
    response = client.post("/login", data={"email": world.lead.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    renewed = db.session.get(User, world.lead.id).password_hash
    assert renewed != old and "m=1024,t=1,p=1" in renewed  # the app's parameters (the suite's cheap ones)
