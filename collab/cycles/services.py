"""Writes and reads for research cycles: the Work Group's theme, cycles, the plan and sessions linked to them.

Every write takes the acting user first, checks permission, records activity in the same transaction and
commits. The study document is in study.py; revising a plan (and comparing versions) in revisions.py; the stages
of the cycle page in timeline.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from collab.activity.services import record
from collab.cycles.models import (
    MAX_QUESTION,
    MAX_THEME,
    MAX_TITLE,
    CycleSession,
    CycleStatus,
    ResearchCycle,
    ResearchTheme,
    SessionPurpose,
)
from collab.cycles.permissions import can_manage_cycle, can_manage_cycles
from collab.extensions import db
from collab.groups.models import WorkGroup
from collab.plans.models import LessonPlan
from collab.sessions.models import GroupSession
from collab.types import utcnow


class NotAllowed(PermissionError):
    """The acting user may not do this (views check first and answer 403 or 404 themselves)."""


class Invalid(ValueError):
    """Input that must not be saved; the message is for people. `field` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _text(value: str | None, limit: int, what: str, field: str, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise Invalid(f"Enter {what}.", field)
    if len(text) > limit:
        raise Invalid(f"{what[0].upper()}{what[1:]} can be at most {limit:,} characters (this one has "
                      f"{len(text):,}).", field)
    return text


# --- the Work Group's research theme --------------------------------------------------------------

def theme_of(group: WorkGroup) -> ResearchTheme | None:
    return db.session.scalar(select(ResearchTheme).where(ResearchTheme.work_group_id == group.id))


def set_theme(actor, group: WorkGroup, theme: str, question: str) -> ResearchTheme:
    if not can_manage_cycles(actor, group):
        raise NotAllowed("Only the Work Group lead sets the research theme.")
    words = _text(theme, MAX_THEME, "a research theme", "theme")
    asked = _text(question, MAX_QUESTION, "a research question", "question")
    row = theme_of(group) or ResearchTheme(work_group_id=group.id)
    row.theme, row.question, row.updated_by_id, row.updated_at = words, asked, actor.id, utcnow()
    db.session.add(row)
    record(group.id, actor, f"{actor.name} set the research theme “{words or asked}”", group)
    db.session.commit()
    return row


# --- cycles ---------------------------------------------------------------------------------------

def group_cycles(group: WorkGroup) -> list[ResearchCycle]:
    return list(db.session.scalars(select(ResearchCycle).where(ResearchCycle.work_group_id == group.id)
                                   .order_by(ResearchCycle.created_at.desc(), ResearchCycle.id.desc())))


def create_cycle(actor, group: WorkGroup, title: str, research_question: str = "") -> ResearchCycle:
    """A new cycle with its study document, laid out with the study's headings."""
    from collab.cycles.study import create_study

    if not can_manage_cycles(actor, group):
        raise NotAllowed("Only the Work Group lead starts a research cycle.")
    name = _text(title, MAX_TITLE, "a title", "title", required=True)
    asked = _text(research_question, MAX_QUESTION, "a research question", "research_question")
    cycle = ResearchCycle(work_group=group, title=name, research_question=asked, status=CycleStatus.IN_PROGRESS,
                          created_by_id=actor.id, created_at=utcnow())
    db.session.add(cycle)
    db.session.flush()
    create_study(actor, cycle)
    record(group.id, actor, f"{actor.name} started the research cycle “{name}”", cycle)
    db.session.commit()
    return cycle


def update_cycle(actor, cycle: ResearchCycle, title: str, research_question: str, status: CycleStatus) -> None:
    if not can_manage_cycle(actor, cycle):
        raise NotAllowed("Only the Work Group lead changes a research cycle.")
    cycle.title = _text(title, MAX_TITLE, "a title", "title", required=True)
    cycle.research_question = _text(research_question, MAX_QUESTION, "a research question", "research_question")
    status = CycleStatus(status)
    if status != cycle.status:
        cycle.finished_at = utcnow() if status == CycleStatus.FINISHED else None
        done = "finished" if status == CycleStatus.FINISHED else "reopened"
        record(cycle.work_group_id, actor, f"{actor.name} {done} the research cycle “{cycle.title}”", cycle)
    cycle.status = status
    db.session.commit()


def link_plan(actor, cycle: ResearchCycle, plan: LessonPlan | None) -> None:
    """Make `plan` (a plan of the same Work Group) the cycle's research lesson plan; None unlinks it."""
    if not can_manage_cycle(actor, cycle):
        raise NotAllowed("Only the Work Group lead links the research lesson plan.")
    if plan is not None and plan.work_group_id != cycle.work_group_id:
        raise Invalid("Choose one of the Work Group's lesson plans.", "plan_id")
    if plan is not None and plan.id == cycle.revised_plan_id:
        raise Invalid("That plan is this cycle's revised plan.", "plan_id")
    cycle.research_plan = plan
    cycle.plan_linked_by_id = actor.id if plan is not None else None
    cycle.plan_linked_at = utcnow() if plan is not None else None
    if plan is not None:
        record(cycle.work_group_id, actor,
               f"{actor.name} linked the plan “{plan.title}” to the research cycle “{cycle.title}”", cycle)
    db.session.commit()


def new_research_plan(actor, cycle: ResearchCycle) -> LessonPlan:
    """Start a lesson plan (the mastery template) for the cycle and link it."""
    from collab.plans.services import create_plan

    if not can_manage_cycle(actor, cycle):
        raise NotAllowed("Only the Work Group lead links the research lesson plan.")
    plan = create_plan(actor, cycle.work_group, f"Research lesson: {cycle.title}"[:MAX_TITLE])
    link_plan(actor, cycle, plan)
    return plan


def cycle_of_session(session: GroupSession) -> CycleSession | None:
    return db.session.scalar(select(CycleSession).where(CycleSession.session_id == session.id))


def cycles_of_plan(plan: LessonPlan) -> list[ResearchCycle]:
    return list(db.session.scalars(select(ResearchCycle).where(
        (ResearchCycle.research_plan_id == plan.id) | (ResearchCycle.revised_plan_id == plan.id))
        .order_by(ResearchCycle.id)))


def link_session(actor, cycle: ResearchCycle, session: GroupSession, purpose: SessionPurpose) -> CycleSession:
    """Put a session of the Work Group (its visit, its discussion) in the cycle, as its research or revised
    lesson. A session is in one cycle at most."""
    if not can_manage_cycle(actor, cycle):
        raise NotAllowed("Only the Work Group lead adds lessons to a research cycle.")
    if session.work_group_id != cycle.work_group_id:
        raise Invalid("Choose one of the Work Group's sessions.", "session_id")
    existing = cycle_of_session(session)
    if existing is not None:
        if existing.cycle_id != cycle.id:
            raise Invalid("That session is already in another research cycle.", "session_id")
        existing.purpose = SessionPurpose(purpose)
        db.session.commit()
        return existing
    link = CycleSession(cycle=cycle, session=session, purpose=SessionPurpose(purpose), linked_by_id=actor.id,
                        linked_at=utcnow())
    db.session.add(link)
    # The lesson is taught from the cycle's plan: the visit set-up offers the plan linked to the session first.
    plan = cycle.research_plan if link.purpose == SessionPurpose.RESEARCH else cycle.revised_plan
    if plan is not None and plan.session_id is None:
        plan.session_id = session.id
    record(cycle.work_group_id, actor, f"{actor.name} added “{session.title}” to the research cycle "
                                       f"“{cycle.title}” as its {link.purpose.label.lower()}", cycle)
    db.session.commit()
    return link


def unlink_session(actor, cycle: ResearchCycle, link: CycleSession) -> None:
    if not can_manage_cycle(actor, cycle):
        raise NotAllowed("Only the Work Group lead changes the lessons of a research cycle.")
    db.session.delete(link)
    db.session.commit()


def linkable_sessions(cycle: ResearchCycle) -> list[GroupSession]:
    """The Work Group's sessions in no cycle yet (any kind: a planning session may hold the discussion)."""
    taken = select(CycleSession.session_id)
    return list(db.session.scalars(select(GroupSession).where(
        GroupSession.work_group_id == cycle.work_group_id, GroupSession.id.not_in(taken))
        .order_by(GroupSession.starts_at.desc())))


def sessions_of(cycle: ResearchCycle, purpose: SessionPurpose) -> list[GroupSession]:
    return sorted((link.session for link in cycle.sessions if link.purpose == purpose), key=lambda s: s.starts_at)


@dataclass(frozen=True)
class FromCycle:
    """The session form opened from a cycle ("Schedule the research lesson"): what it fills in, where it links."""

    cycle: ResearchCycle
    purpose: SessionPurpose
    kind: str
    title: str


def from_cycle(actor, group: WorkGroup, cycle_id: object, purpose: object) -> FromCycle | None:
    """The cycle named by the session form's `?cycle=<id>&purpose=research|revised`, when it is one of this
    group's that the actor may change; else None (the form is then the plain one)."""
    from collab.web.lookups import get_or_none, parse_id

    cycle = get_or_none(ResearchCycle, parse_id(cycle_id))
    if cycle is None or cycle.work_group_id != group.id or not can_manage_cycle(actor, cycle):
        return None
    chosen = SessionPurpose.REVISED if purpose == SessionPurpose.REVISED.value else SessionPurpose.RESEARCH
    title = f"{chosen.label}: {cycle.title}"[:MAX_TITLE]
    return FromCycle(cycle, chosen, "observation", title)


def session_scheduled(actor, chosen: FromCycle | None, session: GroupSession) -> None:
    """After the session form scheduled a session opened from a cycle: put it in the cycle."""
    if chosen is not None:
        link_session(actor, chosen.cycle, session, chosen.purpose)
