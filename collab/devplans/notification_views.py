"""Notifications: the list and email preference, marking read, the unread count and the bell's count in
base.html. On the devplans blueprint (endpoints `devplans.notifications_*`): plans are what notify people."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from collab.devplans import notifications
from collab.devplans.blueprint import bp
from collab.devplans.forms import ConfirmForm, PreferenceForm
from collab.devplans.models import EmailFrequency, Notification
from collab.extensions import db
from collab.lookups import parse_id


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def notifications_page():
    form = PreferenceForm()
    if request.method == "POST" and form.validate_on_submit():
        notifications.set_preference(current_user, EmailFrequency(form.email.data))
        flash("Saved how we email you.", "success")
        return redirect(url_for("devplans.notifications_page"))
    if request.method == "GET":
        form.email.data = notifications.preference(current_user).value
    items = db.session.scalars(select(Notification).where(Notification.user_id == current_user.id)
                               .order_by(Notification.id.desc()).limit(100)).all()
    return render_template("devplans/notifications.html", items=items, form=form, confirm=ConfirmForm())


@bp.post("/notifications/read")
@login_required
def notifications_read():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    raw = request.form.get("id", "")
    if not raw:
        notifications.mark_read(current_user, None)  # no id: every notification
    elif (note_id := parse_id(raw)) is not None:  # otherwise ("x", "0", past MAX_ID) no notification has it
        notifications.mark_read(current_user, note_id)
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for("devplans.notifications_page"))


@bp.get("/notifications/count")
@login_required
def notifications_count():
    return jsonify({"unread": notifications.unread_count(current_user.id)})


@bp.app_context_processor
def _notification_count() -> dict:
    """`unread_notifications()` for the bell in base.html (a function: only pages that show it query)."""
    def unread() -> int:
        return notifications.unread_count(current_user.id) if current_user.is_authenticated else 0
    return {"unread_notifications": unread}
