"""@-mentions in discussion posts: the Work Group members a post names ("@Full Name", or "@First" when only one
member has that first name, as in plan comments) get one notification linking to the post.

The notification never quotes the post: a post can be deleted to remove a pupil's real name typed by mistake,
and its words must not live on in someone's notifications or email. Deleting the post deletes its mention
notifications too. Editing a post notifies only the people it names for the first time.
"""

from __future__ import annotations

from sqlalchemy import delete

from collab.comments.services import mentioned
from collab.devplans.models import Notification
from collab.devplans.notifications.services import notify
from collab.discussions.models import Post
from collab.extensions import db
from collab.sessions.models import GroupSession

KIND = "mention"
TARGET_KIND = "discussion-post"  # collab.web.targets


def members(session: GroupSession) -> list:
    """Who may read the discussion: the Work Group's members (whom a mention may notify), by name."""
    return sorted((m.user for m in session.work_group.memberships), key=lambda u: u.name.lower())


def notify_mentions(actor, session: GroupSession, post: Post, before: str = "") -> None:
    """Notify the members `post` names now and did not name in `before` (its text before an edit)."""
    people = members(session)
    already = {u.id for u in mentioned(people, before)} if before else set()
    named = [u for u in mentioned(people, post.body_markdown) if u.id not in already]
    if named:
        notify(named, KIND, f"{actor.name} mentioned you in the discussion of “{session.title}”", post, skip=actor)


def forget_mentions(post: Post) -> None:
    """Remove the notifications that point at a deleted post (the caller commits)."""
    db.session.execute(delete(Notification).where(Notification.target_kind == TARGET_KIND,
                                                  Notification.target_id == post.id))
