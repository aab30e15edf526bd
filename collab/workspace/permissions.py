"""Who may use a session's workspace: the Work Group's members (read and edit); anyone else, a hub administrator
who is not a member included, gets 404 (docs/privacy.md), as for the group's other work."""

from __future__ import annotations

from collab.groups.permissions import can_read_group_work
from collab.sessions.models import GroupSession


def can_use_workspace(user, session: GroupSession) -> bool:
    return can_read_group_work(user, session.work_group)
