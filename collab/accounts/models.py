"""People, and the single-use tokens that let them in."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.types import UTCDateTime, utcnow


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Tokens in links are stored hashed, so a leaked database gives no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    hub_id: Mapped[int | None] = mapped_column(ForeignKey("hub.id"))
    is_hub_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Changing this signs the person out everywhere (password change, deactivation): every UserSession of theirs is
    # revoked in the same transaction (collab.accounts.signins).
    session_token: Mapped[str] = mapped_column(String(64), default=new_token)
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    school = relationship("School", foreign_keys=[school_id])
    department = relationship("Department", foreign_keys=[department_id])
    hub = relationship("Hub", foreign_keys=[hub_id])
    memberships = relationship("Membership", back_populates="user", cascade="all, delete-orphan")

    # The token of the sign-in (UserSession) this object was loaded for or signed in with. Not a column: set by
    # collab.accounts.signins when the session cookie is read or a sign-in starts.
    sign_in_token = None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """Flask-Login's id for the session cookie and the remember-me cookie: "<user id>:<sign-in token>", so a
        cookie is only as good as its sign-in, and signing out (revoking it) refuses every copy of it.

        A person not signed in through collab.accounts.signins.start (tests writing the session directly, say)
        gets a new sign-in here."""
        if self.sign_in_token is None:
            from collab.accounts import signins  # signins imports this module

            signins.start(self)
        return f"{self.id}:{self.sign_in_token}"

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Invitation(db.Model):
    """A single-use, expiring link that brings a person into a Work Group with a role."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    work_group_id: Mapped[int | None] = mapped_column(ForeignKey("work_group.id", ondelete="CASCADE"))
    role: Mapped[str | None] = mapped_column(String(40))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    work_group = relationship("WorkGroup")
    school = relationship("School")
    invited_by = relationship("User")


class PasswordReset(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")


class UserSession(db.Model):
    """One sign-in on one browser, from the sign-in form to signing out. The Flask session and the remember-me
    cookie carry its token (hashed here, like the tokens in links); revoking it signs out that browser and every
    copy of its cookies, and cuts its sockets (collab.accounts.revocation)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")


class LoginOutcome(enum.StrEnum):
    FAILED = "failed"
    SUCCEEDED = "succeeded"


class LoginAttempt(db.Model):
    """Kept in the database so the limit holds across several server processes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[LoginOutcome] = mapped_column(Enum(LoginOutcome, native_enum=False, length=16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
