"""The Work Group's year at a glance, its exports, and marking a session's register.

Thin views: load, check permission (404 when the Work Group is hidden from you, 403 when your role is not enough),
call a service."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from collab.extensions import db
from collab.groups.models import WorkGroup
from collab.reports import export, register, services
from collab.reports.charts import year_charts
from collab.reports.forms import RegisterForm
from collab.reports.models import Presence
from collab.reports.permissions import can_export_year, can_mark_attendance, can_view_year
from collab.sessions.models import GroupSession
from collab.sessions.permissions import can_view_session

bp = Blueprint("reports", __name__)


def _session_register(session: GroupSession) -> list[register.RegisterLine]:
    return register.register(session)


bp.add_app_template_global(_session_register, "session_register")
bp.add_app_template_global(register.counts, "register_counts")
bp.add_app_template_global(can_mark_attendance, "can_mark_attendance")
bp.add_app_template_global(can_view_year, "can_view_year")
bp.add_app_template_global(can_export_year, "can_export_year")
bp.add_app_template_global(RegisterForm, "RegisterForm")
bp.record_once(lambda state: state.app.jinja_env.globals.update(PRESENCES=list(Presence)))


def _group_or_404(group_id: int) -> WorkGroup:
    group = db.session.get(WorkGroup, group_id)
    if group is None or not can_view_year(current_user, group):
        abort(404)
    return group


def _exportable(group_id: int) -> WorkGroup:
    group = _group_or_404(group_id)
    if not can_export_year(current_user, group):
        abort(403)
    return group


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"  # people's attendance, by name
    return response


@bp.get("/groups/<int:group_id>/year")
@login_required
def year(group_id: int):
    group = _group_or_404(group_id)
    figures = services.year_figures(group)
    return render_template("reports/year.html", group=group, figures=figures, charts=year_charts(figures))


@bp.get("/groups/<int:group_id>/year/attendance.csv")
@login_required
def attendance_csv(group_id: int):
    group = _exportable(group_id)
    return _download(export.attendance_csv(group), "text/csv", export.filename(group, "attendance", "csv"))


@bp.get("/groups/<int:group_id>/year/summary.csv")
@login_required
def summary_csv(group_id: int):
    group = _exportable(group_id)
    return _download(export.summary_csv(services.year_figures(group)), "text/csv",
                     export.filename(group, "summary", "csv"))


@bp.get("/groups/<int:group_id>/year.pdf")
@login_required
def year_pdf(group_id: int):
    group = _exportable(group_id)
    figures = services.year_figures(group)
    return _download(export.year_pdf(figures, year_charts(figures)), "application/pdf",
                     export.filename(group, "year", "pdf"))


@bp.post("/sessions/<int:session_id>/register")
@login_required
def mark(session_id: int):
    session = db.session.get(GroupSession, session_id)
    if session is None or not can_view_session(current_user, session):
        abort(404)
    if not can_mark_attendance(current_user, session):
        abort(403)
    back = url_for("sessions.detail", session_id=session.id) + "#register-heading"
    if not RegisterForm().validate_on_submit():
        flash("The form had expired. The register was not changed: please mark it again.", "error")
        return redirect(back)
    try:
        register.mark_attendance(current_user, session, register.parse_marks(session, request.form))
    except register.InvalidMark as error:
        db.session.rollback()
        flash(f"{error} The register was not changed.", "error")
        return redirect(back)
    counts = register.counts(session)
    flash(f"Register saved: {counts[Presence.PRESENT]} present, {counts[Presence.APOLOGIES]} apologies, "
          f"{counts[Presence.ABSENT]} absent.", "success")
    return redirect(back)
