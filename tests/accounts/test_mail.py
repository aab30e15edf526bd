"""Sending mail: to the outbox and log in development, through SMTP when configured."""

from __future__ import annotations

import logging

from collab import mail


def test_mail_goes_to_the_outbox_when_testing(app):
    mail.send_mail("someone@example.org", "Hello", "Open https://collab.example/x")
    assert mail.outbox()[-1]["body"] == "Open https://collab.example/x"
    assert mail.outbox()[-1]["message"]["From"] == app.config["COLLAB_MAIL_FROM"]


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
    app.config.update(COLLAB_SMTP_HOST="smtp.example.org", COLLAB_SMTP_USER="collab", COLLAB_SMTP_PASSWORD="pw")
    mail.send_mail("someone@example.org", "Hello", "Body")
    assert FakeSMTP.sent[0].calls == [("connect", "smtp.example.org", 587), ("starttls",),
                                      ("login", "collab", "pw"), ("send", "someone@example.org")]
