"""The workspace package's part in the real-time layer: the "workspace" room kind (a session's workspace)."""

from __future__ import annotations

from collab.extensions import db
from collab.realtime.rooms import Access, register_kind
from collab.workspace.board import ROOM_KIND
from collab.workspace.models import Workspace
from collab.workspace.permissions import can_use_workspace


def resolve_workspace(user, workspace_id: int) -> tuple[int, Access] | None:
    workspace = db.session.get(Workspace, workspace_id)
    if workspace is None or not can_use_workspace(user, workspace.session):
        return None
    return workspace.document_id, "edit"


def register() -> None:
    register_kind(ROOM_KIND, resolve_workspace)
