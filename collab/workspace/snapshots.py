"""Board snapshots: PNGs the browser renders from the board, checked by their bytes and re-encoded like a plan's
images (collab/plans/images.py), stored under the upload folder's "workspace" directory."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

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
