"""The workspace of an "exploring maths together" session and the board snapshots taken from it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.types import UTCDateTime, utcnow

__all__ = ["BoardSnapshot", "Workspace"]


class Workspace(db.Model):
    """One per session: the shared Yjs document holding the task, the board and "what we noticed"."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id", ondelete="CASCADE"), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("shared_document.id"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session = relationship("GroupSession")
    snapshots = relationship("BoardSnapshot", back_populates="workspace", cascade="all, delete-orphan",
                             order_by="BoardSnapshot.taken_at.desc()")


class BoardSnapshot(db.Model):
    """A PNG of the board, taken in the browser and uploaded (checked and re-encoded like a plan's images)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(default=0)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workspace = relationship("Workspace", back_populates="snapshots")
    taken_by = relationship("User")
