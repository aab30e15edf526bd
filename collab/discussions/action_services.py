"""Agreed actions in a session's discussion: adding one (an owner from the Work Group, chosen: never a default,
an optional due date), editing it (text, owner, due date: the lead or its creator) and ticking it done. Like the
posts in services.py: the acting user and an idempotency key, commit, then notify the room."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from collab.discussions.models import AgreedAction
from collab.discussions.permissions import can_edit_action
from collab.discussions.services import (
    Invalid,
    by_client_id,
    check_poster,
    commit_or_earlier,
    ensure_thread,
    room_for,
    same_author,
    thread_of,
    valid_client_id,
)
from collab.extensions import db
from collab.groups.permissions import is_member
from collab.realtime.publish import emit_to_room
from collab.sessions.models import GroupSession
from collab.timeutil import uk_date
from collab.web.lookups import get_or_none, parse_id

MAX_ACTION = 500


def action_json(action: AgreedAction) -> dict[str, Any]:
    return {
        "id": action.id, "client_id": action.client_id, "text": action.text,
        "owner": {"id": action.owner_id, "name": action.owner.name if action.owner else "Nobody"},
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "due_label": uk_date(action.due_date) if action.due_date else "",
        "done": action.done, "created_by_id": action.created_by_id,
    }


_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_due_date(value: object) -> date | None:
    """'2025-03-14' (as a date input sends it) or '14/03/2025' (as people in England type it); '' is none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            match = _UK_DATE.match(text)
            if match:
                day, month, year = (int(g) for g in match.groups())
                return date(year, month, day)
            return datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            pass
    raise Invalid("Give the due date as a date, like 14/03/2025.", "invalid", "due_date")


def create_action(user, session: GroupSession, client_id: object, text: object, owner_id: object,
                  due_date: object) -> tuple[AgreedAction, bool]:
    check_poster(user, session)
    key = valid_client_id(client_id)
    thread = thread_of(session)
    if thread is not None:
        earlier = by_client_id(AgreedAction, thread, key)
        if earlier is not None:
            return same_author(earlier, user), False
    words = _text(text)
    owner = _member(session, owner_id)
    due = parse_due_date(due_date)
    thread = ensure_thread(session)
    action = AgreedAction(thread=thread, client_id=key, text=words, owner_id=owner.id, due_date=due,
                          created_by_id=user.id)
    db.session.add(action)
    earlier = commit_or_earlier(AgreedAction, thread, key)
    if earlier is not None:
        return same_author(earlier, user), False
    emit_to_room(room_for(session.id), "discussion:action-added", action_json(action))
    return action, True


def _text(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise Invalid("Say what was agreed.", "invalid", "text")
    if len(text.strip()) > MAX_ACTION:
        raise Invalid(f"An agreed action can be at most {MAX_ACTION} characters.", "too-large", "text")
    return text.strip()


def _member(session: GroupSession, owner_id: object):
    from collab.accounts.models import User

    if owner_id in (None, "", 0, "0"):
        raise Invalid("Choose who owns this action: every agreed action needs an owner.", "invalid", "owner_id")
    owner = get_or_none(User, parse_id(owner_id))
    if owner is None or not is_member(owner, session.work_group):
        raise Invalid("The owner of an action must be a member of the Work Group.", "invalid", "owner_id")
    return owner


def action_in(session: GroupSession, action_id: object) -> AgreedAction:
    action = get_or_none(AgreedAction, parse_id(action_id))
    thread = thread_of(session)
    if action is None or thread is None or action.thread_id != thread.id:
        raise Invalid("There is no such action in this discussion.", "not-found", "action_id")
    return action


def edit_action(user, session: GroupSession, action_id: object, text: object, owner_id: object,
                due_date: object) -> AgreedAction:
    """Change an action's text, owner and due date (the lead or the action's creator); the room gets
    `discussion:action-updated` when anything changed."""
    check_poster(user, session)
    action = action_in(session, action_id)
    if not can_edit_action(user, session, action):
        raise Invalid("Only a lead of the Work Group or whoever added the action can change it.", "forbidden",
                      "action_id")
    words = _text(text)
    owner = _member(session, owner_id)
    due = parse_due_date(due_date)
    if (action.text, action.owner_id, action.due_date) != (words, owner.id, due):
        action.text, action.owner_id, action.due_date = words, owner.id, due
        db.session.commit()
        emit_to_room(room_for(session.id), "discussion:action-updated", action_json(action))
    return action


def set_action_done(user, session: GroupSession, action_id: object, done: object) -> AgreedAction:
    check_poster(user, session)
    if not isinstance(done, bool):
        raise Invalid("Say whether the action is done (true or false).", "malformed", "done")
    action = action_in(session, action_id)
    if action.done != done:
        action.done = done
        db.session.commit()
        emit_to_room(room_for(session.id), "discussion:action-updated", action_json(action))
    return action
