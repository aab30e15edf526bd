"""The workspace of an "exploring maths together" session: who may open it (404 outside the Work Group), its room on
the real-time layer, board updates that last (and malformed board elements refused, nothing stored), and board
snapshots (PNG only, within the size limit; each also as a PDF)."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from PIL import Image
from pycrdt import Doc, XmlElement, XmlFragment

from collab.extensions import db
from collab.realtime.models import DocumentUpdate
from collab.realtime.store import get_store
from collab.realtime.yupdates import sync_update
from collab.sessions.models import SessionKind
from collab.workspace import board
from collab.workspace.models import BoardSnapshot
from tests import factories


@pytest.fixture
def exploring(world):
    return factories.session(world.group, kind=SessionKind.EXPLORING, starts_in=timedelta(days=3),
                             title="Exploring maths together: ratio", attendees=[world.lead, world.advocate])


@pytest.fixture
def workspace(world, exploring):
    return board.ensure_workspace(world.lead, exploring)


def _png(size=(60, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (255, 255, 255)).save(out, "PNG")
    return out.getvalue()


def _upload(client, session, data: bytes):
    return client.post(f"/sessions/{session.id}/workspace/snapshots", data={"image": (io.BytesIO(data), "b.png")},
                       content_type="multipart/form-data")


def test_a_member_opens_the_workspace_with_the_task_headings(client, world, exploring, login_as):
    login_as(world.colleague)
    response = client.get(f"/sessions/{exploring.id}/workspace")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The task" in page and "What we noticed" in page and "dist/workspace.js" in page
    assert "dist/plan-editor.js" not in page
    assert "Open the workspace" in client.get(f"/sessions/{exploring.id}").get_data(as_text=True)


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_people_outside_the_group_get_not_found(client, world, exploring, workspace, login_as, who):
    login_as(getattr(world, who))
    assert client.get(f"/sessions/{exploring.id}/workspace").status_code == 404
    assert _upload(client, exploring, _png()).status_code == 404


def test_other_kinds_of_session_have_no_workspace(client, world, login_as):
    visit = factories.session(world.group)
    login_as(world.lead)
    assert client.get(f"/sessions/{visit.id}/workspace").status_code == 404
    assert "Open the workspace" not in client.get(f"/sessions/{visit.id}").get_data(as_text=True)


def test_a_member_joins_the_room_to_edit(world, workspace, connect):
    answer = connect(world.colleague).emit("doc:join", f"workspace:{workspace.id}", callback=True)
    assert answer["ok"] and answer["access"] == "edit"


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_the_room_refuses_people_outside_the_group_as_not_found(world, workspace, connect, who):
    answer = connect(getattr(world, who)).emit("doc:join", f"workspace:{workspace.id}", callback=True)
    assert answer["ok"] is False and answer["error"] == "not-found"


def _logged_board(document_id: int) -> list[dict]:
    logged = db.session.query(DocumentUpdate).filter_by(document_id=document_id).all()
    rebuilt = Doc()
    for row in logged:
        rebuilt.apply_update(row.data)
    return board.board_elements(rebuilt.get_update())


def test_drawn_elements_are_acknowledged_and_last(app, world, workspace, connect):
    socket = connect(world.advocate)
    room = f"workspace:{workspace.id}"
    assert socket.emit("doc:join", room, callback=True)["ok"]
    doc = Doc()
    doc.apply_update(get_store().full_state(workspace.document_id))
    before = doc.get_state()
    whiteboard = doc.get(board.BOARD, type=XmlFragment)
    # An honest long stroke: 250 points (the page thins a longer one to fit the 5,000-character value limit).
    points = [[round(i * 1.37, 2), round((i * 7) % 800 / 3, 2)] for i in range(250)]
    with doc.transaction():
        board.add_element(whiteboard, board.element("freedraw", 10, 10, 0, points=points))
        board.add_element(whiteboard, board.element("text", 100, 80, 1, text="£0.70 a pen"))
    update = doc.get_update(before)
    assert len(update) < app.config["COLLAB_MAX_MESSAGE_BYTES"] // 10
    assert socket.emit("doc:sync", room, sync_update(update), callback=True)["ok"]
    stored = _logged_board(workspace.document_id)
    assert [e["type"] for e in stored] == ["freedraw", "text"]
    assert stored[1]["text"] == "£0.70 a pen"

    # Moved: the same element with a higher version; the board shows the move, still one element.
    before = doc.get_state()
    moved = dict(stored[1], x=300, version=2)
    whiteboard.children[1].attributes["json"] = json.dumps(moved)
    assert socket.emit("doc:sync", room, sync_update(doc.get_update(before)), callback=True)["ok"]
    assert [(e["type"], e["x"]) for e in _logged_board(workspace.document_id)] == [("freedraw", 10), ("text", 300)]


@pytest.mark.parametrize("bad", [
    {"type": "embeddable", "link": "https://example.org"},
    {"type": "iframe"},
    {"type": "image", "fileId": "abc"},
    {"link": "javascript:alert(1)"},
    {"link": "data:text/html,<script>alert(1)</script>"},
    {"onclick": "alert(1)"},
    {"text": "x" * 2000},
    {"x": "1e309"},
])
def test_a_malformed_element_is_refused_and_nothing_is_stored(world, workspace, connect, bad):
    socket = connect(world.advocate)
    room = f"workspace:{workspace.id}"
    assert socket.emit("doc:join", room, callback=True)["ok"]
    doc = Doc()
    doc.apply_update(get_store().full_state(workspace.document_id))
    before_rows = db.session.query(DocumentUpdate).filter_by(document_id=workspace.document_id).count()
    before = doc.get_state()
    made = dict(board.element("text", 10, 10, 0, text="fine"), **bad)
    with doc.transaction():
        doc.get(board.BOARD, type=XmlFragment).children.append(
            XmlElement("boardElement", {"json": json.dumps(made)}))
    answer = socket.emit("doc:sync", room, sync_update(doc.get_update(before)), callback=True)
    assert answer["ok"] is False and "boardElement" in answer.get("message", str(answer)), answer
    assert db.session.query(DocumentUpdate).filter_by(document_id=workspace.document_id).count() == before_rows
    assert board.board_elements(get_store().full_state(workspace.document_id)) == []


def test_a_snapshot_is_stored_and_listed_on_the_session_page(client, world, exploring, workspace, login_as):
    login_as(world.advocate)
    response = _upload(client, exploring, _png())
    assert response.status_code == 201
    shot = db.session.get(BoardSnapshot, response.get_json()["id"])
    assert shot.content_type == "image/png" and shot.taken_by_id == world.advocate.id
    image = client.get(response.get_json()["url"])
    assert image.status_code == 200 and image.mimetype == "image/png"
    pdf = client.get(response.get_json()["url"] + ".pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    with Image.open(io.BytesIO(image.data)) as png:
        assert png.size == (60, 40)
    assert "Board snapshots" in client.get(f"/sessions/{exploring.id}").get_data(as_text=True)
    page = client.get(f"/sessions/{exploring.id}").get_data(as_text=True)
    assert "Board at" in page and f"/snapshots/{shot.id}.pdf" in page


def test_a_snapshot_must_be_a_png_within_the_limit(app, client, world, exploring, workspace, login_as):
    login_as(world.advocate)
    assert _upload(client, exploring, b"<svg onload=alert(1)>").status_code == 400
    jpeg = io.BytesIO()
    Image.new("RGB", (20, 20)).save(jpeg, "JPEG")
    assert _upload(client, exploring, jpeg.getvalue()).status_code == 400
    old = app.config["COLLAB_MAX_IMAGE_BYTES"]
    app.config["COLLAB_MAX_IMAGE_BYTES"] = 100
    try:
        assert _upload(client, exploring, _png((400, 400)) + b"\0" * 200).status_code == 413
    finally:
        app.config["COLLAB_MAX_IMAGE_BYTES"] = old
    assert db.session.query(BoardSnapshot).count() == 0


def test_another_groups_snapshot_is_not_found(client, world, exploring, workspace, login_as):
    login_as(world.advocate)
    shot_id = _upload(client, exploring, _png()).get_json()["id"]
    other = factories.session(world.group, kind=SessionKind.EXPLORING, title="Another")
    board.ensure_workspace(world.lead, other)
    assert client.get(f"/sessions/{other.id}/workspace/snapshots/{shot_id}").status_code == 404
    assert client.get(f"/sessions/{other.id}/workspace/snapshots/{shot_id}.pdf").status_code == 404


def test_the_demo_has_a_board_in_progress(app):
    from collab.demo.load import load_demo
    from collab.sessions.models import GroupSession

    assert load_demo()
    session = db.session.query(GroupSession).filter_by(kind=SessionKind.EXPLORING).one()
    workspace = board.workspace_of(session)
    drawn = board.board_elements(board.state(workspace))
    assert {"line", "text", "freedraw", "rectangle", "ellipse"} <= {e["type"] for e in drawn}
    assert any(e.get("text") == "4.20 ÷ 6 = 0.70" for e in drawn)
    number_line = [e for e in drawn if (e.get("customData") or {}).get("representation") == "double-number-line"]
    assert len(number_line) > 8 and len({e["groupIds"][0] for e in number_line}) == 1  # one drawing, grouped
    assert {"Pens", "30", "21.00"} <= {e.get("text") for e in number_line}
    html = board.text_html(workspace)
    assert "Which is the better buy" in html and "4.20" in html and "What we noticed" in html
