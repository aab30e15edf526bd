"""A development plan's history, as lesson plans have it: automatic versions after a pause, the history page,
viewing a version, and restoring one as a new change that keeps what it replaced."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from collab.devplans.models import DevPlanVersion
from collab.devplans.plan import services
from collab.extensions import db
from collab.plans import richtext
from collab.realtime.models import DocumentUpdate
from collab.types import utcnow
from tests.conftest import sign_in
from tests.devplans.helpers import write


def _pause(plan, minutes: int = 3) -> None:
    """As if nobody had typed in the plan for `minutes`."""
    db.session.execute(update(DocumentUpdate).where(DocumentUpdate.document_id == plan.document_id)
                       .values(created_at=utcnow() - timedelta(minutes=minutes)))
    db.session.commit()


def _versions(plan) -> list[DevPlanVersion]:
    return list(db.session.scalars(db.select(DevPlanVersion).where(DevPlanVersion.plan_id == plan.id)
                                   .order_by(DevPlanVersion.id)))


def _text(version: DevPlanVersion) -> str:
    return richtext.to_text(richtext.load(version.state))


def test_no_automatic_version_while_people_are_still_typing(devplan):
    write(devplan, "Fluency in multiplicative reasoning")
    assert services.maybe_auto_version(devplan) is None


def test_an_automatic_version_is_taken_after_a_pause(devplan):
    write(devplan, "Fluency in multiplicative reasoning")
    _pause(devplan)
    version = services.maybe_auto_version(devplan)
    assert version is not None and version.name is None
    assert "Fluency in multiplicative reasoning" in _text(version)
    assert services.maybe_auto_version(devplan) is None  # nothing new since


def test_opening_the_plan_keeps_the_pending_automatic_version(client, world, devplan):
    write(devplan, "Fluency in multiplicative reasoning")
    _pause(devplan)
    sign_in(client, world.colleague)
    assert client.get(f"/devplans/{devplan.id}").status_code == 200
    assert [v.name for v in _versions(devplan)] == [None]


def test_the_history_lists_automatic_and_named_versions_with_who_took_part(client, world, devplan):
    write(devplan, "Fluency in multiplicative reasoning")
    _pause(devplan)
    sign_in(client, world.advocate)
    client.post(f"/devplans/{devplan.id}/history", data={"name": "Before critique"})
    page = client.get(f"/devplans/{devplan.id}/history").get_data(as_text=True)
    assert "Automatic" in page and "Before critique" in page and world.advocate.name in page
    assert [v.name for v in _versions(devplan)] == [None, "Before critique"]


def test_a_colleague_sees_the_history_and_a_version_without_the_restore_button(client, world, devplan):
    write(devplan, "Fluency in multiplicative reasoning")
    version = services.save_version(world.advocate, devplan, "Draft")
    sign_in(client, world.colleague)
    page = client.get(f"/devplans/{devplan.id}/versions/{version.id}").get_data(as_text=True)
    assert "Fluency in multiplicative reasoning" in page and "Restore this version" not in page


def test_restoring_brings_back_the_old_text_and_keeps_the_current_as_a_version(client, world, devplan):
    write(devplan, "Fluency in multiplicative reasoning")
    old = services.save_version(world.advocate, devplan, "Before critique")
    write(devplan, "CHANGED AFTER CRITIQUE ")
    sign_in(client, world.advocate)
    page = client.get(f"/devplans/{devplan.id}/versions/{old.id}").get_data(as_text=True)
    assert "Restore this version" in page
    response = client.post(f"/devplans/{devplan.id}/versions/{old.id}/restore")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/devplans/{devplan.id}")
    now = services.plan_text(devplan)
    assert "Fluency in multiplicative reasoning" in now and "CHANGED AFTER CRITIQUE" not in now
    kept = _versions(devplan)[-1]
    assert kept.name is None and "CHANGED AFTER CRITIQUE" in _text(kept)


def test_a_restore_is_a_new_change_in_the_log(world, devplan):
    write(devplan, "Fluency in multiplicative reasoning")
    old = services.save_version(world.advocate, devplan, "Before critique")
    write(devplan, "CHANGED ")
    before = db.session.scalar(db.select(db.func.count()).select_from(DocumentUpdate)
                               .where(DocumentUpdate.document_id == devplan.document_id))
    services.restore_version(world.advocate, devplan, old)
    rows = db.session.scalars(db.select(DocumentUpdate).where(DocumentUpdate.document_id == devplan.document_id)
                              .order_by(DocumentUpdate.id)).all()
    assert len(rows) == before + 1 and rows[-1].user_id == world.advocate.id


def test_a_restore_reaches_people_in_the_plan_live(app, client, world, devplan):
    from collab.extensions import socketio

    write(devplan, "Fluency in multiplicative reasoning")
    old = services.save_version(world.advocate, devplan, "Before critique")
    write(devplan, "CHANGED ")
    sign_in(client, world.colleague)
    sio = socketio.test_client(app, flask_test_client=client)
    assert sio.emit("doc:join", f"devplan:{devplan.id}", callback=True)["ok"]
    sio.get_received()
    services.restore_version(world.advocate, devplan, old)
    syncs = [m for m in sio.get_received() if m["name"] == "doc:sync"]
    sio.disconnect()
    assert syncs and syncs[-1]["args"][0] == f"devplan:{devplan.id}"


def test_a_colleague_who_may_only_read_cannot_restore(client, world, devplan):
    write(devplan, "Fluency in multiplicative reasoning")
    old = services.save_version(world.advocate, devplan, "Before critique")
    write(devplan, "CHANGED ")
    sign_in(client, world.colleague)
    assert client.post(f"/devplans/{devplan.id}/versions/{old.id}/restore").status_code == 403
    assert "CHANGED" in services.plan_text(devplan)


def test_a_reviewer_from_another_school_cannot_restore(client, world, devplan, open_round, reviewer):
    old = services.save_version(world.advocate, devplan, "Before critique")
    sign_in(client, reviewer)
    assert client.post(f"/devplans/{devplan.id}/versions/{old.id}/restore").status_code == 403


def test_restoring_is_404_outside_the_group(client, world, devplan):
    old = services.save_version(world.advocate, devplan, "Before critique")
    sign_in(client, world.outsider)
    assert client.post(f"/devplans/{devplan.id}/versions/{old.id}/restore").status_code == 404
    assert client.get(f"/devplans/{devplan.id}/history").status_code == 404


def test_restoring_a_version_the_plan_does_not_have_is_404(client, world, devplan):
    sign_in(client, world.advocate)
    assert client.post(f"/devplans/{devplan.id}/versions/999999/restore").status_code == 404
