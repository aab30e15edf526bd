"""A busy address (a whole school behind one): past its failure limit, each email gets one checked try from it, after
a pause; the right password of an account nobody is guessing still signs in. The limit is 3 here, to keep the
tests quick (tests/accounts/test_login.py has the 20 of the default)."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import failures_for, login_from
from tests.accounts.test_login import GENERIC


@pytest.fixture
def app_config():
    return {"COLLAB_LOGIN_MAX_FAILURES_PER_ADDRESS": 3}


def make_the_address_busy(client) -> None:
    for n in range(3):
        assert login_from(client, "203.0.113.9", f"guess{n}@example.org", "wrong guess").status_code == 200


def test_past_the_address_limit_an_email_that_failed_from_there_is_refused_unchecked(client, world):
    make_the_address_busy(client)
    assert login_from(client, "203.0.113.9", "guess2@example.org", "another guess").status_code == 429
    assert failures_for("guess2@example.org") == 1  # refused before the password was looked at


def test_past_the_address_limit_each_account_gets_one_guess_from_there(client, world, paused):
    make_the_address_busy(client)
    assert login_from(client, "203.0.113.9", "lead@example.org", "wrong guess").status_code == 200
    refused = login_from(client, "203.0.113.9", "lead@example.org")
    assert refused.status_code == 429  # even the right password, while the address is over its limit
    assert "Too many failed sign-ins." in refused.get_data(as_text=True)
    assert login_from(client, "198.51.100.7", "lead@example.org").status_code == 302  # from elsewhere: fine


def test_past_the_address_limit_unknown_emails_and_accounts_get_the_same_answer(client, world, paused):
    make_the_address_busy(client)
    unknown = login_from(client, "203.0.113.9", "nobody@example.org", "wrong guess")
    account = login_from(client, "203.0.113.9", "lead@example.org", "wrong guess")
    assert unknown.status_code == account.status_code == 200
    assert GENERIC in unknown.get_data(as_text=True) and GENERIC in account.get_data(as_text=True)
    assert paused == [1.0, 1.0]


def test_under_the_address_limit_there_is_no_pause(client, world, paused):
    login_from(client, "203.0.113.9", "guess@example.org", "wrong guess")
    assert login_from(client, "203.0.113.9", "lead@example.org").status_code == 302
    assert paused == []
