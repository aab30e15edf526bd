"""What the dashboard's "Happening now / for you" area and "My next sessions" list: bounded queries, each
loading what its template shows (no query per row)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from collab.accounts.models import User
from collab.devplans.models import CritiqueRound, DevPlan, RoundReview
from collab.discussions.models import AgreedAction, DiscussionThread
from collab.extensions import db
from collab.groups.models import Department, Membership, Role, WorkGroup
from collab.observations.models import ObservationRecord, Visit
from collab.observations.permissions import can_run_lesson
from collab.plans.models import LessonPlan
from collab.realtime.models import DocumentUpdate
from collab.sessions.models import Attendance, GroupSession
from collab.timeutil import london_to_utc, to_london
from collab.types import utcnow

VISITS_LIMIT = 5
REVIEWS_LIMIT = 10
ACTIONS_LIMIT = 10
PLANS_LIMIT = 5
RECENT_EDITS = timedelta(days=30)


@dataclass
class VisitNow:
    visit: Visit
    record: ObservationRecord | None  # mine, when I observe
    can_run: bool  # I lead it or teach the lesson: the visit room is where I run the clock

    @property
    def in_progress(self) -> bool:
        return self.visit.in_progress


@dataclass
class RecentPlan:
    title: str
    kind: str  # "Lesson plan", "Development plan"...
    endpoint: str
    plan_id: int
    edited_at: datetime


@dataclass
class ForYou:
    visits: list[VisitNow] = field(default_factory=list)
    reviews: list[CritiqueRound] = field(default_factory=list)
    actions: list[AgreedAction] = field(default_factory=list)
    plans: list[RecentPlan] = field(default_factory=list)
    today: date = field(default_factory=date.today)

    @property
    def empty(self) -> bool:
        return not (self.visits or self.reviews or self.actions or self.plans)


def _today_in_utc() -> tuple[datetime, datetime, date]:
    today = to_london(utcnow()).date()
    start = london_to_utc(datetime.combine(today, time.min))
    return start, london_to_utc(datetime.combine(today + timedelta(days=1), time.min)), today


def my_next_sessions(user: User, group_ids: list[int], limit: int = 8) -> list[Attendance]:
    """Sessions I am invited to (an Attendance row for me), soonest first, each with my reply."""
    if not group_ids:
        return []
    return list(db.session.scalars(
        select(Attendance).join(Attendance.session)
        .where(Attendance.user_id == user.id, GroupSession.work_group_id.in_(group_ids),
               GroupSession.starts_at >= utcnow())
        .options(contains_eager(Attendance.session).joinedload(GroupSession.work_group),
                 contains_eager(Attendance.session).joinedload(GroupSession.host_school))
        .order_by(GroupSession.starts_at, GroupSession.id).limit(limit)))


def visits_now(user: User, group_ids: list[int]) -> list[VisitNow]:
    """Visits I take part in (observe, teach or lead) whose lesson is under way or which are today."""
    start, end, _ = _today_in_utc()
    # A first cut in SQL, so the limit keeps the visits I may take part in; can_run_lesson decides below.
    takes_part = [
        select(Attendance.id).where(Attendance.session_id == GroupSession.id, Attendance.user_id == user.id).exists(),
        select(ObservationRecord.id).where(ObservationRecord.visit_id == Visit.id,
                                           ObservationRecord.observer_id == user.id).exists(),
        Visit.host_id == user.id,
        select(Membership.id).where(Membership.work_group_id == GroupSession.work_group_id,
                                    Membership.user_id == user.id, Membership.role == Role.LEAD).exists()]
    if user.school_id is not None:
        takes_part.append(and_(Visit.host_id.is_(None), GroupSession.host_school_id == user.school_id))
    if user.is_hub_admin and user.hub_id is not None:
        takes_part.append(GroupSession.work_group.has(WorkGroup.hub_id == user.hub_id))
    visits = db.session.scalars(
        select(Visit).join(Visit.session)
        .where(GroupSession.work_group_id.in_(group_ids), Visit.records_deleted_at.is_(None), or_(*takes_part),
               or_(and_(Visit.lesson_started_at.is_not(None), Visit.lesson_ended_at.is_(None)),
                   and_(GroupSession.starts_at >= start, GroupSession.starts_at < end)))
        .options(contains_eager(Visit.session).joinedload(GroupSession.work_group)
                 .selectinload(WorkGroup.memberships),  # can_run_lesson reads them
                 contains_eager(Visit.session).selectinload(GroupSession.attendances))
        .order_by(GroupSession.starts_at, Visit.id).limit(VISITS_LIMIT)).unique().all()
    if not visits:
        return []
    mine = {r.visit_id: r for r in db.session.scalars(select(ObservationRecord).where(
        ObservationRecord.observer_id == user.id, ObservationRecord.visit_id.in_([v.id for v in visits])))}
    found = []
    for visit in visits:
        record, can_run = mine.get(visit.id), can_run_lesson(user, visit)
        is_invited = any(a.user_id == user.id for a in visit.session.attendances)
        # Only visits I take part in: observing (a record or an invitation), teaching or leading.
        if record is not None or can_run or is_invited:
            found.append(VisitNow(visit, record, can_run))
    return found


def reviews_asked_of(user: User, group_ids: list[int]) -> list[CritiqueRound]:
    """Open critique rounds in my groups on another school's plan that I have not marked reviewed."""
    if not group_ids:
        return []
    query = (select(CritiqueRound).join(CritiqueRound.plan).join(DevPlan.department)
             .outerjoin(RoundReview, and_(RoundReview.round_id == CritiqueRound.id, RoundReview.user_id == user.id))
             .where(CritiqueRound.work_group_id.in_(group_ids), CritiqueRound.closed_at.is_(None),
                    RoundReview.id.is_(None))
             .options(contains_eager(CritiqueRound.plan).contains_eager(DevPlan.department)
                      .joinedload(Department.school), joinedload(CritiqueRound.work_group))
             .order_by(CritiqueRound.due_on, CritiqueRound.id).limit(REVIEWS_LIMIT))
    if user.school_id is not None:
        query = query.where(Department.school_id != user.school_id)
    return list(db.session.scalars(query).unique())


