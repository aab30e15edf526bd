"""With CSRF protection on (as in production), forms without the token are refused."""

from __future__ import annotations

import re

import pytest

from tests import factories


@pytest.fixture
def app_config() -> dict:
    return {"WTF_CSRF_ENABLED": True}


def csrf_token(client, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_signing_in_without_the_token_is_refused(client, world):
    response = client.post("/login", data={"email": "lead@example.org", "password": factories.PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_signing_in_with_the_token_works(client, world):
    token = csrf_token(client)
    response = client.post("/login", data={"csrf_token": token, "email": "lead@example.org",
                                           "password": factories.PASSWORD})
    assert response.status_code == 302


def test_signing_out_without_the_token_is_refused(client, world):
    client.post("/login", data={"csrf_token": csrf_token(client), "email": "lead@example.org",
                                "password": factories.PASSWORD})
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200
