"""Fixtures for the real-time tests: a plan in the world's Work Group, and signed-in socket peers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from collab.extensions import db, socketio
from collab.plans.models import PlanReadOnly
from collab.plans.services import create_plan
from collab.realtime.models import DocumentSnapshot, DocumentUpdate
from tests.realtime.client import TestPeer


def sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def plan(world):
    return create_plan(world.lead, world.group, "Year 8 ratio: sharing in a ratio", year_group="Year 8",
                       key_stage="KS3", topic="Ratio")


@pytest.fixture
def room(plan) -> str:
    return f"plan:{plan.id}"


@pytest.fixture
def read_only_colleague(world, plan):
    db.session.add(PlanReadOnly(plan_id=plan.id, user_id=world.colleague.id))
    db.session.commit()
    return world.colleague


@pytest.fixture
def peer(app):
    """peer(user, room) -> a connected TestPeer (user None: anonymous)."""
    made: list[TestPeer] = []

    def make(user, room: str, connect: bool = True) -> TestPeer:
        client = app.test_client()
        if user is not None:
            sign_in(client, user)
        p = TestPeer(app, socketio, client, room)
        if connect:
            p.connect()
        made.append(p)
        return p

    yield make
    for p in made:
        p.disconnect()


def stored_bytes() -> list[tuple]:
    """Every stored update and snapshot, to prove a refused message changed nothing."""
    updates = db.session.execute(select(DocumentUpdate.id, DocumentUpdate.document_id, DocumentUpdate.data)
                                 .order_by(DocumentUpdate.id)).all()
    snapshots = db.session.execute(select(DocumentSnapshot.id, DocumentSnapshot.data)
                                   .order_by(DocumentSnapshot.id)).all()
    db.session.commit()
    return [tuple(r) for r in updates] + [("snapshot", *tuple(r)) for r in snapshots]
