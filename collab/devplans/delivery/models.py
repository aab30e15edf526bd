"""Rows for delivering a development plan: aims, actions, PD sessions and attendance, half-termly progress."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.types import UTCDateTime, utcnow

__all__ = ["PlanAim", "PlanAction", "PdSession", "PdAttendance", "ProgressUpdate", "ProgressEvidence",
           "ProgressStatus"]


class ProgressStatus(enum.StrEnum):
    ON_TRACK = "on-track"
    SOME_CONCERNS = "some-concerns"
    OFF_TRACK = "off-track"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"on-track": "On track", "some-concerns": "Some concerns", "off-track": "Off track",
                "done": "Done"}[self.value]


class PlanAim(db.Model):
    """One aim of a development plan, with how the department will know it is met and why it matters."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("dev_plan.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    success_criteria: Mapped[str] = mapped_column(Text, default="")
    evidence_of_need: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actions = relationship("PlanAction", back_populates="aim", cascade="all, delete-orphan",
                           order_by="PlanAction.id")
    updates = relationship("ProgressUpdate", back_populates="aim", cascade="all, delete-orphan",
                           order_by="[ProgressUpdate.school_year, ProgressUpdate.half_term]")

    @property
    def latest_update(self) -> ProgressUpdate | None:
        return self.updates[-1] if self.updates else None


class PlanAction(db.Model):
    """Something someone in the department will do towards an aim, by a date."""

    id: Mapped[int] = mapped_column(primary_key=True)
    aim_id: Mapped[int] = mapped_column(ForeignKey("plan_aim.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    aim = relationship("PlanAim", back_populates="actions")
    owner = relationship("User")


class PdSession(db.Model):
    """A session of the department's professional development programme, led by one of its Advocates."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("dev_plan.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    led_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    materials: Mapped[str] = mapped_column(Text, default="")  # links, one a line
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    led_by = relationship("User")
    attendance = relationship("PdAttendance", cascade="all, delete-orphan", order_by="PdAttendance.id")

    @property
    def material_links(self) -> list[str]:
        return [line for line in self.materials.splitlines() if line.strip()]


class PdAttendance(db.Model):
    """Someone from the department attended a PD session."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("pd_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))

    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    user = relationship("User")


class ProgressUpdate(db.Model):
    """An aim's progress in one half-term (1-6: Autumn 1 to Summer 2) of a school year ("2025/26")."""

    id: Mapped[int] = mapped_column(primary_key=True)
    aim_id: Mapped[int] = mapped_column(ForeignKey("plan_aim.id", ondelete="CASCADE"))
    school_year: Mapped[str] = mapped_column(String(7))
    half_term: Mapped[int] = mapped_column(Integer)
    status: Mapped[ProgressStatus] = mapped_column(
        Enum(ProgressStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]))
    commentary: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("aim_id", "school_year", "half_term"),)

    aim = relationship("PlanAim", back_populates="updates")
    author = relationship("User")
    evidence = relationship("ProgressEvidence", cascade="all, delete-orphan", order_by="ProgressEvidence.id")


class ProgressEvidence(db.Model):
    """A visit, lesson plan or discussion a progress update points at: a link target (collab.web.targets)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("progress_update.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))  # as chosen, shown to those who may not follow the link
