"""Who may read, edit and manage lesson plans. Plain functions for views, socket handlers and templates.

A plan is the Work Group's work and may name case pupils, so only the group's members read it: a hub
administrator who is not a member gets 404 like anyone else outside the group (docs/privacy.md).
"""

from __future__ import annotations

from collab.groups.permissions import can_lead_group_work, can_read_group_work
from collab.plans.models import LessonPlan


def can_read_plan(user, plan: LessonPlan) -> bool:
    return can_read_group_work(user, plan.work_group)


def is_read_only_for(user, plan: LessonPlan) -> bool:
    user_id = getattr(user, "id", None)
    return any(entry.user_id == user_id for entry in plan.read_only)


def can_edit_plan(user, plan: LessonPlan) -> bool:
    return can_read_plan(user, plan) and not is_read_only_for(user, plan)


def can_manage_plan(user, plan: LessonPlan) -> bool:
    """Make members read-only, rename, delete."""
    return can_lead_group_work(user, plan.work_group)


def can_comment_plan(user, plan: LessonPlan) -> bool:
    """Every member who may read the plan, read-only members included: a comment leaves the text as it is."""
    return can_read_plan(user, plan)


def can_manage_plan_comment(user, plan: LessonPlan, comment) -> bool:
    """Resolve or reopen a thread: the plan's editors, and the thread's author while they may read the plan."""
    return can_edit_plan(user, plan) or (can_read_plan(user, plan) and comment.author_id == getattr(user, "id", None))
