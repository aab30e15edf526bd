"""With secure cookies on (production over HTTPS), both cookies carry the Secure flag."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import set_cookie_header


@pytest.fixture
def app_config() -> dict:
    return {"SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True}


def test_session_cookie_is_secure_http_only_and_lax(auth, world):
    header = set_cookie_header(auth.login(), "session")
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_remember_cookie_is_secure(auth, world):
    assert "Secure" in set_cookie_header(auth.login(remember=True), "remember_token")
