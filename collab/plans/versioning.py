"""Versions of a shared document, the same for lesson plans (collab.plans.history) and development plans
(collab.devplans.plan.history): automatic versions after a pause, named versions, who took part, restoring.

Automatic versions. A version is taken when the document has had updates since the last version and
then a pause in editing of at least AUTO_VERSION_PAUSE (2 minutes). Rather than run a timer, the
check happens whenever someone opens the plan, opens its history or saves a named version: if the
newest logged update is older than the pause and newer than the last version, a version is taken
first. So a pause is always captured before anyone could look at the history, with no background job.

A restore is a new edit: the update that turns today's document into the version's content, stored
in the update log and broadcast like anyone's typing. Earlier updates are never touched.

Each kind of plan keeps its versions in its own table (PlanVersion, DevPlanVersion), with the same columns:
plan_id, name (None for automatic), state, upto_update_id, contributors, created_by_id, created_at.
`Versioned` says which table, which plan, which document and which room.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from collab.accounts.models import User
from collab.extensions import db
from collab.plans import richtext
from collab.realtime.models import DocumentSnapshot, DocumentUpdate
from collab.types import utcnow

AUTO_VERSION_PAUSE = timedelta(minutes=2)


@dataclass(frozen=True)
class Versioned:
    """One plan's document and where its versions are kept."""

    model: Any  # the version model: PlanVersion or DevPlanVersion
    plan_id: int
    document_id: int
    room: str  # the plan's Socket.IO room, built by collab.realtime.rooms.room_name


@dataclass
class VersionRow:
    version: Any
    people: list[str]


def document_state(document_id: int) -> bytes:
    from collab.realtime.store import get_store

    return get_store().full_state(document_id)


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


def last_version(target: Versioned) -> Any:
    model = target.model
    return db.session.scalars(
        select(model).where(model.plan_id == target.plan_id).order_by(model.id.desc()).limit(1)
    ).first()


def _contributor_ids(document_id: int, after_id: int, upto_id: int) -> list[int]:
    ids = db.session.scalars(
        select(DocumentUpdate.user_id).distinct().where(
            DocumentUpdate.document_id == document_id, DocumentUpdate.id > after_id,
            DocumentUpdate.id <= upto_id, DocumentUpdate.user_id.is_not(None))
    ).all()
    return sorted(i for i in ids if i is not None)


def take_version(target: Versioned, name: str | None, actor: User | None, upto_id: int) -> Any:
    previous = last_version(target)
    after_id = previous.upto_update_id if previous else 0
    version = target.model(
        plan_id=target.plan_id, name=name, state=document_state(target.document_id), upto_update_id=upto_id,
        contributors=",".join(str(i) for i in _contributor_ids(target.document_id, after_id, upto_id)),
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(version)
    db.session.commit()
    return version


def _has_unversioned_changes(target: Versioned) -> tuple[int, datetime | None, bool]:
    upto_id, changed_at = latest_change(target.document_id)
    previous = last_version(target)
    return upto_id, changed_at, upto_id > (previous.upto_update_id if previous else 0)


def maybe_auto_version(target: Versioned, now: datetime | None = None) -> Any:
    """Take an automatic version if editing has paused for AUTO_VERSION_PAUSE since the last version."""
    upto_id, changed_at, changed = _has_unversioned_changes(target)
    if changed_at is None or not changed:
        return None
    if changed_at > (now or utcnow()) - AUTO_VERSION_PAUSE:
        return None
    return take_version(target, None, None, upto_id)


def save_named_version(target: Versioned, actor: User, name: str) -> Any:
    maybe_auto_version(target)
    upto_id, _ = latest_change(target.document_id)
    return take_version(target, name.strip()[:120], actor, upto_id)


def version_rows(target: Versioned) -> list[VersionRow]:
    model = target.model
    versions = db.session.scalars(
        select(model).where(model.plan_id == target.plan_id).order_by(model.id.desc())).all()
    ids = {int(i) for v in versions for i in v.contributors.split(",") if i}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    return [VersionRow(v, [names[int(i)] for i in v.contributors.split(",") if i and int(i) in names])
            for v in versions]


def restore_version(target: Versioned, version: Any, actor: User) -> bytes:
    """Make the document read as `version` again, as a new edit by `actor` that everyone receives.
    The caller commits its plan's own changes (updated_at) with the update."""
    # Keep the state being replaced, pause or not, so a restore can itself be undone from the history.
    upto_id, _, changed = _has_unversioned_changes(target)
    if changed:
        take_version(target, None, None, upto_id)
    update = richtext.replace_body(document_state(target.document_id), richtext.load(version.state))
    publish_update(target, update, actor)
    return update


def publish_update(target: Versioned, update: bytes, actor: User | None) -> int:
    """Store a server-made update in the log (durable first), then send it to everyone in the plan's room."""
    from collab.realtime.publish import emit_to_room
    from collab.realtime.store import get_store
    from collab.realtime.yupdates import sync_update

    update_id = get_store().submit(target.document_id, update, actor.id if actor is not None else None)
    db.session.commit()
    emit_to_room(target.room, "doc:sync", (target.room, sync_update(update)))
    return update_id
