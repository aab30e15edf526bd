"""Helpers for the accounts tests: reading mail, turning links into paths, signing in from an address."""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from collab import mail
from collab.accounts.models import LoginAttempt, LoginOutcome
from collab.extensions import db
from tests import factories

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


def failures_for(email: str) -> int:
    return db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.email == email, LoginAttempt.outcome == LoginOutcome.FAILED))


def login_from(client, address: str, email: str, password: str = factories.PASSWORD):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def paused(monkeypatch) -> list[float]:
    """The pauses the sign-in view took (none are slept)."""
    pauses: list[float] = []
    fake_time = SimpleNamespace(sleep=lambda seconds: pauses.append(seconds) if seconds else None)
    monkeypatch.setattr("collab.accounts.views.time", fake_time)  # the view's `time` only, not other threads'
    return pauses
