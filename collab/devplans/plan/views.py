"""The plan's own pages: the list, starting a plan, the co-editing page with its comment panel, the text and PDF
exports, history, versions and restoring one. The other route modules are listed in devplans/blueprint.py.

Every plan URL answers 404 to anyone who may not read the plan (its department, and a Work Group only
while a critique round to it is open) and 403 to a reader who lacks the right for an action.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from collab.comments.views import panel
from collab.devplans.comments.services import DEVPLAN_COMMENTS
from collab.devplans.comments.views import threads
from collab.devplans.forms import ConfirmForm, StartPlanForm, VersionForm
from collab.devplans.lookups import fail, plan_or_404
from collab.devplans.models import CritiqueRound, DevPlan, DevPlanVersion, EvidenceLink
from collab.devplans.permissions import can_edit_devplan, is_devplan_editor_for, is_devplan_reviewer, reviewing_rounds
from collab.devplans.plan import services
from collab.devplans.plan.export import devplan_pdf
from collab.devplans.plan.services import DevPlanError
from collab.extensions import db
from collab.groups.models import Department
from collab.plans import richtext
from collab.plans.export import filename_for
from collab.realtime.presence import colour_for
from collab.realtime.rooms import room_name
from collab.web.lookups import child_or_404


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    bp.add_url_rule("/devplans", "index", index, methods=["GET"])
    bp.add_url_rule("/devplans", "create", create, methods=["POST"])
    bp.add_url_rule("/devplans/<int:plan_id>", "show", show, methods=["GET"])
    bp.add_url_rule("/devplans/<int:plan_id>/export.txt", "export_text", export_text, methods=["GET"])
    bp.add_url_rule("/devplans/<int:plan_id>/history", "history", history, methods=["GET", "POST"])
    bp.add_url_rule("/devplans/<int:plan_id>/versions/<int:version_id>", "version", version, methods=["GET"])
    bp.add_url_rule("/devplans/<int:plan_id>/versions/<int:version_id>/restore", "restore", restore,
                    methods=["POST"])
    bp.add_url_rule("/devplans/<int:plan_id>/export.pdf", "export_pdf", export_pdf, methods=["GET"])


INDEX_LIMIT = 50  # open rounds listed; a Work Group has a handful of schools

# --- the plan ----------------------------------------------------------------------------------------

@login_required
def index():
    own = None
    if current_user.department_id is not None:
        own = db.session.scalar(select(DevPlan).where(DevPlan.department_id == current_user.department_id)
                                .options(selectinload(DevPlan.rounds).joinedload(CritiqueRound.work_group)))
    # The department's own plan is listed with its open rounds; "shared" is the other schools' plans, each
    # round loaded with what the list shows in the same few queries.
    group_ids = [m.work_group_id for m in current_user.memberships]
    query = (select(CritiqueRound).where(CritiqueRound.work_group_id.in_(group_ids), CritiqueRound.closed_at.is_(None))
             .options(joinedload(CritiqueRound.work_group),
                      joinedload(CritiqueRound.plan).joinedload(DevPlan.department).joinedload(Department.school))
             .order_by(CritiqueRound.due_on, CritiqueRound.id).limit(INDEX_LIMIT))
    if own is not None:
        query = query.where(CritiqueRound.plan_id != own.id)
    shared = db.session.scalars(query).all() if group_ids else []
    can_start = own is None and is_devplan_editor_for(current_user, current_user.department_id)
    return render_template("devplans/index.html", own=own, own_rounds=own.open_rounds if own else [],
                           shared=shared, can_start=can_start, form=StartPlanForm())


@login_required
def create():
    department = db.session.get(Department, current_user.department_id or 0)
    if department is None or not StartPlanForm().validate_on_submit():
        abort(404 if department is None else 400)
    try:
        plan = services.create_plan(current_user, department, request.form.get("title", ""))
    except DevPlanError as error:
        fail(error)
    flash("Development plan started. Your department's advocates can write it with you now.", "success")
    return redirect(url_for("devplans.show", plan_id=plan.id))


@login_required
def show(plan_id: int):
    plan = plan_or_404(plan_id)
    services.maybe_auto_version(plan)  # a pause in editing is kept before anyone works on
    can_edit = can_edit_devplan(current_user, plan)
    config = {
        "room": room_name("devplan", plan.id),
        "planId": plan.id,
        "access": "edit" if can_edit else "read",
        "user": {"id": current_user.id, "name": current_user.name, "color": colour_for(current_user.id)},
    }
    comments = panel(DEVPLAN_COMMENTS, plan, "devplans", list(services.SECTIONS), can_edit, services.readers(plan))
    config.update(comments.pop("config"))
    body = richtext.to_html(richtext.load(services.document_state(plan)))
    evidence = db.session.scalars(select(EvidenceLink).where(EvidenceLink.plan_id == plan.id)
                                  .order_by(EvidenceLink.id)).all()
    asking_me = [r for r in reviewing_rounds(current_user, plan) if is_devplan_reviewer(current_user, r)]
    return render_template(
        "devplans/show.html", plan=plan, config=config, body=body, can_edit=can_edit, **comments,
        my_rounds=asking_me, evidence=evidence, confirm=ConfirmForm())


@login_required
def export_text(plan_id: int):
    plan = plan_or_404(plan_id)
    lines = [plan.title, "", services.plan_text(plan), "", "Comments", ""]
    for t in threads(plan):
        state = "resolved" if t["resolved"] else "open"
        where = "on deleted text" if t["status"] == "deleted" else t["section"]
        lines.append(f"- [{state}] {t['author']['name']} ({where}) on “{t['quote']}”: {t['body']}")
        lines += [f"    {r['author']['name']}: {r['body']}" for r in t["replies"]]
    response = Response("\n".join(lines) + "\n", mimetype="text/plain")
    response.headers["Content-Disposition"] = f'attachment; filename="development-plan-{plan.id}.txt"'
    return response


@login_required
def export_pdf(plan_id: int):
    """The plan and every comment thread. Comments are personal data: readers of the plan only (plan_or_404)."""
    plan = plan_or_404(plan_id)
    data = devplan_pdf(plan, services.document_state(plan), threads(plan))
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename_for(plan, "pdf")}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response

# --- history -----------------------------------------------------------------------------------------

@login_required
def history(plan_id: int):
    plan = plan_or_404(plan_id)
    form = VersionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            services.save_version(current_user, plan, form.name.data or "")
        except DevPlanError as error:
            fail(error)
        flash("Version saved.", "success")
        return redirect(url_for("devplans.history", plan_id=plan.id))
    services.maybe_auto_version(plan)
    return render_template("devplans/history.html", plan=plan, rows=services.version_rows(plan), form=form,
                           can_edit=can_edit_devplan(current_user, plan))


@login_required
def version(plan_id: int, version_id: int):
    plan = plan_or_404(plan_id)
    found = child_or_404(DevPlanVersion, version_id, plan_id=plan.id)
    row = next(r for r in services.version_rows(plan) if r.version.id == found.id)
    return render_template("devplans/version.html", plan=plan, row=row, version=found, confirm=ConfirmForm(),
                           body=richtext.to_html(richtext.load(found.state)),
                           can_edit=can_edit_devplan(current_user, plan))


@login_required
def restore(plan_id: int, version_id: int):
    plan = plan_or_404(plan_id)
    found = child_or_404(DevPlanVersion, version_id, plan_id=plan.id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.restore_version(current_user, plan, found)
    except DevPlanError as error:
        fail(error)
    flash("Restored. Everyone in the plan now sees that version; the history keeps what it replaced.", "success")
    return redirect(url_for("devplans.show", plan_id=plan.id))
