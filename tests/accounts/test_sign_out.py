"""Signing out ends the sign-in on the server: copies of its cookies stop working, and so do its sockets."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from collab.accounts.models import UserSession
from collab.extensions import db, socketio
from collab.groups.services import deactivate_person
from collab.plans.services import create_plan
from collab.types import utcnow
from tests import factories
from tests.waiting import wait_for


def copy_of(app, client, *names: str):
    """A new test client holding copies of `client`'s cookies (someone who copied them off the device)."""
    other = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, f"no {name} cookie to copy"
        other.set_cookie(name, cookie.value)
    return other


def sign_ins(user) -> list[UserSession]:
    return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                                   .execution_options(populate_existing=True)))


@pytest.fixture
def plan(world):
    return create_plan(world.lead, world.group, "Year 8 ratio", year_group="Year 8", key_stage="KS3", topic="Ratio")


@pytest.fixture
def sockets(app):
    """sockets(client) -> a Socket.IO test client sharing that client's cookies; all disconnected afterwards."""
    made = []

    def connect(client):
        sio = socketio.test_client(app, flask_test_client=client)
        made.append(sio)
        return sio

    yield connect
    for sio in made:
        if sio.is_connected():
            sio.disconnect()


def joins(sio, room: str) -> bool:
    ack = sio.emit("doc:join", room, callback=True)
    return bool(ack and ack.get("ok"))


# --- cookies -----------------------------------------------------------------------------------------------------

def test_a_session_cookie_copied_before_signing_out_is_sent_to_sign_in_after(app, client, auth, world):
    auth.login()
    copied = copy_of(app, client, "session")
    assert copied.get("/").status_code == 200
    auth.logout()
    response = copied.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_remember_cookie_of_a_signed_out_session_does_not_sign_in(app, client, auth, world):
    auth.login(remember=True)
    copied = copy_of(app, client, "remember_token")
    auth.logout()
    assert copied.get("/").status_code == 302
    assert copied.get_cookie("remember_token") is None  # told to forget it


def test_a_remember_cookie_of_a_live_session_still_signs_in(app, client, auth, world):
    auth.login(remember=True)
    assert copy_of(app, client, "remember_token").get("/").status_code == 200


def test_signing_out_on_one_device_leaves_the_others_signed_in(app, client, auth, world):
    other_device = app.test_client()
    other_device.post("/login", data={"email": "lead@example.org", "password": factories.PASSWORD})
    auth.login()
    auth.logout()
    assert other_device.get("/").status_code == 200


def test_signing_out_revokes_the_sign_in(client, auth, world):
    auth.login()
    auth.logout()
    [sign_in] = sign_ins(world.lead)
    assert sign_in.revoked_at is not None


def test_signing_in_again_ends_the_browser_s_previous_sign_in(app, client, auth, world):
    auth.login()
    copied = copy_of(app, client, "session")
    auth.login(email=world.advocate.email)
    assert copied.get("/").status_code == 302
    assert client.get("/").status_code == 200


def test_a_sign_in_older_than_the_remember_cookie_s_lifetime_is_refused(client, auth, world):
    auth.login()
    db.session.execute(update(UserSession).values(created_at=utcnow() - timedelta(days=31)))
    db.session.commit()
    assert client.get("/").status_code == 302


def test_an_id_naming_no_sign_in_is_refused(client, world):
    with client.session_transaction() as session:
        session["_user_id"] = f"{world.lead.id}:{world.lead.session_token}"  # the per-person form of before
    assert client.get("/").status_code == 302


def test_changing_the_password_revokes_every_other_sign_in(app, client, auth, world):
    other_device = app.test_client()
    other_device.post("/login", data={"email": "lead@example.org", "password": factories.PASSWORD})
    auth.login()
    client.post("/profile", data={"password-current_password": factories.PASSWORD,
                                  "password-password": "a brand new passphrase",
                                  "password-confirm": "a brand new passphrase",
                                  "password-submit": "Change password"})
    live = [s for s in sign_ins(world.lead) if s.revoked_at is None]
    assert len(live) == 1  # this device's new one
    assert client.get("/").status_code == 200


