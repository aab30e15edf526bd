"""Writes for a plan's delivery rows. Each takes the acting person, checks, writes and commits; a refusal
raises DevPlanError ("forbidden" or "invalid") like the other devplans services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from collab.accounts.models import User
from collab.devplans.delivery.evidence import evidence_choices
from collab.devplans.delivery.models import (
    PdAttendance,
    PdSession,
    PlanAction,
    PlanAim,
    ProgressEvidence,
    ProgressStatus,
    ProgressUpdate,
)
from collab.devplans.delivery.permissions import can_edit_delivery
from collab.devplans.models import DevPlan
from collab.devplans.permissions import is_devplan_editor_for
from collab.devplans.plan.services import DevPlanError
from collab.extensions import db
from collab.types import utcnow

MAX_TEXT = 300
MAX_LONG = 2000
MAX_LINKS = 10


def department_people(plan: DevPlan) -> list[User]:
    """Who may own an action or attend a PD session: the department's active people, by name."""
    people = db.session.scalars(select(User).where(User.department_id == plan.department_id)
                                .order_by(User.name)).all()
    return [p for p in people if p.is_active]


def advocates(plan: DevPlan) -> list[User]:
    """Who may lead a PD session: the department's Mastery Advocates, lead participants and leads."""
    return [p for p in department_people(plan) if is_devplan_editor_for(p, plan.department_id)]


def _check(actor: User, plan: DevPlan) -> None:
    if not can_edit_delivery(actor, plan):
        raise DevPlanError("forbidden", "Only the department can change how its plan is delivered.")