def actions_owned_by(user: User, group_ids: list[int]) -> list[AgreedAction]:
    """My open agreed actions, overdue and soonest due first, those without a date last."""
    if not group_ids:
        return []
    return list(db.session.scalars(
        select(AgreedAction).join(AgreedAction.thread).join(DiscussionThread.session)
        .where(AgreedAction.owner_id == user.id, AgreedAction.done.is_(False),
               GroupSession.work_group_id.in_(group_ids))
        .options(contains_eager(AgreedAction.thread).contains_eager(DiscussionThread.session)
                 .joinedload(GroupSession.work_group))
        .order_by(case((AgreedAction.due_date.is_(None), 1), else_=0), AgreedAction.due_date, AgreedAction.id)
        .limit(ACTIONS_LIMIT)))


def plans_edited_recently(user: User, group_ids: list[int]) -> list[RecentPlan]:
    """Lesson plans of my groups and my department's development plan that I typed in (the update log) or
    started, in the last few weeks, the latest first."""
    since = utcnow() - RECENT_EDITS
    found: dict[tuple[str, int], RecentPlan] = {}

    def keep(item: RecentPlan) -> None:
        key = (item.endpoint, item.plan_id)
        if key not in found or found[key].edited_at < item.edited_at:
            found[key] = item

    if group_ids:
        edited = func.max(DocumentUpdate.created_at)
        for plan, at in db.session.execute(
                select(LessonPlan, edited).join(DocumentUpdate, DocumentUpdate.document_id == LessonPlan.document_id)
                .where(LessonPlan.work_group_id.in_(group_ids), DocumentUpdate.user_id == user.id,
                       DocumentUpdate.created_at >= since)
                .group_by(LessonPlan.id).order_by(edited.desc()).limit(PLANS_LIMIT)):
            keep(RecentPlan(plan.title, plan.kind.label, "plans.show", plan.id, at))
        for plan in db.session.scalars(
                select(LessonPlan).where(LessonPlan.work_group_id.in_(group_ids), LessonPlan.created_by_id == user.id,
                                         LessonPlan.updated_at >= since)
                .order_by(LessonPlan.updated_at.desc()).limit(PLANS_LIMIT)):
            keep(RecentPlan(plan.title, plan.kind.label, "plans.show", plan.id, plan.updated_at))
    if user.department_id is not None:
        edited = func.max(DocumentUpdate.created_at)
        row = db.session.execute(
            select(DevPlan, edited).join(DocumentUpdate, DocumentUpdate.document_id == DevPlan.document_id)
            .where(DevPlan.department_id == user.department_id, DocumentUpdate.user_id == user.id,
                   DocumentUpdate.created_at >= since)
            .group_by(DevPlan.id)).first()
        if row is not None:
            keep(RecentPlan(row[0].title, "Development plan", "devplans.show", row[0].id, row[1]))
        started = db.session.scalar(select(DevPlan).where(
            DevPlan.department_id == user.department_id, DevPlan.created_by_id == user.id, DevPlan.updated_at >= since))
        if started is not None:
            keep(RecentPlan(started.title, "Development plan", "devplans.show", started.id, started.updated_at))
    return sorted(found.values(), key=lambda p: p.edited_at, reverse=True)[:PLANS_LIMIT]


def for_you(user: User, group_ids: list[int]) -> ForYou:
    return ForYou(visits=visits_now(user, group_ids) if group_ids else [],
                  reviews=reviews_asked_of(user, group_ids), actions=actions_owned_by(user, group_ids),
                  plans=plans_edited_recently(user, group_ids), today=_today_in_utc()[2])
