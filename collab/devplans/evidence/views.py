"""Development plans: evidence linked to the plan's aims (the Work Groups' observation visits and sessions)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from collab.devplans.evidence import services
from collab.devplans.forms import ConfirmForm, EvidenceForm
from collab.devplans.lookups import fail, plan_or_404
from collab.devplans.models import DevPlan, EvidenceLink
from collab.devplans.permissions import can_edit_devplan
from collab.devplans.plan.services import DevPlanError
from collab.extensions import db
from collab.groups.models import WorkGroupSchool
from collab.sessions.models import GroupSession, SessionKind
from collab.timeutil import uk_date
from collab.web.lookups import child_or_404


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    bp.add_url_rule("/devplans/<int:plan_id>/evidence", "evidence", evidence, methods=["GET", "POST"])
    bp.add_url_rule("/devplans/<int:plan_id>/evidence/<int:link_id>/delete", "delete_evidence", delete_evidence,
                    methods=["POST"])


def evidence_choices(plan: DevPlan) -> list[tuple[str, str]]:
    """Sessions of the department's Work Groups: observation visits and transition sessions."""
    group_ids = [link.work_group_id for link in db.session.scalars(select(WorkGroupSchool).where(
        WorkGroupSchool.school_id == plan.department.school_id))]
    sessions = db.session.scalars(select(GroupSession).where(
        GroupSession.work_group_id.in_(group_ids),
        GroupSession.kind.in_([SessionKind.OBSERVATION, SessionKind.TRANSITION]))
        .order_by(GroupSession.starts_at)).all() if group_ids else []
    choices = []
    for s in sessions:
        when = uk_date(s.starts_at)
        choices.append((f"visit-summary|/sessions/{s.id}/visit|Observation notes: {s.title} ({when})",
                        f"Observation notes and visit summary: {s.title} ({when})"))
        choices.append((f"session|/sessions/{s.id}|Session: {s.title} ({when})", f"Session page: {s.title} ({when})"))
    return choices


@login_required
def evidence(plan_id: int):
    plan = plan_or_404(plan_id)
    form = EvidenceForm()
    form.evidence.choices = [SelectChoice(v, label) for v, label in evidence_choices(plan)]
    if request.method == "POST":
        if not can_edit_devplan(current_user, plan):
            abort(403)
        if form.validate_on_submit():
            kind, url, label = form.evidence.data.split("|", 2)
            try:
                services.add_evidence(current_user, plan, form.aim.data or "", kind, url, label)
            except DevPlanError as error:
                fail(error)
            flash("Evidence linked.", "success")
            return redirect(url_for("devplans.evidence", plan_id=plan.id))
    links = db.session.scalars(select(EvidenceLink).where(EvidenceLink.plan_id == plan.id)
                               .order_by(EvidenceLink.id)).all()
    return render_template("devplans/evidence.html", plan=plan, form=form, links=links,
                           can_edit=can_edit_devplan(current_user, plan), confirm=ConfirmForm())


@login_required
def delete_evidence(plan_id: int, link_id: int):
    plan = plan_or_404(plan_id)
    link = child_or_404(EvidenceLink, link_id, plan_id=plan.id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.remove_evidence(current_user, link)
    except DevPlanError as error:
        fail(error)
    return redirect(url_for("devplans.evidence", plan_id=plan.id))
