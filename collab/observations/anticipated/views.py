"""Anticipated items: "Refresh from the plan" on the visit room (a form post; the page works without JavaScript)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required

from collab.observations.anticipated import services
from collab.observations.forms import ConfirmForm
from collab.observations.lookups import visit_or_404
from collab.observations.permissions import can_set_up_visit
from collab.observations.visits.services import InvalidVisit


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    bp.add_url_rule("/visits/<int:visit_id>/anticipated/refresh", "refresh_anticipated", refresh,
                    methods=["POST"])


@login_required
def refresh(visit_id: int):
    visit = visit_or_404(visit_id)
    if not can_set_up_visit(current_user, visit.session, visit):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        flash(services.refresh_from_plan(current_user, visit).describe(), "success")
    except InvalidVisit as exc:
        flash(str(exc), "error")
    return redirect(url_for("observations.room", visit_id=visit.id) + "#anticipated")
