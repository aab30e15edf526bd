"""What the development plans route modules share: a plan or round the user may see (else 404), and `fail`,
which answers a refused write (DevPlanError) with 403 or 400."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from collab.devplans.models import CritiqueRound, DevPlan
from collab.devplans.permissions import can_read_devplan
from collab.devplans.plan.services import DevPlanError
from collab.extensions import db
from collab.web.lookups import child_or_404


def plan_or_404(plan_id: int) -> DevPlan:
    plan = db.session.get(DevPlan, plan_id)
    if plan is None or not can_read_devplan(current_user, plan):
        abort(404)
    return plan


def round_or_404(plan: DevPlan, round_id: int) -> CritiqueRound:
    return child_or_404(CritiqueRound, round_id, plan_id=plan.id)


def fail(error: DevPlanError):
    abort(403 if error.code == "forbidden" else 400, description=str(error))
