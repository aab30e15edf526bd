"""Photos of pupils' work: checked by their bytes, EXIF and location stripped, thumbnailed, served to readers only."""

from __future__ import annotations

import io
from pathlib import Path
from unittest.mock import patch

from PIL import Image

from collab.observations.models import ObservationPhoto
from collab.observations.visits import lesson_clock
from tests.observations.helpers import record_for


def _jpeg_with_gps(size=(1200, 900)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "TabletMaker"
    exif[0x8825] = {1: "N", 2: (53.0, 48.0, 0.0), 3: "W", 4: (1.0, 33.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _upload(client, record, data: bytes, name: str = "work.jpg"):
    return client.post(f"/records/{record.id}/photos", data={"photo": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_a_photo_loses_its_exif_and_location(app, client, world, visit, login_as):
    record = record_for(visit, world.advocate)
    login_as(world.advocate)
    response = _upload(client, record, _jpeg_with_gps())
    assert response.status_code == 201
    served = client.get(response.json["url"])
    cleaned = Image.open(io.BytesIO(served.data))
    assert not cleaned.getexif() and b"TabletMaker" not in served.data
    photo = ObservationPhoto.query.one()
    folder = Path(app.config["COLLAB_UPLOAD_DIR"]) / "observations" / str(visit.id)
    assert (folder / photo.filename).read_bytes() == served.data


def test_a_thumbnail_is_made(client, world, visit, login_as):
    login_as(world.advocate)
    response = _upload(client, record_for(visit, world.advocate), _jpeg_with_gps())
    thumb = client.get(response.json["thumb"])
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert max(Image.open(io.BytesIO(thumb.data)).size) <= 320


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(client, world, visit, login_as):
    login_as(world.advocate)
    response = _upload(client, record_for(visit, world.advocate), b"%PDF-1.4 not a photo", "work.jpg")
    assert response.status_code == 400 and ObservationPhoto.query.count() == 0


def test_a_photo_over_the_size_limit_is_refused(app, client, world, visit, login_as):
    app.config["COLLAB_MAX_PHOTO_BYTES"] = 1000
    login_as(world.advocate)
    assert _upload(client, record_for(visit, world.advocate), _jpeg_with_gps()).status_code == 413


def test_only_the_observer_adds_photos_to_their_record(client, world, visit, login_as):
    lesson_clock.end_lesson(world.lead, visit)  # the colleague may now read the advocate's record
    login_as(world.colleague)
    assert _upload(client, record_for(visit, world.advocate), _jpeg_with_gps()).status_code == 403


def test_adding_a_photo_to_a_record_the_member_may_not_read_is_404(client, world, visit, login_as):
    login_as(world.colleague)
    assert _upload(client, record_for(visit, world.advocate), _jpeg_with_gps()).status_code == 404


def test_a_photo_is_hidden_from_members_who_may_not_read_the_record(client, world, visit, login_as):
    login_as(world.advocate)
    url = _upload(client, record_for(visit, world.advocate), _jpeg_with_gps()).json["url"]
    login_as(world.colleague)
    assert client.get(url).status_code == 404
    lesson_clock.end_lesson(world.lead, visit)
    assert client.get(url).status_code == 200
    login_as(world.outsider)
    assert client.get(url).status_code == 404


def _files(app, visit) -> set[str]:
    folder = Path(app.config["COLLAB_UPLOAD_DIR"]) / "observations" / str(visit.id)
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def _upload_as(client, record, client_id: str, data: bytes | None = None):
    return client.post(f"/records/{record.id}/photos",
                       data={"photo": (io.BytesIO(data or _jpeg_with_gps()), "work.jpg"), "client_id": client_id},
                       content_type="multipart/form-data")


def test_uploading_a_queued_photo_again_returns_the_same_photo_and_makes_no_second(app, client, world, visit,
                                                                                  login_as):
    record = record_for(visit, world.advocate)
    login_as(world.advocate)
    first = _upload_as(client, record, "5f0c7a52-3d1e-4c7b-9a51-0e6f2b8d9c11")
    files = _files(app, visit)
    again = _upload_as(client, record, "5f0c7a52-3d1e-4c7b-9a51-0e6f2b8d9c11")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"] and again.json["client_id"] == "5f0c7a52-3d1e-4c7b-9a51-0e6f2b8d9c11"
    assert ObservationPhoto.query.count() == 1
    assert _files(app, visit) == files  # nothing written again


def test_two_photos_with_their_own_ids_are_two_photos(client, world, visit, login_as):
    record = record_for(visit, world.advocate)
    login_as(world.advocate)
    assert _upload_as(client, record, "photo-one-1234").status_code == 201
    assert _upload_as(client, record, "photo-two-1234").status_code == 201
    assert ObservationPhoto.query.count() == 2


def test_a_retried_upload_still_has_its_exif_and_location_stripped(client, world, visit, login_as):
    login_as(world.advocate)
    response = _upload_as(client, record_for(visit, world.advocate), "a-queued-photo-1")
    served = client.get(response.json["url"])
    assert not Image.open(io.BytesIO(served.data)).getexif() and b"TabletMaker" not in served.data


def test_an_id_the_app_does_not_make_is_refused(client, world, visit, login_as):
    login_as(world.advocate)
    response = _upload_as(client, record_for(visit, world.advocate), "../../etc/passwd")
    assert response.status_code == 400 and ObservationPhoto.query.count() == 0


def test_two_uploads_of_one_photo_at_once_keep_one(app, world, visit):
    from collab.observations.photos.storage import store_photo

    record = record_for(visit, world.advocate)
    first = store_photo(record, _jpeg_with_gps(), "same-photo-1234")
    files = _files(app, visit)
    # The second upload passed its check before the first was stored: the unique constraint decides.
    with patch("collab.observations.photos.storage.photo_by_client_id", side_effect=[None, first]):
        second = store_photo(record, _jpeg_with_gps(), "same-photo-1234")
    assert second.id == first.id and ObservationPhoto.query.count() == 1
    assert _files(app, visit) == files  # the second upload's files were removed
