"""Writes to a session's discussion, called by the HTTP views and the socket handlers alike.

Every write takes the acting user and an idempotency key (the client's UUID): sending the same key again
returns the row made the first time and broadcasts nothing. Each write commits, then notifies the room
through the realtime layer, so whoever acks the sender does so only after the commit.

Posts are here, with what every write shares (the thread, the poster check, the idempotency key); agreed
actions are in action_services.py.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from collab.discussions.markdown import render
from collab.discussions.mentions import notify_mentions
from collab.discussions.models import SECTION_KEYS, AgreedAction, DiscussionThread, Post
from collab.discussions.permissions import can_post_discussion
from collab.extensions import db
from collab.realtime.publish import emit_to_room
from collab.realtime.rooms import room_name
from collab.sessions.models import GroupSession
from collab.timeutil import uk_datetime
from collab.web.lookups import get_or_none, parse_id

MAX_BODY = 10_000
MAX_QUOTE_TEXT = 1_000
MAX_QUOTE_BYTES = 2_000
QUOTE_KINDS = ("note", "photo")
ROOM_KIND = "discussion"


class Invalid(Exception):
    """Refused input; nothing was changed. `code` is the socket error code, the message is for people."""

    def __init__(self, message: str, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


def room_for(session_id: int) -> str:
    return room_name(ROOM_KIND, session_id)


# --- reading -------------------------------------------------------------------------------------------

def thread_of(session: GroupSession) -> DiscussionThread | None:
    return db.session.scalar(select(DiscussionThread).where(DiscussionThread.session_id == session.id))


def post_count(session: GroupSession) -> int:
    return db.session.scalar(
        select(func.count(Post.id)).join(DiscussionThread).where(
            DiscussionThread.session_id == session.id, Post.deleted.is_(False))) or 0


@dataclass
class PostView:
    post: Post
    replies: list[Post]


@dataclass
class DiscussionView:
    """What the pages show: top-level posts per section (with their replies, oldest first) and the actions."""

    session: GroupSession
    sections: dict[str, list[PostView]]
    actions: list[AgreedAction]
    count: int


def discussion_view(session: GroupSession) -> DiscussionView:
    thread = thread_of(session)
    posts = list(thread.posts) if thread else []
    replies: dict[int, list[Post]] = {}
    for post in posts:
        if post.parent_id is not None and not post.deleted:
            replies.setdefault(post.parent_id, []).append(post)
    sections: dict[str, list[PostView]] = {key: [] for key in SECTION_KEYS}
    for post in posts:
        # A deleted post is left out, unless replies hang off it: then it stays as "Post deleted".
        if post.parent_id is None and post.section in sections and (not post.deleted or post.id in replies):
            sections[post.section].append(PostView(post, replies.get(post.id, [])))
    return DiscussionView(session, sections, list(thread.actions) if thread else [],
                          sum(1 for p in posts if not p.deleted))


def post_json(post: Post) -> dict[str, Any]:
    return {
        "id": post.id, "client_id": post.client_id, "section": post.section, "parent_id": post.parent_id,
        "author": {"id": post.author_id, "name": post.author.name if post.author else "Former member"},
        "body_html": "" if post.deleted else post.body_html,
        "body_markdown": "" if post.deleted else post.body_markdown, "quote": None if post.deleted else post.quote,
        "created_at": post.created_at.isoformat(), "created_label": uk_datetime(post.created_at),
        "deleted": post.deleted, "edited": post.edited_at is not None and not post.deleted,
    }


# --- validation ----------------------------------------------------------------------------------------

def valid_client_id(value: object) -> str:
    if not isinstance(value, str) or len(value) != 36:
        raise Invalid("Each post needs an id made by the page (a UUID).", "malformed")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise Invalid("Each post needs an id made by the page (a UUID).", "malformed") from None


def body_text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid("Write something before posting.", "invalid", "body")
    if len(value) > MAX_BODY:
        raise Invalid(f"A post can be at most {MAX_BODY:,} characters.", "too-large", "body")
    return value.strip()


def valid_quote(value: object) -> dict[str, str] | None:
    """A snapshot of a quoted observation note or photo: {kind, text, photo_url, author, at}, small."""
    if value is None or value == {}:
        return None
    if not isinstance(value, dict) or set(value) - {"kind", "text", "photo_url", "author", "at"}:
        raise Invalid("A quote has kind, text, photo_url, author and at, nothing else.", "malformed", "quote")
    if value.get("kind") not in QUOTE_KINDS:
        raise Invalid("A quote is of a note or a photo.", "malformed", "quote")
    quote = {}
    for key, limit in (("kind", 10), ("text", MAX_QUOTE_TEXT), ("photo_url", 300), ("author", 120), ("at", 40)):
        item = value.get(key, "")
        if item is None:
            item = ""
        if not isinstance(item, str):
            raise Invalid(f"The quote's {key} must be text.", "malformed", "quote")
        if len(item) > limit:
            raise Invalid(f"The quote's {key} is too long.", "too-large", "quote")
        quote[key] = item.strip()
    url = quote["photo_url"]
    # Only our own pages' paths: a quoted photo must never load from another site.
    if url and (not url.startswith("/") or url.startswith("//") or "\\" in url or any(c.isspace() for c in url)):
        raise Invalid("A quoted photo must be one of this site's photos.", "malformed", "quote")
    if quote["kind"] == "photo" and not url:
        raise Invalid("A quoted photo needs its address.", "malformed", "quote")
    if quote["kind"] == "note" and not quote["text"]:
        raise Invalid("A quoted note needs its text.", "malformed", "quote")
    if len(json.dumps(quote).encode()) > MAX_QUOTE_BYTES:
        raise Invalid("The quote is too large.", "too-large", "quote")
    return quote


# --- writing -------------------------------------------------------------------------------------------

def ensure_thread(session: GroupSession) -> DiscussionThread:
    """The session's thread, made on first use (two first posts at once: one insert wins, both use it)."""
    thread = thread_of(session)
    if thread is not None:
        return thread
    thread = DiscussionThread(session_id=session.id)
    db.session.add(thread)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        winner = thread_of(session)  # the other first post's insert won: use its thread
        if winner is None:
            raise  # not that race: the insert failed for another reason
        return winner
    return thread


