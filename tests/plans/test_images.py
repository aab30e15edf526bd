"""Images in plans: only real PNG/JPEG/GIF/WebP, within the size limit, with EXIF and location removed."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from collab.extensions import db
from collab.plans.models import PlanImage


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (53.0, 48.0, 0.0), 3: "W", 4: (1.0, 33.0, 0.0)}  # GPS info: Leeds
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 255)).save(out, "PNG")
    return out.getvalue()


def _upload(client, plan, data: bytes, name: str = "photo.jpg"):
    return client.post(f"/plans/{plan.id}/images", data={"image": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_an_uploaded_photo_loses_its_exif_and_location(app, client, world, plan, login_as):
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the fixture really carries EXIF
    login_as(world.advocate)
    response = _upload(client, plan, original)
    assert response.status_code == 201
    stored = db.session.scalars(select(PlanImage)).one()
    served = client.get(response.json["url"])
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    cleaned = Image.open(io.BytesIO(served.data))
    assert not cleaned.getexif() and "exif" not in cleaned.info
    assert b"PhoneMaker" not in served.data
    assert (Path(app.config["COLLAB_UPLOAD_DIR"]) / "plans" / stored.filename).read_bytes() == served.data


def test_the_type_comes_from_the_bytes_not_the_name(client, world, plan, login_as):
    login_as(world.advocate)
    response = _upload(client, plan, _png(), name="looks-like.jpg")
    assert response.status_code == 201
    assert db.session.scalars(select(PlanImage)).one().content_type == "image/png"


def test_a_file_that_is_not_an_image_is_refused(client, world, plan, login_as):
    login_as(world.advocate)
    response = _upload(client, plan, b"<svg xmlns='http://www.w3.org/2000/svg'><script>x</script></svg>", "a.png")
    assert response.status_code == 400 and "PNG, JPEG, GIF or WebP" in response.json["message"]
    assert db.session.scalars(select(PlanImage)).all() == []


def test_an_image_format_we_do_not_accept_is_refused(client, world, plan, login_as):
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "BMP")
    login_as(world.advocate)
    assert _upload(client, plan, out.getvalue(), "a.bmp").status_code == 400


def test_an_image_over_the_size_limit_is_refused(app, client, world, plan, login_as):
    app.config["COLLAB_MAX_IMAGE_BYTES"] = 1000
    login_as(world.advocate)
    response = _upload(client, plan, _png() + b"\0" * 2000)
    assert response.status_code == 413 and "too large" in response.json["message"]
    assert db.session.scalars(select(PlanImage)).all() == []


def test_a_read_only_member_cannot_upload(client, plan, read_only_colleague, login_as):
    login_as(read_only_colleague)
    assert _upload(client, plan, _png()).status_code == 403


def test_an_image_is_only_served_under_its_own_plan(client, world, plan, login_as):
    from collab.plans.services import create_plan

    other = create_plan(world.lead, world.group, "Another plan")
    login_as(world.advocate)
    image_id = _upload(client, plan, _png()).json["id"]
    assert client.get(f"/plans/{other.id}/images/{image_id}").status_code == 404
    assert client.get(f"/plans/{plan.id}/images/{image_id}").status_code == 200
