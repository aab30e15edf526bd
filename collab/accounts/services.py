"""Writes for accounts: checking passwords, invitations, password resets, profile changes.

Each public function here commits its own work. Permission checks belong to the caller
(a view), but create_invitation checks again so no caller can forget.
"""

from __future__ import annotations

import enum
from datetime import timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, select, update

from collab import mail
from collab.accounts import ratelimit
from collab.accounts.models import Invitation, PasswordReset, User, hash_token, new_token
from collab.accounts.passwords import hash_password, needs_rehash, verify_nothing, verify_password
from collab.activity import services as activity
from collab.extensions import db
from collab.groups.models import Membership, Role, School, WorkGroup
from collab.groups.permissions import can_invite
from collab.realtime.access import announce_access_change
from collab.timeutil import uk_date
from collab.types import utcnow
from collab.web.urls import external_url


class LinkState(enum.StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


class LinkNoLongerValid(Exception):
    """The invitation or reset link was used (perhaps in another tab) or expired meanwhile."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _link(path: str) -> str:
    return external_url(path)


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    # A new token makes every other session and remember-me cookie stop working.
    user.session_token = new_token()


# --- Signing in ---------------------------------------------------------------------------------

def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None. Takes the same time either way."""
    user = user_by_email(email)
    if user is None or not user.password_hash:
        verify_nothing(password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


# --- Invitations --------------------------------------------------------------------------------

def create_invitation(actor: User, email: str, work_group: WorkGroup, role: Role | str,
                      school: School | None = None) -> tuple[Invitation, str]:
    """Invite `email` into `work_group` with `role`, email them the link, return (invitation, link).

    The link is returned because it is shown only once: when no mail server is configured
    (`collab.mail.is_configured()` is False, as in development), the caller should flash it
    to the inviter so they can pass it on. An earlier unused invitation for the same email
    and group is replaced. Raises PermissionError if `actor` may not invite to this group.
    """
    if not can_invite(actor, work_group):
        raise PermissionError(f"{actor!r} may not invite people to Work Group {work_group.id}")
    email = normalise_email(email)
    role = Role(role)
    db.session.execute(update(Invitation)
                       .where(Invitation.email == email, Invitation.work_group_id == work_group.id,
                              Invitation.used_at.is_(None))
                       .values(expires_at=utcnow()))  # expired, not deleted: the old link then says so
    token = new_token()
    days = current_app.config["COLLAB_INVITATION_DAYS"]
    invitation = Invitation(token_hash=hash_token(token), email=email, work_group=work_group, role=role.value,
                            school=school, invited_by=actor, expires_at=utcnow() + timedelta(days=days))
    db.session.add(invitation)
    db.session.commit()

    link = _link(f"/invitations/{token}")
    mail.send_mail(email, f"Join {work_group.project_code} {work_group.title} on Collab", (
        f"{actor.name} has invited you to join the Maths Hub Work Group {work_group.project_code} "
        f"\"{work_group.title}\" as {role.label}.\n\n"
        f"Open this link to accept (it works once, until {uk_date(invitation.expires_at)}):\n{link}\n\n"
        f"If you weren't expecting this, you can ignore this email or ask {actor.name} ({actor.email}).\n"
    ))
    return invitation, link


def find_invitation(token: str) -> tuple[Invitation | None, LinkState]:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
    return invitation, _state(invitation)


def _state(row: Invitation | PasswordReset | None) -> LinkState:
    if row is None:
        return LinkState.UNKNOWN
    if row.used_at is not None:
        return LinkState.USED
    if row.expires_at <= utcnow():
        return LinkState.EXPIRED
    return LinkState.OK


def _claim(model: type[Invitation] | type[PasswordReset], row_id: int) -> None:
    """Mark the link used only if nobody else did, so two tabs or processes can't both use it."""
    # Session.execute is typed as returning Result; an UPDATE without RETURNING gives a CursorResult (rowcount).
    result = cast(CursorResult[Any], db.session.execute(
        update(model).where(model.id == row_id, model.used_at.is_(None), model.expires_at > utcnow())
        .values(used_at=utcnow())))
    if result.rowcount != 1:
        db.session.rollback()
        raise LinkNoLongerValid()


def accept_invitation(invitation: Invitation, *, user: User | None = None, name: str | None = None,
                      password: str | None = None) -> User:
    """Accept as the signed-in `user` (existing account) or create one from `name` and `password`.

    Raises LinkNoLongerValid when it was used or expired meanwhile; nothing changes then.
    """
    _claim(Invitation, invitation.id)
    if user is None:
        if not name or not password:
            raise ValueError("a new account needs a name and a password")
        user = User(email=invitation.email, name=name.strip(), school_id=invitation.school_id,
                    department=invitation.school.maths_department if invitation.school else None,
                    hub_id=invitation.school.hub_id if invitation.school else
                    (invitation.work_group.hub_id if invitation.work_group else None))
        _set_password(user, password)
        db.session.add(user)
        db.session.flush()
    group = invitation.work_group
    if group is not None and invitation.role:
        already = db.session.scalar(select(Membership).where(Membership.work_group_id == group.id,
                                                             Membership.user_id == user.id))
        if already is None:
            role = Role(invitation.role)
            db.session.add(Membership(work_group=group, user=user, role=role))
            announce_access_change(users=[user.id])
            activity.record(group.id, user, f"{user.name} joined the Work Group as {role.label}")
    db.session.commit()
    return user


# --- Password reset -----------------------------------------------------------------------------

def request_password_reset(email: str) -> str | None:
    """Email a single-use reset link if an active account has this email. Returns the link or None.

    The caller must answer the same way whether or not a link was sent.
    """
    user = user_by_email(email)
    if user is None or not user.active:
        return None
    # Only the newest link works, so an old email lying in an inbox is harmless.
    db.session.execute(update(PasswordReset)
                       .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                       .values(expires_at=utcnow()))
    token = new_token()
    hours = current_app.config["COLLAB_RESET_HOURS"]
    db.session.add(PasswordReset(token_hash=hash_token(token), user=user,
                                 expires_at=utcnow() + timedelta(hours=hours)))
    db.session.commit()
    link = _link(f"/password/reset/{token}")
    plural = "s" if hours != 1 else ""
    mail.send_mail(user.email, "Reset your Collab password", (
        f"Hello {user.name},\n\nSomeone (we hope you) asked to reset the password for your Collab account.\n"
        f"Open this link to choose a new password. It works once, within {hours} hour{plural}:\n{link}\n\n"
        "If you didn't ask for this, you can ignore this email: your password has not changed.\n"
    ))
    return link


def find_reset(token: str) -> tuple[PasswordReset | None, LinkState]:
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == hash_token(token)))
    if reset is not None and reset.user is not None and not reset.user.active:
        return reset, LinkState.EXPIRED
    return reset, _state(reset)


def reset_password(reset: PasswordReset, new_password: str) -> User:
    """Set the new password and sign the person out everywhere else. Raises LinkNoLongerValid."""
    _claim(PasswordReset, reset.id)
    user = reset.user
    _set_password(user, new_password)
    # They proved they own the inbox: let them sign in straight away.
    ratelimit.clear(user.email)
    db.session.commit()
    return user


# --- Profile ------------------------------------------------------------------------------------

def change_name(user: User, name: str) -> None:
    user.name = name.strip()
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str) -> bool:
    """False (and nothing changed) when the current password is wrong."""
    if not verify_password(user.password_hash, current_password):
        return False
    _set_password(user, new_password)
    db.session.commit()
    return True
