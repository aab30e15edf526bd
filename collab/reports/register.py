"""A session's register: who is on it, and marking it (present, absent, apologies).

On the register: everyone invited to the session (members, and invited teachers of the host school) and every
other current member of the Work Group (someone who came without being invited), plus anyone marked before who
is neither any more. Writes take the acting user first and check permission, like every service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from collab.accounts.models import User
from collab.activity.services import record
from collab.extensions import db
from collab.reports.models import AttendanceMark, Presence
from collab.sessions.models import Attendance, GroupSession, Response
from collab.sessions.services import start_of_london_day
from collab.timeutil import to_london
from collab.types import utcnow


class NotAllowed(PermissionError):
    """The acting user may not mark this register. Views check first and answer 403/404 themselves."""


class InvalidMark(ValueError):
    """A mark for someone not on the register."""


@dataclass(frozen=True)
class RegisterLine:
    user: User
    reply: Response | None  # None: not invited
    mark: Presence | None  # None: not marked

    @property
    def field_name(self) -> str:
        return f"mark-{self.user.id}"


def register_open(session: GroupSession, now: datetime | None = None) -> bool:
    """The register can be marked from the start of the session's day in England (during it, and after)."""
    return (now or utcnow()) >= start_of_london_day(to_london(session.starts_at).date())


def marks_of(session: GroupSession) -> dict[int, AttendanceMark]:
    return {m.user_id: m for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id == session.id))}


def register(session: GroupSession) -> list[RegisterLine]:
    """Invited people first, then the other members, each by name."""
    marks = marks_of(session)
    invitations = list(db.session.scalars(
        select(Attendance).where(Attendance.session_id == session.id).options(selectinload(Attendance.user))))
    replies = {a.user_id: a.response for a in invitations}
    people = {a.user_id: a.user for a in invitations}
    for membership in session.work_group.memberships:
        people.setdefault(membership.user_id, membership.user)
    missing = [uid for uid in marks if uid not in people]
    if missing:
        people.update({u.id: u for u in db.session.scalars(select(User).where(User.id.in_(missing)))})
    lines = [RegisterLine(person, replies.get(uid), marks[uid].presence if uid in marks else None)
             for uid, person in people.items()]
    return sorted(lines, key=lambda line: (line.reply is None, line.user.name.lower(), line.user.id))


def parse_marks(session: GroupSession, form: dict) -> dict[int, Presence | None]:
    """The marks posted for the register: each line's field holds a Presence value or "" (not marked).
    A line whose field is missing is left as it was."""
    marks: dict[int, Presence | None] = {}
    for line in register(session):
        value = form.get(line.field_name)
        if value is None:
            continue
        if value == "":
            marks[line.user.id] = None
            continue
        try:
            marks[line.user.id] = Presence(value)
        except ValueError:
            raise InvalidMark(f"Choose Present, Absent or Apologies for {line.user.name}.") from None
    return marks


def mark_attendance(actor: User, session: GroupSession, marks: dict[int, Presence | None],
                    now: datetime | None = None) -> int:
    """Set each person's mark (None clears it). Returns how many marks changed."""
    from collab.reports.permissions import can_mark_attendance

    if not can_mark_attendance(actor, session, now):
        raise NotAllowed("Only the Work Group lead or the session's host can mark the register.")
    on_register = {line.user.id for line in register(session)}
    if not set(marks) <= on_register:
        raise InvalidMark("Only people on the register can be marked.")
    existing = marks_of(session)
    changed = 0
    for user_id, presence in marks.items():
        mark = existing.get(user_id)
        if presence is None:
            if mark is not None:
                db.session.delete(mark)
                changed += 1
        elif mark is None:
            db.session.add(AttendanceMark(session_id=session.id, user_id=user_id, presence=presence,
                                          marked_by_id=actor.id, marked_at=utcnow()))
            changed += 1
        elif mark.presence != presence:
            mark.presence, mark.marked_by_id, mark.marked_at = presence, actor.id, utcnow()
            changed += 1
    if changed:
        db.session.flush()
        present = counts(session)[Presence.PRESENT]
        record(session.work_group_id, actor, f"{actor.name} marked the register of “{session.title}” "
                                             f"({present} present)", session)
    db.session.commit()
    return changed


def counts(session: GroupSession) -> dict[Presence, int]:
    """How many people have each mark, for the session page's summary line."""
    found = dict.fromkeys(Presence, 0)
    for mark in marks_of(session).values():
        found[mark.presence] += 1
    return found
