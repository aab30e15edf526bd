"""Who may read and change the hub's library. Plain functions for views, search and templates.

A published item is readable by every member of any Work Group of its hub and by the hub's administrators;
anyone else gets 404 (docs/privacy.md). The lead of the cycle's Work Group publishes and unpublishes; a hub
administrator may also take an item out of the library. Anyone who may read an item copies it into a Work Group
of the same hub where they co-plan (its lead, a Mastery Advocate or a lead participant)."""

from __future__ import annotations

from collab.cycles.models import ResearchCycle
from collab.cycles.permissions import can_manage_cycle
from collab.groups.models import Role, WorkGroup
from collab.groups.permissions import can_lead_group_work, is_hub_admin, is_member
from collab.library.models import PublishedItem

CO_PLANNING_ROLES = frozenset({Role.LEAD, Role.ADVOCATE, Role.LEAD_PARTICIPANT})


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def library_hub_ids(user) -> set[int]:
    """The hubs whose library `user` may read: those of their Work Groups, and the hub they administer."""
    if not _signed_in(user):
        return set()
    hubs = {m.work_group.hub_id for m in user.memberships}
    if is_hub_admin(user) and user.hub_id is not None:
        hubs.add(user.hub_id)
    return hubs


def can_read_library(user, hub_id: int) -> bool:
    return hub_id in library_hub_ids(user)


def can_read_item(user, item: PublishedItem) -> bool:
    return can_read_library(user, item.hub_id)


def can_publish_cycle(user, cycle: ResearchCycle) -> bool:
    """The cycle's lead, once the cycle has a revised plan."""
    return cycle.revised_plan_id is not None and can_manage_cycle(user, cycle)


def can_unpublish(user, item: PublishedItem) -> bool:
    if item.work_group is not None and can_lead_group_work(user, item.work_group):
        return True
    return is_hub_admin(user, item.hub_id)


def can_copy_into(user, item: PublishedItem, group: WorkGroup) -> bool:
    if not can_read_item(user, item) or group.hub_id != item.hub_id or not is_member(user, group):
        return False
    return any(m.user_id == user.id and m.role in CO_PLANNING_ROLES for m in group.memberships)


def copy_targets(user, item: PublishedItem) -> list[WorkGroup]:
    if not _signed_in(user):
        return []
    groups = {m.work_group for m in user.memberships}
    return sorted((g for g in groups if can_copy_into(user, item, g)), key=lambda g: (g.project_code, g.id))
