"""Sessions: the meetings of a Work Group (visits, planning, transition sessions...)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.types import UTCDateTime, utcnow


class SessionKind(enum.StrEnum):
    OBSERVATION = "observation"
    PLANNING = "planning"
    TRANSITION = "transition"
    EXPLORING = "exploring"
    PLAN_CRITIQUE = "plan-critique"
    DEPARTMENT_PD = "department-pd"

    @property
    def label(self) -> str:
        return {
            "observation": "Lesson observation visit",
            "planning": "Collaborative planning",
            "transition": "Primary visit / KS2–KS3 transition",
            "exploring": "Exploring maths together",
            "plan-critique": "Development-plan critique",
            "department-pd": "Department PD",
        }[self.value]


class Response(enum.StrEnum):
    AWAITING = "awaiting"
    ATTENDING = "attending"
    MAYBE = "maybe"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {"awaiting": "Not yet replied", "attending": "Attending", "maybe": "Maybe",
                "declined": "Can't attend"}[self.value]


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class GroupSession(db.Model):
    """One meeting of a Work Group. Called 'session' everywhere a user can see."""

    __tablename__ = "group_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_group_id: Mapped[int] = mapped_column(ForeignKey("work_group.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SessionKind] = mapped_column(_enum(SessionKind))
    title: Mapped[str] = mapped_column(String(200))
    host_school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped on every change so calendar apps replace the event (.ics SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)

    work_group = relationship("WorkGroup")
    host_school = relationship("School")
    created_by = relationship("User")
    attendances = relationship("Attendance", back_populates="session", cascade="all, delete-orphan")


class Attendance(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    response: Mapped[Response] = mapped_column(_enum(Response), default=Response.AWAITING)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    session = relationship("GroupSession", back_populates="attendances")
    user = relationship("User")
