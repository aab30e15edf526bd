"""Who may see and change a Work Group's sessions.

Built on collab/groups/permissions.py: who may not see the Work Group gets 404 for its
sessions; a member without the role for an action gets 403.
"""

from __future__ import annotations

from collab.groups.permissions import can_manage_group, can_view_group, is_member
from collab.sessions.models import Attendance, GroupSession


def can_view_session(user, session: GroupSession) -> bool:
    return can_view_group(user, session.work_group)


def can_schedule_session(user, group) -> bool:
    return can_manage_group(user, group)


def can_edit_session(user, session: GroupSession) -> bool:
    return can_manage_group(user, session.work_group)


def can_delete_session(user, session: GroupSession) -> bool:
    return can_edit_session(user, session)


def can_respond(user, session: GroupSession) -> bool:
    """Members answer their own invitation to a session."""
    return is_member(user, session.work_group) and any(a.user_id == user.id for a in session.attendances)


def attendance_of(user, session: GroupSession) -> Attendance | None:
    """The user's own invitation to the session, if any (templates show 'my response')."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return next((a for a in session.attendances if a.user_id == user.id), None)
