"""Who may do what with hubs, schools and Work Groups.

Plain functions, used by views, socket handlers and templates alike. The rule for pages:
someone who may not see a Work Group gets 404 (it does not exist for them); a member
who lacks the role for an action gets 403.

Administering a group is not reading its work. A hub administrator sees and manages the group itself (its
details, schools, members and sessions); the group's work (lesson plans, observation visits and records, visit
summaries, post-lesson discussions) may describe pupils, so it is for the group's members only
(`can_read_group_work`). docs/privacy.md says who may read what.
"""

from __future__ import annotations

from collab.groups.models import Hub, Membership, Role, WorkGroup


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def membership(user, group: WorkGroup) -> Membership | None:
    if not _signed_in(user):
        return None
    for m in group.memberships:
        if m.user_id == user.id:
            return m
    return None


def is_hub_admin(user, hub: Hub | int | None = None) -> bool:
    """A hub administrator; with a hub given, of that hub."""
    if not _signed_in(user) or not user.is_hub_admin:
        return False
    if hub is None:
        return True
    hub_id = hub if isinstance(hub, int) else hub.id
    return user.hub_id == hub_id


def is_member(user, group: WorkGroup) -> bool:
    return membership(user, group) is not None


def is_lead(user, group: WorkGroup) -> bool:
    m = membership(user, group)
    return m is not None and m.role == Role.LEAD


def can_view_group(user, group: WorkGroup) -> bool:
    return is_member(user, group) or is_hub_admin(user, group.hub_id)


def can_manage_group(user, group: WorkGroup) -> bool:
    """Edit the group, its schools and members' roles; schedule sessions; invite."""
    return is_lead(user, group) or is_hub_admin(user, group.hub_id)


def can_read_group_work(user, group: WorkGroup) -> bool:
    """The group's plans, visits, observation records, summaries and discussions: its members only. A hub
    administrator who needs them joins the group, which every member then sees in its member list."""
    return is_member(user, group)


def can_lead_group_work(user, group: WorkGroup) -> bool:
    """Manage the group's work (plans' editors, visit set-up, records' retention and deletion, every record):
    a manager of the group who is also a member of it."""
    return is_member(user, group) and can_manage_group(user, group)


def can_invite(user, group: WorkGroup) -> bool:
    return can_manage_group(user, group)


def can_create_group(user) -> bool:
    """Hub administrators, and Work Group leads (Mastery Specialists start the groups they will lead)."""
    if is_hub_admin(user):
        return True
    return _signed_in(user) and user.hub_id is not None and any(m.role == Role.LEAD for m in user.memberships)


def can_administer_hub(user, hub: Hub | int) -> bool:
    return is_hub_admin(user, hub)
