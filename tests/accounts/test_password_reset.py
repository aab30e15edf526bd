"""Forgotten passwords: asking for a link and using it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from collab.accounts.models import PasswordReset
from collab.extensions import db
from collab.types import utcnow
from tests import factories
from tests.accounts.conftest import link_in, path_of

NEW_PASSWORD = "a brand new passphrase"
SENT = "If an account exists for that email, we've sent a link"


def ask_for_link(client, outbox, email: str = "lead@example.org") -> str:
    client.post("/password/forgot", data={"email": email})
    return path_of(link_in(outbox[-1]))


def choose(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"password": password, "confirm": password})


def test_asking_for_a_link_says_the_same_for_a_known_email(client, world):
    response = client.post("/password/forgot", data={"email": "lead@example.org"})
    assert response.status_code == 200
    assert SENT in response.get_data(as_text=True)


def test_asking_for_a_link_says_the_same_for_an_unknown_email_and_sends_nothing(client, world, outbox):
    response = client.post("/password/forgot", data={"email": "nobody@example.org"})
    assert SENT in response.get_data(as_text=True)
    assert outbox == []


def test_the_reset_mail_carries_a_single_use_link(client, world, outbox):
    path = ask_for_link(client, outbox)
    assert outbox[-1]["to"] == "lead@example.org"
    assert path.startswith("/password/reset/")
    assert "works once" in outbox[-1]["body"]


def test_resetting_sets_the_password_and_signs_in(client, auth, world, outbox):
    path = ask_for_link(client, outbox)
    response = choose(client, path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    auth.logout()
    assert auth.login(password=factories.PASSWORD).status_code == 200
    assert auth.login(password=NEW_PASSWORD).status_code == 302


def test_a_used_reset_link_is_refused_and_changes_nothing(app, client, world, outbox):
    path = ask_for_link(client, outbox)
    choose(client, path)
    hash_after_first_use = world.lead.password_hash
    response = choose(app.test_client(), path, password="yet another passphrase")
    assert response.status_code == 410
    assert "already been used" in response.get_data(as_text=True)
    db.session.refresh(world.lead)
    assert world.lead.password_hash == hash_after_first_use


def test_an_expired_reset_link_is_refused(client, auth, world, outbox):
    path = ask_for_link(client, outbox)
    db.session.scalar(select(PasswordReset)).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = choose(client, path)
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    assert auth.login(password=factories.PASSWORD).status_code == 302


def test_an_unknown_reset_link_is_not_found(client, world):
    assert client.get("/password/reset/not-a-real-token").status_code == 404


def test_only_the_newest_reset_link_works(client, world, outbox):
    first = ask_for_link(client, outbox)
    second = ask_for_link(client, outbox)
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_resetting_signs_out_other_devices(app, client, world, outbox):
    other_device = app.test_client()
    other_device.post("/login", data={"email": "lead@example.org", "password": factories.PASSWORD})
    assert other_device.get("/").status_code == 200
    choose(client, ask_for_link(client, outbox))
    assert other_device.get("/").status_code == 302


def test_resetting_lifts_a_sign_in_lockout(client, auth, world, outbox):
    for _ in range(5):
        auth.login(password="wrong guess")
    assert auth.login().status_code == 429
    choose(client, ask_for_link(client, outbox))
    auth.logout()
    assert auth.login(password=NEW_PASSWORD).status_code == 302


def test_reset_requests_are_rate_limited_per_address(client, world):
    for n in range(20):
        client.post("/password/forgot", data={"email": f"someone{n}@example.org"})
    response = client.post("/password/forgot", data={"email": "lead@example.org"})
    assert response.status_code == 429


def test_reset_requests_do_not_lock_the_account_out_of_signing_in(client, auth, world):
    for _ in range(6):
        client.post("/password/forgot", data={"email": "lead@example.org"},
                    environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert auth.login().status_code == 302
