"""Lesson plans: list, create, the co-editing page with its comment panel, who can edit, images, history and export.

Every plan URL (and a group's list of plans) answers 404 to anyone who may not read the plan (it does not exist
for them: a hub administrator who is not a member included) and 403 to a reader who lacks the right for an action
(editing, managing).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from collab.comments import views as comment_views
from collab.extensions import db
from collab.groups.models import Role, WorkGroup
from collab.groups.permissions import can_read_group_work
from collab.plans import export, history, richtext
from collab.plans.forms import ConfirmForm, PlanForm, VersionForm
from collab.plans.images import MAX_IMAGE_BYTES, ImageRejected, store_image
from collab.plans.models import LessonPlan, PlanImage, PlanVersion
from collab.plans.permissions import can_edit_plan, can_manage_plan, can_read_plan
from collab.plans.services import PLAN_COMMENTS, comment_sections, readers
from collab.realtime.presence import colour_for
from collab.realtime.rooms import room_name
from collab.sessions.models import GroupSession
from collab.timeutil import uk_date
from collab.web.lookups import child_or_404, parse_id

bp = Blueprint("plans", __name__)


def _group_or_404(group_id: int) -> WorkGroup:
    group = db.session.get(WorkGroup, group_id)
    if group is None or not can_read_group_work(current_user, group):
        abort(404)
    return group


def _plan_or_404(plan_id: int) -> LessonPlan:
    plan = db.session.get(LessonPlan, plan_id)
    if plan is None or not can_read_plan(current_user, plan):
        abort(404)
    return plan


# The comment panel's routes, as development plans have them (collab.comments.views): /plans/<id>/comments
# (GET the threads, POST a comment or a reply) and /plans/<id>/comments/<comment_id>/resolve.
comment_views.register(bp, PLAN_COMMENTS, "/plans", _plan_or_404)


def _state(plan: LessonPlan) -> bytes:
    from collab.plans.services import document_state

    return document_state(plan.document_id)


def _upload_folder() -> Path:
    return export.upload_folder()


@bp.get("/groups/<int:group_id>/plans")
@login_required
def index(group_id: int):
    group = _group_or_404(group_id)
    plans = db.session.scalars(
        select(LessonPlan).where(LessonPlan.work_group_id == group.id).order_by(LessonPlan.updated_at.desc())
    ).all()
    return render_template("plans/index.html", group=group, plans=plans, can_create=True)


@bp.route("/groups/<int:group_id>/plans/new", methods=["GET", "POST"])
@login_required
def new(group_id: int):
    group = _group_or_404(group_id)  # every member may start a plan
    form = PlanForm()
    sessions = db.session.scalars(
        select(GroupSession).where(GroupSession.work_group_id == group.id).order_by(GroupSession.starts_at)).all()
    form.session_id.choices = [SelectChoice(0, "Not attached to a session")] + [
        SelectChoice(s.id, f"{s.title} ({uk_date(s.starts_at)})") for s in sessions]
    if request.method == "GET" and (session_id := parse_id(request.args.get("session", ""))) is not None:
        form.session_id.data = session_id  # the id of no session of the group's chooses none
    if form.validate_on_submit():
        from collab.plans.services import create_plan

        session = next((s for s in sessions if s.id == form.session_id.data), None)
        plan = create_plan(current_user, group, session=session, **form.cleaned())
        flash("Plan created. Everyone in the Work Group can now plan it with you.", "success")
        return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/new.html", group=group, form=form)


@bp.get("/plans/<int:plan_id>")
@login_required
def show(plan_id: int):
    plan = _plan_or_404(plan_id)
    history.maybe_auto_version(plan)
    can_edit = can_edit_plan(current_user, plan)
    config = {
        "room": room_name("plan", plan.id),
        "planId": plan.id,
        "access": "edit" if can_edit else "read",
        "user": {"id": current_user.id, "name": current_user.name, "color": colour_for(current_user.id)},
        "imageUploadUrl": url_for("plans.upload_image", plan_id=plan.id),
    }
    comments = comment_views.panel(PLAN_COMMENTS, plan, "plans", comment_sections(plan), can_edit, readers(plan))
    config.update(comments.pop("config"))
    body = richtext.to_html(richtext.load(_state(plan)))
    members = [m for m in plan.work_group.memberships if m.role != Role.LEAD]
    read_only_ids = {entry.user_id for entry in plan.read_only}
    return render_template("plans/show.html", plan=plan, config=config, body=body, can_edit=can_edit,
                           can_manage=can_manage_plan(current_user, plan), members=members,
                           read_only_ids=read_only_ids, confirm=ConfirmForm(), **comments)


@bp.post("/plans/<int:plan_id>/read-only")
@login_required
def set_read_only(plan_id: int):
    plan = _plan_or_404(plan_id)
    if not can_manage_plan(current_user, plan):
        abort(403)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    # Ids as the form writes them: "²", "012" or one past MAX_ID names no member
    chosen = {user_id for v in request.form.getlist("read_only") if (user_id := parse_id(v)) is not None}
    from collab.plans import services
    services.set_read_only(current_user, plan, chosen)
    flash("Saved who can edit this plan. It applies within a few seconds, also to anyone editing now.", "success")
    return redirect(url_for("plans.show", plan_id=plan.id) + "#who-can-edit")


# --- images -----------------------------------------------------------------------------------------

@bp.post("/plans/<int:plan_id>/images")
@login_required
def upload_image(plan_id: int):
    plan = _plan_or_404(plan_id)
    if not can_edit_plan(current_user, plan):
        return jsonify(message="You can read this plan but not change it."), 403
    upload = request.files.get("image")
    if upload is None:
        return jsonify(message="Choose an image to upload."), 400
    limit = current_app.config.get("COLLAB_MAX_IMAGE_BYTES", MAX_IMAGE_BYTES)
    data = upload.stream.read(limit + 1)
    try:
        image = store_image(plan, data, _upload_folder(), current_user.id, limit)
    except ImageRejected as exc:
        status = 413 if len(data) > limit else 400
        return jsonify(message=str(exc)), status
    return jsonify(id=image.id, url=url_for("plans.image", plan_id=plan.id, image_id=image.id)), 201


@bp.get("/plans/<int:plan_id>/images/<int:image_id>")
@login_required
def image(plan_id: int, image_id: int):
    plan = _plan_or_404(plan_id)
    stored = child_or_404(PlanImage, image_id, plan_id=plan.id)
    path = _upload_folder() / stored.filename
    if not path.is_file():
        abort(404)
    return Response(path.read_bytes(), mimetype=stored.content_type)  # not cached: collab/web/security.py


# --- history ----------------------------------------------------------------------------------------

def _version_or_404(plan: LessonPlan, version_id: int) -> PlanVersion:
    return child_or_404(PlanVersion, version_id, plan_id=plan.id)


@bp.get("/plans/<int:plan_id>/history")
@login_required
def plan_history(plan_id: int):
    plan = _plan_or_404(plan_id)
    history.maybe_auto_version(plan)
    return render_template("plans/history.html", plan=plan, rows=history.version_rows(plan),
                           form=VersionForm(), can_edit=can_edit_plan(current_user, plan))


@bp.post("/plans/<int:plan_id>/versions")
@login_required
def save_version(plan_id: int):
    plan = _plan_or_404(plan_id)
    if not can_edit_plan(current_user, plan):
        abort(403)
    form = VersionForm()
    if not form.validate_on_submit():
        return render_template("plans/history.html", plan=plan, rows=history.version_rows(plan), form=form,
                               can_edit=True), 400
    version = history.save_named_version(plan, current_user, form.name.data)
    flash(f"Saved the version “{version.name}”.", "success")
    return redirect(url_for("plans.plan_history", plan_id=plan.id))


@bp.get("/plans/<int:plan_id>/versions/<int:version_id>")
@login_required
def version(plan_id: int, version_id: int):
    plan = _plan_or_404(plan_id)
    found = _version_or_404(plan, version_id)
    row = next(r for r in history.version_rows(plan) if r.version.id == found.id)
    body = richtext.to_html(history.version_nodes(found))
    return render_template("plans/version.html", plan=plan, row=row, body=body, confirm=ConfirmForm(),
                           can_edit=can_edit_plan(current_user, plan))


@bp.post("/plans/<int:plan_id>/versions/<int:version_id>/restore")
@login_required
def restore(plan_id: int, version_id: int):
    plan = _plan_or_404(plan_id)
    found = _version_or_404(plan, version_id)
    if not can_edit_plan(current_user, plan):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    history.restore_version(plan, found, current_user)
    flash("Restored. Everyone in the plan now sees that version; the history keeps what it replaced.", "success")
    return redirect(url_for("plans.show", plan_id=plan.id))


# --- export -----------------------------------------------------------------------------------------

def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/plans/<int:plan_id>/export.pdf")
@login_required
def export_pdf(plan_id: int):
    plan = _plan_or_404(plan_id)
    return _download(export.plan_pdf(plan, _state(plan)), "application/pdf", export.filename_for(plan, "pdf"))


@bp.get("/plans/<int:plan_id>/export.docx")
@login_required
def export_docx(plan_id: int):
    plan = _plan_or_404(plan_id)
    return _download(export.plan_docx(plan, _state(plan)),
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     export.filename_for(plan, "docx"))
