"""Lesson observation visits: the visit summary, as a page and as a PDF."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user, login_required

from collab.observations.lookups import visit_or_404
from collab.observations.models import Visit
from collab.observations.permissions import can_read_summary
from collab.observations.summary.build import build_summary
from collab.observations.summary.pdf import summary_pdf


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    bp.add_url_rule("/visits/<int:visit_id>/summary", "summary", summary, methods=["GET"])
    bp.add_url_rule("/visits/<int:visit_id>/summary.pdf", "summary_pdf_view", summary_pdf_view, methods=["GET"])


def _summary_visit(visit_id: int) -> Visit:
    visit = visit_or_404(visit_id)
    if not can_read_summary(current_user, visit):
        abort(404)
    return visit


@login_required
def summary(visit_id: int):
    visit = _summary_visit(visit_id)
    return render_template("observations/summary.html", visit=visit, session=visit.session,
                           summary=build_summary(current_user, visit))


@login_required
def summary_pdf_view(visit_id: int):
    visit = _summary_visit(visit_id)
    response = Response(summary_pdf(visit, build_summary(current_user, visit)), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="visit-{visit.id}-summary.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
