"""Recording activity. Called by other services inside their own transaction."""

from __future__ import annotations

from collab.activity.models import Activity
from collab.extensions import db


def record(work_group_id: int, actor, summary: str, link: str | None = None) -> Activity:
    entry = Activity(work_group_id=work_group_id, actor_id=actor.id if actor else None,
                     summary=summary[:300], link=link)
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
