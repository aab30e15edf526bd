"""Anchored comments on a plan's text, whatever the plan: new comments and replies (idempotent by the client's
id), @-mentions, notifications, resolving and reopening, and the live `<kind>:comment` to everyone with the
plan open (joined to its room "<kind>:<id>").

Each kind of plan describes itself once as a `Commentable` (its comment model, room kind, document, people and
permissions): development plans in collab.devplans.comments.services, lesson and transition plans in
collab.plans.services.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from collab.accounts.models import User
from collab.comments import anchors
from collab.comments.models import AnchoredComment
from collab.comments.serialise import thread_json
from collab.devplans.notifications.services import notify
from collab.extensions import db
from collab.types import utcnow
from collab.web.lookups import get_or_none

MAX_COMMENT_CHARS = 5000
MAX_QUOTE_CHARS = 2000
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class CommentError(Exception):
    """Refused: `code` is "forbidden" (views: 403) or "invalid" (400); not-found is decided by views."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Commentable:
    """One kind of plan that takes anchored comments, as the shared code needs to know it. `plan` arguments
    are that kind's model (a DevPlan, a LessonPlan): anything with `id` and `title`."""

    model: Any  # the comment model: AnchoredComment and db.Model, with its plan_id, parent_id and replies
    room_kind: str  # the plan's room is "<room_kind>:<id>"; its comments go out as "<room_kind>:comment"
    state: Callable[[Any], bytes]  # the plan's document now (its Yjs state)
    readers: Callable[[Any], list[User]]  # who may read the plan now: whom a mention may notify
    editors: Callable[[Any], list[User]]  # whom a new thread notifies
    can_read: Callable[[User, Any], bool]
    can_comment: Callable[[User, Any], bool]
    can_manage: Callable[[User, Any, AnchoredComment], bool]  # resolve and reopen a thread
    cannot_manage: str  # the refusal, saying who may
    notices: dict[str, str]  # "mention", "comment", "reply": texts with {actor}, {title} and {quote}
    trail: bool = False  # sections named by every heading above (collab.comments.anchors._pieces)
    more_columns: Callable[[User, Any], dict[str, Any]] = field(default=lambda actor, plan: {})

    @property
    def event(self) -> str:
        return f"{self.room_kind}:comment"

    def resolve(self, plan: Any, roots: list[AnchoredComment]) -> list[anchors.Anchor]:
        """Where each thread's anchor is in the plan now."""
        if not roots:
            return []
        return anchors.resolve(self.state(plan), [(c.anchor_start, c.anchor_end, c.quote) for c in roots],
                               trail=self.trail)


@dataclass
class NewComment:
    client_id: str
    body: str
    anchor_start: str = ""
    anchor_end: str = ""
    quote: str = ""
    parent_id: int | None = None


def mentioned(people: list[User], body: str) -> list[User]:
    """Of `people`, those named as "@Full Name" (or "@First" when only one of them has that first name)."""
    lowered = body.lower()
    firsts: dict[str, list[User]] = {}
    for u in people:
        firsts.setdefault(u.name.split()[0].lower(), []).append(u)
    found = []
    for u in people:
        first = u.name.split()[0].lower()
        if f"@{u.name.lower()}" in lowered or (
                len(firsts[first]) == 1 and re.search(rf"@{re.escape(first)}\b", lowered)):
            found.append(u)
    return found


def _existing(space: Commentable, actor: User, plan: Any, client_id: str) -> AnchoredComment | None:
    model = space.model
    existing = db.session.scalar(select(model).where(model.client_id == client_id))
    if existing is not None and (existing.plan_id != plan.id or existing.author_id != actor.id):
        raise CommentError("invalid", "That client id is already used.")
    return existing


def _body(text: str) -> str:
    body = (text or "").strip()
    if not body:
        raise CommentError("invalid", "Write a comment first.")
    if len(body) > MAX_COMMENT_CHARS:
        raise CommentError("invalid", f"A comment can be up to {MAX_COMMENT_CHARS:,} characters; "
                                      f"this one has {len(body):,}. Shorten it, or split it into replies.")
    return body


def _parent(space: Commentable, plan: Any, parent_id: int | None) -> AnchoredComment | None:
    if parent_id is None:
        return None
    parent = get_or_none(space.model, parent_id)
    if parent is None or parent.plan_id != plan.id or parent.parent_id is not None:
        raise CommentError("invalid", "There is no such comment to reply to.")
    return parent


