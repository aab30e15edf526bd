"""Comments as JSON, for the side panel, the live `<kind>:comment` event and the comments endpoint."""

from __future__ import annotations

from typing import Any

from collab.comments.anchors import Anchor
from collab.comments.models import AnchoredComment
from collab.timeutil import uk_datetime


def _person(comment: AnchoredComment) -> dict[str, Any]:
    author = comment.author
    if author is None:
        return {"id": None, "name": "Someone who has left", "school": ""}
    return {"id": author.id, "name": author.name, "school": author.school.name if author.school else ""}


def comment_json(comment: AnchoredComment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "clientId": comment.client_id,
        "body": comment.body,
        "author": _person(comment),
        "createdAt": comment.created_at.isoformat(),
        "createdLabel": uk_datetime(comment.created_at),
    }


def thread_json(comment: AnchoredComment, anchor: Anchor) -> dict[str, Any]:
    """A thread root with its replies, where its anchor is now, and whether it is resolved."""
    data = comment_json(comment)
    data.update({
        "anchor": {"start": comment.anchor_start, "end": comment.anchor_end},
        "quote": comment.quote,
        "status": anchor.status,  # "ok" or "deleted"
        "currentText": anchor.text,
        "section": anchor.section or comment.section or "Elsewhere in the plan",
        "resolved": comment.resolved_at is not None,
        "resolvedBy": comment.resolved_by.name if comment.resolved_by else None,
        "resolvedLabel": uk_datetime(comment.resolved_at) if comment.resolved_at else None,
        "replies": [comment_json(r) for r in comment.replies],
    })
    return data
