"""Photos of pupils' work: checked by their bytes and size, re-encoded without EXIF or location, thumbnailed,
stored under COLLAB_UPLOAD_DIR/observations/<visit_id>/ and served only to people who may read the record."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import current_app
from PIL import Image

from collab.extensions import db
from collab.observations.models import ObservationPhoto, ObservationRecord
from collab.plans.images import MAX_IMAGE_BYTES, ImageRejected, clean_image

THUMB_SIZE = (320, 320)
PHOTO_FORMATS = {"image/jpeg", "image/png", "image/webp"}  # no GIFs: these are photos from a tablet

__all__ = ["ImageRejected", "store_photo", "visit_folder", "photo_limit"]


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


def store_photo(record: ObservationRecord, data: bytes) -> ObservationPhoto:
    """Check, clean, thumbnail and store a photo for a record. Raises ImageRejected (message for people)."""
    cleaned, content_type, extension = clean_image(data, photo_limit())
    if content_type not in PHOTO_FORMATS:
        raise ImageRejected("Upload a photo: JPEG, PNG or WebP.")
    folder = visit_folder(record.visit_id)
    folder.mkdir(parents=True, exist_ok=True)
    stem = secrets.token_hex(16)
    filename, thumb_filename = f"{stem}.{extension}", f"{stem}-thumb.jpg"
    (folder / filename).write_bytes(cleaned)
    (folder / thumb_filename).write_bytes(_thumbnail(cleaned))
    photo = ObservationPhoto(record_id=record.id, filename=filename, thumb_filename=thumb_filename,
                             content_type=content_type)
    db.session.add(photo)
    db.session.commit()
    return photo
