"""Notifications: the list and email preference, marking read, the unread count and the bell's count in
base.html. On the devplans blueprint (endpoints `devplans.notifications_*`): plans are what notify people."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from collab.devplans.forms import ConfirmForm, PreferenceForm
from collab.devplans.models import EmailFrequency, Notification
from collab.devplans.notifications import services
from collab.extensions import db
from collab.web.lookups import parse_id


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    bp.add_url_rule("/notifications", "notifications_page", notifications_page, methods=["GET", "POST"])
    bp.add_url_rule("/notifications/read", "notifications_read", notifications_read, methods=["POST"])
    bp.add_url_rule("/notifications/count", "notifications_count", notifications_count, methods=["GET"])
    bp.app_context_processor(_notification_count)


@login_required
def notifications_page():
    form = PreferenceForm()
    if request.method == "POST" and form.validate_on_submit():
        services.set_preference(current_user, EmailFrequency(form.email.data))
        flash("Saved how we email you.", "success")
        return redirect(url_for("devplans.notifications_page"))
    if request.method == "GET":
        form.email.data = services.preference(current_user).value
    items = db.session.scalars(select(Notification).where(Notification.user_id == current_user.id)
                               .order_by(Notification.id.desc()).limit(100)).all()
    return render_template("devplans/notifications.html", items=items, form=form, confirm=ConfirmForm())


@login_required
def notifications_read():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    raw = request.form.get("id", "")
    if not raw:
        services.mark_read(current_user, None)  # no id: every notification
    elif (note_id := parse_id(raw)) is not None:  # otherwise ("x", "0", past MAX_ID) no notification has it
        services.mark_read(current_user, note_id)
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for("devplans.notifications_page"))


@login_required
def notifications_count():
    return jsonify({"unread": services.unread_count(current_user.id)})


def _notification_count() -> dict:
    """`unread_notifications()` for the bell in base.html (a function: only pages that show it query)."""
    def unread() -> int:
        return services.unread_count(current_user.id) if current_user.is_authenticated else 0
    return {"unread_notifications": unread}
