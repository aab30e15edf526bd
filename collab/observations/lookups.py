"""The look-ups the observations route modules share: a visit or a record the user may see, or 404."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from collab.extensions import db
from collab.observations.models import ObservationRecord, Visit
from collab.observations.permissions import can_read_record, can_view_visit


def visit_or_404(visit_id: int) -> Visit:
    visit = db.session.get(Visit, visit_id)
    if visit is None or not can_view_visit(current_user, visit):
        abort(404)
    return visit


def record_or_404(record_id: int) -> ObservationRecord:
    """A record the user may read; 404 otherwise, as its socket room and its photos answer: to someone who may
    not read it (another observer while notes are private, say) we don't confirm that it exists."""
    record = db.session.get(ObservationRecord, record_id)
    if record is None or not can_read_record(current_user, record):
        abort(404)
    return record
