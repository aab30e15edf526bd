"""Board snapshots: PNGs the browser renders from the board (Excalidraw's exportToBlob), checked by their bytes and
re-encoded like a plan's images (collab/plans/images.py), stored under the upload folder's "workspace" directory;
each also offered as a one-page PDF (`as_pdf`), made from the PNG when asked for."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import current_app
from PIL import Image

from collab.extensions import db
from collab.plans.images import ImageRejected, clean_image
from collab.workspace.models import BoardSnapshot, Workspace

MAX_SNAPSHOT_BYTES = 5 * 1024 * 1024


def folder() -> Path:
    return Path(current_app.config["COLLAB_UPLOAD_DIR"]) / "workspace"


def limit() -> int:
    return int(current_app.config.get("COLLAB_MAX_IMAGE_BYTES", MAX_SNAPSHOT_BYTES))


def store_snapshot(workspace: Workspace, data: bytes, taken_by_id: int | None) -> BoardSnapshot:
    cleaned, content_type, extension = clean_image(data, limit())
    if content_type != "image/png":
        raise ImageRejected("A board snapshot is a PNG image.")
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    filename = f"{secrets.token_hex(16)}.{extension}"
    (target / filename).write_bytes(cleaned)
    snapshot = BoardSnapshot(workspace_id=workspace.id, filename=filename, content_type=content_type,
                             size=len(cleaned), taken_by_id=taken_by_id)
    db.session.add(snapshot)
    db.session.commit()
    return snapshot


def as_pdf(png: bytes, title: str) -> bytes:
    """A stored snapshot (a PNG we re-encoded ourselves) as a one-page PDF, on white: Pillow writes it."""
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        page = Image.new("RGB", image.size, (255, 255, 255))
        page.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
    out = io.BytesIO()
    page.save(out, "PDF", resolution=144.0, title=title[:200])
    return out.getvalue()
