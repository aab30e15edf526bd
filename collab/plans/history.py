"""A lesson plan's history: automatic and named versions, viewing one, restoring one.

The logic (when an automatic version is taken, what a restore does) is shared with development plans and
lives in collab.plans.versioning; this module applies it to a LessonPlan and its PlanVersion rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from collab.accounts.models import User
from collab.extensions import db
from collab.plans import richtext, versioning
from collab.plans.models import LessonPlan, PlanVersion
from collab.plans.versioning import AUTO_VERSION_PAUSE, Versioned, VersionRow, latest_change
from collab.realtime.models import DocumentUpdate
from collab.realtime.rooms import room_name
from collab.types import utcnow

__all__ = ["AUTO_VERSION_PAUSE", "VersionRow", "latest_change", "last_version", "maybe_auto_version",
           "save_named_version", "version_rows", "version_nodes", "restore_version", "publish_update",
           "update_count"]


def versioned(plan: LessonPlan) -> Versioned:
    return Versioned(PlanVersion, plan.id, plan.document_id, room_name("plan", plan.id))


def last_version(plan: LessonPlan) -> PlanVersion | None:
    return versioning.last_version(versioned(plan))


def maybe_auto_version(plan: LessonPlan, now: datetime | None = None) -> PlanVersion | None:
    """Take an automatic version if editing has paused for AUTO_VERSION_PAUSE since the last version."""
    return versioning.maybe_auto_version(versioned(plan), now)


def save_named_version(plan: LessonPlan, actor: User, name: str) -> PlanVersion:
    return versioning.save_named_version(versioned(plan), actor, name)


def version_rows(plan: LessonPlan) -> list[VersionRow]:
    return versioning.version_rows(versioned(plan))


def version_nodes(version: PlanVersion) -> list:
    return richtext.load(version.state)


def restore_version(plan: LessonPlan, version: PlanVersion, actor: User) -> bytes:
    """Make the document read as `version` again, as a new edit by `actor` that everyone receives."""
    plan.updated_at = utcnow()
    return versioning.restore_version(versioned(plan), version, actor)


def publish_update(plan: LessonPlan, update: bytes, actor: User | None) -> int:
    """Store a server-made update in the log (durable first), then send it to everyone in the plan's room."""
    plan.updated_at = utcnow()
    return versioning.publish_update(versioned(plan), update, actor)


def update_count(plan: LessonPlan) -> int:
    return db.session.scalar(
        select(func.count()).select_from(DocumentUpdate).where(DocumentUpdate.document_id == plan.document_id)) or 0
