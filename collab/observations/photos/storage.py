"""Photos of pupils' work: checked by their bytes and size, re-encoded without EXIF or location, thumbnailed,
stored under COLLAB_UPLOAD_DIR/observations/<visit_id>/ and served only to people who may read the record."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import current_app
from PIL import Image
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from collab.extensions import db
from collab.observations.models import ObservationPhoto, ObservationRecord
from collab.plans.images import MAX_IMAGE_BYTES, ImageRejected, clean_image

THUMB_SIZE = (320, 320)
PHOTO_FORMATS = {"image/jpeg", "image/png", "image/webp"}  # no GIFs: these are photos from a tablet

__all__ = ["ImageRejected", "store_photo", "photo_by_client_id", "visit_folder", "photo_limit"]


def photo_limit() -> int:
    return int(current_app.config.get("COLLAB_MAX_PHOTO_BYTES") or 2 * MAX_IMAGE_BYTES)  # 10 MB


def visit_folder(visit_id: int) -> Path:
    return Path(current_app.config["COLLAB_UPLOAD_DIR"]) / "observations" / str(int(visit_id))


def _thumbnail(cleaned: bytes) -> bytes:
    with Image.open(io.BytesIO(cleaned)) as image:
        image.thumbnail(THUMB_SIZE)
        thumb = image.convert("RGB") if image.mode not in ("RGB", "L") else image.copy()
        out = io.BytesIO()
        thumb.save(out, "JPEG", quality=80, optimize=True)
        return out.getvalue()


def photo_by_client_id(record: ObservationRecord, client_id: str) -> ObservationPhoto | None:
    """The photo the tablet already uploaded under this id, if any."""
    return db.session.scalar(select(ObservationPhoto).where(ObservationPhoto.record_id == record.id,
                                                            ObservationPhoto.client_id == client_id))


def store_photo(record: ObservationRecord, data: bytes, client_id: str | None = None) -> ObservationPhoto:
    """Check, clean, thumbnail and store a photo for a record. Raises ImageRejected (message for people).

    With a client_id already stored for this record (a retried upload), that photo is returned and nothing is
    written, even when two uploads of it arrive at once."""
    if client_id and (existing := photo_by_client_id(record, client_id)):
        return existing
    cleaned, content_type, extension = clean_image(data, photo_limit())
    if content_type not in PHOTO_FORMATS:
        raise ImageRejected("Upload a photo: JPEG, PNG or WebP.")
    folder = visit_folder(record.visit_id)
    folder.mkdir(parents=True, exist_ok=True)
    stem = secrets.token_hex(16)
    files = folder / f"{stem}.{extension}", folder / f"{stem}-thumb.jpg"
    files[0].write_bytes(cleaned)
    files[1].write_bytes(_thumbnail(cleaned))
    photo = ObservationPhoto(record_id=record.id, client_id=client_id, filename=files[0].name,
                             thumb_filename=files[1].name, content_type=content_type)
    db.session.add(photo)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same photo, uploaded twice at once: the other upload stored it
        for path in files:
            path.unlink(missing_ok=True)
        existing = photo_by_client_id(record, client_id) if client_id else None
        if existing is None:
            raise
        return existing
    return photo
