"""The Work Group's year in figures: the queries behind the year at a glance page and its exports.

A handful of grouped queries for the whole year (one per kind of figure), whatever the number of sessions,
people or schools: nothing is loaded row by row. "Held" means the session has started; a session still to come is
"planned". An attendance rate is present / marked (present, absent or apologies): people not marked are left out,
so a register half marked does not read as half empty."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select

from collab.accounts.models import User
from collab.cycles.models import CycleStatus, ResearchCycle
from collab.devplans.models import CritiqueRound, RoundReview
from collab.discussions.models import AgreedAction, DiscussionThread
from collab.extensions import db
from collab.groups.models import Membership, Role, School, WorkGroup, WorkGroupSchool
from collab.observations.models import Visit
from collab.reports.models import AttendanceMark, Presence
from collab.sessions.models import Attendance, GroupSession, Response, SessionKind
from collab.types import utcnow

NO_SCHOOL = "No school (hub staff)"


def rate(present: int, marked: int) -> float | None:
    """Present as a share of those marked, 0-100; None when nobody was marked."""
    return round(100 * present / marked, 1) if marked else None


@dataclass
class Tally:
    present: int = 0
    absent: int = 0
    apologies: int = 0

    @property
    def marked(self) -> int:
        return self.present + self.absent + self.apologies

    @property
    def rate(self) -> float | None:
        return rate(self.present, self.marked)

    def add(self, presence: Presence, count: int) -> None:
        setattr(self, presence.value, getattr(self, presence.value) + count)


@dataclass
class SessionFigures:
    id: int
    title: str
    kind: SessionKind
    starts_at: datetime
    held: bool
    invited: int = 0
    tally: Tally = field(default_factory=Tally)


@dataclass
class KindFigures:
    kind: SessionKind
    held: int = 0
    planned: int = 0

    @property
    def total(self) -> int:
        return self.held + self.planned


@dataclass
class SchoolFigures:
    school_id: int | None
    name: str
    members: int = 0
    hosted: int = 0
    reviews: int = 0
    tally: Tally = field(default_factory=Tally)


@dataclass
class YearFigures:
    group: WorkGroup
    at: datetime
    sessions: list[SessionFigures]
    kinds: list[KindFigures]
    schools: list[SchoolFigures]
    cycles_finished: int
    cycles_in_progress: int
    actions_agreed: int
    actions_done: int
    rounds: int
    reviews: int
    visits_set_up: int
    visits_held: int

    @property
    def held(self) -> list[SessionFigures]:
        return [s for s in self.sessions if s.held]

    @property
    def planned(self) -> list[SessionFigures]:
        return [s for s in self.sessions if not s.held]

    @property
    def tally(self) -> Tally:
        total = Tally()
        for s in self.sessions:
            for presence in Presence:
                total.add(presence, getattr(s.tally, presence.value))
        return total

    @property
    def unmarked_held(self) -> list[SessionFigures]:
        return [s for s in self.held if s.tally.marked == 0]


def _group_sessions(group: WorkGroup):
    return select(GroupSession.id).where(GroupSession.work_group_id == group.id)


def year_figures(group: WorkGroup, now: datetime | None = None) -> YearFigures:
    now = now or utcnow()
    in_group = _group_sessions(group)
    sessions = [SessionFigures(id=row.id, title=row.title, kind=row.kind, starts_at=row.starts_at,
                               held=row.starts_at <= now)
                for row in db.session.execute(
                    select(GroupSession.id, GroupSession.title, GroupSession.kind, GroupSession.starts_at,
                           GroupSession.host_school_id)
                    .where(GroupSession.work_group_id == group.id)
                    .order_by(GroupSession.starts_at, GroupSession.id))]
    by_id = {s.id: s for s in sessions}
    for session_id, invited in db.session.execute(
            select(Attendance.session_id, func.count()).where(Attendance.session_id.in_(in_group))
            .group_by(Attendance.session_id)):
        by_id[session_id].invited = invited
    for session_id, presence, count in db.session.execute(
            select(AttendanceMark.session_id, AttendanceMark.presence, func.count())
            .where(AttendanceMark.session_id.in_(in_group))
            .group_by(AttendanceMark.session_id, AttendanceMark.presence)):
        by_id[session_id].tally.add(presence, count)

    kinds = {kind: KindFigures(kind) for kind in SessionKind}
    for s in sessions:
        if s.held:
            kinds[s.kind].held += 1
        else:
            kinds[s.kind].planned += 1

    cycle_counts = dict(db.session.execute(
        select(ResearchCycle.status, func.count()).where(ResearchCycle.work_group_id == group.id)
        .group_by(ResearchCycle.status)).all())
    agreed, done = db.session.execute(
        select(func.count(AgreedAction.id), func.coalesce(func.sum(case((AgreedAction.done, 1), else_=0)), 0))
        .join(DiscussionThread, AgreedAction.thread_id == DiscussionThread.id)
        .where(DiscussionThread.session_id.in_(in_group))).one()
    rounds = db.session.scalar(select(func.count()).select_from(CritiqueRound)
                               .where(CritiqueRound.work_group_id == group.id)) or 0
    visit_starts = list(db.session.scalars(
        select(GroupSession.starts_at).join(Visit, Visit.session_id == GroupSession.id)
        .where(GroupSession.work_group_id == group.id)))

    schools = _school_figures(group, in_group, now)
    return YearFigures(
        group=group, at=now, sessions=sessions, kinds=[k for k in kinds.values() if k.total], schools=schools,
        cycles_finished=cycle_counts.get(CycleStatus.FINISHED, 0),
        cycles_in_progress=cycle_counts.get(CycleStatus.IN_PROGRESS, 0),
        actions_agreed=agreed, actions_done=int(done), rounds=rounds,
        reviews=sum(s.reviews for s in schools),
        visits_set_up=len(visit_starts), visits_held=sum(1 for starts in visit_starts if starts <= now),
    )


def _school_figures(group: WorkGroup, in_group, now: datetime) -> list[SchoolFigures]:
    schools = {row.id: SchoolFigures(row.id, row.name) for row in db.session.execute(
        select(School.id, School.name).join(WorkGroupSchool, WorkGroupSchool.school_id == School.id)
        .where(WorkGroupSchool.work_group_id == group.id).order_by(School.name))}

    def school(school_id: int | None) -> SchoolFigures:
        if school_id not in schools:  # someone from a school no longer in the group, or hub staff
            name = db.session.scalar(select(School.name).where(School.id == school_id)) if school_id else None
            schools[school_id] = SchoolFigures(school_id, name or NO_SCHOOL)
        return schools[school_id]

    for school_id, count in db.session.execute(
            select(User.school_id, func.count()).join(Membership, Membership.user_id == User.id)
            .where(Membership.work_group_id == group.id).group_by(User.school_id)):
        school(school_id).members = count
    for school_id, presence, count in db.session.execute(
            select(User.school_id, AttendanceMark.presence, func.count())
            .join(AttendanceMark, AttendanceMark.user_id == User.id)
            .where(AttendanceMark.session_id.in_(in_group)).group_by(User.school_id, AttendanceMark.presence)):
        school(school_id).tally.add(presence, count)
    for school_id, count in db.session.execute(
            select(GroupSession.host_school_id, func.count())
            .where(GroupSession.work_group_id == group.id, GroupSession.host_school_id.is_not(None),
                   GroupSession.starts_at <= now)
            .group_by(GroupSession.host_school_id)):
        school(school_id).hosted = count
    for school_id, count in db.session.execute(
            select(User.school_id, func.count()).select_from(RoundReview)
            .join(CritiqueRound, RoundReview.round_id == CritiqueRound.id)
            .join(User, RoundReview.user_id == User.id)
            .where(CritiqueRound.work_group_id == group.id).group_by(User.school_id)):
        school(school_id).reviews = count
    return list(schools.values())


# --- the register, person by person, for the attendance export ----------------------------------------------

@dataclass(frozen=True)
class AttendanceRow:
    starts_at: datetime
    session_title: str
    kind: SessionKind
    person: str
    email: str
    school: str
    role: str
    reply: str
    presence: str


def attendance_rows(group: WorkGroup, now: datetime | None = None) -> list[AttendanceRow]:
    """Each held session's people: everyone invited or marked, with their school, role, reply and mark."""
    now = now or utcnow()
    held = (select(GroupSession.id, GroupSession.starts_at, GroupSession.title, GroupSession.kind)
            .where(GroupSession.work_group_id == group.id, GroupSession.starts_at <= now).subquery())
    invited = select(Attendance.session_id, Attendance.user_id).where(Attendance.session_id.in_(select(held.c.id)))
    marked = select(AttendanceMark.session_id, AttendanceMark.user_id).where(
        AttendanceMark.session_id.in_(select(held.c.id)))
    people = invited.union(marked).subquery()
    roles = {m.user_id: m.role for m in db.session.scalars(
        select(Membership).where(Membership.work_group_id == group.id))}
    rows = db.session.execute(
        select(held.c.starts_at, held.c.title, held.c.kind, User.id, User.name, User.email, School.name,
               Attendance.response, AttendanceMark.presence)
        .select_from(people)
        .join(held, held.c.id == people.c.session_id)
        .join(User, User.id == people.c.user_id)
        .outerjoin(School, School.id == User.school_id)
        .outerjoin(Attendance, (Attendance.session_id == people.c.session_id)
                   & (Attendance.user_id == people.c.user_id))
        .outerjoin(AttendanceMark, (AttendanceMark.session_id == people.c.session_id)
                   & (AttendanceMark.user_id == people.c.user_id))
        .order_by(held.c.starts_at, held.c.id, User.name, User.id))
    out = []
    for starts_at, title, kind, user_id, name, email, school_name, reply, presence in rows:
        role = roles.get(user_id)
        out.append(AttendanceRow(
            starts_at=starts_at, session_title=title, kind=SessionKind(kind), person=name, email=email,
            school=school_name or NO_SCHOOL, role=role.label if isinstance(role, Role) else "Not a member",
            reply=Response(reply).label if reply else "Not invited",
            presence=Presence(presence).label if presence else "Not marked"))
    return out
