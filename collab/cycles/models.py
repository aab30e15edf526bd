"""Research cycles: the Work Group's research theme, its cycles, the sessions (visits) in a cycle, a cycle's
co-edited study document, and the link from a revised lesson plan to the plan and discussion it came from.

Every row here points at rows of other domains (plans, sessions); none of theirs points back, so those domains
know nothing of cycles (collab.cycles reads them)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.types import UTCDateTime, utcnow

__all__ = ["CycleStatus", "SessionPurpose", "ResearchTheme", "ResearchCycle", "CycleSession", "StudyDocument",
           "PlanRevision"]

MAX_TITLE = 200
MAX_THEME = 200
MAX_QUESTION = 1000


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class CycleStatus(enum.StrEnum):
    IN_PROGRESS = "in-progress"
    FINISHED = "finished"

    @property
    def label(self) -> str:
        return {"in-progress": "In progress", "finished": "Finished"}[self.value]


class SessionPurpose(enum.StrEnum):
    RESEARCH = "research"  # the research lesson, observed, then discussed
    REVISED = "revised"  # the revised lesson, taught again after the discussion

    @property
    def label(self) -> str:
        return {"research": "Research lesson", "revised": "Revised lesson"}[self.value]


class ResearchTheme(db.Model):
    """The Work Group's research theme and question for the year (one per group, set by a lead)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    work_group_id: Mapped[int] = mapped_column(ForeignKey("work_group.id", ondelete="CASCADE"), unique=True)
    theme: Mapped[str] = mapped_column(String(MAX_THEME), default="")
    question: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    updated_by = relationship("User")


class ResearchCycle(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    work_group_id: Mapped[int] = mapped_column(ForeignKey("work_group.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(MAX_TITLE))
    research_question: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CycleStatus] = mapped_column(_enum(CycleStatus), default=CycleStatus.IN_PROGRESS)
    research_plan_id: Mapped[int | None] = mapped_column(ForeignKey("lesson_plan.id", ondelete="SET NULL"))
    plan_linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    plan_linked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revised_plan_id: Mapped[int | None] = mapped_column(ForeignKey("lesson_plan.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    work_group = relationship("WorkGroup")
    research_plan = relationship("LessonPlan", foreign_keys=[research_plan_id])
    revised_plan = relationship("LessonPlan", foreign_keys=[revised_plan_id])
    plan_linked_by = relationship("User", foreign_keys=[plan_linked_by_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    sessions = relationship("CycleSession", back_populates="cycle", cascade="all, delete-orphan",
                            order_by="CycleSession.id")
    study = relationship("StudyDocument", back_populates="cycle", uselist=False, cascade="all, delete-orphan")


class CycleSession(db.Model):
    """A session of the Work Group in a cycle: its visit and its discussion are the cycle's (one cycle each)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("research_cycle.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id", ondelete="CASCADE"), unique=True)
    purpose: Mapped[SessionPurpose] = mapped_column(_enum(SessionPurpose))
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cycle = relationship("ResearchCycle", back_populates="sessions")
    session = relationship("GroupSession")
    linked_by = relationship("User")


class StudyDocument(db.Model):
    """A cycle's study of the maths (kyouzai kenkyuu): a shared Yjs document every member co-edits."""

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("research_cycle.id", ondelete="CASCADE"), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("shared_document.id"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cycle = relationship("ResearchCycle", back_populates="study")
    created_by = relationship("User")


class PlanRevision(db.Model):
    """Version 2 of a lesson plan: `plan` was made from `revised_from` after the discussion of `session`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("lesson_plan.id", ondelete="CASCADE"), unique=True)
    revised_from_id: Mapped[int | None] = mapped_column(ForeignKey("lesson_plan.id", ondelete="SET NULL"),
                                                        unique=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("group_session.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan = relationship("LessonPlan", foreign_keys=[plan_id])
    revised_from = relationship("LessonPlan", foreign_keys=[revised_from_id])
    session = relationship("GroupSession")
    created_by = relationship("User")
