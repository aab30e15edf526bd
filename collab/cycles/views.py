"""Research cycles: the Work Group's theme and list of cycles, a cycle's page (its stages as a timeline and the
viewer's next step), its study document, and linking the plan and the lessons.

Thin views: load, check permission (404 when the viewer may not read the group's work, 403 when their role is
not enough), validate the form, call a service. Revising a plan and comparing versions are in revision_views.py.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from collab.cycles import services, timeline
from collab.cycles.blueprint import bp
from collab.cycles.forms import ConfirmForm as CycleConfirmForm
from collab.cycles.forms import CycleForm, EditCycleForm, LinkPlanForm, LinkSessionForm, ThemeForm
from collab.cycles.models import CycleSession, CycleStatus, ResearchCycle, SessionPurpose
from collab.cycles.permissions import can_edit_study, can_manage_cycle, can_manage_cycles, can_read_cycles
from collab.cycles.study import ROOM_KIND, study_html
from collab.extensions import db
from collab.groups.models import WorkGroup
from collab.plans.models import LessonPlan
from collab.realtime.presence import colour_for
from collab.realtime.rooms import room_name
from collab.sessions.models import GroupSession
from collab.timeutil import uk_date
from collab.web.lookups import child_or_404, get_or_none


def _group_or_404(group_id: int) -> WorkGroup:
    group = db.session.get(WorkGroup, group_id)
    if group is None or not can_read_cycles(current_user, group):
        abort(404)
    return group


def _cycle_or_404(cycle_id: int) -> ResearchCycle:
    cycle = db.session.get(ResearchCycle, cycle_id)
    if cycle is None or not can_read_cycles(current_user, cycle.work_group):
        abort(404)
    return cycle


def _managed_cycle(cycle_id: int) -> ResearchCycle:
    cycle = _cycle_or_404(cycle_id)
    if not can_manage_cycle(current_user, cycle):
        abort(403)
    return cycle


def _attach(form, error: services.Invalid) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, str(error)]
    else:
        form.form_errors.append(str(error))


# --- the Work Group's theme and cycles -------------------------------------------------------------

@bp.get("/groups/<int:group_id>/cycles")
@login_required
def index(group_id: int):
    group = _group_or_404(group_id)
    cycles = services.group_cycles(group)
    steps = {c.id: timeline.next_step(c, current_user) for c in cycles}
    return render_template("cycles/index.html", group=group, cycles=cycles, steps=steps,
                           theme=services.theme_of(group), can_manage=can_manage_cycles(current_user, group))


@bp.route("/groups/<int:group_id>/research-theme", methods=["GET", "POST"])
@login_required
def theme(group_id: int):
    group = _group_or_404(group_id)
    if not can_manage_cycles(current_user, group):
        abort(403)
    current = services.theme_of(group)
    form = ThemeForm(obj=current)
    if form.validate_on_submit():
        try:
            services.set_theme(current_user, group, form.theme.data or "", form.question.data or "")
        except services.Invalid as error:
            db.session.rollback()
            _attach(form, error)
        else:
            flash("Research theme saved. Everyone in the Work Group sees it on the group's page.", "success")
            return redirect(url_for("cycles.index", group_id=group.id))
    return render_template("cycles/theme.html", group=group, form=form), (400 if form.errors else 200)


@bp.route("/groups/<int:group_id>/cycles/new", methods=["GET", "POST"])
@login_required
def new(group_id: int):
    group = _group_or_404(group_id)
    if not can_manage_cycles(current_user, group):
        abort(403)
    form = CycleForm()
    if request.method == "GET" and (theme := services.theme_of(group)) is not None:
        form.research_question.data = theme.question
    if form.validate_on_submit():
        try:
            cycle = services.create_cycle(current_user, group, form.title.data or "",
                                          form.research_question.data or "")
        except services.Invalid as error:
            db.session.rollback()
            _attach(form, error)
        else:
            flash("Research cycle started. Its study document is ready for everyone to write in.", "success")
            return redirect(url_for("cycles.show", cycle_id=cycle.id))
    return render_template("cycles/form.html", group=group, form=form, cycle=None), (400 if form.errors else 200)


# --- one cycle --------------------------------------------------------------------------------------

def _plan_choices(cycle: ResearchCycle) -> list[SelectChoice]:
    plans = db.session.scalars(select(LessonPlan).where(LessonPlan.work_group_id == cycle.work_group_id)
                               .order_by(LessonPlan.title)).all()
    return [SelectChoice(0, "No plan linked")] + [SelectChoice(p.id, p.title) for p in plans
                                                   if p.id != cycle.revised_plan_id]


def _session_choices(cycle: ResearchCycle) -> list[SelectChoice]:
    return [SelectChoice(0, "Choose a session")] + [
        SelectChoice(s.id, f"{s.title} ({uk_date(s.starts_at)})") for s in services.linkable_sessions(cycle)]


def _page(cycle: ResearchCycle, plan_form: LinkPlanForm | None = None,
          session_form: LinkSessionForm | None = None, status: int = 200):
    stages = timeline.stages(cycle)
    manage = can_manage_cycle(current_user, cycle)
    if plan_form is None:
        plan_form = LinkPlanForm(formdata=None, plan_id=cycle.research_plan_id or 0)
    plan_form.plan_id.choices = _plan_choices(cycle)
    if session_form is None:
        session_form = LinkSessionForm(formdata=None)
    session_form.session_id.choices = _session_choices(cycle)
    return render_template("cycles/show.html", cycle=cycle, stages=stages,
                           step=timeline.next_step(cycle, current_user, stages), can_manage=manage,
                           plan_form=plan_form, session_form=session_form, confirm=CycleConfirmForm(),
                           purposes=SessionPurpose), status


@bp.get("/cycles/<int:cycle_id>")
@login_required
def show(cycle_id: int):
    return _page(_cycle_or_404(cycle_id))


@bp.route("/cycles/<int:cycle_id>/edit", methods=["GET", "POST"])
@login_required
def edit(cycle_id: int):
    cycle = _managed_cycle(cycle_id)
    form = EditCycleForm(obj=cycle)
    if request.method == "GET":
        form.status.data = cycle.status.value
    if form.validate_on_submit():
        try:
            services.update_cycle(current_user, cycle, form.title.data or "", form.research_question.data or "",
                                  CycleStatus(form.status.data))
        except services.Invalid as error:
            db.session.rollback()
            _attach(form, error)
        else:
            flash("Research cycle saved.", "success")
            return redirect(url_for("cycles.show", cycle_id=cycle.id))
    return render_template("cycles/form.html", group=cycle.work_group, form=form, cycle=cycle), \
        (400 if form.errors else 200)


@bp.post("/cycles/<int:cycle_id>/plan")
@login_required
def link_plan(cycle_id: int):
    cycle = _managed_cycle(cycle_id)
    form = LinkPlanForm()
    form.plan_id.choices = _plan_choices(cycle)
    if not form.validate_on_submit():
        return _page(cycle, plan_form=form, status=400)
    plan = get_or_none(LessonPlan, form.plan_id.data) if form.plan_id.data else None
    try:
        services.link_plan(current_user, cycle, plan)
    except services.Invalid as error:
        db.session.rollback()
        _attach(form, error)
        return _page(cycle, plan_form=form, status=400)
    flash("Research lesson plan linked." if plan else "The cycle has no research lesson plan now.", "success")
    return redirect(url_for("cycles.show", cycle_id=cycle.id) + "#stage-plan")


@bp.post("/cycles/<int:cycle_id>/plan/new")
@login_required
def new_plan(cycle_id: int):
    cycle = _managed_cycle(cycle_id)
    if not CycleConfirmForm().validate_on_submit():
        abort(400)
    plan = services.new_research_plan(current_user, cycle)
    flash("Research lesson plan started and linked to the cycle. Everyone in the Work Group can plan it with you.",
          "success")
    return redirect(url_for("plans.show", plan_id=plan.id))


@bp.post("/cycles/<int:cycle_id>/sessions")
@login_required
def link_session(cycle_id: int):
    cycle = _managed_cycle(cycle_id)
    form = LinkSessionForm()
    form.session_id.choices = _session_choices(cycle)
    if not form.validate_on_submit():
        return _page(cycle, session_form=form, status=400)
    session = child_or_404(GroupSession, form.session_id.data, work_group_id=cycle.work_group_id)
    try:
        services.link_session(current_user, cycle, session, SessionPurpose(form.purpose.data))
    except services.Invalid as error:
        db.session.rollback()
        _attach(form, error)
        return _page(cycle, session_form=form, status=400)
    flash(f"“{session.title}” is in the cycle now.", "success")
    return redirect(url_for("cycles.show", cycle_id=cycle.id) + "#stage-research-lesson")


@bp.post("/cycles/<int:cycle_id>/sessions/<int:link_id>/remove")
@login_required
def unlink_session(cycle_id: int, link_id: int):
    cycle = _managed_cycle(cycle_id)
    link = child_or_404(CycleSession, link_id, cycle_id=cycle.id)
    if not CycleConfirmForm().validate_on_submit():
        abort(400)
    services.unlink_session(current_user, cycle, link)
    flash("The session is no longer in this cycle. The session itself, its visit and discussion are kept.", "success")
    return redirect(url_for("cycles.show", cycle_id=cycle.id))


@bp.get("/cycles/<int:cycle_id>/study")
@login_required
def study(cycle_id: int):
    cycle = _cycle_or_404(cycle_id)
    document = cycle.study
    if document is None:
        abort(404)
    can_edit = can_edit_study(current_user, cycle)
    config = {
        "room": room_name(ROOM_KIND, document.id),
        "studyId": document.id,
        "access": "edit" if can_edit else "read",
        "user": {"id": current_user.id, "name": current_user.name, "color": colour_for(current_user.id)},
    }
    return render_template("cycles/study.html", cycle=cycle, study=document, body=study_html(document),
                           config=config, can_edit=can_edit)


# --- for other domains' templates (registered as template globals) ---------------------------------

def _cycles_of_group(group: WorkGroup) -> dict:
    """For the Work Group page: the theme and the cycles, for members only."""
    if not can_read_cycles(current_user, group):
        return {"show": False}
    return {"show": True, "theme": services.theme_of(group), "cycles": services.group_cycles(group),
            "can_manage": can_manage_cycles(current_user, group)}


def _cycle_of_session(session: GroupSession) -> CycleSession | None:
    if not can_read_cycles(current_user, session.work_group):
        return None
    return services.cycle_of_session(session)


bp.add_app_template_global(_cycles_of_group, "cycles_of_group")
bp.add_app_template_global(_cycle_of_session, "cycle_of_session")
