"""The dashboard: my Work Groups, my next sessions, recent activity in my groups."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from collab.activity.services import recent_for_groups
from collab.extensions import db
from collab.groups.permissions import is_hub_admin
from collab.groups.views import upcoming_sessions, url_if_exists
from collab.sessions.models import Attendance

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
    sessions = upcoming_sessions(group_ids, limit=8)
    responses = {}
    if sessions:
        responses = {a.session_id: a.response for a in db.session.scalars(
            select(Attendance).where(Attendance.user_id == current_user.id,
                                     Attendance.session_id.in_([s.id for s in sessions])))}
    return render_template("dashboard/home.html", memberships=memberships, sessions=sessions, responses=responses,
                           activity=recent_for_groups(group_ids), hub_admin=is_hub_admin(current_user))
