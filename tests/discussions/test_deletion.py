"""Deleting a visit's records removes its discussion completely; cancelling the session does too."""

from __future__ import annotations

from sqlalchemy import func, select

from collab.discussions import action_services, services
from collab.discussions.models import AgreedAction, DiscussionThread, Post
from collab.extensions import db
from collab.sessions.services import delete_session
from tests import factories
from tests.discussions.conftest import new_id


def _rows() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count(m.id))) for m in (DiscussionThread, Post, AgreedAction))


def _fill(world, session):
    top, _ = services.create_post(world.lead, session, new_id(), "noticed", f"Secret {session.title}")
    services.create_post(world.advocate, session, new_id(), "noticed", "Reply", parent_id=top.id)
    action_services.create_action(world.lead, session, new_id(), "Do a thing", world.advocate.id, None)


def test_delete_discussion_leaves_no_trace_and_other_sessions_keep_theirs(world, visit):
    other = factories.session(world.group, title="Other")
    _fill(world, visit)
    _fill(world, other)
    services.delete_discussion(visit)
    db.session.commit()
    assert _rows() == (1, 2, 1)
    assert services.thread_of(visit) is None
    assert db.session.scalars(select(Post.body_markdown).where(Post.parent_id.is_(None))).all() == ["Secret Other"]


def test_the_visit_hook_deletes_by_session_or_by_a_record_naming_it(world, visit):
    from types import SimpleNamespace

    _fill(world, visit)
    services.delete_for_visit(SimpleNamespace(session_id=visit.id))
    db.session.commit()
    assert _rows() == (0, 0, 0)
    _fill(world, visit)
    services.delete_for_visit(visit)
    db.session.commit()
    assert _rows() == (0, 0, 0)


def test_cancelling_the_session_removes_its_discussion(world, visit):
    _fill(world, visit)
    delete_session(world.lead, visit)
    assert _rows() == (0, 0, 0)


def test_deleting_a_visits_records_deletes_its_discussion_in_the_same_transaction(world):
    from collab.observations.retention.deletion import delete_visit_records
    from tests.observations.helpers import make_visit

    visit = make_visit(world)
    _fill(world, visit.session)
    other = factories.session(world.group, title="Other")
    _fill(world, other)
    delete_visit_records(world.lead, visit)
    assert _rows() == (1, 2, 1)
    assert services.thread_of(visit.session) is None
