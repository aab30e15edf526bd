"""Development plans: the co-editing page with its comment panel, critique rounds, evidence, history,
export, and notifications.

Every plan URL answers 404 to anyone who may not read the plan (its department, and a Work Group only
while a critique round to it is open) and 403 to a reader who lacks the right for an action.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from collab.devplans import anchors, notifications, services
from collab.devplans.forms import ConfirmForm, EvidenceForm, PreferenceForm, RoundForm, StartPlanForm, VersionForm
from collab.devplans.models import (
    CritiqueRound,
    DevPlan,
    DevPlanComment,
    DevPlanVersion,
    EmailFrequency,
    EvidenceLink,
    Notification,
)
from collab.devplans.permissions import (
    can_edit_devplan,
    can_read_devplan,
    can_share_devplan_with,
    is_devplan_editor_for,
    is_devplan_reviewer,
    reviewing_rounds,
)
from collab.devplans.serialise import thread_json
from collab.devplans.services import DevPlanError, NewComment
from collab.extensions import db
from collab.groups.models import Department, Membership, WorkGroup, WorkGroupSchool
from collab.plans import richtext
from collab.sessions.models import GroupSession, SessionKind
from collab.timeutil import uk_date

bp = Blueprint("devplans", __name__)
COLOURS = ["#1d4f91", "#b3261e", "#0b6e4f", "#7b3fa0", "#a35200", "#00677f", "#8a1c5c", "#4a5d00"]


def _plan_or_404(plan_id: int) -> DevPlan:
    plan = db.session.get(DevPlan, plan_id)
    if plan is None or not can_read_devplan(current_user, plan):
        abort(404)
    return plan


def _round_or_404(plan: DevPlan, round_id: int) -> CritiqueRound:
    round_ = db.session.get(CritiqueRound, round_id)
    if round_ is None or round_.plan_id != plan.id:
        abort(404)
    return round_


def _fail(error: DevPlanError):
    abort(403 if error.code == "forbidden" else 400, description=str(error))


def threads(plan: DevPlan) -> list[dict]:
    roots = db.session.scalars(select(DevPlanComment).where(
        DevPlanComment.plan_id == plan.id, DevPlanComment.parent_id.is_(None)).order_by(DevPlanComment.id)).all()
    if not roots:
        return []
    resolved = anchors.resolve(services.document_state(plan), [(c.anchor_start, c.anchor_end, c.quote) for c in roots])
    return [thread_json(c, a) for c, a in zip(roots, resolved, strict=True)]


def grouped(items: list[dict]) -> list[tuple[str, list[dict]]]:
    """Threads by section in the template's order, then any other sections."""
    order = list(services.SECTIONS)
    sections: dict[str, list[dict]] = {}
    for t in items:
        sections.setdefault(t["section"], []).append(t)
    return sorted(sections.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))


# --- the plan ----------------------------------------------------------------------------------------

@bp.get("/devplans")
@login_required
def index():
    own = None
    if current_user.department_id is not None:
        own = db.session.scalar(select(DevPlan).where(DevPlan.department_id == current_user.department_id))
    group_ids = [m.work_group_id for m in current_user.memberships]
    shared = db.session.scalars(select(CritiqueRound).where(
        CritiqueRound.work_group_id.in_(group_ids), CritiqueRound.closed_at.is_(None))
        .order_by(CritiqueRound.due_on)).all() if group_ids else []
    shared = [r for r in shared if own is None or r.plan_id != own.id]
    can_start = own is None and is_devplan_editor_for(current_user, current_user.department_id)
    return render_template("devplans/index.html", own=own, shared=shared, can_start=can_start,
                           form=StartPlanForm())


@bp.post("/devplans")
@login_required
def create():
    department = db.session.get(Department, current_user.department_id or 0)
    if department is None or not StartPlanForm().validate_on_submit():
        abort(404 if department is None else 400)
    try:
        plan = services.create_plan(current_user, department, request.form.get("title", ""))
    except DevPlanError as error:
        _fail(error)
    flash("Development plan started. Your department's advocates can write it with you now.", "success")
    return redirect(url_for("devplans.show", plan_id=plan.id))


