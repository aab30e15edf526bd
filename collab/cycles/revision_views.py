"""Revising a lesson plan after its discussion, comparing a revised plan with the version before it, and ticking
the discussion's agreed actions from beside the revised plan's editor.

The plan page (templates/plans/show.html) includes templates/cycles/_plan_panel.html, which reads
`plan_cycle_panel(plan)` (a template global registered here).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from collab.cycles import revisions, services
from collab.cycles.blueprint import bp
from collab.cycles.forms import ConfirmForm, ReviseForm
from collab.cycles.models import PlanRevision, ResearchCycle
from collab.cycles.permissions import can_read_cycles, can_revise_plan
from collab.discussions import action_services
from collab.discussions.models import AgreedAction
from collab.discussions.permissions import can_post_discussion, can_read_discussion
from collab.discussions.services import Invalid as DiscussionInvalid
from collab.extensions import db
from collab.plans.models import LessonPlan
from collab.plans.permissions import can_read_plan
from collab.sessions.models import GroupSession
from collab.timeutil import uk_date


def _plan_or_404(plan_id: int) -> LessonPlan:
    plan = db.session.get(LessonPlan, plan_id)
    if plan is None or not can_read_plan(current_user, plan):
        abort(404)
    return plan


def _choices(plan: LessonPlan) -> tuple[list[GroupSession], list[SelectChoice]]:
    sessions = revisions.discussion_choices(plan)
    return sessions, [SelectChoice(s.id, f"{s.title} ({uk_date(s.starts_at)})") for s in sessions] + [
        SelectChoice(0, "No post-lesson discussion")]


@bp.route("/plans/<int:plan_id>/revise", methods=["GET", "POST"])
@login_required
def revise(plan_id: int):
    plan = _plan_or_404(plan_id)
    if not can_revise_plan(current_user, plan):
        abort(403)
    done = revisions.revised_as(plan)
    if done is not None:
        flash("This plan has already been revised: here is the revised plan.", "info")
        return redirect(url_for("plans.show", plan_id=done.plan_id))
    sessions, choices = _choices(plan)
    form = ReviseForm()
    form.session_id.choices = choices
    if request.method == "GET":
        form.session_id.data = sessions[0].id if sessions else 0
    if form.validate_on_submit():
        session = next((s for s in sessions if s.id == form.session_id.data), None)
        try:
            revised = revisions.revise_plan(current_user, plan, session)
        except services.Invalid as error:
            db.session.rollback()
            form.session_id.errors = [*form.session_id.errors, str(error)]
        else:
            flash("Version 2 is ready: the discussion's agreed actions are beside the editor.", "success")
            return redirect(url_for("plans.show", plan_id=revised.id))
    return render_template("cycles/revise.html", plan=plan, form=form, sessions=sessions), \
        (400 if form.errors else 200)


@bp.get("/plans/<int:plan_id>/compare")
@login_required
def compare(plan_id: int):
    plan = _plan_or_404(plan_id)
    link = revisions.revision_of(plan)
    if link is None or link.revised_from is None or not can_read_plan(current_user, link.revised_from):
        abort(404)
    changes = revisions.compare_plans(link.revised_from, plan)
    return render_template("cycles/compare.html", plan=plan, old=link.revised_from, link=link, changes=changes,
                           changed=sum(1 for c in changes if c.change != "same"))


@bp.post("/plans/<int:plan_id>/actions/<int:action_id>/done")
@login_required
def action_done(plan_id: int, action_id: int):
    """Tick (or untick) an agreed action from the checklist beside the revised plan: the discussion's own
    service and permission (any member of the group may tick)."""
    plan = _plan_or_404(plan_id)
    link = revisions.revision_of(plan)
    session = link.session if link is not None else None
    if session is None:
        abort(404)
    if not can_post_discussion(current_user, session):
        abort(403)
    done = request.form.get("done")
    if not ConfirmForm().validate_on_submit() or done not in ("yes", "no"):
        abort(400)
    try:
        action_services.set_action_done(current_user, session, action_id, done == "yes")
    except DiscussionInvalid:
        db.session.rollback()
        abort(404)
    if request.accept_mimetypes.best == "application/json":  # ticked from static/src/plan-actions.js: no reload
        return jsonify(ok=True, id=action_id, done=done == "yes")
    return redirect(url_for("plans.show", plan_id=plan.id) + f"#agreed-action-{action_id}")


# --- for the plan page ---------------------------------------------------------------------------------

@dataclass
class PlanPanel:
    show: bool = False
    cycles: list[ResearchCycle] = field(default_factory=list)
    revision: PlanRevision | None = None  # this plan is a revision of revision.revised_from
    revised_as: PlanRevision | None = None  # this plan has been revised as revised_as.plan
    actions: list[AgreedAction] = field(default_factory=list)
    can_tick: bool = False
    can_revise: bool = False
    version: int = 1


def _plan_cycle_panel(plan: LessonPlan) -> PlanPanel:
    if not can_read_cycles(current_user, plan.work_group):
        return PlanPanel()
    revision = revisions.revision_of(plan)
    session = revision.session if revision is not None else None
    readable = session is not None and can_read_discussion(current_user, session)
    return PlanPanel(show=True, cycles=services.cycles_of_plan(plan), revision=revision,
                     revised_as=revisions.revised_as(plan),
                     actions=revisions.agreed_actions(revision) if readable else [],
                     can_tick=session is not None and can_post_discussion(current_user, session),
                     can_revise=can_revise_plan(current_user, plan), version=revisions.version_number(plan))


bp.add_app_template_global(_plan_cycle_panel, "plan_cycle_panel")
bp.add_app_template_global(ConfirmForm, "cycle_confirm_form")
