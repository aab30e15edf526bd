"""Development plans: the comment panel's JSON (threads, new comments and replies, resolving)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from collab.devplans.comments import anchors
from collab.devplans.comments import services as comment_services
from collab.devplans.comments.serialise import thread_json
from collab.devplans.comments.services import NewComment
from collab.devplans.lookups import fail, plan_or_404
from collab.devplans.models import DevPlan, DevPlanComment
from collab.devplans.plan import services
from collab.devplans.plan.services import DevPlanError
from collab.extensions import db
from collab.web.lookups import parse_id


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    bp.add_url_rule("/devplans/<int:plan_id>/comments", "comments", comments, methods=["GET"])
    bp.add_url_rule("/devplans/<int:plan_id>/comments", "add_comment", add_comment, methods=["POST"])
    bp.add_url_rule("/devplans/<int:plan_id>/comments/<int:comment_id>/resolve", "resolve", resolve, methods=["POST"])


def threads(plan: DevPlan) -> list[dict]:
    roots = db.session.scalars(select(DevPlanComment).where(
        DevPlanComment.plan_id == plan.id, DevPlanComment.parent_id.is_(None)).order_by(DevPlanComment.id)).all()
    if not roots:
        return []
    resolved = anchors.resolve(services.document_state(plan), [(c.anchor_start, c.anchor_end, c.quote) for c in roots])
    return [thread_json(c, a) for c, a in zip(roots, resolved, strict=True)]

@login_required
def comments(plan_id: int):
    plan = plan_or_404(plan_id)
    return jsonify({"threads": threads(plan)})


@login_required
def add_comment(plan_id: int):
    """JSON {clientId, body, anchor: {start, end}, quote, parentId}. 201 when made, 200 when it already was."""
    plan = plan_or_404(plan_id)
    data = request.get_json(silent=True) or request.form
    anchor = data.get("anchor") or {}
    parent_id = None
    if data.get("parentId") not in (None, "", 0):
        parent_id = parse_id(data.get("parentId"))
        if parent_id is None:  # names no comment a row could be: as for a reply to a missing one
            return jsonify({"ok": False, "error": "invalid", "message": "There is no such comment to reply to."}), 400
    new = NewComment(client_id=str(data.get("clientId", "")), body=str(data.get("body", "")),
                     anchor_start=str(anchor.get("start", "")) if isinstance(anchor, dict) else "",
                     anchor_end=str(anchor.get("end", "")) if isinstance(anchor, dict) else "",
                     quote=str(data.get("quote", "")),
                     parent_id=parent_id)
    try:
        comment, created = comment_services.add_comment(current_user, plan, new)
    except DevPlanError as error:
        return jsonify({"ok": False, "error": error.code, "message": str(error)}), (
            403 if error.code == "forbidden" else 400)
    root = db.session.get(DevPlanComment, comment.parent_id) if comment.parent_id else comment
    anchor_now = anchors.resolve(services.document_state(plan), [(root.anchor_start, root.anchor_end, root.quote)])[0]
    return jsonify({"ok": True, "id": comment.id, "thread": thread_json(root, anchor_now)}), 201 if created else 200


@login_required
def resolve(plan_id: int, comment_id: int):
    """Form or JSON {resolved: true|false}. JSON answers with the thread; a form redirects back."""
    plan = plan_or_404(plan_id)
    comment = db.session.get(DevPlanComment, comment_id)
    if comment is None or comment.plan_id != plan.id or comment.parent_id is not None:
        abort(404)
    data = request.get_json(silent=True)
    wanted = bool(data.get("resolved", True)) if isinstance(data, dict) else request.form.get("resolved") != "0"
    try:
        comment_services.set_resolved(current_user, comment, wanted)
    except DevPlanError as error:
        if data is not None:
            return jsonify({"ok": False, "error": error.code, "message": str(error)}), 403
        fail(error)
    if data is None:
        return redirect(url_for("devplans.show", plan_id=plan.id) + f"#comment-{comment.id}")
    return jsonify({"ok": True})
