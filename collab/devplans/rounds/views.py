"""Development plans: critique rounds (sharing the plan with a Work Group, the round page, closing it,
reviewers marking their review done)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from collab.devplans.forms import ConfirmForm, RoundForm
from collab.devplans.lookups import fail, plan_or_404, round_or_404
from collab.devplans.models import DevPlan
from collab.devplans.permissions import can_edit_devplan, can_share_devplan_with, is_devplan_reviewer
from collab.devplans.plan.services import DevPlanError
from collab.devplans.rounds import services
from collab.extensions import db
from collab.groups.models import Membership, WorkGroup, WorkGroupSchool


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    bp.add_url_rule("/devplans/<int:plan_id>/rounds/new", "new_round", new_round, methods=["GET", "POST"])
    bp.add_url_rule("/devplans/<int:plan_id>/rounds/<int:round_id>", "round_page", round_page, methods=["GET"])
    bp.add_url_rule("/devplans/<int:plan_id>/rounds/<int:round_id>/close", "close_round", close_round, methods=["POST"])
    bp.add_url_rule("/devplans/<int:plan_id>/rounds/<int:round_id>/reviewed", "mark_reviewed", mark_reviewed,
                    methods=["POST"])


def _shareable_groups(plan: DevPlan) -> list[WorkGroup]:
    groups = db.session.scalars(select(WorkGroup).join(WorkGroupSchool).join(Membership).where(
        WorkGroupSchool.school_id == plan.department.school_id, Membership.user_id == current_user.id)).unique().all()
    return [g for g in groups if can_share_devplan_with(current_user, plan, g)]


@login_required
def new_round(plan_id: int):
    plan = plan_or_404(plan_id)
    if not can_edit_devplan(current_user, plan):
        abort(403)
    shareable = _shareable_groups(plan)
    open_by_group = {r.work_group_id: r for r in plan.open_rounds}
    # "Share for critique" while the round is open leads to that round, not to a form that can only fail.
    chosen = request.form.get("work_group_id", type=int) if request.method == "POST" else None
    already = open_by_group.get(chosen) if chosen is not None else None
    groups = [g for g in shareable if g.id not in open_by_group]
    if already is None and not groups and request.method == "GET":
        already = next((open_by_group[g.id] for g in shareable if g.id in open_by_group), None)
    if already is not None:
        flash(f"The plan is already open for critique in {already.work_group.project_code}: here is that round.",
              "warning")
        return redirect(url_for("devplans.round_page", plan_id=plan.id, round_id=already.id))
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


@login_required
def round_page(plan_id: int, round_id: int):
    plan = plan_or_404(plan_id)
    round_ = round_or_404(plan, round_id)
    done = {r.user_id: r for r in round_.reviews}
    reviewers = sorted((m.user for m in round_.work_group.memberships
                        if m.user.school_id != plan.department.school_id), key=lambda u: u.name)
    return render_template("devplans/round.html", plan=plan, round=round_, reviewers=reviewers, done=done,
                           can_edit=can_edit_devplan(current_user, plan),
                           is_reviewer=is_devplan_reviewer(current_user, round_), confirm=ConfirmForm())


@login_required
def close_round(plan_id: int, round_id: int):
    plan = plan_or_404(plan_id)
    round_ = round_or_404(plan, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.close_round(current_user, round_)
    except DevPlanError as error:
        fail(error)
    flash("Round closed. The plan is visible to your department only again.", "success")
    return redirect(url_for("devplans.round_page", plan_id=plan.id, round_id=round_.id))


@login_required
def mark_reviewed(plan_id: int, round_id: int):
    plan = plan_or_404(plan_id)
    round_ = round_or_404(plan, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.mark_reviewed(current_user, round_)
    except DevPlanError as error:
        fail(error)
    flash("Thank you: your review is marked done.", "success")
    return redirect(url_for("devplans.round_page", plan_id=plan.id, round_id=round_.id))
