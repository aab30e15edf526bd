"""Pruning the access_change log (collab.realtime.access.prune): rows older than COLLAB_ACCESS_CHANGE_KEEP_MINUTES
go (but the newest), newer ones stay, and no process misses a change because of it."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from pycrdt import Text
from sqlalchemy import func, insert, select

from collab.extensions import db
from collab.plans.models import PlanReadOnly
from collab.realtime import access
from collab.realtime.access import get_epoch, prune, prune_if_due
from collab.realtime.models import AccessChange
from collab.types import utcnow

KEEP_MINUTES = 60


@pytest.fixture
def app_config():
    return {"COLLAB_ACCESS_RECHECK_SECONDS": 0, "COLLAB_ACCESS_CHANGE_KEEP_MINUTES": KEEP_MINUTES}


def _added_elsewhere(minutes_ago: float, **scope) -> int:
    """An access_change row another process added `minutes_ago`; its id."""
    with db.engine.begin() as other_process:
        result = other_process.execute(insert(AccessChange).values(
            at=utcnow() - timedelta(minutes=minutes_ago), **scope))
        return int(result.inserted_primary_key[0])


def _ids() -> list[int]:
    ids = list(db.session.scalars(select(AccessChange.id).order_by(AccessChange.id)))
    db.session.commit()
    return ids


def _type(text: str):
    def change(doc) -> None:
        t = doc.get("text", type=Text)
        t.insert(len(t), text)
    return change


def test_rows_older_than_the_retention_are_pruned_and_newer_ones_kept(app):
    old = [_added_elsewhere(KEEP_MINUTES + 30) for _ in range(3)]
    recent = [_added_elsewhere(KEEP_MINUTES - 5), _added_elsewhere(0)]
    assert set(old) | set(recent) == set(_ids())
    assert prune() == 3
    assert _ids() == recent


def test_pruning_goes_in_bounded_batches_oldest_first(app, monkeypatch):
    monkeypatch.setattr(access, "PRUNE_BATCH", 2)
    old = [_added_elsewhere(KEEP_MINUTES * 3 - n) for n in range(6)]
    assert prune(max_batches=2) == 4
    assert _ids() == old[4:]
    assert prune() == 1
    assert _ids() == old[5:]


def test_the_newest_row_is_kept_however_old_so_no_id_is_used_twice(app):
    old = [_added_elsewhere(KEEP_MINUTES * 2) for _ in range(2)]
    assert prune() == 1
    assert _ids() == old[1:]
    assert _added_elsewhere(0) > old[1]


def test_the_command_prunes_the_log(app, runner):
    _added_elsewhere(KEEP_MINUTES * 2)
    _added_elsewhere(KEEP_MINUTES * 2)
    kept = _added_elsewhere(1)
    result = runner.invoke(args=["collab", "prune-access-changes"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 access change(s)." in result.output
    assert _ids() == [kept]


def test_a_process_prunes_at_most_every_few_minutes(app):
    _added_elsewhere(KEEP_MINUTES * 2)
    _added_elsewhere(KEEP_MINUTES * 2)
    assert prune_if_due(app) == 1  # all but the newest
    _added_elsewhere(KEEP_MINUTES * 2)
    assert prune_if_due(app) == 0  # the sweeper calls it every half second: it waits PRUNE_EVERY_SECONDS
    get_epoch(app).pruned_at -= access.PRUNE_EVERY_SECONDS
    assert prune_if_due(app) == 1


def test_a_process_that_read_the_log_sees_changes_made_after_a_prune(app, world, plan, room, peer):
    member = peer(world.advocate, room)
    member.join()
    _added_elsewhere(KEEP_MINUTES * 2, room_kind="plan", object_id=plan.id)
    _added_elsewhere(KEEP_MINUTES * 2, room_kind="plan", object_id=plan.id + 1)
    assert member.edit(_type("before")) == {"ok": True}  # the process read the log, up to those rows
    assert prune() == 1
    with db.engine.begin() as other_process:  # then another process makes the member read-only
        other_process.execute(insert(PlanReadOnly).values(plan_id=plan.id, user_id=world.advocate.id))
    _added_elsewhere(0, room_kind="plan", object_id=plan.id)
    assert member.edit(_type("after"))["error"] == "read-only"


def test_a_process_silent_for_half_the_retention_asks_every_decision_again(app, world, plan, room, peer):
    member = peer(world.advocate, room)
    member.join()
    assert member.edit(_type("before")) == {"ok": True}
    get_epoch(app).read_at = time.monotonic() - KEEP_MINUTES * 60 / 2  # its last read, half an hour ago
    # Meanwhile another process made the member read-only, and its row was pruned before this one read again.
    with db.engine.begin() as other_process:
        other_process.execute(insert(PlanReadOnly).values(plan_id=plan.id, user_id=world.advocate.id))
    _added_elsewhere(KEEP_MINUTES * 2, room_kind="plan", object_id=plan.id)
    _added_elsewhere(0, room_kind="plan", object_id=plan.id + 1)  # a later change of another room is still there
    assert prune() == 1
    assert member.edit(_type("after"))["error"] == "read-only"


def test_pruning_an_empty_log_deletes_nothing(app):
    assert prune() == 0
    assert db.session.scalar(select(func.count()).select_from(AccessChange)) == 0
    db.session.commit()


def test_a_process_with_connections_prunes_the_log_as_it_sweeps_their_sign_ins(app, world, plan, room, peer):
    old = _added_elsewhere(KEEP_MINUTES * 2)
    newest = _added_elsewhere(KEEP_MINUTES * 2)
    peer(world.advocate, room).join()  # the first connection starts the process's sweeper
    deadline = time.monotonic() + 10
    while _ids() != [newest] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert old not in _ids()
