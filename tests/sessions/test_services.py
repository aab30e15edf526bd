"""The session services, called directly (as socket handlers and the CLI will)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from collab.extensions import db
from collab.sessions import services
from collab.sessions.models import GroupSession, Response, SessionKind
from collab.timeutil import LONDON
from tests import factories


def _details(world, **overrides) -> services.SessionDetails:
    start = (datetime.now(UTC) + timedelta(days=7)).replace(microsecond=0)
    values = dict(kind=SessionKind.PLANNING, title="Co-planning fractions", starts_at=start,
                  ends_at=start + timedelta(hours=1), invitee_ids=frozenset({world.advocate.id}))
    values.update(overrides)
    return services.SessionDetails(**values)


def test_an_advocate_may_not_schedule_through_the_service(world):
    with pytest.raises(services.NotAllowed):
        services.schedule_session(world.advocate, world.group, _details(world))
    assert db.session.scalar(select(func.count()).select_from(GroupSession)) == 0


def test_the_service_refuses_to_invite_someone_outside_the_group(world):
    with pytest.raises(services.InvalidSession) as error:
        services.schedule_session(world.lead, world.group,
                                  _details(world, invitee_ids=frozenset({world.outsider.id})))
    assert error.value.field == "attendees"


def test_the_service_refuses_an_end_before_the_start(world):
    details = _details(world)
    with pytest.raises(services.InvalidSession):
        services.schedule_session(world.lead, world.group,
                                  _details(world, ends_at=details.starts_at - timedelta(minutes=1)))


def test_a_member_who_was_not_invited_may_not_reply_through_the_service(world):
    session = factories.session(world.group, attendees=[world.advocate])
    with pytest.raises(services.NotAllowed):
        services.respond(world.colleague, session, Response.ATTENDING)


def test_upcoming_starts_at_london_midnight_not_utc_midnight(world):
    # 00:30 on 14 July in London is 23:30 on 13 July in UTC: it belongs to the 14th.
    day = date(2030, 7, 14)
    session = factories.session(world.group)
    session.starts_at = datetime(2030, 7, 14, 0, 30, tzinfo=LONDON)
    session.ends_at = datetime(2030, 7, 14, 1, 30, tzinfo=LONDON)
    db.session.commit()
    assert services.upcoming_for_user(world.advocate, today=day) == [session]
    assert services.past_for_user(world.advocate, today=day + timedelta(days=1)) == [session]


def test_the_calendar_token_is_replaced_each_time(world):
    first = services.create_calendar_token(world.advocate)
    second = services.create_calendar_token(world.advocate)
    assert first != second
    assert services.user_for_feed_token(first) is None
    assert services.user_for_feed_token(second) == world.advocate
