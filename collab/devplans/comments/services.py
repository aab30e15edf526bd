"""Comments on a development plan: new comments and replies (idempotent by the client's id), mentions,
resolving, and the live `devplan:comment` to everyone with the plan open."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from collab.accounts.models import User
from collab.devplans.comments import anchors
from collab.devplans.models import DevPlan, DevPlanComment
from collab.devplans.notifications.services import notify
from collab.devplans.permissions import (
    can_comment_devplan,
    can_manage_devplan_comment,
    can_read_devplan,
    reviewing_rounds,
)
from collab.devplans.plan.services import DevPlanError, document_state, editors, plan_of, readers
from collab.extensions import db
from collab.types import utcnow
from collab.web.lookups import get_or_none

MAX_COMMENT_CHARS = 5000
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


@dataclass
class NewComment:
    client_id: str
    body: str
    anchor_start: str = ""
    anchor_end: str = ""
    quote: str = ""
    parent_id: int | None = None


def mentioned(plan: DevPlan, body: str) -> list[User]:
    """People who may read the plan named as "@Full Name" (or "@First" when only one reader has it)."""
    lowered = body.lower()
    people = readers(plan)
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


def add_comment(actor: User, plan: DevPlan, new: NewComment) -> tuple[DevPlanComment, bool]:
    """Create a comment (or return the one already made with this client id). Returns (comment, created)."""
    if not can_comment_devplan(actor, plan):
        raise DevPlanError("forbidden", "You may not comment on this plan.")
    if not CLIENT_ID.match(new.client_id or ""):
        raise DevPlanError("invalid", "A comment needs a client id (8–64 letters, digits, - or _).")
    existing = db.session.scalar(select(DevPlanComment).where(DevPlanComment.client_id == new.client_id))
    if existing is not None:
        if existing.plan_id != plan.id or existing.author_id != actor.id:
            raise DevPlanError("invalid", "That client id is already used.")
        return existing, False
    body = (new.body or "").strip()
    if not body or len(body) > MAX_COMMENT_CHARS:
        raise DevPlanError("invalid", f"Write a comment of up to {MAX_COMMENT_CHARS} characters.")
    parent = None
    if new.parent_id is not None:
        parent = get_or_none(DevPlanComment, new.parent_id)
        if parent is None or parent.plan_id != plan.id or parent.parent_id is not None:
            raise DevPlanError("invalid", "There is no such comment to reply to.")
    section = ""
    if parent is None:
        if not (anchors.decode_position(new.anchor_start) and anchors.decode_position(new.anchor_end)):
            raise DevPlanError("invalid", "Select some text in the plan to comment on.")
        section = anchors.resolve(document_state(plan),
                                  [(new.anchor_start, new.anchor_end, new.quote or "")])[0].section
    round_ = next(iter(reviewing_rounds(actor, plan)), None)
    comment = DevPlanComment(
        client_id=new.client_id, plan_id=plan.id, round_id=round_.id if round_ else None,
        parent_id=parent.id if parent else None, author_id=actor.id, body=body,
        anchor_start=new.anchor_start if parent is None else "", anchor_end=new.anchor_end if parent is None else "",
        quote=(new.quote or "")[:2000] if parent is None else "", section=section[:200])
    db.session.add(comment)
    db.session.commit()
    _after_comment(actor, plan, comment, parent)
    return comment, True


def _after_comment(actor: User, plan: DevPlan, comment: DevPlanComment, parent: DevPlanComment | None) -> None:
    root = parent or comment  # the thread's first comment: its anchor is what the notifications link to
    people_mentioned = mentioned(plan, comment.body)
    notify(people_mentioned, "mention", f"{actor.name} mentioned you on the development plan “{plan.title}”",
           root, skip=actor)
    already = {u.id for u in people_mentioned}
    if parent is None:
        targets = [u for u in editors(plan) if u.id not in already]
        notify(targets, "comment", f"{actor.name} commented on “{comment.quote[:60]}” in your development plan",
               root, skip=actor)
    else:
        thread = [parent.author] + [r.author for r in parent.replies]
        targets = [u for u in thread if u is not None and u.id not in already and can_read_devplan(u, plan)]
        notify(targets, "reply", f"{actor.name} replied to a comment on the development plan “{plan.title}”",
               root, skip=actor)
    broadcast(plan, root)


def set_resolved(actor: User, comment: DevPlanComment, resolved: bool) -> DevPlanComment:
    plan = plan_of(comment)
    if not can_manage_devplan_comment(actor, plan, comment):
        raise DevPlanError("forbidden", "Only the plan's advocates and the comment's author can resolve it.")
    if resolved and comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by_id = utcnow(), actor.id
    elif not resolved:
        comment.resolved_at, comment.resolved_by_id = None, None
    db.session.commit()
    broadcast(plan, comment)
    return comment


def broadcast(plan: DevPlan, thread: DevPlanComment) -> None:
    """Everyone with the plan open (joined to its room) gets the whole thread as it is now."""
    from collab.devplans.comments.serialise import thread_json
    from collab.realtime.publish import emit_to_room
    from collab.realtime.rooms import room_name

    state = document_state(plan)
    emit_to_room(room_name("devplan", plan.id), "devplan:comment",
                 thread_json(thread, anchors.resolve(state, [(thread.anchor_start, thread.anchor_end,
                                                              thread.quote)])[0]))