@bp.get("/devplans/<int:plan_id>")
@login_required
def show(plan_id: int):
    plan = _plan_or_404(plan_id)
    can_edit = can_edit_devplan(current_user, plan)
    config = {
        "room": f"devplan:{plan.id}",
        "planId": plan.id,
        "access": "edit" if can_edit else "read",
        "user": {"id": current_user.id, "name": current_user.name, "color": COLOURS[current_user.id % len(COLOURS)]},
        "commentsUrl": url_for("devplans.comments", plan_id=plan.id),
        "resolveUrl": url_for("devplans.resolve", plan_id=plan.id, comment_id=0),
        "canComment": True,
        "canResolveAll": can_edit,
    }
    body = richtext.to_html(richtext.load(services.document_state(plan)))
    items = threads(plan)
    evidence = db.session.scalars(select(EvidenceLink).where(EvidenceLink.plan_id == plan.id)
                                  .order_by(EvidenceLink.id)).all()
    asking_me = [r for r in reviewing_rounds(current_user, plan) if is_devplan_reviewer(current_user, r)]
    return render_template(
        "devplans/show.html", plan=plan, config=config, body=body, can_edit=can_edit,
        open_items=grouped([t for t in items if not t["resolved"]]),
        resolved_items=grouped([t for t in items if t["resolved"]]),
        my_rounds=asking_me, evidence=evidence, confirm=ConfirmForm())


@bp.get("/devplans/<int:plan_id>/export.txt")
@login_required
def export_text(plan_id: int):
    plan = _plan_or_404(plan_id)
    lines = [plan.title, "", services.plan_text(plan), "", "Comments", ""]
    for t in threads(plan):
        state = "resolved" if t["resolved"] else "open"
        where = "on deleted text" if t["status"] == "deleted" else t["section"]
        lines.append(f"- [{state}] {t['author']['name']} ({where}) on “{t['quote']}”: {t['body']}")
        lines += [f"    {r['author']['name']}: {r['body']}" for r in t["replies"]]
    response = Response("\n".join(lines) + "\n", mimetype="text/plain")
    response.headers["Content-Disposition"] = f'attachment; filename="development-plan-{plan.id}.txt"'
    return response


# --- comments (JSON) --------------------------------------------------------------------------------

@bp.get("/devplans/<int:plan_id>/comments")
@login_required
def comments(plan_id: int):
    plan = _plan_or_404(plan_id)
    return jsonify({"threads": threads(plan)})


@bp.post("/devplans/<int:plan_id>/comments")
@login_required
def add_comment(plan_id: int):
    """JSON {clientId, body, anchor: {start, end}, quote, parentId}. 201 when made, 200 when it already was."""
    plan = _plan_or_404(plan_id)
    data = request.get_json(silent=True) or request.form
    anchor = data.get("anchor") or {}
    parent_id = data.get("parentId")
    new = NewComment(client_id=str(data.get("clientId", "")), body=str(data.get("body", "")),
                     anchor_start=str(anchor.get("start", "")) if isinstance(anchor, dict) else "",
                     anchor_end=str(anchor.get("end", "")) if isinstance(anchor, dict) else "",
                     quote=str(data.get("quote", "")),
                     parent_id=int(parent_id) if str(parent_id or "").isdigit() else None)
    try:
        comment, created = services.add_comment(current_user, plan, new)
    except DevPlanError as error:
        return jsonify({"ok": False, "error": error.code, "message": str(error)}), (
            403 if error.code == "forbidden" else 400)
    root = db.session.get(DevPlanComment, comment.parent_id) if comment.parent_id else comment
    anchor_now = anchors.resolve(services.document_state(plan), [(root.anchor_start, root.anchor_end, root.quote)])[0]
    return jsonify({"ok": True, "id": comment.id, "thread": thread_json(root, anchor_now)}), 201 if created else 200


@bp.post("/devplans/<int:plan_id>/comments/<int:comment_id>/resolve")
@login_required
def resolve(plan_id: int, comment_id: int):
    """Form or JSON {resolved: true|false}. JSON answers with the thread; a form redirects back."""
    plan = _plan_or_404(plan_id)
    comment = db.session.get(DevPlanComment, comment_id)
    if comment is None or comment.plan_id != plan.id or comment.parent_id is not None:
        abort(404)
    data = request.get_json(silent=True)
    wanted = bool(data.get("resolved", True)) if isinstance(data, dict) else request.form.get("resolved") != "0"
    try:
        services.set_resolved(current_user, comment, wanted)
    except DevPlanError as error:
        if data is not None:
            return jsonify({"ok": False, "error": error.code, "message": str(error)}), 403
        _fail(error)
    if data is None:
        return redirect(url_for("devplans.show", plan_id=plan.id) + f"#comment-{comment.id}")
    return jsonify({"ok": True})


