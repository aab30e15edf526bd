"""Sending mail: through the backend the settings choose (smtp, log, or memory: the tests' outbox)."""

from __future__ import annotations

import logging

import pytest

from collab import mail


def test_mail_goes_to_the_outbox_when_testing(app):
    mail.send_mail("someone@example.org", "Hello", "Open https://collab.example/x")
    assert mail.outbox()[-1]["body"] == "Open https://collab.example/x"
    assert mail.outbox()[-1]["message"]["From"] == app.config["COLLAB_MAIL_FROM"]


def test_a_test_sees_only_its_own_mail(app):
    mail.send_mail("first@example.org", "Hello", "One")
    assert [m["to"] for m in mail.outbox()] == ["first@example.org"]


def test_the_next_test_starts_with_an_empty_outbox(app):
    assert mail.outbox() == []
    mail.send_mail("second@example.org", "Hello", "Two")
    assert [m["to"] for m in mail.outbox()] == ["second@example.org"]


def test_the_log_backend_logs_the_message_and_keeps_none(app, caplog):
    app.config["COLLAB_MAIL_BACKEND"] = "log"
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        mail.send_mail("someone@example.org", "Hello", "Open https://collab.example/x")
    assert "https://collab.example/x" in caplog.text
    assert mail.outbox() == []


def test_without_a_backend_chosen_mail_is_logged_unless_an_smtp_host_is_set(app):
    app.config.update(COLLAB_MAIL_BACKEND=None, COLLAB_SMTP_HOST=None)
    assert mail.backend_name() == "log" and not mail.is_configured()
    app.config["COLLAB_SMTP_HOST"] = "smtp.example.org"
    assert mail.backend_name() == "smtp" and mail.is_configured()


def test_an_unknown_backend_is_refused(app):
    app.config["COLLAB_MAIL_BACKEND"] = "pigeon"
    with pytest.raises(ValueError, match="COLLAB_MAIL_BACKEND"):
        mail.send_mail("someone@example.org", "Hello", "Body")


def test_without_smtp_the_message_is_logged(app, caplog):
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        mail.send_mail("someone@example.org", "Hello", "Open https://collab.example/x")
    assert "mail to someone@example.org" in caplog.text
    assert "https://collab.example/x" in caplog.text


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout):
        self.calls = [("connect", host, port)]
        FakeSMTP.sent.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context):
        self.calls.append(("starttls",))

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, message):
        self.calls.append(("send", message["To"]))


def test_with_smtp_configured_the_message_is_sent_over_starttls(app, monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    app.config.update(COLLAB_MAIL_BACKEND="smtp", COLLAB_SMTP_HOST="smtp.example.org", COLLAB_SMTP_USER="collab",
                      COLLAB_SMTP_PASSWORD="pw")
    mail.send_mail("someone@example.org", "Hello", "Body")
    assert FakeSMTP.sent[0].calls == [("connect", "smtp.example.org", 587), ("starttls",),
                                      ("login", "collab", "pw"), ("send", "someone@example.org")]
