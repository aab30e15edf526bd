"""Shared Yjs documents: an append-only update log plus compacted snapshots.

The database is the source of truth. A document's state is its latest snapshot
with every logged update after it applied; any in-memory copy is a cache of that.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from collab.extensions import db
from collab.types import UTCDateTime, utcnow

__all__ = ["SharedDocument", "DocumentUpdate", "DocumentSnapshot", "SetAsideUpdate", "AccessChange"]

# mypy takes no class attribute (db.Model) as a base class (python/mypy#8603): each model ignores that
# name-defined error; its columns are still typed by their Mapped[...] annotations.


class SharedDocument(db.Model):  # type: ignore[name-defined]  # (see above)
    """One co-edited Yjs document (a lesson plan body, an observation record, a development plan)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # "plan", "observation", "devplan"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DocumentUpdate(db.Model):  # type: ignore[name-defined]  # (see above)
    """One Yjs update as a client sent it, committed before it is acknowledged."""

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("shared_document.id", ondelete="CASCADE"), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DocumentSnapshot(db.Model):  # type: ignore[name-defined]  # (see above)
    """The merged state of every update with id <= upto_update_id (compaction keeps one per document)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("shared_document.id", ondelete="CASCADE"), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    upto_update_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SetAsideUpdate(db.Model):  # type: ignore[name-defined]  # (see above)
    """A logged update the document could not take (written before the strict check existed, or by a bug): kept
    here, out of the log, by the compaction that found it, so the document loads without it and someone can
    look at what it was (collab.realtime.doclog.apply_log)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("shared_document.id", ondelete="CASCADE"), index=True)
    update_id: Mapped[int] = mapped_column(Integer)  # its id in the log
    data: Mapped[bytes] = mapped_column(LargeBinary)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(200))
    set_aside_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccessChange(db.Model):  # type: ignore[name-defined]  # (see above)
    """A change of who may read or edit, as the service that made it announced it (collab.realtime.access): one
    room (`room_kind` and `object_id`), or everything one person joined (`user_id`), or, naming neither,
    everything (what a change made by hand should add). Only appended to, and pruned by age (access.prune); each
    process reads the rows added since it last looked, and the highest id it knows is its "access epoch"."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    room_kind: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: the log outlives what it names
