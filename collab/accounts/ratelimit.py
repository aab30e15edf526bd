"""Limits on failed sign-ins (and reset requests), kept in the LoginAttempt table.

The table, not process memory, holds the count so that the limit holds when several
server processes sit behind a load balancer. A key is an email address for sign-in
and "reset:<email>" for password-reset requests, so that someone asking for reset
links can't lock another person out of signing in; both count towards the client
address.

Reset requests (`minutes_locked`): N failures are allowed in the window, per key and per
address; the next request is refused until the oldest of them falls out of the window.

Passwords (`check_password_attempt`) are limited so that guessing is slow but the right
password of an account nobody is guessing still works from a crowded address. A whole
school (or a trust, or a teachers' centre) often reaches us from one address, so one
person there mistyping or guessing made-up emails must not lock out the lead:
- An account with N failures in the window, from anywhere, is locked: attempts are
  refused before the password is looked at, so guessing it gains nothing meanwhile.
- An address with N failures in the window no longer locks everyone out. From then on
  each email gets one try from that address per window: an email that already failed
  from there is refused unchecked, and the first try at any other email is checked
  after a pause (COLLAB_LOGIN_ADDRESS_PAUSE_SECONDS, the same whether the email is an
  account or not, so the answer tells nothing about which emails exist). The lead's
  right password signs her in; someone guessing passwords across many accounts from
  that address gets one guess per account per window, each after the pause.
As in Auth0's brute-force protection, a busy address is refused for the accounts it
failed on, not for every account. Trusting browsers that signed in before (OWASP's
device cookies) would let the address limit tighten again later.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from collab.accounts.models import LoginAttempt, LoginOutcome
from collab.extensions import db
from collab.types import utcnow

# Successful sign-ins are kept this long so an attack can be looked into afterwards.
AUDIT_KEEP = timedelta(days=1)

_KEY_LENGTH = 254
_ADDRESS_LENGTH = 64


def reset_key(email: str) -> str:
    return f"reset:{email}"[:_KEY_LENGTH]


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["COLLAB_LOGIN_WINDOW_MINUTES"])


def _address(address: str | None) -> str:
    return (address or "unknown")[:_ADDRESS_LENGTH]


def _minutes_until_free(times: list[datetime], limit: int, now: datetime) -> int:
    """Minutes until fewer than `limit` of these failures remain inside the window."""
    if limit <= 0 or len(times) < limit:
        return 0
    times = sorted(times)
    frees_at = times[len(times) - limit] + _window()
    return max(1, math.ceil((frees_at - now).total_seconds() / 60))


def _failure_times(column, value: str, since: datetime, *conditions) -> list[datetime]:
    return list(db.session.scalars(
        select(LoginAttempt.at).where(
            column == value, LoginAttempt.outcome == LoginOutcome.FAILED, LoginAttempt.at > since, *conditions)
    ))


@dataclass(frozen=True)
class Verdict:
    minutes_locked: int  # more than 0: refused before the password is looked at, for this many minutes
    pause_seconds: float  # otherwise: how long to wait before checking it (the address is over its limit)


def check_password_attempt(email: str, address: str | None) -> Verdict:
    """Whether a password for `email` from `address` may be checked now (the rule is in the module docstring)."""
    now = utcnow()
    since = now - _window()
    config = current_app.config
    key = email[:_KEY_LENGTH]
    per_account = _minutes_until_free(_failure_times(LoginAttempt.email, key, since),
                                      config["COLLAB_LOGIN_MAX_FAILURES_PER_ACCOUNT"], now)
    if per_account:
        return Verdict(per_account, 0.0)
    address_limit = config["COLLAB_LOGIN_MAX_FAILURES_PER_ADDRESS"]
    from_address = _failure_times(LoginAttempt.address, _address(address), since)
    if address_limit <= 0 or len(from_address) < address_limit:
        return Verdict(0, 0.0)
    tried_here = _failure_times(LoginAttempt.address, _address(address), since, LoginAttempt.email == key)
    if tried_here:
        # Until the address is back under its limit or this email's failure from it leaves the window.
        return Verdict(min(_minutes_until_free(from_address, address_limit, now),
                           _minutes_until_free(tried_here, 1, now)), 0.0)
    return Verdict(0, float(config["COLLAB_LOGIN_ADDRESS_PAUSE_SECONDS"]))


def minutes_locked(key: str, address: str | None) -> int:
    """For reset requests: 0 when another is allowed; otherwise how many minutes to wait."""
    now = utcnow()
    since = now - _window()
    config = current_app.config
    per_key = _minutes_until_free(_failure_times(LoginAttempt.email, key[:_KEY_LENGTH], since),
                                  config["COLLAB_LOGIN_MAX_FAILURES_PER_ACCOUNT"], now)
    per_address = _minutes_until_free(_failure_times(LoginAttempt.address, _address(address), since),
                                      config["COLLAB_LOGIN_MAX_FAILURES_PER_ADDRESS"], now)
    return max(per_key, per_address)


def record_failure(key: str, address: str | None) -> None:
    """Adds to the session; the caller commits."""
    db.session.add(LoginAttempt(email=key[:_KEY_LENGTH], address=_address(address), outcome=LoginOutcome.FAILED))
    prune()


def record_success(key: str, address: str | None) -> None:
    """Forget the account's failures (not the address's others). The caller commits."""
    db.session.execute(delete(LoginAttempt).where(
        LoginAttempt.email == key[:_KEY_LENGTH], LoginAttempt.outcome == LoginOutcome.FAILED))
    db.session.add(LoginAttempt(email=key[:_KEY_LENGTH], address=_address(address), outcome=LoginOutcome.SUCCEEDED))
    prune()


def clear(key: str) -> None:
    db.session.execute(delete(LoginAttempt).where(
        LoginAttempt.email == key[:_KEY_LENGTH], LoginAttempt.outcome == LoginOutcome.FAILED))


def prune() -> None:
    """Drop rows that can no longer affect a limit; cheap thanks to the index on `at`."""
    now = utcnow()
    keep_failures_since = now - _window()
    keep_successes_since = now - max(_window(), AUDIT_KEEP)
    db.session.execute(delete(LoginAttempt).where(
        LoginAttempt.outcome == LoginOutcome.FAILED, LoginAttempt.at < keep_failures_since))
    db.session.execute(delete(LoginAttempt).where(
        LoginAttempt.outcome == LoginOutcome.SUCCEEDED, LoginAttempt.at < keep_successes_since))
