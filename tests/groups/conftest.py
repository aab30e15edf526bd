"""Sign in by writing the Flask-Login session directly: these tests are about groups, not the sign-in form."""

from __future__ import annotations

import pytest
from flask import g


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


@pytest.fixture(autouse=True)
def forget_user_after_each_request(app):
    """The app fixture keeps one app context open for the whole test, and flask.g (where Flask-Login caches
    the signed-in user) lives in the app context, so without this a second client would be taken for the first."""
    app.teardown_request(lambda _exc: g.pop("_login_user", None))
