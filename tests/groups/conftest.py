"""Sign in by writing the Flask-Login session directly: these tests are about groups, not the sign-in form."""

from __future__ import annotations

import pytest


def sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def login_as(client):
    """login_as(user): the test client is now signed in as that person."""
    def _login(user):
        sign_in(client, user)
        return client
    return _login
