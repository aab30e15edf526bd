"""Hubs, schools and their departments, Work Groups and who is in them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.types import UTCDateTime, utcnow


def _enum(cls: type[enum.Enum]) -> Enum:
    # Stored as short strings (not native enums) so adding a value needs no ALTER TYPE on PostgreSQL.
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class Phase(enum.StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    ALL_THROUGH = "all-through"

    @property
    def label(self) -> str:
        return {"primary": "Primary", "secondary": "Secondary", "all-through": "All-through"}[self.value]


class JourneyPhase(enum.StrEnum):
    READINESS = "readiness"
    DEVELOPMENT = "development"
    EMBEDDING = "embedding"
    SUSTAINING = "sustaining"

    @property
    def label(self) -> str:
        return {
            "readiness": "Mastery Readiness",
            "development": "Development",
            "embedding": "Embedding",
            "sustaining": "Sustaining",
        }[self.value]


class Role(enum.StrEnum):
    LEAD = "lead"
    ADVOCATE = "advocate"
    LEAD_PARTICIPANT = "lead-participant"
    DEPARTMENT_COLLEAGUE = "department-colleague"
    PRIMARY_COLLEAGUE = "primary-colleague"

    @property
    def label(self) -> str:
        return {
            "lead": "Work Group Lead (Mastery Specialist)",
            "advocate": "Mastery Advocate",
            "lead-participant": "Lead participant",
            "department-colleague": "Department colleague",
            "primary-colleague": "Primary colleague",
        }[self.value]


class Hub(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    schools = relationship("School", back_populates="hub", order_by="School.name")


class School(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id"))
    name: Mapped[str] = mapped_column(String(160))
    urn: Mapped[str] = mapped_column(String(8), unique=True)  # DfE Unique Reference Number, 6 digits
    phase: Mapped[Phase] = mapped_column(_enum(Phase))
    town: Mapped[str | None] = mapped_column(String(80))

    hub = relationship("Hub", back_populates="schools")
    departments = relationship("Department", back_populates="school", cascade="all, delete-orphan")

    @property
    def maths_department(self) -> Department | None:
        return self.departments[0] if self.departments else None


class Department(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120), default="Mathematics")

    school = relationship("School", back_populates="departments")


class WorkGroup(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hub.id"))
    project_code: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(200))
    focus: Mapped[str] = mapped_column(String(200))
    journey_phase: Mapped[JourneyPhase] = mapped_column(_enum(JourneyPhase))
    school_year: Mapped[str] = mapped_column(String(7))  # "2024/25"
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("hub_id", "project_code", "school_year"),)

    hub = relationship("Hub")
    memberships = relationship("Membership", back_populates="work_group", cascade="all, delete-orphan")
    school_links = relationship("WorkGroupSchool", back_populates="work_group", cascade="all, delete-orphan")

    @property
    def schools(self) -> list[School]:
        return sorted((link.school for link in self.school_links), key=lambda s: s.name)

    @property
    def leads(self) -> list:
        return [m.user for m in self.memberships if m.role == Role.LEAD]


class WorkGroupSchool(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    work_group_id: Mapped[int] = mapped_column(ForeignKey("work_group.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))

    __table_args__ = (UniqueConstraint("work_group_id", "school_id"),)

    work_group = relationship("WorkGroup", back_populates="school_links")
    school = relationship("School")


class Membership(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    work_group_id: Mapped[int] = mapped_column(ForeignKey("work_group.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(_enum(Role))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("work_group_id", "user_id"),)

    work_group = relationship("WorkGroup", back_populates="memberships")
    user = relationship("User", back_populates="memberships")
