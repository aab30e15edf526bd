"""Correcting posts: the author edits or deletes their own; a lead of the Work Group deletes any (moderation).

A deletion wipes the words from the database row (markdown, HTML and quote), so nothing can show them again:
not the page, the visit summary or its PDF. The row stays, as "Post deleted", when replies hang off it.
Like the other writes: commit, then tell the room (`discussion:post-updated` with the Post).
"""

from __future__ import annotations

from collab.discussions.markdown import render
from collab.discussions.mentions import forget_mentions, notify_mentions
from collab.discussions.models import Post
from collab.discussions.permissions import can_delete_post, can_edit_post
from collab.discussions.services import Invalid, body_text, check_poster, post_json, room_for, thread_of
from collab.extensions import db
from collab.realtime.publish import emit_to_room
from collab.sessions.models import GroupSession
from collab.types import utcnow
from collab.web.lookups import get_or_none, parse_id


def post_in(session: GroupSession, post_id: object) -> Post:
    post = get_or_none(Post, parse_id(post_id))
    thread = thread_of(session)
    if post is None or thread is None or post.thread_id != thread.id or post.deleted:
        raise Invalid("There is no such post in this discussion (it may have been deleted).", "not-found",
                      "post_id")
    return post


def edit_post(user, session: GroupSession, post_id: object, body: object) -> Post:
    check_poster(user, session)
    post = post_in(session, post_id)
    if not can_edit_post(user, session, post):
        raise Invalid("Only the author of a post can edit it.", "forbidden", "post_id")
    text = body_text(body)
    before = post.body_markdown
    if text != before:
        post.body_markdown = text
        post.body_html = render(text)
        post.edited_at = utcnow()
        db.session.commit()
        emit_to_room(room_for(session.id), "discussion:post-updated", post_json(post))
        notify_mentions(user, session, post, before)
    return post


def delete_post(user, session: GroupSession, post_id: object) -> Post:
    check_poster(user, session)
    post = post_in(session, post_id)
    if not can_delete_post(user, session, post):
        raise Invalid("Only the author of a post or a lead of the Work Group can delete it.", "forbidden",
                      "post_id")
    post.deleted = True
    post.body_markdown = ""
    post.body_html = ""
    post.quote = None
    post.edited_at = utcnow()
    forget_mentions(post)
    db.session.commit()
    emit_to_room(room_for(session.id), "discussion:post-updated", post_json(post))
    return post
