"""Sending email: SMTP when configured, otherwise the app log.

Without COLLAB_SMTP_HOST the whole message (links included) goes to the app logger at
INFO, so invitations and password resets work in development with no mail server.
Flask only shows INFO when debug is on (COLLAB_DEBUG=1) or logging is configured to.
When TESTING is true every message is also kept in app.extensions["collab_outbox"].
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

OUTBOX_KEY = "collab_outbox"
SMTP_TIMEOUT_SECONDS = 15


def is_configured() -> bool:
    """True when mail really leaves the server; callers may show links on screen when it doesn't."""
    return bool(current_app.config.get("COLLAB_SMTP_HOST"))


def send_mail(to: str, subject: str, body_text: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["COLLAB_MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="collab.local")
    message.set_content(body_text)

    if config.get("TESTING"):
        current_app.extensions.setdefault(OUTBOX_KEY, []).append(
            {"to": to, "subject": subject, "body": body_text, "message": message})

    if not is_configured():
        current_app.logger.info("mail to %s: %s\n%s", to, subject, body_text)
        return

    with smtplib.SMTP(config["COLLAB_SMTP_HOST"], config["COLLAB_SMTP_PORT"], timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if config.get("COLLAB_SMTP_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("COLLAB_SMTP_USER"):
            smtp.login(config["COLLAB_SMTP_USER"], config.get("COLLAB_SMTP_PASSWORD") or "")
        smtp.send_message(message)


def outbox() -> list[dict]:
    """Messages sent so far (TESTING only)."""
    return current_app.extensions.setdefault(OUTBOX_KEY, [])
