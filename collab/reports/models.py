"""The register: who was at a session (present, absent, apologies), as the lead or the host marked it.

A row of its own, not a column of sessions' Attendance: an Attendance is an invitation and its reply (RSVP), and
someone may be marked who was never invited (a member who came anyway). No row: not marked."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.types import UTCDateTime, utcnow

__all__ = ["Presence", "AttendanceMark"]


class Presence(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    APOLOGIES = "apologies"

    @property
    def label(self) -> str:
        return {"present": "Present", "absent": "Absent", "apologies": "Apologies"}[self.value]


class AttendanceMark(db.Model):
    __tablename__ = "attendance_mark"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    presence: Mapped[Presence] = mapped_column(
        Enum(Presence, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]))
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session = relationship("GroupSession")
    user = relationship("User", foreign_keys=[user_id])
    marked_by = relationship("User", foreign_keys=[marked_by_id])
