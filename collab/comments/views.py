"""The comment panel's routes, the same for every kind of plan: its threads (JSON), a new comment or reply, and
resolving or reopening a thread. `register` adds them to a plan blueprint, under the plan's own URL:

    GET  <prefix>/<plan_id>/comments                            -> {"threads": [...]}
    POST <prefix>/<plan_id>/comments                            JSON {clientId, body, anchor: {start, end}, quote,
                                                                parentId}: 201 when made, 200 when it already was
    POST <prefix>/<plan_id>/comments/<comment_id>/resolve       form or JSON {resolved: true|false}

The blueprint's `plan_or_404` answers 404 to anyone who may not read the plan; a reader refused an action gets 403
(JSON {ok: false, error, message}), a malformed request 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, jsonify, redirect, request, url_for
from flask_login import current_user, login_required

from collab.accounts.models import User
from collab.comments import services
from collab.comments.services import Commentable, CommentError, NewComment
from collab.web.lookups import get_or_none, parse_id


def grouped(items: list[dict[str, Any]], order: list[str]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Threads by section: the sections in `order` first, in that order, then any others."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for t in items:
        sections.setdefault(t["section"], []).append(t)
    return sorted(sections.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))


def panel(space: Commentable, plan: Any, blueprint: str, order: list[str], can_resolve_all: bool,
          people: list[User]) -> dict[str, Any]:
    """What the plan's page needs for its comment panel: `config` to add to the page's config (the browser's
    panel, static/src/_comments.js), and for templates/comments/_panel.html the open and resolved threads by
    section (a copy for readers without JavaScript, and the threads the browser starts from)."""
    items = services.threads(space, plan)
    config = {
        "commentsUrl": url_for(f"{blueprint}.comments", plan_id=plan.id),
        "resolveUrl": url_for(f"{blueprint}.resolve_comment", plan_id=plan.id, comment_id=0),
        "commentEvent": space.event,
        "canResolveAll": can_resolve_all,  # else only one's own threads
        "sections": order,
        # @-mention suggestions: the people who may read the plan (whom a mention notifies), nobody else.
        "people": [{"id": u.id, "name": u.name} for u in sorted(people, key=lambda u: u.name.lower())],
    }
    return {"config": config, "threads": items, "comments_blueprint": blueprint, "can_resolve_all": can_resolve_all,
            "open_items": grouped([t for t in items if not t["resolved"]], order),
            "resolved_items": grouped([t for t in items if t["resolved"]], order)}


def _refused(error: CommentError):
    return jsonify({"ok": False, "error": error.code, "message": str(error)}), (
        403 if error.code == "forbidden" else 400)


def _new_comment(data: Any) -> NewComment | None:
    """The request's comment, or None when it names a parent no row could be."""
    anchor = data.get("anchor") or {}
    parent_id = None
    if data.get("parentId") not in (None, "", 0):
        parent_id = parse_id(data.get("parentId"))
        if parent_id is None:
            return None
    return NewComment(client_id=str(data.get("clientId", "")), body=str(data.get("body", "")),
                      anchor_start=str(anchor.get("start", "")) if isinstance(anchor, dict) else "",
                      anchor_end=str(anchor.get("end", "")) if isinstance(anchor, dict) else "",
                      quote=str(data.get("quote", "")), parent_id=parent_id)


def register(bp: Blueprint, space: Commentable, prefix: str, plan_or_404: Callable[[int], Any]) -> None:
    """Add the comment routes to `bp` ("<bp>.comments", "<bp>.add_comment", "<bp>.resolve_comment"), under
    `prefix` ("/plans"); a form post to resolve goes back to "<bp>.show"."""

    @login_required
    def comments(plan_id: int):
        return jsonify({"threads": services.threads(space, plan_or_404(plan_id))})

    @login_required
    def add_comment(plan_id: int):
        plan = plan_or_404(plan_id)
        data = request.get_json(silent=True)
        new = _new_comment(data if isinstance(data, dict) else request.form)
        if new is None:  # names no comment a row could be: as for a reply to a missing one
            return _refused(CommentError("invalid", "There is no such comment to reply to."))
        try:
            comment, created = services.add_comment(space, current_user, plan, new)
        except CommentError as error:
            return _refused(error)
        return jsonify({"ok": True, "id": comment.id, "thread": services.thread(space, plan, comment)}), (
            201 if created else 200)

    @login_required
    def resolve_comment(plan_id: int, comment_id: int):
        plan = plan_or_404(plan_id)
        comment = get_or_none(space.model, comment_id)
        if comment is None or comment.plan_id != plan.id or comment.parent_id is not None:
            abort(404)
        data = request.get_json(silent=True)
        as_json = isinstance(data, dict)
        wanted = bool(data.get("resolved", True)) if as_json else request.form.get("resolved") != "0"
        try:
            services.set_resolved(space, current_user, plan, comment, wanted)
        except CommentError as error:
            if as_json:
                return _refused(error)
            abort(403 if error.code == "forbidden" else 400, description=str(error))
        if not as_json:
            return redirect(url_for(f"{bp.name}.show", plan_id=plan.id) + f"#comment-{comment.id}")
        return jsonify({"ok": True, "thread": services.thread(space, plan, comment)})

    rule = f"{prefix}/<int:plan_id>/comments"
    bp.add_url_rule(rule, "comments", comments, methods=["GET"])
    bp.add_url_rule(rule, "add_comment", add_comment, methods=["POST"])
    bp.add_url_rule(f"{rule}/<int:comment_id>/resolve", "resolve_comment", resolve_comment, methods=["POST"])
