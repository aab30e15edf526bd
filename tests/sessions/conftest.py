"""Sign people in for session tests by setting the Flask-Login session directly."""

from __future__ import annotations

import pytest


@pytest.fixture
def login_as(client):
    def _login(user):
        with client.session_transaction() as s:
            s["_user_id"] = user.get_id()
            s["_fresh"] = True
        return user

    return _login
