"""The workspace page of an "exploring maths together" session, and its board snapshots."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, url_for
from flask import request as flask_request
from flask_login import current_user, login_required

from collab.plans.images import ImageRejected
from collab.realtime.presence import colour_for
from collab.realtime.rooms import room_name
from collab.sessions.models import GroupSession
from collab.web.lookups import child_or_404, get_or_none
from collab.workspace import board, snapshots
from collab.workspace.models import BoardSnapshot, Workspace
from collab.workspace.permissions import can_use_workspace

bp = Blueprint("workspace", __name__)


def _session_or_404(session_id: int) -> GroupSession:
    session = get_or_none(GroupSession, session_id)
    if session is None or not board.has_workspace(session) or not can_use_workspace(current_user, session):
        abort(404)
    return session


def _workspace_or_404(session: GroupSession) -> Workspace:
    workspace = board.workspace_of(session)
    if workspace is None:
        abort(404)
    return workspace


@bp.get("/sessions/<int:session_id>/workspace")
@login_required
def page(session_id: int):
    session = _session_or_404(session_id)
    workspace = board.ensure_workspace(current_user, session)
    config = {
        "room": room_name(board.ROOM_KIND, workspace.id),
        "workspaceId": workspace.id,
        "access": "edit",
        "user": {"id": current_user.id, "name": current_user.name, "color": colour_for(current_user.id)},
        "snapshotUrl": url_for("workspace.upload_snapshot", session_id=session.id),
    }
    return render_template("workspace/page.html", session=session, workspace=workspace,
                           body=board.text_html(workspace), config=config)


@bp.post("/sessions/<int:session_id>/workspace/snapshots")
@login_required
def upload_snapshot(session_id: int):
    session = _session_or_404(session_id)
    workspace = _workspace_or_404(session)
    upload = flask_request.files.get("image")
    if upload is None:
        return jsonify(message="No snapshot was sent."), 400
    limit = snapshots.limit()
    data = upload.stream.read(limit + 1)
    try:
        snapshot = snapshots.store_snapshot(workspace, data, current_user.id)
    except ImageRejected as exc:
        return jsonify(message=str(exc)), 413 if len(data) > limit else 400
    return jsonify(id=snapshot.id, url=url_for("workspace.snapshot", session_id=session.id,
                                               snapshot_id=snapshot.id)), 201


@bp.get("/sessions/<int:session_id>/workspace/snapshots/<int:snapshot_id>")
@login_required
def snapshot(session_id: int, snapshot_id: int):
    session = _session_or_404(session_id)
    workspace = _workspace_or_404(session)
    stored = child_or_404(BoardSnapshot, snapshot_id, workspace_id=workspace.id)
    path = snapshots.folder() / stored.filename
    if not path.is_file():
        abort(404)
    return Response(path.read_bytes(), mimetype=stored.content_type)


@bp.get("/sessions/<int:session_id>/workspace/snapshots/<int:snapshot_id>.pdf")
@login_required
def snapshot_pdf(session_id: int, snapshot_id: int):
    """The snapshot as a one-page PDF (for the session's record, to print or file)."""
    session = _session_or_404(session_id)
    workspace = _workspace_or_404(session)
    stored = child_or_404(BoardSnapshot, snapshot_id, workspace_id=workspace.id)
    path = snapshots.folder() / stored.filename
    if not path.is_file():
        abort(404)
    filename = f"board-{stored.taken_at:%Y-%m-%d-%H%M}.pdf"
    return Response(snapshots.as_pdf(path.read_bytes(), f"{session.title}: the board"), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


def _workspace_panel(session: GroupSession) -> dict:
    """For the session page: whether to show the workspace panel, and its snapshots."""
    if not board.has_workspace(session) or not can_use_workspace(current_user, session):
        return {"show": False}
    workspace = board.workspace_of(session)
    return {"show": True, "workspace": workspace, "snapshots": list(workspace.snapshots) if workspace else []}


bp.add_app_template_global(_workspace_panel, "workspace_panel")