def add_comment(space: Commentable, actor: User, plan: Any, new: NewComment) -> tuple[AnchoredComment, bool]:
    """Create a comment (or return the one already made with this client id). Returns (comment, created)."""
    if not space.can_comment(actor, plan):
        raise CommentError("forbidden", "You may not comment on this plan.")
    if not CLIENT_ID.match(new.client_id or ""):
        raise CommentError("invalid", "A comment needs a client id (8–64 letters, digits, - or _).")
    existing = _existing(space, actor, plan, new.client_id)
    if existing is not None:
        return existing, False
    body = _body(new.body)
    parent = _parent(space, plan, new.parent_id)
    section = ""
    if parent is None:
        if not (anchors.decode_position(new.anchor_start) and anchors.decode_position(new.anchor_end)):
            raise CommentError("invalid", "Select some text in the plan to comment on.")
        section = anchors.resolve(space.state(plan), [(new.anchor_start, new.anchor_end, new.quote or "")],
                                  trail=space.trail)[0].section
    comment = space.model(
        client_id=new.client_id, plan_id=plan.id, parent_id=parent.id if parent else None, author_id=actor.id,
        body=body, anchor_start=new.anchor_start if parent is None else "",
        anchor_end=new.anchor_end if parent is None else "",
        quote=(new.quote or "")[:MAX_QUOTE_CHARS] if parent is None else "", section=section[:200],
        **space.more_columns(actor, plan))
    db.session.add(comment)
    try:
        db.session.commit()
    except IntegrityError:  # the same post, retried, committed first by another request
        db.session.rollback()
        existing = _existing(space, actor, plan, new.client_id)
        if existing is None:
            raise
        return existing, False
    _after_comment(space, actor, plan, comment, parent)
    return comment, True


def _notice(space: Commentable, kind: str, actor: User, plan: Any, root: AnchoredComment) -> str:
    return space.notices[kind].format(actor=actor.name, title=plan.title, quote=root.quote[:60])


def _after_comment(space: Commentable, actor: User, plan: Any, comment: AnchoredComment,
                   parent: AnchoredComment | None) -> None:
    root = parent or comment  # the thread's first comment: its anchor is what the notifications link to
    people_mentioned = mentioned(space.readers(plan), comment.body)
    notify(people_mentioned, "mention", _notice(space, "mention", actor, plan, root), root, skip=actor)
    already = {u.id for u in people_mentioned}
    if parent is None:
        targets = [u for u in space.editors(plan) if u.id not in already]
        notify(targets, "comment", _notice(space, "comment", actor, plan, root), root, skip=actor)
    else:
        thread = [parent.author] + [r.author for r in parent.replies]
        targets = [u for u in thread if u is not None and u.id not in already and space.can_read(u, plan)]
        notify(targets, "reply", _notice(space, "reply", actor, plan, root), root, skip=actor)
    broadcast(space, plan, root)


def set_resolved(space: Commentable, actor: User, plan: Any, comment: AnchoredComment,
                 resolved: bool) -> AnchoredComment:
    """Resolve or reopen a thread (its root), for everyone with the plan open."""
    if not space.can_manage(actor, plan, comment):
        raise CommentError("forbidden", space.cannot_manage)
    if resolved and comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by_id = utcnow(), actor.id
    elif not resolved:
        comment.resolved_at, comment.resolved_by_id = None, None
    db.session.commit()
    broadcast(space, plan, comment)
    return comment


def roots(space: Commentable, plan: Any) -> list[AnchoredComment]:
    model = space.model
    return list(db.session.scalars(select(model).where(model.plan_id == plan.id, model.parent_id.is_(None))
                                   .order_by(model.id)))


def threads(space: Commentable, plan: Any) -> list[dict[str, Any]]:
    """Every thread on the plan as the panel shows it, oldest first."""
    found = roots(space, plan)
    return [thread_json(c, a) for c, a in zip(found, space.resolve(plan, found), strict=True)]


def thread(space: Commentable, plan: Any, comment: AnchoredComment) -> dict[str, Any]:
    """The whole thread a comment is in, as the panel shows it."""
    root = db.session.get(space.model, comment.parent_id) if comment.parent_id else comment
    if root is None:  # a reply's root is deleted with its replies (ON DELETE CASCADE): gone meanwhile
        raise CommentError("invalid", "That comment's thread no longer exists.")
    return thread_json(root, space.resolve(plan, [root])[0])


def broadcast(space: Commentable, plan: Any, root: AnchoredComment) -> None:
    """Everyone with the plan open (joined to its room) gets the whole thread as it is now."""
    from collab.realtime.publish import emit_to_room
    from collab.realtime.rooms import room_name

    emit_to_room(room_name(space.room_kind, plan.id), space.event, thread(space, plan, root))
