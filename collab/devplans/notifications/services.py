"""In-app notifications (with a live unread count) and their email: straight away or a daily digest.

`notify` is called by services after their own writes; it commits, then pushes `notify:count` to the
person's own room "user:<id>" (every signed-in connection joins it with `notify:subscribe`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from collab.accounts.models import User
from collab.devplans.models import EmailFrequency, Notification, NotificationPreference
from collab.extensions import db
from collab.mail import send_mail
from collab.realtime.rooms import room_name
from collab.types import utcnow
from collab.web.targets import target_of
from collab.web.urls import external_url


def user_room(user_id: int) -> str:
    return room_name("user", user_id)


def preference(user: User) -> EmailFrequency:
    pref = db.session.scalar(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    return pref.email if pref is not None else EmailFrequency.IMMEDIATELY


def set_preference(user: User, frequency: EmailFrequency) -> None:
    pref = db.session.scalar(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    if pref is None:
        pref = NotificationPreference(user_id=user.id)
        db.session.add(pref)
    pref.email = EmailFrequency(frequency)
    db.session.commit()


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def push_count(user_id: int) -> None:
    from collab.realtime.publish import emit_to_room

    emit_to_room(user_room(user_id), "notify:count", {"unread": unread_count(user_id)})


def notify(users: Iterable[User], kind: str, text: str, target: Any, skip: User | None = None) -> list[Notification]:
    """One notification per person (each at most once, never the actor), then live counts and email.
    `target`: the model object it links to (a plan, a round, a comment; see collab.web.targets)."""
    target_kind, target_id = target_of(target)
    made: list[Notification] = []
    seen: set[int] = set()
    for user in users:
        if user is None or user.id in seen or (skip is not None and user.id == skip.id) or not user.active:
            continue
        seen.add(user.id)
        note = Notification(user_id=user.id, kind=kind, text=text, target_kind=target_kind, target_id=target_id)
        db.session.add(note)
        made.append(note)
    db.session.commit()
    for note in made:
        push_count(note.user_id)
        recipient = db.session.get(User, note.user_id)
        if recipient is None:  # the account was deleted since the commit above (its notification with it)
            continue
        if preference(recipient) == EmailFrequency.IMMEDIATELY:
            send_mail(recipient.email, f"Collab: {note.text}"[:150], _email_body(recipient, [note]))
            note.emailed_at = utcnow()
    db.session.commit()
    return made


def _email_body(user: User, notes: Sequence[Notification]) -> str:
    lines = [f"Hello {user.name},", ""]
    for note in notes:
        lines.append(f"- {note.text}")
        if link := note.link:
            lines.append(f"  {external_url(link)}")
    lines += ["", "You can choose how often Collab emails you on your notifications page."]
    return "\n".join(lines)


def send_digests(now: datetime | None = None) -> int:
    """Email everyone who chose a daily digest the notifications not yet emailed. Returns emails sent."""
    now = now or utcnow()
    daily = db.session.scalars(select(NotificationPreference.user_id).where(
        NotificationPreference.email == EmailFrequency.DAILY)).all()
    sent = 0
    for user_id in daily:
        notes = db.session.scalars(select(Notification).where(
            Notification.user_id == user_id, Notification.emailed_at.is_(None), Notification.read_at.is_(None),
            Notification.created_at <= now).order_by(Notification.id)).all()
        user = db.session.get(User, user_id)
        if not notes or user is None or not user.active:
            continue
        count = len(notes)
        subject = f"Collab: your daily digest ({count} notification{'s' if count != 1 else ''})"
        send_mail(user.email, subject, _email_body(user, notes))
        for note in notes:
            note.emailed_at = now
        db.session.commit()
        sent += 1
    current_app.logger.info("sent %d notification digest(s)", sent)
    return sent


def mark_read(user: User, note_id: int | None = None) -> None:
    query = select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if note_id is not None:
        query = query.where(Notification.id == note_id)
    for note in db.session.scalars(query):
        note.read_at = utcnow()
    db.session.commit()
    push_count(user.id)
