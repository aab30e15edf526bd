"""The dashboard: what is happening now and for me, my Work Groups, my next sessions, recent activity."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from collab.activity.services import recent_for_groups
from collab.dashboard.for_you import for_you, my_next_sessions
from collab.groups.permissions import is_hub_admin
from collab.groups.views import url_if_exists
from collab.observations.forms import ConfirmForm

bp = Blueprint("dashboard", __name__)


@bp.context_processor
def _helpers():
    return {"url_if_exists": url_if_exists}


@bp.get("/")
@login_required
def home():
    memberships = sorted(current_user.memberships,
                         key=lambda m: (m.work_group.school_year, m.work_group.project_code), reverse=True)
    group_ids = [m.work_group_id for m in memberships]
    return render_template("dashboard/home.html", memberships=memberships,
                           invitations=my_next_sessions(current_user, group_ids, limit=8),
                           now=for_you(current_user, group_ids), confirm=ConfirmForm(),
                           activity=recent_for_groups(group_ids), hub_admin=is_hub_admin(current_user))
