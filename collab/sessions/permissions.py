"""Who may see and change a Work Group's sessions."""

from __future__ import annotations

from collab.groups.permissions import can_manage_group, can_view_group, is_member
from collab.sessions.models import GroupSession


def can_view_session(user, session: GroupSession) -> bool:
    return can_view_group(user, session.work_group)


def can_schedule_session(user, group) -> bool:
    return can_manage_group(user, group)


def can_edit_session(user, session: GroupSession) -> bool:
    return can_manage_group(user, session.work_group)


def can_respond(user, session: GroupSession) -> bool:
    """Members answer their own invitation to a session."""
    return is_member(user, session.work_group) and any(a.user_id == user.id for a in session.attendances)
