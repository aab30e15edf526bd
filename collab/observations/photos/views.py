"""Lesson observation visits: photos added to a record, and serving them (full size and thumbnail)."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, jsonify, request, url_for
from flask_login import current_user, login_required

from collab.extensions import db
from collab.observations.lookups import record_or_404
from collab.observations.models import ObservationPhoto, ObservationRecord
from collab.observations.permissions import can_edit_record, can_read_record, can_view_visit
from collab.observations.photos.storage import (
    ImageRejected,
    photo_by_client_id,
    photo_limit,
    store_photo,
    visit_folder,
)
from collab.observations.summary.build import readable_records

CLIENT_ID = re.compile(r"[A-Za-z0-9-]{8,64}")  # crypto.randomUUID(), or the page's fallback (observation.js)


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    bp.add_url_rule("/records/<int:record_id>/photos", "upload_photo", upload_photo, methods=["POST"])
    bp.add_url_rule("/photos/<int:photo_id>", "photo", photo, methods=["GET"])
    bp.add_url_rule("/photos/<int:photo_id>/thumb", "photo_thumb", photo_thumb, methods=["GET"])


@login_required
def upload_photo(record_id: int):
    record = record_or_404(record_id)
    if not can_edit_record(current_user, record):
        return jsonify(message="Only the observer adds photos to their record."), 403
    upload = request.files.get("photo")
    if upload is None:
        return jsonify(message="Choose a photo to upload."), 400
    client_id = request.form.get("client_id") or None  # the tablet's id for it: a retry finds the same photo
    if client_id is not None and not CLIENT_ID.fullmatch(client_id):
        return jsonify(message="This photo's id is not one the app makes."), 400
    if client_id and (existing := photo_by_client_id(record, client_id)):
        return _photo_json(existing), 200
    limit = photo_limit()
    data = upload.stream.read(limit + 1)
    try:
        photo = store_photo(record, data, client_id)
    except ImageRejected as exc:
        return jsonify(message=str(exc)), 413 if len(data) > limit else 400
    return _photo_json(photo), 201


def _photo_json(photo: ObservationPhoto):
    return jsonify(id=photo.id, client_id=photo.client_id, url=url_for("observations.photo", photo_id=photo.id),
                   thumb=url_for("observations.photo_thumb", photo_id=photo.id))


def _photo_file(photo_id: int, thumb: bool) -> Response:
    photo = db.session.get(ObservationPhoto, photo_id)
    record = db.session.get(ObservationRecord, photo.record_id) if photo else None
    if record is None or not can_view_visit(current_user, record.visit):
        abort(404)
    shared = record in readable_records(current_user, record.visit)
    if not (can_read_record(current_user, record) or shared):
        abort(404)
    path = visit_folder(record.visit_id) / (photo.thumb_filename if thumb else photo.filename)
    if not path.is_file():
        abort(404)
    # Photos of pupils' work: no browser or proxy keeps them (Cache-Control: no-store, collab/web/security.py).
    return Response(path.read_bytes(), mimetype="image/jpeg" if thumb else photo.content_type)


@login_required
def photo(photo_id: int):
    return _photo_file(photo_id, thumb=False)


@login_required
def photo_thumb(photo_id: int):
    return _photo_file(photo_id, thumb=True)
