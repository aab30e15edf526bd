"""Who may see and change research cycles. Plain functions for views, socket handlers and templates.

A cycle gathers the group's work (plans, visits, discussions), so only the Work Group's members see it: anyone
else, a hub administrator who is not a member included, gets 404 (docs/privacy.md). The lead sets the theme and
runs the cycles (create, change, link the plan and the lessons); every member co-writes the study document; a
plan's co-planners revise it.
"""

from __future__ import annotations

from collab.cycles.models import ResearchCycle
from collab.groups.permissions import can_lead_group_work, can_read_group_work
from collab.plans.permissions import can_edit_plan


def can_read_cycles(user, group) -> bool:
    return can_read_group_work(user, group)


def can_read_cycle(user, cycle: ResearchCycle) -> bool:
    return can_read_group_work(user, cycle.work_group)


def can_manage_cycles(user, group) -> bool:
    """Set the research theme, start a cycle: the Work Group's lead (a member)."""
    return can_lead_group_work(user, group)


def can_manage_cycle(user, cycle: ResearchCycle) -> bool:
    """Change the title, question and status; link the research lesson plan and sessions."""
    return can_lead_group_work(user, cycle.work_group)


def can_edit_study(user, cycle: ResearchCycle) -> bool:
    """Every member co-writes the study of the maths."""
    return can_read_group_work(user, cycle.work_group)


def can_revise_plan(user, plan) -> bool:
    """Make version 2 of a plan: its co-planners (members who are not read-only on it)."""
    return can_edit_plan(user, plan)
