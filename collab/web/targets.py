"""What an activity entry or a notification points at, and the link to it, built when shown.

A row stores its target as a kind and an id (`target_kind`, `target_id`), never a URL: a route can change
without leaving stale links in old rows, and a target deleted since shows as plain text, not a broken link.
Services pass the object itself (`target_of(session)`); `link_to(kind, id)` builds the path when it is read.
To link to something new, add its kind to KINDS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from collab.cycles.models import ResearchCycle
from collab.devplans.models import CritiqueRound, DevPlan, DevPlanComment
from collab.discussions.models import DiscussionThread, Post
from collab.extensions import db
from collab.groups.models import WorkGroup
from collab.observations.models import Visit
from collab.plans.models import LessonPlan, PlanComment
from collab.sessions.models import GroupSession
from collab.web.urls import path_for


@dataclass(frozen=True)
class Kind:
    model: type
    endpoint: str
    values: Callable[[Any], dict[str, Any]]  # url_for's arguments for one row ("anchor": a #fragment)


KINDS: dict[str, Kind] = {
    "group": Kind(WorkGroup, "groups.detail", lambda group: {"group_id": group.id}),
    "session": Kind(GroupSession, "sessions.detail", lambda session: {"session_id": session.id}),
    "lesson-plan": Kind(LessonPlan, "plans.show", lambda plan: {"plan_id": plan.id}),
    "plan-comment": Kind(PlanComment, "plans.show",
                         lambda comment: {"plan_id": comment.plan_id, "anchor": f"comment-{comment.id}"}),
    "visit": Kind(Visit, "observations.room", lambda visit: {"visit_id": visit.id}),
    "discussion": Kind(DiscussionThread, "discussions.show", lambda thread: {"session_id": thread.session_id}),
    "discussion-post": Kind(Post, "discussions.show",
                            lambda post: {"session_id": post.thread.session_id, "anchor": f"post-{post.id}"}),
    "devplan": Kind(DevPlan, "devplans.show", lambda plan: {"plan_id": plan.id}),
    "devplan-round": Kind(CritiqueRound, "devplans.round_page",
                          lambda round_: {"plan_id": round_.plan_id, "round_id": round_.id}),
    "devplan-comment": Kind(DevPlanComment, "devplans.show",
                            lambda comment: {"plan_id": comment.plan_id, "anchor": f"comment-{comment.id}"}),
    "cycle": Kind(ResearchCycle, "cycles.show", lambda cycle: {"cycle_id": cycle.id}),
}


def target_of(obj: Any) -> tuple[str, int]:
    """(kind, id) to store for a model object; it must have its id (flushed)."""
    for name, kind in KINDS.items():
        if type(obj) is kind.model:
            return name, obj.id
    raise ValueError(f"no link target kind for {type(obj).__name__}")


def link_to(kind: str | None, target_id: int | None) -> str | None:
    """The path of the target's page, or None when there is no target or it no longer exists."""
    spec = KINDS.get(kind or "")
    if spec is None or target_id is None:
        return None
    row = db.session.get(spec.model, target_id)
    return path_for(spec.endpoint, **spec.values(row)) if row is not None else None
