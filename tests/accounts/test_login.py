"""Signing in and out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from argon2 import PasswordHasher
from sqlalchemy import update

from collab.accounts.models import LoginAttempt, LoginOutcome
from collab.extensions import db
from collab.types import utcnow
from tests import factories
from tests.accounts.conftest import failures_for, login_from, set_cookie_header

GENERIC = "Email or password is not right"


def test_login_page_has_labelled_email_password_and_remember_fields(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert "Keep me signed in for 30 days" in html


def test_signing_in_lands_on_the_dashboard(client, auth, world):
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_email_is_matched_whatever_its_case(auth, world):
    response = auth.login(email="  LEAD@Example.ORG ")
    assert response.status_code == 302


def test_a_wrong_password_gets_the_generic_message(client, auth, world):
    response = auth.login(password="not the password")
    assert response.status_code == 200
    assert GENERIC in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_an_unknown_email_gets_the_same_message(auth, world):
    response = auth.login(email="nobody@example.org")
    assert response.status_code == 200
    assert GENERIC in response.get_data(as_text=True)


def test_a_deactivated_account_cannot_sign_in(client, auth, world):
    world.lead.active = False
    db.session.commit()
    response = auth.login()
    assert response.status_code == 200
    assert GENERIC in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_an_outdated_password_hash_is_upgraded_on_sign_in(auth, world):
    world.lead.password_hash = PasswordHasher(memory_cost=8192).hash(factories.PASSWORD)
    old_hash = world.lead.password_hash
    db.session.commit()
    assert auth.login().status_code == 302
    db.session.refresh(world.lead)
    assert world.lead.password_hash != old_hash


def test_too_many_failures_for_an_account_locks_it_even_for_the_right_password(client, auth, world):
    for _ in range(5):
        auth.login(password="wrong guess")
    response = auth.login()
    assert response.status_code == 429
    assert "Too many failed sign-ins. Please wait 15 minutes or reset your password." in response.get_data(
        as_text=True)
    assert client.get("/").status_code == 302


def test_after_20_failures_with_made_up_emails_the_right_password_still_signs_in_from_that_address(
        client, world, paused):
    for n in range(20):
        login_from(client, "203.0.113.9", f"guess{n}@example.org", "wrong guess")
    assert login_from(client, "203.0.113.9", "lead@example.org").status_code == 302
    assert client.get("/").status_code == 200
    assert paused == [1.0]  # checked, but after the pause a busy address costs


def test_an_address_lockout_leaves_other_addresses_alone(client, world):
    for n in range(20):
        login_from(client, "203.0.113.9", f"guess{n}@example.org", "wrong guess")
    assert login_from(client, "198.51.100.7", "lead@example.org").status_code == 302


def test_failures_older_than_the_window_no_longer_count(auth, world):
    for _ in range(5):
        auth.login(password="wrong guess")
    db.session.execute(update(LoginAttempt).values(at=utcnow() - timedelta(minutes=16)))
    db.session.commit()
    assert auth.login().status_code == 302


def test_old_attempt_rows_are_pruned(auth, world):
    db.session.add(LoginAttempt(email="old@example.org", address="192.0.2.1", outcome=LoginOutcome.FAILED,
                                at=utcnow() - timedelta(days=2)))
    db.session.commit()
    auth.login(password="wrong guess")
    assert failures_for("old@example.org") == 0


def test_signing_in_clears_the_account_failures(auth, world):
    for _ in range(3):
        auth.login(password="wrong guess")
    assert failures_for("lead@example.org") == 3
    auth.login()
    assert failures_for("lead@example.org") == 0


def test_a_safe_next_path_is_followed(client, world):
    response = client.post("/login?next=/groups/", data={"email": "lead@example.org",
                                                         "password": factories.PASSWORD})
    assert response.headers["Location"] == "/groups/"


def test_next_pointing_at_another_site_is_refused(client, world):
    for target in ("//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)"):
        client.post("/logout")
        response = client.post("/login", query_string={"next": target},
                               data={"email": "lead@example.org", "password": factories.PASSWORD})
        assert response.headers["Location"] == "/", target


def test_session_cookie_is_http_only_and_same_site_lax(auth, world):
    header = set_cookie_header(auth.login(), "session")
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # the test settings turn Secure off; see test_secure_cookies.py


def test_no_remember_cookie_unless_asked(auth, world):
    assert set_cookie_header(auth.login(), "remember_token") is None


def test_remember_cookie_expires_within_30_days(auth, world):
    header = set_cookie_header(auth.login(remember=True), "remember_token")
    assert header is not None
    assert "HttpOnly" in header and "SameSite=Lax" in header
    expires = next(part.split("=", 1)[1] for part in header.split("; ") if part.startswith("Expires="))
    lifetime = parsedate_to_datetime(expires) - datetime.now(UTC)
    assert timedelta(days=29) < lifetime <= timedelta(days=30)


def test_signing_in_starts_a_fresh_session(client, auth, world):
    with client.session_transaction() as sess:
        sess["planted"] = "by someone else"
    auth.login()
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["_user_id"].startswith(f"{world.lead.id}:")


def test_signing_out_returns_to_the_sign_in_page(client, auth, world):
    auth.login()
    response = auth.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert "You have signed out." in client.get("/login").get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_signing_out_also_forgets_the_remember_cookie(client, auth, world):
    auth.login(remember=True)
    auth.logout()
    assert client.get_cookie("remember_token") is None
    assert client.get("/").status_code == 302


def test_a_signed_in_visitor_to_the_login_page_goes_to_the_dashboard(client, auth, world):
    auth.login()
    assert client.get("/login").headers["Location"] == "/"


def test_the_login_form_keeps_a_safe_next_path(client):
    html = client.get("/login?next=/groups/").get_data(as_text=True)
    assert 'action="/login?next=/groups/"' in html


def test_the_login_form_drops_an_unsafe_next(client):
    html = client.get("/login?next=//evil.example").get_data(as_text=True)
    assert "evil.example" not in html
