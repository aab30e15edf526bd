"""Who may read and write a session's post-lesson discussion.

Whoever may see the session may read its discussion (members of the Work Group and the hub's
administrators); only members of the Work Group post, reply and agree actions.
"""

from __future__ import annotations

from collab.groups.permissions import is_member
from collab.sessions.models import GroupSession
from collab.sessions.permissions import can_view_session


def can_read_discussion(user, session: GroupSession) -> bool:
    return can_view_session(user, session)


def can_post_discussion(user, session: GroupSession) -> bool:
    return can_view_session(user, session) and is_member(user, session.work_group)
