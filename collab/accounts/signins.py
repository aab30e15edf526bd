"""Sign-in sessions (UserSession): started by the sign-in form, checked on every request, revoked by signing out.

Flask's session is a signed cookie the server cannot take back, so the cookie alone must never be enough: it
carries the sign-in's token (through Flask-Login's id, `User.get_id()`, which the remember-me cookie carries
too), and the user loader accepts it only while its UserSession row is unrevoked and younger than the
remember-me cookie's lifetime. Signing out revokes the row: a copy of the cookie taken before is then refused,
and collab.accounts.revocation cuts the sign-in's sockets on every server process.

Changing a person's `User.session_token` (password change or reset, deactivation) revokes every sign-in of
theirs in the same transaction, whichever module makes the change.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app, session
from sqlalchemy import delete, event, inspect, or_, select, update
from sqlalchemy.orm import Session

from collab.accounts.models import User, UserSession, hash_token, new_token
from collab.extensions import db
from collab.types import utcnow
from collab.web.lookups import parse_id

# Set in the Flask session when a sign-in ended (signed out here, or revoked elsewhere): the sign-in page then
# tells the browser code to clear what it kept on the device.
CLEAR_LOCAL = "collab_clear_local"

# Revoked rows are kept this long so a sign-out can be looked into afterwards.
AUDIT_KEEP = timedelta(days=1)


def max_age() -> timedelta:
    """The longest a sign-in lasts: the remember-me cookie's lifetime."""
    return current_app.config.get("REMEMBER_COOKIE_DURATION") or timedelta(days=30)


def start(user: User) -> str:
    """A new sign-in for `user`, committed; its token is bound to `user` (so `get_id()` carries it) and returned."""
    token = new_token()
    db.session.add(UserSession(user_id=user.id, token_hash=hash_token(token)))
    _prune()
    db.session.commit()
    user.sign_in_token = token
    return token


def user_for(flask_login_id: str) -> User | None:
    """The active user whose live sign-in this Flask-Login id ("<user id>:<token>") names, or None."""
    raw_id, _, token = flask_login_id.partition(":")
    user_id = parse_id(raw_id)  # as get_id() writes it: "²", "012" and ids past MAX_ID name no one
    if user_id is None or not token:
        return None
    user = db.session.scalar(
        select(User).join(UserSession, UserSession.user_id == User.id)
        .where(User.id == user_id, UserSession.token_hash == hash_token(token),
               UserSession.revoked_at.is_(None), UserSession.created_at > utcnow() - max_age()))
    if user is None or not user.active:
        return None
    user.sign_in_token = token
    return user


def forget_ended() -> None:
    """The Flask session (or remember-me cookie) named a sign-in that has ended: stop presenting it (Flask-Login
    deletes the remember-me cookie) and let the sign-in page clear the device."""
    session.pop("_user_id", None)
    session["_remember"] = "clear"
    session[CLEAR_LOCAL] = True


def end(token: str | None) -> None:
    """Revoke the sign-in with this token (none: nothing to do). Commits."""
    if not token:
        return
    db.session.execute(update(UserSession)
                       .where(UserSession.token_hash == hash_token(token), UserSession.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))
    db.session.commit()


def live_token_hashes(token_hashes: list[str]) -> set[str]:
    """Those of these token hashes whose sign-in is live (unrevoked and not expired)."""
    live: set[str] = set()
    for start_at in range(0, len(token_hashes), 500):  # well under every database's bound-parameter limit
        live.update(db.session.scalars(select(UserSession.token_hash).where(
            UserSession.token_hash.in_(token_hashes[start_at:start_at + 500]),
            UserSession.revoked_at.is_(None), UserSession.created_at > utcnow() - max_age())))
    return live


def _prune() -> None:
    """Drop sign-ins that ended long enough ago; cheap, and done at each sign-in as LoginAttempt's are."""
    now = utcnow()
    db.session.execute(delete(UserSession).where(or_(
        UserSession.revoked_at < now - AUDIT_KEEP, UserSession.created_at < now - max_age() - AUDIT_KEEP)))


@event.listens_for(Session, "before_flush")
def _revoke_when_the_user_token_changes(session_: Session, _flush_context: Any, _instances: Any) -> None:
    """A new `User.session_token` signs the person out everywhere: every sign-in of theirs is revoked in the same
    transaction, so their sockets are cut too. Bulk `update(User)` statements bypass this; none set the token."""
    for instance in list(session_.dirty):
        if isinstance(instance, User) and inspect(instance).attrs.session_token.history.has_changes():
            session_.execute(update(UserSession)
                             .where(UserSession.user_id == instance.id, UserSession.revoked_at.is_(None))
                             .values(revoked_at=utcnow())
                             .execution_options(synchronize_session=False))
