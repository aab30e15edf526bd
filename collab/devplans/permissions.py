"""Who may read, edit and critique a development plan. Plain functions for views, socket handlers, templates.

Visibility is exact: the plan's department, and the members of a Work Group while a critique round to that
group is open. Anyone else gets 404 for the plan and everything hanging off it (comments, exports, history).
"""

from __future__ import annotations

from collab.devplans.models import CritiqueRound, DevPlan
from collab.groups.models import Role, WorkGroup
from collab.groups.permissions import is_member

EDITOR_ROLES = (Role.ADVOCATE, Role.LEAD_PARTICIPANT, Role.LEAD)


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_in_department(user, plan: DevPlan) -> bool:
    return _signed_in(user) and user.department_id is not None and user.department_id == plan.department_id


def is_devplan_editor_for(user, department_id: int | None) -> bool:
    """A Mastery Advocate, lead participant or lead (in some Work Group) of that department."""
    return (_signed_in(user) and department_id is not None and user.department_id == department_id
            and any(m.role in EDITOR_ROLES for m in user.memberships))


def can_edit_devplan(user, plan: DevPlan) -> bool:
    return is_devplan_editor_for(user, plan.department_id)


def reviewing_rounds(user, plan: DevPlan) -> list[CritiqueRound]:
    """Open rounds through which this user (a member of the round's Work Group) may read the plan."""
    if not _signed_in(user):
        return []
    return [r for r in plan.open_rounds if is_member(user, r.work_group)]


def can_read_devplan(user, plan: DevPlan) -> bool:
    return is_in_department(user, plan) or bool(reviewing_rounds(user, plan))


def can_comment_devplan(user, plan: DevPlan) -> bool:
    return can_read_devplan(user, plan)


def can_manage_devplan_comment(user, plan: DevPlan, comment) -> bool:
    """Resolve or reopen: the plan's editors and the comment's author."""
    return can_edit_devplan(user, plan) or (_signed_in(user) and comment.author_id == user.id)


def can_share_devplan_with(user, plan: DevPlan, group: WorkGroup) -> bool:
    """Open a round: an editor, to a Work Group the department's school belongs to and the editor is in."""
    school_id = plan.department.school_id
    return (can_edit_devplan(user, plan) and is_member(user, group)
            and any(link.school_id == school_id for link in group.school_links))


def is_devplan_reviewer(user, round_: CritiqueRound) -> bool:
    """A member of the round's Work Group from another school."""
    return (_signed_in(user) and round_.is_open and is_member(user, round_.work_group)
            and user.school_id != round_.plan.department.school_id)
