"""The access epoch (collab.realtime.access): a transaction announcing a change of access adds one access_change row
per room or person it names; a connection's decision is asked of the database again only when a change its process
knows of, newer than the decision, names its room or person (or everything)."""

from __future__ import annotations

import threading

import pytest
from pycrdt import Text
from sqlalchemy import delete, event, func, insert, select

from collab.extensions import db
from collab.plans.models import PlanReadOnly
from collab.realtime import sync
from collab.realtime.access import announce_access_change, get_epoch
from collab.realtime.models import AccessChange, DocumentUpdate
from collab.realtime.rooms import room_name
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
    announce_access_change(rooms=[room_name("plan", plan.id)])
    db.session.flush()
    db.session.add(PlanReadOnly(plan_id=plan.id, user_id=world.colleague.id))
    announce_access_change(rooms=[room_name("plan", plan.id)])
    db.session.commit()
    assert _changes() == before + 1  # one per transaction, however many flushes
    latest = db.session.scalar(select(func.max(AccessChange.id)))
    db.session.commit()
    assert get_epoch().value == latest  # no read of the database needed on this process

    db.session.execute(delete(PlanReadOnly).where(PlanReadOnly.plan_id == plan.id))  # a bulk delete counts too
    announce_access_change(rooms=[room_name("plan", plan.id)])
    db.session.commit()
    assert _changes() == before + 2


def test_a_rolled_back_change_adds_nothing(app, world, plan):
    before = _changes()
    db.session.add(PlanReadOnly(plan_id=plan.id, user_id=world.advocate.id))
    announce_access_change(rooms=[room_name("plan", plan.id)])
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
    handling = threading.get_ident()  # the test client runs the handlers here

    def note(_conn, _cursor, statement, *_args) -> None:
        # Only the handlers' queries: the app's background sweeps (sign-ins revoked, every 0.5 s) may run
        # meanwhile on a slow machine, and are no part of the decision.
        if threading.get_ident() == handling:
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


def _announced_elsewhere(**scope) -> None:
    """What another process's announcement leaves in the database: one access_change row naming `scope`."""
    with db.engine.begin() as other_process:
        other_process.execute(insert(AccessChange).values(**scope))


def test_a_change_announced_for_another_room_is_not_checked_against(app, world, plan, room, peer, resolves):
    member = peer(world.advocate, room)
    member.join()
    app.config["COLLAB_ACCESS_RECHECK_SECONDS"] = 0
    _announced_elsewhere(room_kind="plan", object_id=plan.id + 1)
    _announced_elsewhere(room_kind="observation", object_id=plan.id)
    assert member.edit(_type("x")) == {"ok": True}
    assert resolves == [room]


def test_a_change_announced_for_the_room_checks_it_again(app, world, plan, room, peer, resolves):
    member = peer(world.advocate, room)
    member.join()
    app.config["COLLAB_ACCESS_RECHECK_SECONDS"] = 0
    with db.engine.begin() as other_process:
        other_process.execute(insert(PlanReadOnly).values(plan_id=plan.id, user_id=world.advocate.id))
    _announced_elsewhere(room_kind="plan", object_id=plan.id)
    assert member.edit(_type("x"))["error"] == "read-only"
    assert resolves == [room, room]


def test_a_change_announced_for_the_person_checks_their_rooms_again_and_nobody_elses(
        app, world, plan, room, peer, resolves):
    member, lead = peer(world.advocate, room), peer(world.lead, room)
    member.join()
    lead.join()
    app.config["COLLAB_ACCESS_RECHECK_SECONDS"] = 0
    _announced_elsewhere(user_id=world.advocate.id)
    assert lead.edit(_type("lead ")) == {"ok": True}
    assert resolves == [room, room]  # the two joins
    assert member.edit(_type("member")) == {"ok": True}
    assert resolves == [room, room, room]


def test_announcing_adds_one_row_per_room_or_person_named(app, world, plan):
    before = _changes()
    announce_access_change(rooms=[room_name("plan", plan.id), room_name("plan", plan.id)],
                           users=[world.advocate.id, world.lead.id, None])
    db.session.commit()
    rows = db.session.execute(select(AccessChange.room_kind, AccessChange.object_id, AccessChange.user_id)
                              .order_by(AccessChange.id).offset(before)).all()
    db.session.commit()
    assert sorted(rows, key=repr) == sorted([("plan", plan.id, None), (None, None, world.advocate.id),
                                             (None, None, world.lead.id)], key=repr)
    assert get_epoch().rooms[room_name("plan", plan.id)] == get_epoch().value


def test_a_room_name_that_is_not_one_is_a_mistake_of_the_caller(app):
    with pytest.raises(ValueError):
        announce_access_change(rooms=["plan-12"])


def test_past_the_rooms_it_remembers_a_process_asks_every_older_decision_again_once(monkeypatch):
    from collab.realtime import access

    monkeypatch.setattr(access, "MAX_REMEMBERED", 2)
    epoch = access.AccessEpoch()
    epoch.learn([(n, access.Scope("plan", n)) for n in range(1, 4)])
    assert (epoch.rooms, epoch.everything, epoch.value) == ({}, 3, 3)
    assert epoch.changed_since(2, "plan:99", 1)
    assert not epoch.changed_since(3, "plan:99", 1)
