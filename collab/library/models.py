"""A published research cycle: a frozen snapshot in rows, not a live document (docs/library.md).

The revised plan is kept twice: as safe HTML for reading, and as one Yjs update (its nodes, images left out) from
which "Copy into my Work Group" writes a new plan's document. The anticipated-vs-observed table is kept as counts
per item: case pupils by pseudonym only, no observer's notes or names."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.types import UTCDateTime, utcnow

__all__ = ["PublishedItem", "PublishedRow"]

MAX_TITLE = 200
MAX_SUMMARY = 5000


class PublishedItem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("research_cycle.id", ondelete="SET NULL"), unique=True)
    work_group_id: Mapped[int | None] = mapped_column(ForeignKey("work_group.id", ondelete="SET NULL"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("lesson_plan.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(MAX_TITLE))
    research_question: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    plan_title: Mapped[str] = mapped_column(String(MAX_TITLE), default="")
    plan_kind: Mapped[str] = mapped_column(String(32), default="lesson")
    year_group: Mapped[str] = mapped_column(String(40), default="")
    key_stage: Mapped[str] = mapped_column(String(40), default="")
    topic: Mapped[str] = mapped_column(String(200), default="")
    plan_html: Mapped[str] = mapped_column(Text, default="")
    plan_text: Mapped[str] = mapped_column(Text, default="")
    plan_state: Mapped[bytes] = mapped_column(LargeBinary)
    group_label: Mapped[str] = mapped_column(String(300), default="")  # "NCP24-14b · Work Group title", frozen too
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    hub = relationship("Hub")
    cycle = relationship("ResearchCycle")
    work_group = relationship("WorkGroup")
    published_by = relationship("User")
    rows = relationship("PublishedRow", back_populates="item", cascade="all, delete-orphan",
                        order_by="PublishedRow.position", passive_deletes=True)


class PublishedRow(db.Model):
    """One anticipated item against what was observed in one research lesson."""

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("published_item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    lesson: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16))  # "response" or "pupil"
    pupil: Mapped[str] = mapped_column(String(40), default="")  # a pseudonym
    text: Mapped[str] = mapped_column(Text)
    seen: Mapped[int] = mapped_column(default=0)
    not_seen: Mapped[int] = mapped_column(default=0)
    something_else: Mapped[int] = mapped_column(default=0)

    item = relationship("PublishedItem", back_populates="rows")
