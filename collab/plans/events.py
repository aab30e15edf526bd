"""The plans package's part in the real-time layer: the "plan" room kind."""

from __future__ import annotations

from collab.extensions import db
from collab.plans.models import LessonPlan
from collab.plans.permissions import can_edit_plan, can_read_plan
from collab.realtime.rooms import Access, register_kind


def resolve_plan(user, plan_id: int) -> tuple[int, Access] | None:
    plan = db.session.get(LessonPlan, plan_id)
    if plan is None or not can_read_plan(user, plan):
        return None
    return plan.document_id, ("edit" if can_edit_plan(user, plan) else "read")


def register() -> None:
    # Who may read or edit changes with the read-only list (plans.services.set_read_only announces it) and with
    # the person's memberships (groups.services and accounts.services announce those): collab.realtime.access.
    register_kind("plan", resolve_plan)