def check_poster(user, session: GroupSession) -> None:
    if not can_post_discussion(user, session):
        raise Invalid("Only members of the Work Group can post in its discussions.", "read-only")


def create_post(user, session: GroupSession, client_id: object, section: object, body: object,
                parent_id: object = None, quote: object = None) -> tuple[Post, bool]:
    """(post, True) when made now; (the earlier post, False) when this client id was sent before."""
    check_poster(user, session)
    key = valid_client_id(client_id)
    thread = thread_of(session)
    if thread is not None:
        earlier = by_client_id(Post, thread, key)
        if earlier is not None:
            return same_author(earlier, user), False
    if section not in SECTION_KEYS:
        raise Invalid("Choose one of the discussion's sections.", "invalid", "section")
    text = body_text(body)
    snapshot = valid_quote(quote)
    parent = None
    if parent_id not in (None, "", 0):
        parent = get_or_none(Post, parse_id(parent_id))
        if parent is None or thread is None or parent.thread_id != thread.id:
            raise Invalid("A reply must answer a post in this discussion.", "invalid", "parent_id")
        if parent.parent_id is not None:
            parent = db.session.get(Post, parent.parent_id)  # one level of replies: join the conversation
            if parent is None:  # posts are deleted softly; only a thread's deletion removes them (all at once)
                raise Invalid("A reply must answer a post in this discussion.", "invalid", "parent_id")
        section = parent.section
    thread = ensure_thread(session)
    post = Post(thread=thread, client_id=key, author_id=user.id, section=section,
                parent_id=parent.id if parent else None, body_markdown=text, body_html=render(text),
                quote=snapshot)
    db.session.add(post)
    earlier = commit_or_earlier(Post, thread, key)
    if earlier is not None:  # the same key arrived twice at once: the other one made it
        return same_author(earlier, user), False
    emit_to_room(room_for(session.id), "discussion:posted", post_json(post))
    notify_mentions(user, session, post)
    return post, True


def commit_or_earlier(model, thread: DiscussionThread, key: str):
    """Commit; None when that worked, or the row another request committed first with the same key."""
    thread_id = thread.id
    try:
        db.session.commit()
        return None
    except IntegrityError:
        db.session.rollback()
    earlier = db.session.scalar(select(model).where(model.thread_id == thread_id, model.client_id == key))
    if earlier is None:
        raise Invalid("The discussion changed while this was sent; send it again.", "server-error")
    return earlier


def by_client_id(model, thread: DiscussionThread, key: str):
    return db.session.scalar(select(model).where(model.thread_id == thread.id, model.client_id == key))


def same_author(row, user):
    author = getattr(row, "author_id", None) if isinstance(row, Post) else row.created_by_id
    if author != user.id:
        raise Invalid("That id is already used by someone else's post; the page must make a new one.",
                      "malformed")
    return row


# --- deleting ------------------------------------------------------------------------------------------

def delete_discussion(session: GroupSession) -> None:
    """Remove the session's thread, posts and actions completely (a visit's records being deleted).

    Does not commit: the caller deletes the rest of the visit in the same transaction."""
    thread = thread_of(session)
    if thread is None:
        return
    db.session.execute(delete(AgreedAction).where(AgreedAction.thread_id == thread.id))
    # Replies first: their parent rows must outlive them on databases that check as they go.
    db.session.execute(delete(Post).where(Post.thread_id == thread.id, Post.parent_id.is_not(None)))
    db.session.execute(delete(Post).where(Post.thread_id == thread.id))
    db.session.execute(delete(DiscussionThread).where(DiscussionThread.id == thread.id))


def delete_for_visit(visit: Any) -> None:
    """Connected to collab.observations.retention.deletion.visit_deleting (collab.discussions.init_app): called
    with the visit whose records are being deleted, inside that transaction."""
    session = visit if isinstance(visit, GroupSession) else getattr(visit, "session", None)
    if session is None and getattr(visit, "session_id", None) is not None:
        session = db.session.get(GroupSession, visit.session_id)
    if session is not None:
        delete_discussion(session)
