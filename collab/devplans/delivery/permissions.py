"""Who may see and change a plan's delivery rows, and who sees a Work Group's plans side by side.

The rows hang off the plan, so its readers read them and everyone else gets 404 (collab.devplans.permissions).
Everyone in the department writes them (colleagues record what they did; the Advocates lead). A Work Group's
lead sees the figures of every member school's plan, not the plans themselves.
"""

from __future__ import annotations

from collab.devplans.models import DevPlan
from collab.devplans.permissions import can_read_devplan, is_in_department
from collab.groups.models import WorkGroup
from collab.groups.permissions import is_lead


def can_read_delivery(user, plan: DevPlan) -> bool:
    return can_read_devplan(user, plan)


def can_edit_delivery(user, plan: DevPlan) -> bool:
    return is_in_department(user, plan)


def can_see_group_delivery(user, group: WorkGroup) -> bool:
    return is_lead(user, group)
