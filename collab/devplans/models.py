"""Department development plans, their critique rounds, anchored comments, evidence links and notifications."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.comments.models import AnchoredComment
from collab.extensions import db
from collab.types import UTCDateTime, utcnow

__all__ = ["DevPlan", "DevPlanVersion", "CritiqueRound", "RoundReview", "DevPlanComment", "EvidenceLink",
           "Notification", "NotificationPreference", "EmailFrequency"]


class DevPlan(db.Model):
    """One department's long-term development plan; its body is a shared Yjs document ("devplan" room)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("shared_document.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department = relationship("Department")
    document = relationship("SharedDocument")
    created_by = relationship("User")
    rounds = relationship("CritiqueRound", back_populates="plan", cascade="all, delete-orphan",
                          order_by="CritiqueRound.id.desc()")

    @property
    def open_rounds(self) -> list[CritiqueRound]:
        return [r for r in self.rounds if r.closed_at is None]


class DevPlanVersion(db.Model):
    """A saved state of a development plan's document: automatic (after a pause) or named by someone. The same
    columns as the lesson plans' PlanVersion, so both use collab.plans.versioning."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("dev_plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(120))  # None for automatic versions
    state: Mapped[bytes] = mapped_column(LargeBinary)  # full Yjs update encoding the document then
    upto_update_id: Mapped[int] = mapped_column(default=0)
    contributors: Mapped[str] = mapped_column(Text, default="")  # comma-separated user ids since last version
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by = relationship("User")


class CritiqueRound(db.Model):
    """The plan shared with one Work Group for critique, from opening until the department closes it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("dev_plan.id", ondelete="CASCADE"), index=True)
    work_group_id: Mapped[int] = mapped_column(ForeignKey("work_group.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan = relationship("DevPlan", back_populates="rounds")
    work_group = relationship("WorkGroup")
    opened_by = relationship("User")
    reviews = relationship("RoundReview", cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class RoundReview(db.Model):
    """A reviewer has marked their review of the round done."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("critique_round.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    user = relationship("User")


class DevPlanComment(AnchoredComment, db.Model):
    """A comment on a development plan (collab.comments.models has the columns every anchored comment has),
    made during the critique round through which its author read the plan, if any."""

    plan_id: Mapped[int] = mapped_column(ForeignKey("dev_plan.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("critique_round.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("dev_plan_comment.id", ondelete="CASCADE"))

    replies = relationship("DevPlanComment", order_by="DevPlanComment.id", cascade="all, delete-orphan")


class EvidenceLink(db.Model):
    """Evidence for an aim: a link to a Work Group page (a visit summary, a session) with a label."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("dev_plan.id", ondelete="CASCADE"), index=True)
    aim: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(32))  # "visit-summary", "session"
    url: Mapped[str] = mapped_column(String(300))
    label: Mapped[str] = mapped_column(String(200))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notification(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "round-opened", "comment", "reply", "mention", ...
    text: Mapped[str] = mapped_column(Text)
    # What the notification links to (collab.web.targets): a kind ("devplan-comment", ...) and that row's id.
    target_kind: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def link(self) -> str | None:
        """The target's path, built now; None without a target or once it has been deleted."""
        from collab.web.targets import link_to  # imports every linked domain's models

        return link_to(self.target_kind, self.target_id)


class EmailFrequency(enum.StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"
    NEVER = "never"

    @property
    def label(self) -> str:
        return {"immediately": "Straight away", "daily": "A daily digest", "never": "Never (in the app only)"}[
            self.value]


class NotificationPreference(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    email: Mapped[EmailFrequency] = mapped_column(
        Enum(EmailFrequency, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=EmailFrequency.IMMEDIATELY)
