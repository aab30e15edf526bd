"""Writes and queries for sessions. Views (and later socket handlers) call these.

Every write takes the acting user first, checks permission, and records activity in the
same transaction. Times come in as aware datetimes and are stored in UTC.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from collab.accounts.models import User
from collab.activity.services import record
from collab.extensions import db
from collab.groups.models import Membership, WorkGroup
from collab.realtime.access import announce_access_change
from collab.sessions.models import Attendance, GroupSession, Response, SessionKind
from collab.sessions.permissions import can_edit_session, can_respond, can_schedule_session
from collab.timeutil import LONDON, uk_datetime
from collab.types import utcnow

FEED_HISTORY = timedelta(days=30)


class NotAllowed(PermissionError):
    """The acting user may not do this. Views check first and answer 403/404 themselves."""


class InvalidSession(ValueError):
    """Input that must not be saved. `field` names the form field to attach the message to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SessionDetails:
    kind: SessionKind
    title: str
    starts_at: datetime
    ends_at: datetime
    host_school_id: int | None = None
    place: str = ""
    agenda: str = ""
    invitee_ids: frozenset[int] = field(default_factory=frozenset)


def _validate(group: WorkGroup, details: SessionDetails) -> None:
    if details.starts_at.tzinfo is None or details.ends_at.tzinfo is None:
        raise InvalidSession("Times must be given with a time zone.")
    if details.ends_at <= details.starts_at:
        raise InvalidSession("The end time must be after the start time.", "end_time")
    if not details.title.strip():
        raise InvalidSession("Enter a title.", "title")
    if details.host_school_id is not None and details.host_school_id not in {s.id for s in group.schools}:
        raise InvalidSession("Choose one of the Work Group's schools.", "host_school_id")
    member_ids = {m.user_id for m in group.memberships}
    if not set(details.invitee_ids) <= member_ids:
        raise InvalidSession("Only members of the Work Group can be invited.", "attendees")


def _apply(session: GroupSession, details: SessionDetails) -> None:
    session.kind = details.kind
    session.title = details.title.strip()
    session.starts_at = details.starts_at.astimezone(UTC)
    session.ends_at = details.ends_at.astimezone(UTC)
    session.host_school_id = details.host_school_id
    session.place = details.place.strip()
    session.agenda = details.agenda.strip()
    # Keep the answers of people still invited; add the new ones as awaiting.
    current = {a.user_id: a for a in session.attendances}
    for user_id, attendance in current.items():
        if user_id not in details.invitee_ids:
            session.attendances.remove(attendance)
    for user_id in sorted(set(details.invitee_ids) - current.keys()):
        session.attendances.append(Attendance(user_id=user_id, response=Response.AWAITING))


def schedule_session(actor: User, group: WorkGroup, details: SessionDetails) -> GroupSession:
    if not can_schedule_session(actor, group):
        raise NotAllowed("Only the Work Group lead or a hub administrator can schedule sessions.")
    _validate(group, details)
    session = GroupSession(work_group=group, created_by_id=actor.id, sequence=0)
    _apply(session, details)
    db.session.add(session)
    db.session.flush()
    record(group.id, actor, f"{actor.name} scheduled {session.kind.label} “{session.title}” "
                            f"for {uk_datetime(session.starts_at)}", session)
    db.session.commit()
    return session


def update_session(actor: User, session: GroupSession, details: SessionDetails) -> GroupSession:
    if not can_edit_session(actor, session):
        raise NotAllowed("Only the Work Group lead or a hub administrator can change sessions.")
    _validate(session.work_group, details)
    _apply(session, details)
    # Calendar apps replace an event only when its SEQUENCE goes up.
    session.sequence = (session.sequence or 0) + 1
    record(session.work_group_id, actor, f"{actor.name} changed “{session.title}” "
                                         f"({uk_datetime(session.starts_at)})", session)
    db.session.commit()
    return session


