"""A plan's history: automatic and named versions, viewing one, restoring one.

Automatic versions. A version is taken when the document has had updates since the last version and
then a pause in editing of at least AUTO_VERSION_PAUSE (2 minutes). Rather than run a timer, the
check happens whenever someone opens the plan, opens its history or saves a named version: if the
newest logged update is older than the pause and newer than the last version, a version is taken
first. So a pause is always captured before anyone could look at the history, with no background job.

A restore is a new edit: the update that turns today's document into the version's content, stored
in the update log and broadcast like anyone's typing. Earlier updates are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from collab.accounts.models import User
from collab.extensions import db
from collab.plans import richtext
from collab.plans.models import LessonPlan, PlanVersion
from collab.realtime.models import DocumentSnapshot, DocumentUpdate
from collab.types import utcnow

AUTO_VERSION_PAUSE = timedelta(minutes=2)


@dataclass
class VersionRow:
    version: PlanVersion
    people: list[str]


def _document_state(plan: LessonPlan) -> bytes:
    from collab.plans.services import document_state

    return document_state(plan.document_id)


def latest_change(document_id: int) -> tuple[int, datetime | None]:
    """The id and time of the newest logged update (or of the snapshot, once the log is compacted)."""
    row = db.session.execute(
        select(DocumentUpdate.id, DocumentUpdate.created_at)
        .where(DocumentUpdate.document_id == document_id).order_by(DocumentUpdate.id.desc()).limit(1)
    ).first()
    if row is not None:
        return row[0], row[1]
    snap = db.session.execute(
        select(DocumentSnapshot.upto_update_id, DocumentSnapshot.created_at)
        .where(DocumentSnapshot.document_id == document_id)
        .order_by(DocumentSnapshot.upto_update_id.desc()).limit(1)
    ).first()
    return (snap[0], snap[1]) if snap is not None else (0, None)


def last_version(plan: LessonPlan) -> PlanVersion | None:
    return db.session.scalars(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.id.desc()).limit(1)
    ).first()


def _contributor_ids(document_id: int, after_id: int, upto_id: int) -> list[int]:
    ids = db.session.scalars(
        select(DocumentUpdate.user_id).distinct().where(
            DocumentUpdate.document_id == document_id, DocumentUpdate.id > after_id,
            DocumentUpdate.id <= upto_id, DocumentUpdate.user_id.is_not(None))
    ).all()
    return sorted(ids)


def _take_version(plan: LessonPlan, name: str | None, actor: User | None, upto_id: int) -> PlanVersion:
    previous = last_version(plan)
    after_id = previous.upto_update_id if previous else 0
    version = PlanVersion(
        plan_id=plan.id, name=name, state=_document_state(plan), upto_update_id=upto_id,
        contributors=",".join(str(i) for i in _contributor_ids(plan.document_id, after_id, upto_id)),
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(version)
    db.session.commit()
    return version


def maybe_auto_version(plan: LessonPlan, now: datetime | None = None) -> PlanVersion | None:
    """Take an automatic version if editing has paused for AUTO_VERSION_PAUSE since the last version."""
    upto_id, changed_at = latest_change(plan.document_id)
    previous = last_version(plan)
    if changed_at is None or upto_id <= (previous.upto_update_id if previous else 0):
        return None
    if changed_at > (now or utcnow()) - AUTO_VERSION_PAUSE:
        return None
    return _take_version(plan, None, None, upto_id)


def save_named_version(plan: LessonPlan, actor: User, name: str) -> PlanVersion:
    maybe_auto_version(plan)
    upto_id, _ = latest_change(plan.document_id)
    return _take_version(plan, name.strip()[:120], actor, upto_id)


def version_rows(plan: LessonPlan) -> list[VersionRow]:
    versions = db.session.scalars(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.id.desc())).all()
    ids = {int(i) for v in versions for i in v.contributors.split(",") if i}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    return [VersionRow(v, [names[int(i)] for i in v.contributors.split(",") if i and int(i) in names])
            for v in versions]


def version_nodes(version: PlanVersion) -> list:
    return richtext.load(version.state)


def restore_version(plan: LessonPlan, version: PlanVersion, actor: User) -> bytes:
    """Make the document read as `version` again, as a new edit by `actor` that everyone receives."""
    # Keep the state being replaced, pause or not, so a restore can itself be undone from the history.
    upto_id, _ = latest_change(plan.document_id)
    previous = last_version(plan)
    if upto_id > (previous.upto_update_id if previous else 0):
        _take_version(plan, None, None, upto_id)
    update = richtext.replace_body(_document_state(plan), richtext.load(version.state))
    publish_update(plan, update, actor)
    return update


def publish_update(plan: LessonPlan, update: bytes, actor: User | None) -> int:
    """Store a server-made update in the log (durable first), then send it to everyone in the plan's room."""
    from collab.realtime.publish import emit_to_room
    from collab.realtime.rooms import room_name
    from collab.realtime.store import get_store
    from collab.realtime.yupdates import sync_update

    update_id = get_store().submit(plan.document_id, update, actor.id if actor is not None else None)
    plan.updated_at = utcnow()
    db.session.commit()
    room = room_name("plan", plan.id)
    emit_to_room(room, "doc:sync", (room, sync_update(update)))
    return update_id


def update_count(plan: LessonPlan) -> int:
    return db.session.scalar(
        select(func.count()).select_from(DocumentUpdate).where(DocumentUpdate.document_id == plan.document_id))