# --- critique rounds ---------------------------------------------------------------------------------

def _shareable_groups(plan: DevPlan) -> list[WorkGroup]:
    groups = db.session.scalars(select(WorkGroup).join(WorkGroupSchool).join(Membership).where(
        WorkGroupSchool.school_id == plan.department.school_id, Membership.user_id == current_user.id)).unique().all()
    return [g for g in groups if can_share_devplan_with(current_user, plan, g)]


@bp.route("/devplans/<int:plan_id>/rounds/new", methods=["GET", "POST"])
@login_required
def new_round(plan_id: int):
    plan = _plan_or_404(plan_id)
    if not can_edit_devplan(current_user, plan):
        abort(403)
    groups = _shareable_groups(plan)
    form = RoundForm()
    form.work_group_id.choices = [SelectChoice(g.id, f"{g.project_code} · {g.title}") for g in groups]
    if form.validate_on_submit():
        group = next(g for g in groups if g.id == form.work_group_id.data)
        try:
            round_ = services.open_round(current_user, plan, group, form.question.data, form.due_on.data)
        except DevPlanError as error:
            form.question.errors = [str(error)]
        else:
            flash(f"Shared with {group.project_code}. Its members from other schools have been told.", "success")
            return redirect(url_for("devplans.round_page", plan_id=plan.id, round_id=round_.id))
    return render_template("devplans/new_round.html", plan=plan, form=form, groups=groups)


@bp.get("/devplans/<int:plan_id>/rounds/<int:round_id>")
@login_required
def round_page(plan_id: int, round_id: int):
    plan = _plan_or_404(plan_id)
    round_ = _round_or_404(plan, round_id)
    done = {r.user_id: r for r in round_.reviews}
    reviewers = sorted((m.user for m in round_.work_group.memberships
                        if m.user.school_id != plan.department.school_id), key=lambda u: u.name)
    return render_template("devplans/round.html", plan=plan, round=round_, reviewers=reviewers, done=done,
                           can_edit=can_edit_devplan(current_user, plan),
                           is_reviewer=is_devplan_reviewer(current_user, round_), confirm=ConfirmForm())


