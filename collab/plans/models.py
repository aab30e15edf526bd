"""Lesson plans (and transition plans) whose body is a shared Yjs document."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.comments.models import AnchoredComment
from collab.extensions import db
from collab.types import UTCDateTime, utcnow

__all__ = ["PlanKind", "LessonPlan", "PlanVersion", "PlanReadOnly", "PlanImage", "PlanComment"]


class PlanKind(enum.StrEnum):
    LESSON = "lesson"
    TRANSITION = "transition"  # a KS2 side and a KS3 side of the same idea

    @property
    def label(self) -> str:
        return {"lesson": "Lesson plan", "transition": "Transition plan (KS2–KS3)"}[self.value]


class LessonPlan(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    work_group_id: Mapped[int] = mapped_column(ForeignKey("work_group.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("group_session.id", ondelete="SET NULL"))
    document_id: Mapped[int] = mapped_column(ForeignKey("shared_document.id"), unique=True)
    kind: Mapped[PlanKind] = mapped_column(
        Enum(PlanKind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]))
    title: Mapped[str] = mapped_column(String(200))
    year_group: Mapped[str] = mapped_column(String(40), default="")  # "Year 8" or "Year 6 / Year 7"
    key_stage: Mapped[str] = mapped_column(String(16), default="")  # "KS3" or "KS2–KS3"
    topic: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    work_group = relationship("WorkGroup")
    session = relationship("GroupSession")
    document = relationship("SharedDocument")
    created_by = relationship("User")
    read_only = relationship("PlanReadOnly", cascade="all, delete-orphan")


class PlanReadOnly(db.Model):
    """A member a lead has made read-only for this plan: they see live changes but cannot send any."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("lesson_plan.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))

    __table_args__ = (UniqueConstraint("plan_id", "user_id"),)


class PlanVersion(db.Model):
    """A saved state of a plan's document: automatic (after a pause) or named by someone."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("lesson_plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(120))  # None for automatic versions
    state: Mapped[bytes] = mapped_column(LargeBinary)  # full Yjs update encoding the document then
    upto_update_id: Mapped[int] = mapped_column(default=0)
    contributors: Mapped[str] = mapped_column(Text, default="")  # comma-separated user ids since last version
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by = relationship("User")


class PlanImage(db.Model):
    """An image uploaded or pasted into a plan; served only to people who may read the plan."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("lesson_plan.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(80))  # random name on disk under the upload folder
    content_type: Mapped[str] = mapped_column(String(40))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlanComment(AnchoredComment, db.Model):
    """A comment on a lesson or transition plan's text, or a reply (collab.comments.models has the columns every
    anchored comment has). Any member who may read the plan may comment, read-only members included."""

    plan_id: Mapped[int] = mapped_column(ForeignKey("lesson_plan.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan_comment.id", ondelete="CASCADE"))

    replies = relationship("PlanComment", order_by="PlanComment.id", cascade="all, delete-orphan")
