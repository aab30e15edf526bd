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
    # Changing this signs the person out everywhere (password change, deactivation).
    session_token: Mapped[str] = mapped_column(String(64), default=new_token)
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    school = relationship("School", foreign_keys=[school_id])
    department = relationship("Department", foreign_keys=[department_id])
    hub = relationship("Hub", foreign_keys=[hub_id])
    memberships = relationship("Membership", back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

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
