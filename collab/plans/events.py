"""The plans package's part in the real-time layer: the "plan" room kind."""

from __future__ import annotations

from collab.accounts.models import User
from collab.extensions import db
from collab.groups.models import Membership, WorkGroup
from collab.plans.models import LessonPlan, PlanReadOnly
from collab.plans.permissions import can_edit_plan, can_read_plan
from collab.realtime.access import watch
from collab.realtime.rooms import Access, register_kind


def resolve_plan(user, plan_id: int) -> tuple[int, Access] | None:
    plan = db.session.get(LessonPlan, plan_id)
    if plan is None or not can_read_plan(user, plan):
        return None
    return plan.document_id, ("edit" if can_edit_plan(user, plan) else "read")


def register() -> None:
    register_kind("plan", resolve_plan)
    # What can_read_plan / can_edit_plan read: the plan, its read-only list, its group, the user and memberships.
    watch(LessonPlan, PlanReadOnly, WorkGroup, Membership, User)
