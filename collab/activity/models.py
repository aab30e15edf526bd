"""What happened recently in a Work Group, for the dashboard."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.types import UTCDateTime, utcnow


class Activity(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    work_group_id: Mapped[int] = mapped_column(ForeignKey("work_group.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    summary: Mapped[str] = mapped_column(String(300))  # "Sam Patel scheduled Lesson observation at ..."
    # What the entry links to (collab.web.targets): a kind ("session", "visit", ...) and that row's id.
    target_kind: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None]
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor = relationship("User")
    work_group = relationship("WorkGroup")

    @property
    def link(self) -> str | None:
        """The target's path, built now; None without a target or once it has been deleted."""
        from collab.web.targets import link_to  # imports every linked domain's models

        return link_to(self.target_kind, self.target_id)
