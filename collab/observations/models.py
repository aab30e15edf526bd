"""Lesson observation visits: the visit set-up, case pupils, each observer's record (a shared Yjs
document), photos of pupils' work, and the group's checklist templates."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.types import UTCDateTime, utcnow

__all__ = ["ChecklistTemplate", "Visit", "CasePupil", "AnticipatedItem", "ObservationRecord", "ObservationPhoto"]


class ChecklistTemplate(db.Model):
    """A Work Group's own copy of a checklist (the built-in default lives in records/checklists.py)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    work_group_id: Mapped[int] = mapped_column(ForeignKey("work_group.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    criteria_json: Mapped[str] = mapped_column(Text)  # [{"id", "title", "look_fors": [{"id", "text"}]}]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def criteria(self) -> list[dict]:
        return json.loads(self.criteria_json)


class Visit(db.Model):
    """The observation part of an observation or transition session (one per session)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("group_session.id", ondelete="CASCADE"), unique=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("lesson_plan.id", ondelete="SET NULL"))
    host_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))  # who teaches
    checklist_name: Mapped[str] = mapped_column(String(120))
    criteria_json: Mapped[str] = mapped_column(Text)  # frozen copy of the template's criteria at set-up
    phases_json: Mapped[str] = mapped_column(Text)  # ["Starter", "Anchor task", ...]
    current_phase: Mapped[str] = mapped_column(String(80), default="")
    lesson_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lesson_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    share_notes_during: Mapped[bool] = mapped_column(default=False)  # the host's choice
    retention_months: Mapped[int | None] = mapped_column()  # None: kept until a lead deletes them
    records_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session = relationship("GroupSession")
    plan = relationship("LessonPlan")
    host = relationship("User")
    case_pupils = relationship("CasePupil", order_by="CasePupil.position", cascade="all, delete-orphan")
    records = relationship("ObservationRecord", back_populates="visit", cascade="all, delete-orphan",
                           order_by="ObservationRecord.id")
    anticipated = relationship("AnticipatedItem", order_by="AnticipatedItem.position",
                               cascade="all, delete-orphan")

    @property
    def criteria(self) -> list[dict]:
        return json.loads(self.criteria_json)

    @property
    def phases(self) -> list[str]:
        return json.loads(self.phases_json)

    @property
    def work_group(self):
        return self.session.work_group

    @property
    def in_progress(self) -> bool:
        return self.lesson_started_at is not None and self.lesson_ended_at is None


class CasePupil(db.Model):
    """A pupil the observers follow, known only by a pseudonym ("Pupil A"). No real name is ever stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(40))
    prediction: Mapped[str] = mapped_column(Text, default="")


class AnticipatedItem(db.Model):
    """An anticipated response or misconception, or a case pupil's prediction, copied from the visit's lesson plan
    when the visit was set up or last refreshed from it (the plan may change later). Observers tag it in their
    record's document by its id (collab/observations/anticipated/)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(16))  # "response" (anticipated) or "pupil" (a case pupil's prediction)
    pupil: Mapped[str] = mapped_column(String(40), default="")  # the case pupil's pseudonym, for kind "pupil"
    text: Mapped[str] = mapped_column(Text)
    in_plan: Mapped[bool] = mapped_column(default=True)  # False: gone from the plan, kept because it was tagged


class ObservationRecord(db.Model):
    """One observer's record of one visit: a shared Yjs document only they edit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    observer_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("shared_document.id"), unique=True)
    follows_pupil_id: Mapped[int | None] = mapped_column(ForeignKey("case_pupil.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("visit_id", "observer_id"),)

    visit = relationship("Visit", back_populates="records")
    observer = relationship("User")
    follows = relationship("CasePupil")
    photos = relationship("ObservationPhoto", cascade="all, delete-orphan", order_by="ObservationPhoto.id")


class ObservationPhoto(db.Model):
    """A photo of pupils' work, re-encoded without metadata, with a thumbnail; both under the upload folder.

    client_id is the id the tablet gave the photo when it was taken (it may have been queued offline): uploading
    it again, after a lost answer or a retry, finds this row instead of making a second photo."""

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("observation_record.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str | None] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(80))
    thumb_filename: Mapped[str] = mapped_column(String(80))
    content_type: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("record_id", "client_id"),)
