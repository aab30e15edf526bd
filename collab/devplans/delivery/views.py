"""Development plans: the Delivery page (aims, actions, PD programme, half-termly progress) and a Work Group
lead's side-by-side view. Plain forms with CSRF; every plan URL is 404 to whoever may not read the plan."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from collab.devplans.delivery import edit_views, halfterms, services
from collab.devplans.delivery.evidence import evidence_choices, link_for
from collab.devplans.delivery.forms import ActionForm, AimForm, AttendanceForm, PdSessionForm, ProgressForm
from collab.devplans.delivery.lookups import action_of, editable_plan, show_refusal
from collab.devplans.delivery.models import PdSession, PlanAim
from collab.devplans.delivery.overview import group_delivery
from collab.devplans.delivery.permissions import can_edit_delivery, can_see_group_delivery
from collab.devplans.forms import ConfirmForm
from collab.devplans.lookups import fail, plan_or_404
from collab.devplans.models import DevPlan
from collab.devplans.permissions import can_read_devplan
from collab.devplans.plan.services import DevPlanError
from collab.extensions import db
from collab.groups.models import WorkGroup
from collab.web.lookups import child_or_404, get_or_none


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    bp.add_url_rule("/devplans/<int:plan_id>/delivery", "delivery", delivery)
    bp.add_url_rule("/devplans/<int:plan_id>/delivery/aims", "add_aim", add_aim, methods=["POST"])
    bp.add_url_rule("/devplans/<int:plan_id>/delivery/aims/<int:aim_id>/actions", "add_action", add_action,
                    methods=["POST"])
    bp.add_url_rule("/devplans/<int:plan_id>/delivery/actions/<int:action_id>/done", "action_done", action_done,
                    methods=["POST"])
    bp.add_url_rule("/devplans/<int:plan_id>/delivery/pd", "add_pd_session", add_pd_session, methods=["POST"])
    bp.add_url_rule("/devplans/<int:plan_id>/delivery/pd/<int:pd_id>/attendance", "pd_attendance",
                    pd_attendance, methods=["POST"])
    bp.add_url_rule("/devplans/<int:plan_id>/delivery/aims/<int:aim_id>/progress", "progress", progress,
                    methods=["GET", "POST"])
    bp.add_url_rule("/groups/<int:group_id>/delivery", "group_delivery", group_delivery_page)
    bp.add_app_template_global(can_see_group_delivery, "can_see_group_delivery")  # the group page's link
    edit_views.register(bp)  # changing and removing saved rows


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _people_choices(people) -> list[SelectChoice]:
    return _choices([("", "Nobody yet")] + [(str(p.id), p.name) for p in people])


def _action_form(plan: DevPlan, aim: PlanAim, people) -> ActionForm:
    form = ActionForm(prefix=f"aim{aim.id}")
    form.owner_id.choices = _people_choices(people)
    return form


def _pd_form(plan: DevPlan, people) -> PdSessionForm:
    form = PdSessionForm(prefix="pd")
    form.led_by_id.choices = _people_choices(services.advocates(plan))
    form.attendees.choices = _choices((p.id, p.name) for p in people)
    return form


def _page(plan: DevPlan, aim_form: AimForm | None = None, action_forms: dict | None = None,
          pd_form: PdSessionForm | None = None, status: int = 200):
    aims = db.session.scalars(db.select(PlanAim).where(PlanAim.plan_id == plan.id).order_by(PlanAim.id)).all()
    sessions = db.session.scalars(db.select(PdSession).where(PdSession.plan_id == plan.id)
                                  .order_by(PdSession.held_on, PdSession.id)).all()
    people = services.department_people(plan)
    action_forms = {aim.id: (action_forms or {}).get(aim.id) or _action_form(plan, aim, people) for aim in aims}
    attendance_forms = {}
    for s in sessions:
        form = AttendanceForm(prefix=f"pd{s.id}", formdata=None)
        form.attendees.choices = _choices((p.id, p.name) for p in people)
        form.attendees.data = [a.user_id for a in s.attendance]
        attendance_forms[s.id] = form
    return render_template(
        "devplans/delivery.html", plan=plan, aims=aims, sessions=sessions, people=people,
        can_edit=can_edit_delivery(current_user, plan), aim_form=aim_form or AimForm(prefix="aim"),
        action_forms=action_forms, pd_form=pd_form or _pd_form(plan, people), attendance_forms=attendance_forms,
        confirm=ConfirmForm(), halfterm_name=halfterms.name,
        evidence_link=lambda e: link_for(current_user, e.target_kind, e.target_id)), status


def _done(plan: DevPlan, message: str, anchor: str = ""):
    flash(message, "success")
    return redirect(url_for("devplans.delivery", plan_id=plan.id, _anchor=anchor or None))


@login_required
def delivery(plan_id: int):
    return _page(plan_or_404(plan_id))


@login_required
def add_aim(plan_id: int):
    plan = editable_plan(plan_id)
    form = AimForm(prefix="aim")
    if not form.validate_on_submit():
        return _page(plan, aim_form=form, status=400)
    try:
        aim = services.add_aim(current_user, plan, form.text.data, form.success_criteria.data or "",
                               form.evidence_of_need.data or "")
    except DevPlanError as error:
        show_refusal(form, error, "text")
        return _page(plan, aim_form=form, status=400)
    return _done(plan, "Aim added.", f"aim-{aim.id}")


@login_required
def add_action(plan_id: int, aim_id: int):
    plan = editable_plan(plan_id)
    aim = child_or_404(PlanAim, aim_id, plan_id=plan.id)
    form = _action_form(plan, aim, services.department_people(plan))
    if not form.validate_on_submit():
        return _page(plan, action_forms={aim.id: form}, status=400)
    try:
        services.add_action(current_user, plan, aim, form.text.data, form.owner_id.data, form.due_on.data)
    except DevPlanError as error:
        show_refusal(form, error, "text")
        return _page(plan, action_forms={aim.id: form}, status=400)
    return _done(plan, "Action added.", f"aim-{aim.id}")


@login_required
def action_done(plan_id: int, action_id: int):
    plan = editable_plan(plan_id)
    action = action_of(plan, action_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_action_done(current_user, plan, action, request.form.get("done") == "1")
    return _done(plan, "Action marked done." if action.done else "Action marked not done.", f"aim-{action.aim_id}")


@login_required
def add_pd_session(plan_id: int):
    plan = editable_plan(plan_id)
    form = _pd_form(plan, services.department_people(plan))
    if not form.validate_on_submit():
        return _page(plan, pd_form=form, status=400)
    try:
        session = services.add_pd_session(current_user, plan, form.title.data, form.held_on.data,
                                          form.led_by_id.data, form.materials.data or "", form.attendees.data or [])
    except DevPlanError as error:
        show_refusal(form, error, "title")
        return _page(plan, pd_form=form, status=400)
    return _done(plan, "PD session added.", f"pd-{session.id}")


@login_required
def pd_attendance(plan_id: int, pd_id: int):
    plan = editable_plan(plan_id)
    session = child_or_404(PdSession, pd_id, plan_id=plan.id)
    form = AttendanceForm(prefix=f"pd{session.id}")
    form.attendees.choices = _choices((p.id, p.name) for p in services.department_people(plan))
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_attendance(current_user, plan, session, form.attendees.data or [])
    except DevPlanError as error:
        fail(error)
    return _done(plan, "Attendance saved.", f"pd-{session.id}")


@login_required
def progress(plan_id: int, aim_id: int):
    plan = plan_or_404(plan_id)
    aim = child_or_404(PlanAim, aim_id, plan_id=plan.id)
    if not can_edit_delivery(current_user, plan):
        abort(403)
    year, current = halfterms.half_term_of(date.today())
    form = ProgressForm()
    form.half_term.choices = _choices(halfterms.choices(year))
    offered = evidence_choices(current_user, plan)
    form.evidence.choices = _choices(offered)
    latest = aim.latest_update
    if request.method == "GET":
        form.half_term.data = f"{year}-{current}"
        if latest is not None:  # most half-terms carry on from the last: start from it, change what moved
            form.status.data = latest.status.value
            form.commentary.data = latest.commentary
            readable = {value for value, _label in offered}
            form.evidence.data = [f"{e.target_kind}:{e.target_id}" for e in latest.evidence
                                  if f"{e.target_kind}:{e.target_id}" in readable]
    elif form.validate_on_submit():
        chosen = halfterms.parse(form.half_term.data)
        if chosen is None:
            abort(400)
        try:
            services.record_progress(current_user, plan, aim, chosen[0], chosen[1], form.status.data,
                                     form.commentary.data or "", form.evidence.data or [])
            return _done(plan, "Progress update saved.", f"aim-{aim.id}")
        except DevPlanError as error:
            show_refusal(form, error, "evidence")
    return render_template("devplans/delivery_progress.html", plan=plan, aim=aim, form=form, latest=latest,
                           halfterm_name=halfterms.name), \
        400 if form.errors else 200


@login_required
def group_delivery_page(group_id: int):
    group = get_or_none(WorkGroup, group_id)
    if group is None or not can_see_group_delivery(current_user, group):
        abort(404)
    return render_template("devplans/group_delivery.html", group=group, rows=group_delivery(group),
                           can_read_devplan=can_read_devplan, halfterm_name=halfterms.name)
