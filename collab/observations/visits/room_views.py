"""Lesson observation visits: the visit room, joining as an observer, an observer's record page, and the lesson
clock (start, phases, end, sharing notes during the lesson)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from collab.observations.forms import ConfirmForm
from collab.observations.lookups import record_or_404, visit_or_404
from collab.observations.models import Visit
from collab.observations.permissions import can_edit_record, can_run_lesson
from collab.observations.summary.build import build_summary
from collab.observations.visits import lesson_clock, services
from collab.observations.visits.room_records import room_records, room_records_state
from collab.realtime.presence import colour_for
from collab.realtime.rooms import room_name


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    bp.add_url_rule("/visits/<int:visit_id>", "room", room, methods=["GET"])
    bp.add_url_rule("/visits/<int:visit_id>/room-records", "room_records_list", room_records_list, methods=["GET"])
    bp.add_url_rule("/visits/<int:visit_id>/observe", "observe", observe, methods=["POST"])
    bp.add_url_rule("/records/<int:record_id>", "record", record, methods=["GET"])
    bp.add_url_rule("/visits/<int:visit_id>/lesson", "lesson", lesson, methods=["POST"])


def _lesson_config(visit: Visit) -> dict:
    return {"visitId": visit.id, "visitRoom": services.visit_room(visit), "state": services.lesson_state(visit),
            "criteria": visit.criteria, "pupils": [p.label for p in visit.case_pupils],
            "bigIdeas": [[i["id"], i["title"]] for i in visit.criteria],
            "photoUrl": url_for("observations.photo", photo_id=0).removesuffix("/0"),
            "anticipated": [{"id": str(i.id), "kind": i.kind, "pupil": i.pupil, "text": i.text, "inPlan": i.in_plan}
                            for i in visit.anticipated],
            "summaryUrl": url_for("observations.summary", visit_id=visit.id),
            "user": {"id": current_user.id, "name": current_user.name, "color": colour_for(current_user.id)}}


@login_required
def room(visit_id: int):
    visit = visit_or_404(visit_id)
    follows, readable = room_records(current_user, visit)
    summary = build_summary(current_user, visit) if follows else None
    state = room_records_state(visit, follows, readable)
    config = _lesson_config(visit) | {"mode": "room", "records": state["records"],
                                      "recordsUrl": url_for("observations.room_records_list", visit_id=visit.id)}
    mine = services.record_of(visit, current_user)
    return render_template("observations/room.html", visit=visit, session=visit.session, config=config,
                           summary=summary, readable=readable, mine=mine, confirm=ConfirmForm(),
                           can_run=can_run_lesson(current_user, visit), hidden_count=state["hidden"])


@login_required
def room_records_list(visit_id: int):
    """The records the visit room may show now ({"records", "observers", "hidden"}: room_records_state), asked
    by the page on visit:records and on every (re)connection. 404 to whoever may not see the visit."""
    visit = visit_or_404(visit_id)
    # Never stored by a browser or proxy (collab.web.security: the observations blueprint holds pupil data); who
    # may read which record changes during the lesson.
    return jsonify(room_records_state(visit, *room_records(current_user, visit)))


@login_required
def observe(visit_id: int):
    visit = visit_or_404(visit_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        record = services.join_as_observer(current_user, visit)
    except services.NotAllowed:
        abort(403)
    return redirect(url_for("observations.record", record_id=record.id))


@login_required
def record(record_id: int):
    record = record_or_404(record_id)
    visit = record.visit
    config = _lesson_config(visit) | {
        "mode": "record", "recordId": record.id, "room": room_name("observation", record.id),
        "access": "edit" if can_edit_record(current_user, record) else "read",
        "follows": record.follows.label if record.follows else "",
        "photoUploadUrl": url_for("observations.upload_photo", record_id=record.id),
        "maxValueChars": current_app.config["COLLAB_MAX_VALUE_CHARS"]}  # a note's limit (ycheck.TooLong)
    return render_template("observations/record.html", record=record, visit=visit, session=visit.session,
                           config=config, can_edit=config["access"] == "edit")

# --- the lesson clock -------------------------------------------------------------------------------

@login_required
def lesson(visit_id: int):
    visit = visit_or_404(visit_id)
    if not can_run_lesson(current_user, visit):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    action = request.form.get("action") or ("phase" if request.form.get("phase") else "")
    try:
        if action == "start":
            lesson_clock.start_lesson(current_user, visit)
        elif action == "phase":
            lesson_clock.move_to_phase(current_user, visit, request.form.get("phase", ""))
        elif action == "end":
            lesson_clock.end_lesson(current_user, visit)
        elif action in ("share", "hide"):
            lesson_clock.set_sharing(current_user, visit, action == "share")
        else:
            abort(400)
    except services.InvalidVisit as exc:
        flash(str(exc), "error")
    return redirect(url_for("observations.room", visit_id=visit.id) + "#lesson-clock")