@bp.post("/devplans/<int:plan_id>/rounds/<int:round_id>/close")
@login_required
def close_round(plan_id: int, round_id: int):
    plan = _plan_or_404(plan_id)
    round_ = _round_or_404(plan, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.close_round(current_user, round_)
    except DevPlanError as error:
        _fail(error)
    flash("Round closed. The plan is visible to your department only again.", "success")
    return redirect(url_for("devplans.round_page", plan_id=plan.id, round_id=round_.id))


@bp.post("/devplans/<int:plan_id>/rounds/<int:round_id>/reviewed")
@login_required
def mark_reviewed(plan_id: int, round_id: int):
    plan = _plan_or_404(plan_id)
    round_ = _round_or_404(plan, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.mark_reviewed(current_user, round_)
    except DevPlanError as error:
        _fail(error)
    flash("Thank you: your review is marked done.", "success")
    return redirect(url_for("devplans.round_page", plan_id=plan.id, round_id=round_.id))


# --- evidence ----------------------------------------------------------------------------------------

def evidence_choices(plan: DevPlan) -> list[tuple[str, str]]:
    """Sessions of the department's Work Groups: observation visits and transition sessions."""
    group_ids = [link.work_group_id for link in db.session.scalars(select(WorkGroupSchool).where(
        WorkGroupSchool.school_id == plan.department.school_id))]
    sessions = db.session.scalars(select(GroupSession).where(
        GroupSession.work_group_id.in_(group_ids),
        GroupSession.kind.in_([SessionKind.OBSERVATION, SessionKind.TRANSITION]))
        .order_by(GroupSession.starts_at)).all() if group_ids else []
    choices = []
    for s in sessions:
        when = uk_date(s.starts_at)
        choices.append((f"visit-summary|/sessions/{s.id}/visit|Observation notes: {s.title} ({when})",
                        f"Observation notes and visit summary: {s.title} ({when})"))
        choices.append((f"session|/sessions/{s.id}|Session: {s.title} ({when})", f"Session page: {s.title} ({when})"))
    return choices


@bp.route("/devplans/<int:plan_id>/evidence", methods=["GET", "POST"])
@login_required
def evidence(plan_id: int):
    plan = _plan_or_404(plan_id)
    form = EvidenceForm()
    form.evidence.choices = [SelectChoice(v, label) for v, label in evidence_choices(plan)]
    if request.method == "POST":
        if not can_edit_devplan(current_user, plan):
            abort(403)
        if form.validate_on_submit():
            kind, url, label = form.evidence.data.split("|", 2)
            try:
                services.add_evidence(current_user, plan, form.aim.data or "", kind, url, label)
            except DevPlanError as error:
                _fail(error)
            flash("Evidence linked.", "success")
            return redirect(url_for("devplans.evidence", plan_id=plan.id))
    links = db.session.scalars(select(EvidenceLink).where(EvidenceLink.plan_id == plan.id)
                               .order_by(EvidenceLink.id)).all()
    return render_template("devplans/evidence.html", plan=plan, form=form, links=links,
                           can_edit=can_edit_devplan(current_user, plan), confirm=ConfirmForm())


@bp.post("/devplans/<int:plan_id>/evidence/<int:link_id>/delete")
@login_required
def delete_evidence(plan_id: int, link_id: int):
    plan = _plan_or_404(plan_id)
    link = db.session.get(EvidenceLink, link_id)
    if link is None or link.plan_id != plan.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.remove_evidence(current_user, link)
    except DevPlanError as error:
        _fail(error)
    return redirect(url_for("devplans.evidence", plan_id=plan.id))


# --- history -----------------------------------------------------------------------------------------

@bp.route("/devplans/<int:plan_id>/history", methods=["GET", "POST"])
@login_required
def history(plan_id: int):
    plan = _plan_or_404(plan_id)
    form = VersionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            services.save_version(current_user, plan, form.name.data or "")
        except DevPlanError as error:
            _fail(error)
        flash("Version saved.", "success")
        return redirect(url_for("devplans.history", plan_id=plan.id))
    versions = db.session.scalars(select(DevPlanVersion).where(DevPlanVersion.plan_id == plan.id)
                                  .order_by(DevPlanVersion.id.desc())).all()
    return render_template("devplans/history.html", plan=plan, versions=versions, form=form,
                           can_edit=can_edit_devplan(current_user, plan))


@bp.get("/devplans/<int:plan_id>/versions/<int:version_id>")
@login_required
def version(plan_id: int, version_id: int):
    plan = _plan_or_404(plan_id)
    found = db.session.get(DevPlanVersion, version_id)
    if found is None or found.plan_id != plan.id:
        abort(404)
    return render_template("devplans/version.html", plan=plan, version=found,
                           body=richtext.to_html(richtext.load(found.state)))


# --- notifications -----------------------------------------------------------------------------------

@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def notifications_page():
    form = PreferenceForm()
    if request.method == "POST" and form.validate_on_submit():
        notifications.set_preference(current_user, EmailFrequency(form.email.data))
        flash("Saved how we email you.", "success")
        return redirect(url_for("devplans.notifications_page"))
    if request.method == "GET":
        form.email.data = notifications.preference(current_user).value
    items = db.session.scalars(select(Notification).where(Notification.user_id == current_user.id)
                               .order_by(Notification.id.desc()).limit(100)).all()
    return render_template("devplans/notifications.html", items=items, form=form, confirm=ConfirmForm())


@bp.post("/notifications/read")
@login_required
def notifications_read():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    raw = request.form.get("id", "")
    notifications.mark_read(current_user, int(raw) if raw.isdigit() else None)
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for("devplans.notifications_page"))


@bp.get("/notifications/count")
@login_required
def notifications_count():
    return jsonify({"unread": notifications.unread_count(current_user.id)})


@bp.app_context_processor
def _notification_count() -> dict:
    """`unread_notifications()` for the bell in base.html (a function: only pages that show it query)."""
    def unread() -> int:
        return notifications.unread_count(current_user.id) if current_user.is_authenticated else 0
    return {"unread_notifications": unread}
