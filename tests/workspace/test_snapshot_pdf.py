"""A board snapshot as a PDF (/sessions/<id>/workspace/snapshots/<id>.pdf, linked beside each PNG in the session's
record): a member gets a one-page PDF holding the picture, on white; people outside the Work Group get "not found"
as for the rest of the workspace; a snapshot that does not exist, or whose file is gone, is not found."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from PIL import Image

from collab.extensions import db
from collab.sessions.models import SessionKind
from collab.workspace import board, snapshots
from collab.workspace.models import BoardSnapshot
from tests import factories

RED = (200, 30, 30)
BLUE = (20, 40, 210)


@pytest.fixture
def exploring(world):
    session = factories.session(world.group, kind=SessionKind.EXPLORING, starts_in=timedelta(days=3),
                                title="Exploring maths together: ratio", attendees=[world.lead, world.advocate])
    board.ensure_workspace(world.lead, session)
    return session


def _board_png() -> bytes:
    """A picture with a left half red, a right half blue, and a transparent strip at the bottom (as Excalidraw
    exports a board without its background)."""
    image = Image.new("RGBA", (120, 80), (0, 0, 0, 0))
    image.paste(RED + (255,), (0, 0, 60, 60))
    image.paste(BLUE + (255,), (60, 0, 120, 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def snapshot_url(client, world, exploring, login_as):
    login_as(world.advocate)
    response = client.post(f"/sessions/{exploring.id}/workspace/snapshots",
                           data={"image": (io.BytesIO(_board_png()), "board.png")}, content_type="multipart/form-data")
    assert response.status_code == 201
    return response.get_json()["url"]


def test_a_member_gets_the_snapshot_as_a_pdf_to_open_or_file(client, world, snapshot_url, login_as):
    login_as(world.lead)  # another member than the one who took it
    response = client.get(snapshot_url + ".pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-") and response.data.rstrip().endswith(b"%%EOF")
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'inline; filename="board-\d{4}-\d\d-\d\d-\d{4}\.pdf"', disposition), disposition


@pytest.mark.skipif(shutil.which("pdfinfo") is None or shutil.which("pdftoppm") is None, reason="needs poppler")
def test_the_pdf_is_one_page_holding_the_board_picture_on_white(client, world, snapshot_url, login_as, tmp_path):
    login_as(world.lead)
    pdf = client.get(snapshot_url + ".pdf").data
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert re.search(r"^Title:\s+Exploring maths together: ratio: the board$", info, re.M)
    # 120 x 80 pixels at 144 dpi: 60 x 40 points.
    assert re.search(r"^Page size:\s+60 x 40 pts", info, re.M), info
    (tmp_path / "board.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "144", "-png", "-singlefile", str(tmp_path / "board.pdf"),
                    str(tmp_path / "page")], check=True, capture_output=True)
    with Image.open(tmp_path / "page.png") as page:
        rgb = page.convert("RGB")
        assert rgb.size == (120, 80)
        assert _near(rgb.getpixel((30, 30)), RED) and _near(rgb.getpixel((90, 30)), BLUE)
        assert _near(rgb.getpixel((60, 75)), (255, 255, 255)), "the transparent part is white on paper"


def _near(pixel, colour) -> bool:
    return all(abs(a - b) <= 8 for a, b in zip(pixel, colour, strict=True))


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_people_outside_the_group_get_not_found(client, world, snapshot_url, login_as, who):
    login_as(getattr(world, who))
    response = client.get(snapshot_url + ".pdf")
    assert response.status_code == 404 and not response.data.startswith(b"%PDF")
    assert client.get(snapshot_url).status_code == 404  # as for the PNG beside it


def test_someone_signed_out_is_sent_to_sign_in(app, world, snapshot_url):
    response = app.test_client().get(snapshot_url + ".pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_snapshot_that_does_not_exist_is_not_found(client, world, exploring, snapshot_url, login_as):
    login_as(world.lead)
    missing = (db.session.query(db.func.max(BoardSnapshot.id)).scalar() or 0) + 1
    assert client.get(f"/sessions/{exploring.id}/workspace/snapshots/{missing}.pdf").status_code == 404


def test_a_snapshot_whose_file_is_gone_is_not_found(client, world, snapshot_url, login_as):
    login_as(world.lead)
    shot = db.session.get(BoardSnapshot, int(snapshot_url.rsplit("/", 1)[1]))
    (snapshots.folder() / shot.filename).unlink()
    assert client.get(snapshot_url + ".pdf").status_code == 404
