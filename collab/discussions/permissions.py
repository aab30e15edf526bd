"""Who may read and write a session's post-lesson discussion.

A discussion talks about the lesson's pupils, so it is the Work Group's work (docs/privacy.md): its members
read it, post, reply and agree actions. Anyone else, a hub administrator who is not a member included, gets 404.
Authors edit and delete their own posts; the group's leads may delete (moderate) any post.
"""

from __future__ import annotations

from collab.groups.permissions import can_read_group_work, is_lead, is_member
from collab.sessions.models import GroupSession
from collab.sessions.permissions import can_view_session


def can_read_discussion(user, session: GroupSession) -> bool:
    return can_view_session(user, session) and can_read_group_work(user, session.work_group)


def can_post_discussion(user, session: GroupSession) -> bool:
    return can_view_session(user, session) and is_member(user, session.work_group)


def can_edit_post(user, session: GroupSession, post) -> bool:
    """Only the author corrects their words (while still a member); nobody edits a deleted post."""
    return (not post.deleted and post.author_id is not None and post.author_id == getattr(user, "id", None)
            and can_post_discussion(user, session))


def can_delete_post(user, session: GroupSession, post) -> bool:
    """The author, or a lead of the Work Group moderating (a pupil's real name posted by mistake)."""
    if post.deleted or not can_post_discussion(user, session):
        return False
    return post.author_id == getattr(user, "id", None) or is_lead(user, session.work_group)


def can_edit_action(user, session: GroupSession, action) -> bool:
    """Text, owner and due date: the lead and whoever added the action. Ticking it done stays open to every
    member (can_post_discussion)."""
    if not can_post_discussion(user, session):
        return False
    return action.created_by_id == getattr(user, "id", None) or is_lead(user, session.work_group)
