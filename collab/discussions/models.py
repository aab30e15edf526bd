"""Discussion threads: one per session, holding posts (by protocol section) and agreed actions.

Posts and actions carry a client-generated id (a UUID) unique in their thread: the idempotency key that
makes a resend after a dropped connection return the row already made instead of a duplicate.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.types import UTCDateTime, utcnow

# The discussion protocol, in the order the group talks it through: (key, heading).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("case-pupils", "Case pupils first"),
    ("noticed", "What we noticed"),
    ("evidence", "Evidence of pupils' learning"),
    ("anticipated", "Anticipated versus observed"),
    ("change", "What we would change"),
)
SECTION_KEYS = tuple(key for key, _ in SECTIONS)
SECTION_TITLES = dict(SECTIONS)


class DiscussionThread(db.Model):
    __tablename__ = "discussion_thread"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session = relationship("GroupSession")
    posts = relationship("Post", back_populates="thread", cascade="all, delete-orphan",
                         order_by="Post.id", passive_deletes=True)
    actions = relationship("AgreedAction", back_populates="thread", cascade="all, delete-orphan",
                           order_by="AgreedAction.id", passive_deletes=True)


class Post(db.Model):
    __tablename__ = "discussion_post"
    __table_args__ = (UniqueConstraint("thread_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("discussion_thread.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(36))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    section: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("discussion_post.id", ondelete="CASCADE"))
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)  # sanitised when written (collab/discussions/markdown.py)
    quote: Mapped[dict | None] = mapped_column(JSON)  # {kind, text, photo_url, author, at}: a snapshot
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    thread = relationship("DiscussionThread", back_populates="posts")
    author = relationship("User")


class AgreedAction(db.Model):
    __tablename__ = "agreed_action"
    __table_args__ = (UniqueConstraint("thread_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("discussion_thread.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(36))
    text: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    due_date: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    thread = relationship("DiscussionThread", back_populates="actions")
    owner = relationship("User", foreign_keys=[owner_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
