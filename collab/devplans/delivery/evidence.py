"""Evidence a progress update may point at: the visits, lesson plans and discussions of the department's Work
Groups that the person choosing may read. Stored as link targets (collab.web.targets: a kind and an id), and
shown as links only to those who may read them too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from collab.devplans.models import DevPlan
from collab.discussions.models import DiscussionThread
from collab.discussions.permissions import can_read_discussion
from collab.extensions import db
from collab.groups.models import WorkGroupSchool
from collab.groups.permissions import is_member
from collab.observations.models import Visit
from collab.observations.permissions import can_view_visit
from collab.plans.models import LessonPlan
from collab.plans.permissions import can_read_plan
from collab.sessions.models import GroupSession
from collab.timeutil import uk_date
from collab.web.targets import KINDS, link_to

# kind -> who may read a row of it
READABLE: dict[str, Callable[[Any, Any], bool]] = {
    "visit": can_view_visit,
    "lesson-plan": can_read_plan,
    "discussion": lambda user, thread: can_read_discussion(user, thread.session),
}


def _group_ids(user, plan: DevPlan) -> list[int]:
    """The Work Groups of the department's school that this person is in."""
    links = db.session.scalars(select(WorkGroupSchool).where(
        WorkGroupSchool.school_id == plan.department.school_id)).all()
    return [link.work_group_id for link in links if is_member(user, link.work_group)]


def evidence_choices(user, plan: DevPlan) -> list[tuple[str, str]]:
    """("visit:12", "Lesson observation visit: Year 9 ratio (03/11/2025)"), ... that this person may read."""
    group_ids = _group_ids(user, plan)
    if not group_ids:
        return []
    choices: list[tuple[str, str]] = []
    visits = db.session.scalars(select(Visit).join(GroupSession, Visit.session_id == GroupSession.id).where(
        GroupSession.work_group_id.in_(group_ids)).order_by(GroupSession.starts_at)).all()
    choices += [(f"visit:{v.id}", f"Visit: {v.session.title} ({uk_date(v.session.starts_at)})")
                for v in visits if can_view_visit(user, v)]
    plans = db.session.scalars(select(LessonPlan).where(LessonPlan.work_group_id.in_(group_ids))
                               .order_by(LessonPlan.title)).all()
    choices += [(f"lesson-plan:{p.id}", f"Lesson plan: {p.title}") for p in plans if can_read_plan(user, p)]
    threads = db.session.scalars(select(DiscussionThread).join(
        GroupSession, DiscussionThread.session_id == GroupSession.id).where(
        GroupSession.work_group_id.in_(group_ids)).order_by(GroupSession.starts_at)).all()
    choices += [(f"discussion:{t.id}", f"Discussion: {t.session.title} ({uk_date(t.session.starts_at)})")
                for t in threads if can_read_discussion(user, t.session)]
    return [(value, label[:300]) for value, label in choices]


def link_for(user, kind: str, target_id: int) -> str | None:
    """The evidence's path if this person may read it (and it still exists), else None."""
    spec = KINDS.get(kind)
    if spec is None or kind not in READABLE:
        return None
    row = db.session.get(spec.model, target_id)
    if row is None or not READABLE[kind](user, row):
        return None
    return link_to(kind, target_id)