def _text(value: str, what: str, field: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DevPlanError("invalid", f"Enter {what}.", field)
    if len(value) > limit:
        raise DevPlanError("invalid", f"{what[0].upper()}{what[1:]} must be {limit} characters or fewer.", field)
    return value


def _person(people: list[User], user_id: int | None, what: str, field: str) -> User | None:
    if user_id is None:
        return None
    person = next((p for p in people if p.id == user_id), None)
    if person is None:
        raise DevPlanError("invalid", f"Choose {what} from the department.", field)
    return person


def add_aim(actor: User, plan: DevPlan, text: str, success_criteria: str = "",
            evidence_of_need: str = "") -> PlanAim:
    _check(actor, plan)
    aim = PlanAim(plan_id=plan.id, **aim_fields(text, success_criteria, evidence_of_need), created_by_id=actor.id)
    db.session.add(aim)
    db.session.commit()
    return aim


def aim_fields(text: str, success_criteria: str, evidence_of_need: str) -> dict[str, str]:
    """An aim's text fields checked, for adding one or correcting it."""
    return {"text": _text(text, "the aim", "text"),
            "success_criteria": _text(success_criteria, "the success criteria", "success_criteria", MAX_LONG,
                                      required=False),
            "evidence_of_need": _text(evidence_of_need, "the evidence of need", "evidence_of_need", MAX_LONG,
                                      required=False)}


def delete_aim(actor: User, plan: DevPlan, aim: PlanAim) -> None:
    _check(actor, plan)
    db.session.delete(aim)
    db.session.commit()


def add_action(actor: User, plan: DevPlan, aim: PlanAim, text: str, owner_id: int | None,
               due_on: date | None) -> PlanAction:
    _check(actor, plan)
    owner = _person(department_people(plan), owner_id, "the owner", "owner_id")
    action = PlanAction(aim_id=aim.id, text=_text(text, "the action", "text"), owner_id=owner.id if owner else None,
                        due_on=due_on)
    db.session.add(action)
    db.session.commit()
    return action


def set_action_done(actor: User, plan: DevPlan, action: PlanAction, done: bool) -> None:
    _check(actor, plan)
    action.done = done
    db.session.commit()


def _materials(links: str) -> str:
    lines = [line.strip() for line in (links or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        raise DevPlanError("invalid", f"Give at most {MAX_LINKS} links to materials.", "materials")
    for line in lines:
        if not (line.startswith(("https://", "http://")) or (line.startswith("/") and not line.startswith("//"))) \
                or len(line) > MAX_TEXT or any(c.isspace() for c in line):
            raise DevPlanError("invalid", "Each material must be a link (https://… or a page of Collab), one a line.",
                               "materials")
    return "\n".join(lines)


def _attendance(session: PdSession, people: list[User], attendee_ids: Iterable[int]) -> None:
    wanted = {p.id for p in people} & set(attendee_ids)
    if set(attendee_ids) - wanted:
        raise DevPlanError("invalid", "Choose who attended from the department.", "attendees")
    session.attendance[:] = [a for a in session.attendance if a.user_id in wanted]
    have = {a.user_id for a in session.attendance}
    session.attendance.extend(PdAttendance(user_id=user_id) for user_id in sorted(wanted - have))


def add_pd_session(actor: User, plan: DevPlan, title: str, held_on: date, led_by_id: int | None,
                   materials: str = "", attendee_ids: Iterable[int] = ()) -> PdSession:
    _check(actor, plan)
    leader = _person(advocates(plan), led_by_id, "an Advocate to lead it", "led_by_id")
    session = PdSession(plan_id=plan.id, title=_text(title, "the session's title", "title", 200), held_on=held_on,
                        led_by_id=leader.id if leader else None, materials=_materials(materials))
    _attendance(session, department_people(plan), attendee_ids)
    db.session.add(session)
    db.session.commit()
    return session


def set_attendance(actor: User, plan: DevPlan, session: PdSession, attendee_ids: Iterable[int]) -> None:
    _check(actor, plan)
    _attendance(session, department_people(plan), list(attendee_ids))
    db.session.commit()


def progress_fields(actor: User, plan: DevPlan, half_term: int, status: str,
                    evidence: Iterable[str]) -> tuple[ProgressStatus, dict[str, str], list[str]]:
    """A progress update's fields checked, for adding one or correcting it: (status, the evidence the actor may
    choose as {value: label}, the values chosen, without repeats). Refuses what the form could not have sent."""
    _check(actor, plan)
    if not 1 <= half_term <= 6:
        raise DevPlanError("invalid", "Choose a half-term.", "half_term")
    try:
        status_value = ProgressStatus(status)
    except ValueError:
        raise DevPlanError("invalid", "Choose a status.", "status") from None
    offered = dict(evidence_choices(actor, plan))
    chosen = list(dict.fromkeys(evidence))
    if any(value not in offered for value in chosen):
        raise DevPlanError("invalid", "Choose evidence from the lists.", "evidence")
    return status_value, offered, chosen


def record_progress(actor: User, plan: DevPlan, aim: PlanAim, school_year: str, half_term: int, status: str,
                    commentary: str = "", evidence: Iterable[str] = ()) -> ProgressUpdate:
    """The aim's update for that half-term, made or replaced (one per aim and half-term). Evidence is chosen from
    what the actor may read (evidence_choices); anything else is refused."""
    status_value, offered, chosen = progress_fields(actor, plan, half_term, status, evidence)
    if len(chosen) > MAX_LINKS:
        raise DevPlanError("invalid", f"Choose at most {MAX_LINKS} pieces of evidence.", "evidence")
    update = db.session.scalar(select(ProgressUpdate).where(
        ProgressUpdate.aim_id == aim.id, ProgressUpdate.school_year == school_year,
        ProgressUpdate.half_term == half_term))
    if update is None:
        update = ProgressUpdate(aim_id=aim.id, school_year=school_year, half_term=half_term)
        db.session.add(update)
    update.status = status_value
    update.commentary = _text(commentary, "the commentary", "commentary", MAX_LONG, required=False)
    update.author_id = actor.id
    update.updated_at = utcnow()
    update.evidence[:] = []
    for value in chosen:
        kind, _, target_id = value.partition(":")
        update.evidence.append(ProgressEvidence(target_kind=kind, target_id=int(target_id), label=offered[value]))
    db.session.commit()
    db.session.refresh(aim)
    return update
