"""Keeping and deleting visit records: a lead deletes them completely; expired ones are purged."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import LargeBinary, String, Text, select

from collab.extensions import Base, db
from collab.observations.models import ObservationRecord, Visit
from collab.observations.retention import deletion
from collab.observations.visits import services
from collab.realtime.doclog import compact
from collab.realtime.models import DocumentSnapshot, DocumentUpdate, SharedDocument
from collab.types import utcnow
from tests.observations.helpers import add_note, make_visit, rate, record_for

MARKERS = ("zebra-crossing-7731", "quokka-evidence-5512", "narwhal-prediction-9043")


def _photo(client, record) -> None:
    out = io.BytesIO()
    Image.new("RGB", (50, 40), (10, 200, 10)).save(out, "PNG")
    response = client.post(f"/records/{record.id}/photos", data={"photo": (io.BytesIO(out.getvalue()), "w.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 201


def _traces(markers) -> list[str]:
    """Every text or binary column of every table that still holds one of the markers."""
    found = []
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | LargeBinary)]
        for row in db.session.execute(select(*columns)) if columns else []:
            for column, value in zip(columns, row, strict=True):
                blob = value if isinstance(value, bytes) else str(value or "").encode()
                found += [f"{table.name}.{column.name}" for m in markers if m.encode() in blob]
    db.session.commit()
    return found


@pytest.fixture
def full_visit(client, world, login_as):
    from collab.plans.services import create_plan

    plan = create_plan(world.lead, world.group, "Plan that stays")
    visit = make_visit(world, plan=plan, pupils=(MARKERS[2],))
    a, c = record_for(visit, world.advocate), record_for(visit, world.colleague)
    add_note(a, f"Pupil A {MARKERS[0]}")
    rate(c, "fluency-1", "seen", MARKERS[1])
    compact(a.document_id)  # one record as a snapshot, the other as an update log
    login_as(world.advocate)
    _photo(client, a)
    return visit


def test_deleting_a_visits_records_leaves_no_trace_in_any_table_or_upload_folder(app, world, full_visit):
    folder = Path(app.config["COLLAB_UPLOAD_DIR"]) / "observations" / str(full_visit.id)
    assert _traces(MARKERS) and any(folder.iterdir())
    document_ids = [r.document_id for r in full_visit.records]
    deletion.delete_visit_records(world.lead, full_visit)
    assert _traces(MARKERS) == []
    assert not folder.exists()
    for model in (DocumentUpdate, DocumentSnapshot):
        assert db.session.scalars(select(model).where(model.document_id.in_(document_ids))).all() == []
    assert db.session.scalars(select(SharedDocument).where(SharedDocument.id.in_(document_ids))).all() == []
    assert db.session.scalars(select(ObservationRecord)).all() == []
    assert db.session.get(Visit, full_visit.id).records_deleted_at is not None


def test_delete_hooks_run_inside_the_deletion(world, full_visit):
    seen = []
    with deletion.visit_deleting.connected_to(lambda visit: seen.append(visit.id)):
        deletion.delete_visit_records(world.lead, full_visit)
    assert seen == [full_visit.id]


def test_a_failing_hook_deletes_nothing(world, full_visit):
    def broken(visit):
        raise RuntimeError("discussion rows could not be deleted")

    with deletion.visit_deleting.connected_to(broken), pytest.raises(RuntimeError):
        deletion.delete_visit_records(world.lead, full_visit)
    assert _traces(MARKERS)


def test_only_a_lead_deletes_a_visits_records(client, world, full_visit, login_as):
    login_as(world.advocate)
    assert client.post(f"/visits/{full_visit.id}/records/delete", data={"confirm": "delete"}).status_code == 403
    assert _traces(MARKERS)


def test_the_lead_deletes_the_records_from_the_page(client, world, full_visit, login_as):
    login_as(world.lead)
    assert client.post(f"/visits/{full_visit.id}/records/delete", data={"confirm": "delete"}).status_code == 302
    assert _traces(MARKERS) == []


def test_a_lead_sets_how_long_records_are_kept(client, world, visit, login_as):
    login_as(world.lead)
    client.post(f"/visits/{visit.id}/records", data={"retention_months": "6"})
    db.session.refresh(visit)
    assert visit.retention_months == 6


def test_purge_expired_deletes_only_records_past_their_retention(runner, world):
    old = make_visit(world)
    fresh = make_visit(world)
    add_note(record_for(old, world.advocate), f"old {MARKERS[0]}")
    add_note(record_for(fresh, world.advocate), f"fresh {MARKERS[1]}")
    old.session.ends_at = utcnow() - timedelta(days=400)
    services.set_retention(world.lead, old, 12)
    services.set_retention(world.lead, fresh, 12)
    result = runner.invoke(args=["collab", "purge-expired"])
    assert "Deleted the records of 1 visit(s)." in result.output
    assert _traces([MARKERS[0]]) == [] and _traces([MARKERS[1]])


def test_add_months_keeps_the_end_of_a_short_month(app):
    from datetime import UTC, datetime

    assert deletion.add_months(datetime(2025, 1, 31, tzinfo=UTC), 1) == datetime(2025, 2, 28, tzinfo=UTC)
