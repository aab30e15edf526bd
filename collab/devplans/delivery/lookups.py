"""What the delivery route modules share: the plan whose delivery the user may change (404 to whoever may not read
it, 403 to a reader outside the department), its rows by id (another plan's row is as absent as a missing one),
and a refused value shown beside the form field it came from."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from flask_wtf import FlaskForm

from collab.devplans.delivery.models import PlanAction, ProgressUpdate
from collab.devplans.delivery.permissions import can_edit_delivery
from collab.devplans.lookups import fail, plan_or_404
from collab.devplans.models import DevPlan
from collab.devplans.plan.services import DevPlanError
from collab.web.lookups import get_or_none


def editable_plan(plan_id: int) -> DevPlan:
    plan = plan_or_404(plan_id)
    if not can_edit_delivery(current_user, plan):
        abort(403)
    return plan


def action_of(plan: DevPlan, action_id: int) -> PlanAction:
    action = get_or_none(PlanAction, action_id)
    if action is None or action.aim.plan_id != plan.id:
        abort(404)
    return action


def update_of(plan: DevPlan, update_id: int) -> ProgressUpdate:
    update = get_or_none(ProgressUpdate, update_id)
    if update is None or update.aim.plan_id != plan.id:
        abort(404)
    return update


def show_refusal(form: FlaskForm, error: DevPlanError, default_field: str) -> None:
    """An invalid value: its message beside its field (the one the service named, if the form has it), for the
    page to be shown again with what was typed. Anything else: 403 or 400 (`fail`)."""
    if error.code != "invalid":
        fail(error)
    field = form[error.field if error.field and error.field in form else default_field]
    field.errors = [*field.errors, str(error)]
