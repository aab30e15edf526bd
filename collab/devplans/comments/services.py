"""Comments on a development plan, as collab.comments needs to know them: the shared code makes new comments
and replies (idempotent by the client's id), notifies (mentions, the department's advocates, the thread), resolves,
and sends the live `devplan:comment` to everyone with the plan open."""

from __future__ import annotations

from typing import Any

from collab.accounts.models import User
from collab.comments.services import Commentable
from collab.devplans.models import DevPlan, DevPlanComment
from collab.devplans.permissions import (
    can_comment_devplan,
    can_manage_devplan_comment,
    can_read_devplan,
    reviewing_rounds,
)
from collab.devplans.plan.services import document_state, editors, readers


def _round(actor: User, plan: DevPlan) -> dict[str, Any]:
    """A reviewer's comment belongs to the round through which they read the plan."""
    round_ = next(iter(reviewing_rounds(actor, plan)), None)
    return {"round_id": round_.id if round_ else None}


DEVPLAN_COMMENTS = Commentable(
    model=DevPlanComment,
    room_kind="devplan",
    state=document_state,
    readers=readers,
    editors=editors,
    can_read=can_read_devplan,
    can_comment=can_comment_devplan,
    can_manage=can_manage_devplan_comment,
    cannot_manage="Only the plan's advocates and the comment's author can resolve it.",
    notices={
        "mention": "{actor} mentioned you on the development plan “{title}”",
        "comment": "{actor} commented on “{quote}” in your development plan",
        "reply": "{actor} replied to a comment on the development plan “{title}”",
    },
    more_columns=_round,
)