def test_deactivating_someone_revokes_their_sign_ins(app, world):
    other_device = app.test_client()
    other_device.post("/login", data={"email": world.advocate.email, "password": factories.PASSWORD})
    deactivate_person(world.admin, world.advocate)
    assert all(s.revoked_at is not None for s in sign_ins(world.advocate))
    assert other_device.get("/").status_code == 302


def test_the_sign_in_page_after_signing_out_tells_the_browser_to_clear_local_copies(client, auth, world):
    auth.login()
    auth.logout()
    assert "data-clear-local" in client.get("/login").get_data(as_text=True)
    assert "data-clear-local" not in client.get("/login").get_data(as_text=True)  # once


def test_the_sign_in_page_also_clears_after_a_sign_in_ended_elsewhere(app, client, auth, world):
    auth.login()
    copied = copy_of(app, client, "session")
    auth.logout()
    copied.get("/")
    assert "data-clear-local" in copied.get("/login").get_data(as_text=True)


def test_a_first_visit_to_the_sign_in_page_clears_nothing(client):
    assert "data-clear-local" not in client.get("/login").get_data(as_text=True)


# --- sockets -----------------------------------------------------------------------------------------------------

def test_an_open_socket_is_disconnected_within_a_second_of_signing_out(app, client, auth, world, plan, sockets):
    auth.login()
    sio = sockets(client)
    assert joins(sio, f"plan:{plan.id}")
    auth.logout()
    assert wait_for(lambda: not sio.is_connected(), timeout=1.0)


def test_a_copied_cookie_cannot_open_a_socket_after_signing_out(app, client, auth, world, plan, sockets):
    auth.login()
    copied = copy_of(app, client, "session")
    auth.logout()
    assert not sockets(copied).is_connected()


def test_a_socket_opened_with_a_copied_cookie_is_cut_by_the_owner_signing_out(
        app, client, auth, world, plan, sockets):
    auth.login()
    copied = copy_of(app, client, "session")
    thief = sockets(copied)
    assert joins(thief, f"plan:{plan.id}")
    auth.logout()
    assert wait_for(lambda: not thief.is_connected(), timeout=1.0)
    assert not sockets(copied).is_connected()  # and cannot come back to join again


def test_signing_out_leaves_the_sockets_of_other_sign_ins_connected(app, client, auth, world, plan, sockets):
    other_device = app.test_client()
    other_device.post("/login", data={"email": "lead@example.org", "password": factories.PASSWORD})
    other = sockets(other_device)
    auth.login()
    mine = sockets(client)
    auth.logout()
    assert wait_for(lambda: not mine.is_connected(), timeout=1.0)
    time.sleep(0.6)  # at least one more sweep
    assert other.is_connected()
    assert joins(other, f"plan:{plan.id}")


def test_deactivating_someone_cuts_their_sockets(app, world, plan, sockets):
    device = app.test_client()
    device.post("/login", data={"email": world.advocate.email, "password": factories.PASSWORD})
    sio = sockets(device)
    assert sio.is_connected()
    deactivate_person(world.admin, world.advocate)
    assert wait_for(lambda: not sio.is_connected(), timeout=1.0)


def _keep_a_connection(app):
    from collab.extensions import connection_registry
    from collab.realtime.connections import Connection

    registry = connection_registry.get(app)
    registry.add("sid-1", Connection(user_id=1, bucket=registry.limits.acquire(1)))
    return registry


def test_the_sweeper_stops_when_its_app_has_no_connections_left(app):
    from collab.extensions import sign_in_sweeper

    registry, sweeper = _keep_a_connection(app), sign_in_sweeper.get(app)
    sweeper.ensure_running()
    time.sleep(0.6)  # at least one sweep
    assert sweeper.running
    registry.remove("sid-1")
    assert wait_for(lambda: not sweeper.running, timeout=3)


def test_a_sweeper_made_again_for_its_app_replaces_the_running_one_which_stops(app):
    from collab.extensions import sign_in_sweeper

    _keep_a_connection(app)
    old = sign_in_sweeper.get(app)
    old.ensure_running()
    sign_in_sweeper.init_app(app)  # as each test's fresh app does (tests/conftest.py)
    assert sign_in_sweeper.get(app) is not old
    assert wait_for(lambda: not old.running, timeout=3)
