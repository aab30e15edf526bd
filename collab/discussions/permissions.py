"""Who may read and write a session's post-lesson discussion.

A discussion talks about the lesson's pupils, so it is the Work Group's work (docs/privacy.md): its members
read it, post, reply and agree actions. Anyone else, a hub administrator who is not a member included, gets 404.
"""

from __future__ import annotations

from collab.groups.permissions import can_read_group_work, is_member
from collab.sessions.models import GroupSession
from collab.sessions.permissions import can_view_session


def can_read_discussion(user, session: GroupSession) -> bool:
    return can_view_session(user, session) and can_read_group_work(user, session.work_group)


def can_post_discussion(user, session: GroupSession) -> bool:
    return can_view_session(user, session) and is_member(user, session.work_group)