def delete_session(actor: User, session: GroupSession) -> None:
    if not can_edit_session(actor, session):
        raise NotAllowed("Only the Work Group lead or a hub administrator can cancel sessions.")
    record(session.work_group_id, actor, f"{actor.name} cancelled “{session.title}” "
                                         f"({uk_datetime(session.starts_at)})")
    # Its observation visit and the visit's records go with it (ON DELETE CASCADE): the group's members, the only
    # people who may read records, have their rooms checked again.
    announce_access_change(users=[m.user_id for m in session.work_group.memberships])
    db.session.delete(session)
    db.session.commit()


def respond(actor: User, session: GroupSession, response: Response) -> Attendance:
    if not can_respond(actor, session):
        raise NotAllowed("Only people invited to this session can reply.")
    if response == Response.AWAITING:
        raise InvalidSession("Choose Attending, Maybe or Can't attend.", "response")
    attendance = next(a for a in session.attendances if a.user_id == actor.id)
    attendance.response = response
    attendance.responded_at = utcnow()
    record(session.work_group_id, actor, f"{actor.name}: {response.label} – “{session.title}”", session)
    db.session.commit()
    return attendance


def create_calendar_token(actor: User) -> str:
    """Make (or replace) the secret in the private feed URL; the old URL stops working at once."""
    actor.calendar_token = secrets.token_urlsafe(32)
    db.session.commit()
    return actor.calendar_token


def revoke_calendar_token(actor: User) -> None:
    actor.calendar_token = None
    db.session.commit()


# Queries

def start_of_london_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def london_today() -> date:
    return utcnow().astimezone(LONDON).date()


def _my_group_ids(user: User) -> Select:
    return select(Membership.work_group_id).where(Membership.user_id == user.id)


def _sessions_of_my_groups(user: User) -> Select:
    # Lists show group, host school and my reply for every row: load them up front, not row by row.
    return (select(GroupSession)
            .where(GroupSession.work_group_id.in_(_my_group_ids(user)))
            .options(selectinload(GroupSession.work_group), selectinload(GroupSession.host_school),
                     selectinload(GroupSession.attendances)))


def upcoming_for_user(user: User, today: date | None = None) -> list[GroupSession]:
    """Sessions of my Work Groups from the start of today in England, soonest first."""
    since = start_of_london_day(today or london_today())
    return list(db.session.scalars(
        _sessions_of_my_groups(user)
        .where(GroupSession.starts_at >= since)
        .order_by(GroupSession.starts_at, GroupSession.id)
    ))


def past_for_user(user: User, today: date | None = None) -> list[GroupSession]:
    """Sessions of my Work Groups before today, most recent first."""
    before = start_of_london_day(today or london_today())
    return list(db.session.scalars(
        _sessions_of_my_groups(user)
        .where(GroupSession.starts_at < before)
        .order_by(GroupSession.starts_at.desc(), GroupSession.id.desc())
    ))


def user_for_feed_token(token: str) -> User | None:
    if not token:
        return None
    user = db.session.scalar(select(User).where(User.calendar_token == token))
    if user is None or not user.active:
        return None
    return user


def feed_sessions(user: User, now: datetime | None = None) -> list[GroupSession]:
    """What the private feed shows: my groups' sessions from 30 days ago, without the ones I declined."""
    since = (now or utcnow()) - FEED_HISTORY
    declined = (select(Attendance.session_id)
                .where(Attendance.user_id == user.id, Attendance.response == Response.DECLINED))
    return list(db.session.scalars(
        _sessions_of_my_groups(user)
        .where(GroupSession.starts_at >= since, GroupSession.id.not_in(declined))
        .order_by(GroupSession.starts_at, GroupSession.id)
    ))


def invitee_choices(group: WorkGroup) -> list[tuple[int, str]]:
    return sorted(((m.user_id, f"{m.user.name} · {m.role.label}") for m in group.memberships),
                  key=lambda choice: choice[1].lower())


def all_member_ids(group: WorkGroup) -> Iterable[int]:
    return [m.user_id for m in group.memberships]
