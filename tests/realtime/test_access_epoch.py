"""The access epoch (collab.realtime.access): a transaction changing a watched model adds one access_change row;
a connection's decision is asked of the database again only when it predates the epoch its process knows."""

from __future__ import annotations

import pytest
from pycrdt import Text
from sqlalchemy import delete, event, func, insert, select

from collab.extensions import db
from collab.plans.models import PlanReadOnly
from collab.realtime import sync
from collab.realtime.access import get_epoch
from collab.realtime.models import AccessChange, DocumentUpdate
from tests.realtime.client import awareness_message


@pytest.fixture
def app_config():
    return {"COLLAB_ACCESS_RECHECK_SECONDS": 3600}


def _changes() -> int:
    count = db.session.scalar(select(func.count()).select_from(AccessChange))
    db.session.commit()
    return count


def _type(text: str):
    def change(doc) -> None:
        t = doc.get("text", type=Text)
        t.insert(len(t), text)
    return change


@pytest.fixture
def resolves(monkeypatch) -> list[str]:
    """The rooms sync resolved (joins and re-checks), in order."""
    calls: list[str] = []
    real = sync.resolve_room

    def counting(user, name):
        calls.append(name)
        return real(user, name)

    monkeypatch.setattr(sync, "resolve_room", counting)
    return calls


def test_a_flush_of_document_updates_only_adds_no_access_change(app, world, plan):
    before = _changes()
    db.session.add(DocumentUpdate(document_id=plan.document_id, data=b"\x00\x00", user_id=world.lead.id))
    db.session.flush()
    db.session.add(DocumentUpdate(document_id=plan.document_id, data=b"\x00\x00", user_id=world.lead.id))
    db.session.commit()
    assert _changes() == before


def test_making_a_member_read_only_adds_one_access_change_and_advances_this_process_at_once(app, world, plan):
    before = _changes()
    db.session.add(PlanReadOnly(plan_id=plan.id, user_id=world.advocate.id))
    db.session.flush()
    db.session.add(PlanReadOnly(plan_id=plan.id, user_id=world.colleague.id))
    db.session.commit()
    assert _changes() == before + 1  # one per transaction, however many flushes
    latest = db.session.scalar(select(func.max(AccessChange.id)))
    db.session.commit()
    assert get_epoch().value == latest  # no read of the database needed on this process

    db.session.execute(delete(PlanReadOnly).where(PlanReadOnly.plan_id == plan.id))  # a bulk delete counts too
    db.session.commit()
    assert _changes() == before + 2


def test_a_rolled_back_change_adds_nothing(app, world, plan):
    before = _changes()
    db.session.add(PlanReadOnly(plan_id=plan.id, user_id=world.advocate.id))
    db.session.flush()
    db.session.rollback()
    db.session.add(DocumentUpdate(document_id=plan.document_id, data=b"\x00\x00", user_id=world.lead.id))
    db.session.commit()
    assert _changes() == before


def test_a_current_decision_is_trusted_without_a_query(app, world, plan, room, peer, resolves):
    member = peer(world.advocate, room)
    assert member.join() == {"ok": True, "access": "edit"}
    assert resolves == [room]
    queries: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        queries.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        for n in range(5):
            assert member.edit(_type(f"[{n}]")) == {"ok": True}
            assert member.emit("doc:awareness", room, awareness_message(7, n + 1, {"user": {"name": "A"}}))["ok"]
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert resolves == [room]  # never re-resolved
    assert queries == []  # not even the epoch: it was read less than COLLAB_ACCESS_RECHECK_SECONDS ago


def test_reading_the_epoch_every_time_still_resolves_only_on_a_change(app, world, plan, room, peer, resolves):
    app.config["COLLAB_ACCESS_RECHECK_SECONDS"] = 0
    member = peer(world.advocate, room)
    member.join()
    for n in range(3):
        assert member.edit(_type(f"[{n}]")) == {"ok": True}
    assert resolves == [room]


def test_a_decision_older_than_a_change_made_elsewhere_is_checked_again_and_refused(
        app, world, plan, room, peer, resolves):
    member = peer(world.advocate, room)
    member.join()
    assert member.edit(_type("before")) == {"ok": True}
    with db.engine.begin() as other_process:  # another process makes the member read-only
        other_process.execute(insert(PlanReadOnly).values(plan_id=plan.id, user_id=world.advocate.id))
        other_process.execute(insert(AccessChange))
    assert member.edit(_type("trusted until this process reads the epoch")) == {"ok": True}
    assert resolves == [room]
    app.config["COLLAB_ACCESS_RECHECK_SECONDS"] = 0  # as if the interval had passed
    assert member.edit(_type("after"))["error"] == "read-only"
    assert resolves == [room, room]
    assert member.edit(_type("again"))["error"] == "read-only"
    assert resolves == [room, room]  # decided at the current epoch: not asked again
