"""Lesson observation visits: set-up, the record page, the visit room, the lesson clock, photos, the summary
(page and PDF), retention and deletion, and the group's checklist templates.

Anyone who may not see the visit gets 404; a member who lacks the right for an action gets 403.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from collab.extensions import db
from collab.groups.models import Role, WorkGroup
from collab.groups.permissions import can_manage_group, can_view_group
from collab.observations import checklists, services
from collab.observations.export import summary_pdf
from collab.observations.forms import (
    ConfirmForm,
    RetentionForm,
    TemplateForm,
    VisitForm,
    observers_from,
    pupils_from,
)
from collab.observations.models import ChecklistTemplate, ObservationPhoto, ObservationRecord, Visit
from collab.observations.permissions import (
    can_edit_record,
    can_manage_visit_records,
    can_read_record,
    can_read_summary,
    can_run_lesson,
    can_set_up_visit,
    can_view_visit,
    can_view_visit_of,
)
from collab.observations.photos import ImageRejected, photo_limit, store_photo, visit_folder
from collab.observations.retention import delete_visit_records, expires_at
from collab.observations.summary import build_summary, readable_records
from collab.plans.views import colour_for
from collab.sessions.models import GroupSession

bp = Blueprint("observations", __name__)


def _visit_or_404(visit_id: int) -> Visit:
    visit = db.session.get(Visit, visit_id)
    if visit is None or not can_view_visit(current_user, visit):
        abort(404)
    return visit


def _record_or_404(record_id: int) -> ObservationRecord:
    record = db.session.get(ObservationRecord, record_id)
    if record is None or not can_view_visit(current_user, record.visit):
        abort(404)
    return record


def _members(group: WorkGroup) -> list:
    return sorted(group.memberships, key=lambda m: (m.role != Role.LEAD, m.user.name.lower()))


# --- set-up -----------------------------------------------------------------------------------------

@bp.route("/sessions/<int:session_id>/visit", methods=["GET", "POST"])
@login_required
def set_up(session_id: int):
    session = db.session.get(GroupSession, session_id)
    if session is None or not can_view_visit_of(current_user, session):
        abort(404)
    visit = services.visit_for_session(session)
    if not can_set_up_visit(current_user, session, visit):
        abort(403)
    group = session.work_group
    members = _members(group)
    form = VisitForm()
    plans = services.group_plans(group)
    form.plan_id.choices = [SelectChoice(0, "No plan linked")] + [SelectChoice(p.id, p.title) for p in plans]
    form.template.choices = [SelectChoice("default", checklists.DEFAULT_NAME)] + [
        SelectChoice(str(t.id), t.name) for t in services.group_templates(group)]
    if visit is not None:  # the frozen copy stays unless someone picks another before the lesson starts
        keep = SelectChoice("keep", f"Keep “{visit.checklist_name}” as set up")
        form.template.choices = [keep] + (form.template.choices if visit.lesson_started_at is None else [])
    form.host_id.choices = [SelectChoice(0, "Not chosen")] + [SelectChoice(m.user_id, m.user.name) for m in members]
    error = None
    if request.method == "GET":
        if visit is None:
            linked = next((p for p in plans if p.session_id == session.id), None)
            form.plan_id.data = linked.id if linked else 0
            form.phases.data = "\n".join(checklists.DEFAULT_PHASES)
            host = next((m.user for m in members if session.host_school_id
                         and m.user.school_id == session.host_school_id and m.role != Role.LEAD), None)
            form.host_id.data = host.id if host else 0
        else:
            form.plan_id.data = visit.plan_id or 0
            form.template.data = "keep"
            form.phases.data = "\n".join(visit.phases)
            form.host_id.data = visit.host_id or 0
            form.share_notes_during.data = visit.share_notes_during
            form.retention_months.data = visit.retention_months
    if form.validate_on_submit():
        setup = services.VisitSetup(
            plan_id=form.plan_id.data or None, template=form.template.data,
            phases=tuple(checklists.parse_lines(form.phases.data)), pupils=pupils_from(request.form),
            observers=observers_from(request.form, [m.user_id for m in members]),
            host_id=form.host_id.data or None, share_notes_during=form.share_notes_during.data,
            retention_months=form.retention_months.data)
        try:
            visit = services.set_up_visit(current_user, session, setup)
        except services.InvalidVisit as exc:
            db.session.rollback()
            error = str(exc)
        else:
            flash("The visit is set up. Observers can open their record from the visit room.", "success")
            return redirect(url_for("observations.room", visit_id=visit.id))
    pupils = _pupil_rows(visit, request.form if request.method == "POST" else None)
    observing = {r.observer_id: r for r in visit.records} if visit else {}
    return render_template("observations/setup.html", session=session, visit=visit, form=form, error=error,
                           members=members, pupils=pupils, observing=observing,
                           can_manage=can_manage_group(current_user, group)), (400 if error else 200)


def _pupil_rows(visit: Visit | None, posted) -> list[dict]:
    rows = []
    existing = list(visit.case_pupils) if visit else []
    for n in range(services.MAX_CASE_PUPILS):
        default = f"Pupil {chr(ord('A') + n)}"
        if posted is not None:
            label, prediction = posted.get(f"pupil-{n}-label", ""), posted.get(f"pupil-{n}-prediction", "")
            used = bool(posted.get(f"pupil-{n}-used"))
        elif n < len(existing):
            label, prediction, used = existing[n].label, existing[n].prediction, True
        else:
            label, prediction, used = default, "", visit is None and n < 3
        rows.append({"n": n, "label": label or default, "prediction": prediction, "used": used})
    return rows


# --- the visit room and records ---------------------------------------------------------------------

def _lesson_config(visit: Visit) -> dict:
    return {"visitId": visit.id, "visitRoom": services.visit_room(visit), "state": services.lesson_state(visit),
            "criteria": visit.criteria, "pupils": [p.label for p in visit.case_pupils],
            "bigIdeas": [[i["id"], i["title"]] for i in visit.criteria],
            "photoUrl": url_for("observations.photo", photo_id=0).removesuffix("/0"),
            "user": {"id": current_user.id, "name": current_user.name, "color": colour_for(current_user.id)}}


@bp.get("/visits/<int:visit_id>")
@login_required
def room(visit_id: int):
    visit = _visit_or_404(visit_id)
    readable = readable_records(current_user, visit) if can_view_group(current_user, visit.work_group) else []
    summary = build_summary(current_user, visit) if readable else None
    config = _lesson_config(visit) | {"mode": "room", "records": [
        {"id": r.id, "room": f"observation:{r.id}", "observer": r.observer.name, "observerId": r.observer_id}
        for r in readable]}
    mine = services.record_of(visit, current_user)
    return render_template("observations/room.html", visit=visit, session=visit.session, config=config,
                           summary=summary, readable=readable, mine=mine, confirm=ConfirmForm(),
                           can_run=can_run_lesson(current_user, visit),
                           hidden_count=len(visit.records) - len(readable)
                           if can_view_group(current_user, visit.work_group) else 0)


@bp.post("/visits/<int:visit_id>/observe")
@login_required
def observe(visit_id: int):
    visit = _visit_or_404(visit_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        record = services.join_as_observer(current_user, visit)
    except services.NotAllowed:
        abort(403)
    return redirect(url_for("observations.record", record_id=record.id))


@bp.get("/records/<int:record_id>")
@login_required
def record(record_id: int):
    record = _record_or_404(record_id)
    if not can_read_record(current_user, record):
        abort(403)
    visit = record.visit
    config = _lesson_config(visit) | {
        "mode": "record", "recordId": record.id, "room": f"observation:{record.id}",
        "access": "edit" if can_edit_record(current_user, record) else "read",
        "follows": record.follows.label if record.follows else "",
        "photoUploadUrl": url_for("observations.upload_photo", record_id=record.id)}
    return render_template("observations/record.html", record=record, visit=visit, session=visit.session,
                           config=config, can_edit=config["access"] == "edit")


# --- the lesson clock -------------------------------------------------------------------------------

@bp.post("/visits/<int:visit_id>/lesson")
@login_required
def lesson(visit_id: int):
    visit = _visit_or_404(visit_id)
    if not can_run_lesson(current_user, visit):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    action = request.form.get("action") or ("phase" if request.form.get("phase") else "")
    try:
        if action == "start":
            services.start_lesson(current_user, visit)
        elif action == "phase":
            services.move_to_phase(current_user, visit, request.form.get("phase", ""))
        elif action == "end":
            services.end_lesson(current_user, visit)
        elif action in ("share", "hide"):
            services.set_sharing(current_user, visit, action == "share")
        else:
            abort(400)
    except services.InvalidVisit as exc:
        flash(str(exc), "error")
    return redirect(url_for("observations.room", visit_id=visit.id) + "#lesson-clock")


# --- photos -----------------------------------------------------------------------------------------

@bp.post("/records/<int:record_id>/photos")
@login_required
def upload_photo(record_id: int):
    record = _record_or_404(record_id)
    if not can_edit_record(current_user, record):
        return jsonify(message="Only the observer adds photos to their record."), 403
    upload = request.files.get("photo")
    if upload is None:
        return jsonify(message="Choose a photo to upload."), 400
    limit = photo_limit()
    data = upload.stream.read(limit + 1)
    try:
        photo = store_photo(record, data)
    except ImageRejected as exc:
        return jsonify(message=str(exc)), 413 if len(data) > limit else 400
    return jsonify(id=photo.id, url=url_for("observations.photo", photo_id=photo.id),
                   thumb=url_for("observations.photo_thumb", photo_id=photo.id)), 201


def _photo_file(photo_id: int, thumb: bool) -> Response:
    photo = db.session.get(ObservationPhoto, photo_id)
    record = db.session.get(ObservationRecord, photo.record_id) if photo else None
    if record is None or not can_view_visit(current_user, record.visit):
        abort(404)
    shared = record in readable_records(current_user, record.visit)
    if not (can_read_record(current_user, record) or shared):
        abort(404)
    path = visit_folder(record.visit_id) / (photo.thumb_filename if thumb else photo.filename)
    if not path.is_file():
        abort(404)
    response = Response(path.read_bytes(), mimetype="image/jpeg" if thumb else photo.content_type)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/photos/<int:photo_id>")
@login_required
def photo(photo_id: int):
    return _photo_file(photo_id, thumb=False)


@bp.get("/photos/<int:photo_id>/thumb")
@login_required
def photo_thumb(photo_id: int):
    return _photo_file(photo_id, thumb=True)


# --- summary ----------------------------------------------------------------------------------------

def _summary_visit(visit_id: int) -> Visit:
    visit = _visit_or_404(visit_id)
    if not can_read_summary(current_user, visit):
        abort(404)
    return visit


@bp.get("/visits/<int:visit_id>/summary")
@login_required
def summary(visit_id: int):
    visit = _summary_visit(visit_id)
    return render_template("observations/summary.html", visit=visit, session=visit.session,
                           summary=build_summary(current_user, visit))


@bp.get("/visits/<int:visit_id>/summary.pdf")
@login_required
def summary_pdf_view(visit_id: int):
    visit = _summary_visit(visit_id)
    response = Response(summary_pdf(visit, build_summary(current_user, visit)), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="visit-{visit.id}-summary.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- retention and deletion -------------------------------------------------------------------------

@bp.route("/visits/<int:visit_id>/records", methods=["GET", "POST"])
@login_required
def records_admin(visit_id: int):
    visit = _visit_or_404(visit_id)
    if not can_manage_visit_records(current_user, visit):
        abort(403)
    form = RetentionForm(retention_months=visit.retention_months)
    if form.validate_on_submit():
        services.set_retention(current_user, visit, form.retention_months.data)
        flash("Saved how long the observation records are kept.", "success")
        return redirect(url_for("observations.records_admin", visit_id=visit.id))
    return render_template("observations/records_admin.html", visit=visit, session=visit.session, form=form,
                           confirm=ConfirmForm(), expires=expires_at(visit))


@bp.post("/visits/<int:visit_id>/records/delete")
@login_required
def delete_records(visit_id: int):
    visit = _visit_or_404(visit_id)
    if not can_manage_visit_records(current_user, visit):
        abort(403)
    if not ConfirmForm().validate_on_submit() or request.form.get("confirm") != "delete":
        flash("Tick the box to confirm; nothing was deleted.", "error")
        return redirect(url_for("observations.records_admin", visit_id=visit.id))
    delete_visit_records(current_user, visit)
    flash("The visit's observation records, notes and photos have been deleted.", "success")
    return redirect(url_for("observations.room", visit_id=visit.id))


# --- checklist templates ----------------------------------------------------------------------------

def _group_or_404(group_id: int) -> WorkGroup:
    group = db.session.get(WorkGroup, group_id)
    if group is None or not can_view_group(current_user, group):
        abort(404)
    return group


@bp.route("/groups/<int:group_id>/checklists", methods=["GET", "POST"])
@login_required
def templates(group_id: int):
    group = _group_or_404(group_id)
    can_edit = can_manage_group(current_user, group)
    if request.method == "POST":
        if not can_edit:
            abort(403)
        if not ConfirmForm().validate_on_submit():
            abort(400)
        source = request.form.get("source", "default")
        try:
            name, criteria = services.template_choice(group, source)
        except services.InvalidVisit:
            abort(400)
        copy = checklists.copy_template(current_user, group, f"{name} (copy)"[:120], criteria)
        flash("Copied. Change its look-fors for your Work Group's focus.", "success")
        return redirect(url_for("observations.edit_template", template_id=copy.id))
    return render_template("observations/templates.html", group=group, templates=services.group_templates(group),
                           default=checklists.default_criteria(), default_name=checklists.DEFAULT_NAME,
                           can_edit=can_edit, confirm=ConfirmForm())


@bp.route("/checklists/<int:template_id>", methods=["GET", "POST"])
@login_required
def edit_template(template_id: int):
    template = db.session.get(ChecklistTemplate, template_id)
    group = db.session.get(WorkGroup, template.work_group_id) if template else None
    if group is None or not can_view_group(current_user, group):
        abort(404)
    if not can_manage_group(current_user, group):
        abort(403)
    form = TemplateForm()
    if request.method == "GET":
        form.name.data = template.name
        for key, text in checklists.look_for_texts(template.criteria).items():
            getattr(form, f"idea_{key}").data = text
    if form.validate_on_submit():
        look_fors = {key: checklists.parse_lines(getattr(form, f"idea_{key}").data)
                     for key, _title in checklists.BIG_IDEAS}
        checklists.update_template(current_user, template, form.name.data, look_fors)
        flash("Checklist saved. Visits set up from now on use it; earlier visits keep theirs.", "success")
        return redirect(url_for("observations.templates", group_id=group.id))
    return render_template("observations/template_form.html", group=group, template=template, form=form,
                           ideas=checklists.BIG_IDEAS)


@bp.app_template_global("visit_for_session")
def _visit_for_session(session: GroupSession) -> Visit | None:
    """For templates/sessions/_extras.html (the session page)."""
    return services.visit_for_session(session)
