"""Lesson observation visits: how long the records are kept, and deleting them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from collab.observations.forms import ConfirmForm, RetentionForm
from collab.observations.lookups import visit_or_404
from collab.observations.permissions import can_manage_visit_records
from collab.observations.retention.deletion import delete_visit_records, expires_at
from collab.observations.visits import services


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    bp.add_url_rule("/visits/<int:visit_id>/records", "records_admin", records_admin, methods=["GET", "POST"])
    bp.add_url_rule("/visits/<int:visit_id>/records/delete", "delete_records", delete_records, methods=["POST"])


@login_required
def records_admin(visit_id: int):
    visit = visit_or_404(visit_id)
    if not can_manage_visit_records(current_user, visit):
        abort(403)
    form = RetentionForm(retention_months=visit.retention_months)
    if form.validate_on_submit():
        services.set_retention(current_user, visit, form.retention_months.data)
        flash("Saved how long the observation records are kept.", "success")
        return redirect(url_for("observations.records_admin", visit_id=visit.id))
    return render_template("observations/records_admin.html", visit=visit, session=visit.session, form=form,
                           confirm=ConfirmForm(), expires=expires_at(visit))


@login_required
def delete_records(visit_id: int):
    visit = visit_or_404(visit_id)
    if not can_manage_visit_records(current_user, visit):
        abort(403)
    if not ConfirmForm().validate_on_submit() or request.form.get("confirm") != "delete":
        flash("Tick the box to confirm; nothing was deleted.", "error")
        return redirect(url_for("observations.records_admin", visit_id=visit.id))
    delete_visit_records(current_user, visit)
    flash("The visit's observation records, notes and photos have been deleted.", "success")
    return redirect(url_for("observations.room", visit_id=visit.id))
