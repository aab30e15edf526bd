"""Lesson observation visits: the visit summary, as a page and as a PDF."""

from __future__ import annotations

from flask import Response, abort, render_template
from flask_login import current_user, login_required

from collab.observations.blueprint import bp, visit_or_404
from collab.observations.export import summary_pdf
from collab.observations.models import Visit
from collab.observations.permissions import can_read_summary
from collab.observations.summary import build_summary


def _summary_visit(visit_id: int) -> Visit:
    visit = visit_or_404(visit_id)
    if not can_read_summary(current_user, visit):
        abort(404)
    return visit


@bp.get("/visits/<int:visit_id>/summary")
@login_required
def summary(visit_id: int):
    visit = _summary_visit(visit_id)
    return render_template("observations/summary.html", visit=visit, session=visit.session,
                           summary=build_summary(current_user, visit))


@bp.get("/visits/<int:visit_id>/summary.pdf")
@login_required
def summary_pdf_view(visit_id: int):
    visit = _summary_visit(visit_id)
    response = Response(summary_pdf(visit, build_summary(current_user, visit)), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="visit-{visit.id}-summary.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
