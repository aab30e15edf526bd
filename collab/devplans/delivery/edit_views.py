"""Development plan delivery: changing a saved aim, action, PD session or progress update, and removing one.

Each row has an edit page (GET shows the form filled in, POST saves) and a remove page: GET asks "Remove …?"
and says what goes with it, POST (the button on that page, with its CSRF token) removes. So removing takes two
steps with or without JavaScript, and the question is an ordinary page a screen reader reads from the top.
Permissions as the rest of delivery: 404 to whoever may not read the plan, 403 to a reader outside the department.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from collab.devplans.delivery import edits, halfterms, services
from collab.devplans.delivery.evidence import evidence_choices
from collab.devplans.delivery.forms import ActionForm, AimForm, PdSessionForm, ProgressForm
from collab.devplans.delivery.lookups import action_of, editable_plan, show_refusal, update_of
from collab.devplans.delivery.models import PdSession, PlanAim
from collab.devplans.forms import ConfirmForm
from collab.devplans.models import DevPlan
from collab.devplans.plan.services import DevPlanError
from collab.web.lookups import child_or_404


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    base = "/devplans/<int:plan_id>/delivery"
    both = ["GET", "POST"]
    bp.add_url_rule(f"{base}/aims/<int:aim_id>/edit", "edit_aim", edit_aim, methods=both)
    bp.add_url_rule(f"{base}/aims/<int:aim_id>/delete", "delete_aim", delete_aim, methods=both)
    bp.add_url_rule(f"{base}/actions/<int:action_id>/edit", "edit_action", edit_action, methods=both)
    bp.add_url_rule(f"{base}/actions/<int:action_id>/delete", "delete_action", delete_action, methods=both)
    bp.add_url_rule(f"{base}/pd/<int:pd_id>/edit", "edit_pd_session", edit_pd_session, methods=both)
    bp.add_url_rule(f"{base}/pd/<int:pd_id>/delete", "delete_pd_session", delete_pd_session, methods=both)
    bp.add_url_rule(f"{base}/progress/<int:update_id>/edit", "edit_progress", edit_progress, methods=both)
    bp.add_url_rule(f"{base}/progress/<int:update_id>/delete", "delete_progress", delete_progress, methods=both)


def _people(people, current=None) -> list:
    return people + [current] if current is not None and current not in people else people


def _back(plan: DevPlan, anchor: str) -> str:
    return url_for("devplans.delivery", plan_id=plan.id, _anchor=anchor)


def _saved(plan: DevPlan, message: str, anchor: str):
    flash(message, "success")
    return redirect(_back(plan, anchor))


def _edit_page(plan: DevPlan, form, title: str, anchor: str):
    return render_template("devplans/delivery_edit.html", plan=plan, form=form, title=title,
                           back=_back(plan, anchor)), 400 if form.errors else 200


def _confirm(plan: DevPlan, question: str, consequences: str, anchor: str, button: str):
    return render_template("devplans/delivery_confirm.html", plan=plan, question=question,
                           consequences=consequences, button=button, back=_back(plan, anchor),
                           confirm=ConfirmForm())


def _confirmed() -> bool:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return True


# --- aims ----------------------------------------------------------------------------------------------------

@login_required
def edit_aim(plan_id: int, aim_id: int):
    plan = editable_plan(plan_id)
    aim = child_or_404(PlanAim, aim_id, plan_id=plan.id)
    form = AimForm(obj=aim)
    if form.validate_on_submit():
        try:
            edits.update_aim(current_user, plan, aim, form.text.data, form.success_criteria.data or "",
                             form.evidence_of_need.data or "")
            return _saved(plan, "Aim saved.", f"aim-{aim.id}")
        except DevPlanError as error:
            show_refusal(form, error, "text")
    return _edit_page(plan, form, "Change the aim", f"aim-{aim.id}")


@login_required
def delete_aim(plan_id: int, aim_id: int):
    plan = editable_plan(plan_id)
    aim = child_or_404(PlanAim, aim_id, plan_id=plan.id)
    if request.method == "POST" and _confirmed():
        services.delete_aim(current_user, plan, aim)
        return _saved(plan, "Aim removed.", "aims")
    goes = f"Its {len(aim.actions)} action(s) and {len(aim.updates)} progress update(s) are removed with it."
    return _confirm(plan, f"Remove the aim “{aim.text}”?", goes, f"aim-{aim.id}", "Remove the aim")


# --- actions -------------------------------------------------------------------------------------------------

@login_required
def edit_action(plan_id: int, action_id: int):
    plan = editable_plan(plan_id)
    action = action_of(plan, action_id)
    form = ActionForm(obj=action)
    people = _people(services.department_people(plan), action.owner)
    form.owner_id.choices = [("", "Nobody yet")] + [(str(p.id), p.name) for p in people]
    if form.validate_on_submit():
        try:
            edits.update_action(current_user, plan, action, form.text.data, form.owner_id.data, form.due_on.data)
            return _saved(plan, "Action saved.", f"action-{action.id}")
        except DevPlanError as error:
            show_refusal(form, error, "text")
    return _edit_page(plan, form, "Change the action", f"action-{action.id}")


@login_required
def delete_action(plan_id: int, action_id: int):
    plan = editable_plan(plan_id)
    action = action_of(plan, action_id)
    if request.method == "POST" and _confirmed():
        aim_id = action.aim_id
        edits.delete_action(current_user, plan, action)
        return _saved(plan, "Action removed.", f"aim-{aim_id}")
    return _confirm(plan, f"Remove the action “{action.text}”?", "It is no longer counted in the plan's actions.",
                    f"action-{action.id}", "Remove the action")


# --- PD sessions ---------------------------------------------------------------------------------------------

@login_required
def edit_pd_session(plan_id: int, pd_id: int):
    plan = editable_plan(plan_id)
    session = child_or_404(PdSession, pd_id, plan_id=plan.id)
    form = PdSessionForm(obj=session)
    leaders = _people(services.advocates(plan), session.led_by)
    form.led_by_id.choices = [("", "Nobody yet")] + [(str(p.id), p.name) for p in leaders]
    people = services.department_people(plan)
    for attendance in session.attendance:
        people = _people(people, attendance.user)
    form.attendees.choices = [(p.id, p.name) for p in people]
    if request.method == "GET":
        form.attendees.data = [a.user_id for a in session.attendance]
    if form.validate_on_submit():
        try:
            edits.update_pd_session(current_user, plan, session, form.title.data, form.held_on.data,
                                    form.led_by_id.data, form.materials.data or "", form.attendees.data or [])
            return _saved(plan, "PD session saved.", f"pd-{session.id}")
        except DevPlanError as error:
            show_refusal(form, error, "title")
    return _edit_page(plan, form, "Change the PD session", f"pd-{session.id}")


@login_required
def delete_pd_session(plan_id: int, pd_id: int):
    plan = editable_plan(plan_id)
    session = child_or_404(PdSession, pd_id, plan_id=plan.id)
    if request.method == "POST" and _confirmed():
        edits.delete_pd_session(current_user, plan, session)
        return _saved(plan, "PD session removed.", "pd")
    goes = (f"Its attendance ({len(session.attendance)} attended) is removed with it, and it no longer counts in "
            "the Work Group's year.")
    return _confirm(plan, f"Remove the PD session “{session.title}” ({session.held_on:%d/%m/%Y})?", goes,
                    f"pd-{session.id}", "Remove the PD session")


# --- progress updates ----------------------------------------------------------------------------------------

@login_required
def edit_progress(plan_id: int, update_id: int):
    plan = editable_plan(plan_id)
    update = update_of(plan, update_id)
    offered = evidence_choices(current_user, plan)
    form = ProgressForm()
    form.half_term.choices = halfterms.choices(update.school_year)
    form.evidence.choices = offered
    if request.method == "GET":
        form.half_term.data = f"{update.school_year}-{update.half_term}"
        form.status.data = update.status.value
        form.commentary.data = update.commentary
        values = {value for value, _label in offered}
        form.evidence.data = [f"{e.target_kind}:{e.target_id}" for e in update.evidence
                              if f"{e.target_kind}:{e.target_id}" in values]
    elif form.validate_on_submit():
        chosen = halfterms.parse(form.half_term.data)
        if chosen is None:
            abort(400)
        try:
            edits.update_progress(current_user, plan, update, chosen[0], chosen[1], form.status.data,
                                  form.commentary.data or "", form.evidence.data or [])
            return _saved(plan, "Progress update saved.", f"progress-{update.id}")
        except DevPlanError as error:
            show_refusal(form, error, "evidence")
    return render_template("devplans/delivery_progress.html", plan=plan, aim=update.aim, form=form,
                           editing=update, halfterm_name=halfterms.name), 400 if form.errors else 200


@login_required
def delete_progress(plan_id: int, update_id: int):
    plan = editable_plan(plan_id)
    update = update_of(plan, update_id)
    if request.method == "POST" and _confirmed():
        aim_id = update.aim_id
        edits.delete_progress(current_user, plan, update)
        return _saved(plan, "Progress update removed.", f"aim-{aim_id}")
    when = f"{halfterms.name(update.half_term)} {update.school_year}"
    return _confirm(plan, f"Remove the {when} progress update on “{update.aim.text}”?",
                    "Its status, commentary and evidence links are removed with it.", f"progress-{update.id}",
                    "Remove the progress update")
