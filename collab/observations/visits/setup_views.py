"""Setting a visit up: the lesson plan, the checklist (frozen into the visit), the phases, case pupils, observers,
the host teacher and how long the records are kept. Also `visit_for_session` for the session page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from collab.extensions import db
from collab.groups.models import Role, WorkGroup
from collab.groups.permissions import can_lead_group_work
from collab.observations.anticipated.services import case_pupils_from_plan
from collab.observations.forms import VisitForm, observers_from, pupils_from
from collab.observations.models import Visit
from collab.observations.permissions import can_set_up_visit, can_view_visit_of
from collab.observations.records import checklists
from collab.observations.visits import services
from collab.sessions.models import GroupSession


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    bp.add_url_rule("/sessions/<int:session_id>/visit", "set_up", set_up, methods=["GET", "POST"])
    bp.add_app_template_global(_visit_for_session, "visit_for_session")


def _members(group: WorkGroup) -> list:
    return sorted(group.memberships, key=lambda m: (m.role != Role.LEAD, m.user.name.lower()))

# --- set-up -----------------------------------------------------------------------------------------

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
    from_plan: list[services.PupilInput] = []  # a new visit's case pupils come from the plan taught
    if request.method == "GET":
        if visit is None:
            linked = next((p for p in plans if p.session_id == session.id), None)
            form.plan_id.data = linked.id if linked else 0
            from_plan = case_pupils_from_plan(linked) if linked else []
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
    pupils = _pupil_rows(visit, request.form if request.method == "POST" else None, from_plan)
    observing = {r.observer_id: r for r in visit.records} if visit else {}
    return render_template("observations/setup.html", session=session, visit=visit, form=form, error=error,
                           members=members, pupils=pupils, observing=observing,
                           can_manage=can_lead_group_work(current_user, group)), (400 if error else 200)


def _pupil_rows(visit: Visit | None, posted, from_plan: list[services.PupilInput]) -> list[dict]:
    rows = []
    existing: list = list(visit.case_pupils) if visit else from_plan  # CasePupil rows or PupilInput
    for n in range(services.MAX_CASE_PUPILS):
        default = f"Pupil {chr(ord('A') + n)}"
        if posted is not None:
            label, prediction = posted.get(f"pupil-{n}-label", ""), posted.get(f"pupil-{n}-prediction", "")
            used = bool(posted.get(f"pupil-{n}-used"))
        elif n < len(existing):
            label, prediction, used = existing[n].label, existing[n].prediction, True
        else:
            label, prediction, used = default, "", visit is None and not from_plan and n < 3
        rows.append({"n": n, "label": label or default, "prediction": prediction, "used": used})
    return rows


def _visit_for_session(session: GroupSession) -> Visit | None:
    """For templates/sessions/_extras.html (the session page)."""
    return services.visit_for_session(session)
