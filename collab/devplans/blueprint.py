"""The development plans blueprint and the look-ups its route modules share.

The routes live in views.py (the plan, its history), comment_views.py, round_views.py, evidence_views.py and
notification_views.py; each imports `bp` from here, and views.py imports them so that importing views.py
(as create_app does) registers every route. Keeping `bp` here, apart from any route, means no module imports
one that imports it back.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from collab.devplans.models import CritiqueRound, DevPlan
from collab.devplans.permissions import can_read_devplan
from collab.devplans.services import DevPlanError
from collab.extensions import db
from collab.lookups import child_or_404

bp = Blueprint("devplans", __name__)


def plan_or_404(plan_id: int) -> DevPlan:
    plan = db.session.get(DevPlan, plan_id)
    if plan is None or not can_read_devplan(current_user, plan):
        abort(404)
    return plan


def round_or_404(plan: DevPlan, round_id: int) -> CritiqueRound:
    return child_or_404(CritiqueRound, round_id, plan_id=plan.id)


def fail(error: DevPlanError):
    abort(403 if error.code == "forbidden" else 400, description=str(error))
