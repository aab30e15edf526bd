"""Helpers for the accounts tests: reading mail and turning links into paths."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from collab import mail

LINK = re.compile(r"https?://\S+")


@pytest.fixture
def outbox(app) -> list[dict]:
    return mail.outbox()


def link_in(message: dict) -> str:
    match = LINK.search(message["body"])
    assert match, f"no link in {message['body']!r}"
    return match.group(0)


def path_of(link: str) -> str:
    return urlsplit(link).path


def set_cookie_header(response, name: str) -> str | None:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return header
    return None
