"""Sending email, through the backend COLLAB_MAIL_BACKEND names (docs/configuration.md):

- "smtp": through COLLAB_SMTP_HOST. The default when a host is set.
- "log": the whole message (links included) goes to the app logger at INFO, so invitations and password
  resets work in development with no mail server. The default without a host. Flask only shows INFO when
  debug is on (COLLAB_DEBUG=1) or logging is configured to.
- "memory": logged as by "log", and also kept in this process's outbox (`outbox()`): mail to read back in
  `flask shell` or a script while developing, and in the tests.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TypedDict

from flask import current_app

# The outbox is created on the first message kept, so a new app (and each test's copy of one) starts empty.
OUTBOX_KEY = "collab_outbox"
SMTP_TIMEOUT_SECONDS = 15


class Mail(TypedDict):
    to: str
    subject: str
    body: str  # the text as the caller wrote it
    message: EmailMessage  # what goes over SMTP


def backend_name() -> str:
    config = current_app.config
    name = config.get("COLLAB_MAIL_BACKEND") or ("smtp" if config.get("COLLAB_SMTP_HOST") else "log")
    if name not in BACKENDS:
        raise ValueError(f"COLLAB_MAIL_BACKEND is {name!r}; choose one of {', '.join(BACKENDS)}")
    return name


def is_configured() -> bool:
    """True when mail really leaves the server; callers may show links on screen when it doesn't."""
    return backend_name() == "smtp"


def send_mail(to: str, subject: str, body_text: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["COLLAB_MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="collab.local")
    message.set_content(body_text)
    BACKENDS[backend_name()](Mail(to=to, subject=subject, body=body_text, message=message))


def outbox() -> list[Mail]:
    """The messages the memory backend kept in this process, oldest first."""
    return current_app.extensions.setdefault(OUTBOX_KEY, [])


def _send_smtp(mail: Mail) -> None:
    config = current_app.config
    if not config.get("COLLAB_SMTP_HOST"):
        raise RuntimeError("COLLAB_MAIL_BACKEND is smtp but COLLAB_SMTP_HOST is not set")
    with smtplib.SMTP(config["COLLAB_SMTP_HOST"], config["COLLAB_SMTP_PORT"], timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if config.get("COLLAB_SMTP_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("COLLAB_SMTP_USER"):
            smtp.login(config["COLLAB_SMTP_USER"], config.get("COLLAB_SMTP_PASSWORD") or "")
        smtp.send_message(mail["message"])


def _log(mail: Mail) -> None:
    current_app.logger.info("mail to %s: %s\n%s", mail["to"], mail["subject"], mail["body"])


def _keep(mail: Mail) -> None:
    _log(mail)
    outbox().append(mail)


BACKENDS: dict[str, Callable[[Mail], None]] = {"smtp": _send_smtp, "log": _log, "memory": _keep}
