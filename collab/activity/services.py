"""Recording activity. Called by other services inside their own transaction."""

from __future__ import annotations

from typing import Any

from collab.activity.models import Activity
from collab.extensions import db
from collab.web.targets import target_of


def record(work_group_id: int, actor, summary: str, target: Any = None) -> Activity:
    """`target`: the model object the entry links to (a session, a visit...; see collab.web.targets)."""
    target_kind, target_id = target_of(target) if target is not None else (None, None)
    entry = Activity(work_group_id=work_group_id, actor_id=actor.id if actor else None,
                     summary=summary[:300], target_kind=target_kind, target_id=target_id)
    db.session.add(entry)
    return entry


def recent_for_groups(group_ids: list[int], limit: int = 15) -> list[Activity]:
    if not group_ids:
        return []
    return (
        db.session.query(Activity)
        .filter(Activity.work_group_id.in_(group_ids))
        .order_by(Activity.at.desc(), Activity.id.desc())
        .limit(limit)
        .all()
    )
