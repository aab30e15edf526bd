"""Sessions of a Work Group, the calendar and .ics feeds.

Thin views: load, check permission (404 when the Work Group is hidden from you, 403 when
your role is not enough), validate the form, call a service.
"""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from collab.extensions import db
from collab.groups.models import WorkGroup
from collab.groups.permissions import can_view_group
from collab.sessions import ics, services
from collab.sessions.forms import ConfirmForm, RespondForm, SessionForm
from collab.sessions.models import GroupSession
from collab.sessions.models import Response as Reply
from collab.sessions.permissions import (
    attendance_of,
    can_edit_session,
    can_respond,
    can_schedule_session,
    can_view_session,
)
from collab.timeutil import to_london
from collab.types import utcnow
from collab.web.urls import base_url

bp = Blueprint("sessions", __name__)


def _visible_group(group_id: int) -> WorkGroup:
    group = db.session.get(WorkGroup, group_id)
    if group is None or not can_view_group(current_user, group):
        abort(404)
    return group


def _visible_session(session_id: int) -> GroupSession:
    session = db.session.get(GroupSession, session_id)
    if session is None or not can_view_session(current_user, session):
        abort(404)
    return session


def _safe_next(default: str) -> str:
    target = request.form.get("next", "")
    # Local paths only, so the form cannot be used to send people to another site.
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _attach_error(form: SessionForm, error: services.InvalidSession) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _ics_response(body: str, filename: str | None = None) -> Response:
    response = Response(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/groups/<int:group_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new(group_id: int):
    group = _visible_group(group_id)
    if not can_schedule_session(current_user, group):
        abort(403)
    form = SessionForm(group)
    # Opened from a research cycle ("Schedule the research lesson"): prefilled, and the session joins the cycle.
    from collab.cycles.services import from_cycle, session_scheduled
    cycle = from_cycle(current_user, group, request.args.get("cycle"), request.args.get("purpose"))
    if request.method == "GET":
        form.attendees.data = services.all_member_ids(group)
        if cycle is not None:
            form.kind.data, form.title.data = cycle.kind, cycle.title
    if form.validate_on_submit():
        try:
            session = services.schedule_session(current_user, group, form.details())
        except services.InvalidSession as error:
            db.session.rollback()
            _attach_error(form, error)
        else:
            session_scheduled(current_user, cycle, session)
            flash("Session scheduled. Everyone invited can now see it in their calendar.", "success")
            return redirect(url_for("sessions.detail", session_id=session.id))
    return render_template("sessions/form.html", form=form, group=group, session=None, from_cycle=cycle)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit(session_id: int):
    session = _visible_session(session_id)
    if not can_edit_session(current_user, session):
        abort(403)
    form = SessionForm(session.work_group)
    if request.method == "GET":
        form.fill_from(session)
    if form.validate_on_submit():
        try:
            services.update_session(current_user, session, form.details())
        except services.InvalidSession as error:
            db.session.rollback()
            _attach_error(form, error)
        else:
            flash("Session updated.", "success")
            return redirect(url_for("sessions.detail", session_id=session.id))
    return render_template("sessions/form.html", form=form, group=session.work_group,
                           session=session)


@bp.route("/sessions/<int:session_id>/delete", methods=["GET", "POST"])
@login_required
def delete(session_id: int):
    session = _visible_session(session_id)
    if not can_edit_session(current_user, session):
        abort(403)
    form = ConfirmForm()
    if form.validate_on_submit():
        group_id = session.work_group_id
        services.delete_session(current_user, session)
        flash("Session cancelled. It has gone from everyone's calendar.", "success")
        return redirect(url_for("groups.detail", group_id=group_id))
    return render_template("sessions/delete.html", session=session, form=form)


@bp.get("/sessions/<int:session_id>")
@login_required
def detail(session_id: int):
    session = _visible_session(session_id)
    attendances = sorted(session.attendances, key=lambda a: a.user.name.lower())
    return render_template("sessions/detail.html", session=session, attendances=attendances,
                           mine=attendance_of(current_user, session), respond_form=RespondForm(),
                           replies=[r for r in Reply if r != Reply.AWAITING])


@bp.post("/sessions/<int:session_id>/respond")
@login_required
def respond(session_id: int):
    session = _visible_session(session_id)
    if not can_respond(current_user, session):
        abort(403)
    form = RespondForm()
    if not form.validate_on_submit():
        flash("Choose Attending, Maybe or Can't attend. Your reply was not changed.", "error")
        return redirect(url_for("sessions.detail", session_id=session.id))
    services.respond(current_user, session, Reply(form.response.data))
    flash(f"Your reply is saved: {Reply(form.response.data).label}.", "success")
    return redirect(url_for("sessions.detail", session_id=session.id))


@bp.get("/sessions/<int:session_id>.ics")
@login_required
def ics_file(session_id: int):
    session = _visible_session(session_id)
    event = ics.session_event(session, base_url(), utcnow())
    return _ics_response(ics.render_calendar([event]), f"session-{session.id}.ics")


@bp.get("/calendar")
@login_required
def calendar():
    past = request.args.get("when") == "past"
    sessions = (services.past_for_user if past else services.upcoming_for_user)(current_user)
    months = [(month, list(items)) for month, items in
              groupby(sessions, key=lambda s: to_london(s.starts_at).strftime("%B %Y"))]
    mine = {s.id: attendance_of(current_user, s) for s in sessions}
    return render_template("sessions/calendar.html", months=months, mine=mine, past=past,
                           feed_form=ConfirmForm())


@bp.post("/calendar/feed")
@login_required
def feed_create():
    if ConfirmForm().validate_on_submit():
        services.create_calendar_token(current_user)
        flash("Your private calendar link is ready. Any link you made before no longer works.", "success")
    return redirect(_safe_next(url_for("sessions.calendar")))


@bp.post("/calendar/feed/revoke")
@login_required
def feed_revoke():
    if ConfirmForm().validate_on_submit():
        services.revoke_calendar_token(current_user)
        flash("Your private calendar link has been switched off.", "success")
    return redirect(_safe_next(url_for("sessions.calendar")))


@bp.get("/calendar/feed/<token>.ics")
def feed(token: str):
    """No sign-in: calendar apps cannot log in, so the unguessable token is the key."""
    user = services.user_for_feed_token(token)
    if user is None:
        abort(404)
    now = utcnow()
    root = base_url()
    events = [ics.session_event(s, root, now) for s in services.feed_sessions(user, now)]
    return _ics_response(ics.render_calendar(events, name="Collab: Work Group sessions"))
