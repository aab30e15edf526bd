"""Changing and removing a plan's delivery rows once saved: aims, actions, PD sessions and progress updates.

The same checks as adding them (collab.devplans.delivery.services): the department writes, text limits, owners
and attendees from the department, leaders from its Advocates. A person who has left the department or stopped
being an Advocate may stay where they already are (an owner, a leader, an attendee) so that correcting a date
does not lose them. Evidence on a progress update that the editor may not read is kept as it was: they cannot
see it, so they cannot have meant to remove it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from collab.accounts.models import User
from collab.devplans.delivery import services
from collab.devplans.delivery.halfterms import name as halfterm_name
from collab.devplans.delivery.models import (
    PdSession,
    PlanAction,
    PlanAim,
    ProgressEvidence,
    ProgressUpdate,
)
from collab.devplans.models import DevPlan
from collab.devplans.plan.services import DevPlanError
from collab.extensions import db
from collab.types import utcnow


def _with(people: list[User], current: User | None) -> list[User]:
    return people + [current] if current is not None and current not in people else people


def update_aim(actor: User, plan: DevPlan, aim: PlanAim, text: str, success_criteria: str = "",
               evidence_of_need: str = "") -> PlanAim:
    services._check(actor, plan)
    for name, value in services.aim_fields(text, success_criteria, evidence_of_need).items():
        setattr(aim, name, value)  # only once every part is valid
    db.session.commit()
    return aim


def update_action(actor: User, plan: DevPlan, action: PlanAction, text: str, owner_id: int | None,
                  due_on: date | None) -> PlanAction:
    services._check(actor, plan)
    owner = services._person(_with(services.department_people(plan), action.owner), owner_id, "the owner",
                             "owner_id")
    text = services._text(text, "the action", "text")
    action.text = text
    action.owner_id = owner.id if owner else None
    action.due_on = due_on
    db.session.commit()
    return action


def delete_action(actor: User, plan: DevPlan, action: PlanAction) -> None:
    services._check(actor, plan)
    db.session.delete(action)
    db.session.commit()


def update_pd_session(actor: User, plan: DevPlan, session: PdSession, title: str, held_on: date,
                      led_by_id: int | None, materials: str = "", attendee_ids: Iterable[int] = ()) -> PdSession:
    services._check(actor, plan)
    leader = services._person(_with(services.advocates(plan), session.led_by), led_by_id, "an Advocate to lead it",
                              "led_by_id")
    title, materials = services._text(title, "the session's title", "title", 200), services._materials(materials)
    people = services.department_people(plan)
    for attendance in session.attendance:
        people = _with(people, attendance.user)
    services._attendance(session, people, list(attendee_ids))  # checks every id before changing any
    session.title, session.held_on, session.materials = title, held_on, materials
    session.led_by_id = leader.id if leader else None
    db.session.commit()
    return session


def delete_pd_session(actor: User, plan: DevPlan, session: PdSession) -> None:
    services._check(actor, plan)
    db.session.delete(session)
    db.session.commit()


def update_progress(actor: User, plan: DevPlan, update: ProgressUpdate, school_year: str, half_term: int,
                    status: str, commentary: str = "", evidence: Iterable[str] = ()) -> ProgressUpdate:
    """Correct a saved update: its half-term (not onto another update's), status, commentary and the evidence
    the actor may read."""
    status_value, offered, chosen = services.progress_fields(actor, plan, half_term, status, evidence)
    hidden = [e for e in update.evidence if f"{e.target_kind}:{e.target_id}" not in offered]
    if len(chosen) + len(hidden) > services.MAX_LINKS:
        raise DevPlanError("invalid", f"Choose at most {services.MAX_LINKS} pieces of evidence.", "evidence")
    other = db.session.scalar(select(ProgressUpdate).where(
        ProgressUpdate.aim_id == update.aim_id, ProgressUpdate.school_year == school_year,
        ProgressUpdate.half_term == half_term, ProgressUpdate.id != update.id))
    if other is not None:
        raise DevPlanError("invalid", f"{halfterm_name(half_term)} {school_year} already has an update: "
                                      "change that one instead.", "half_term")
    update.school_year, update.half_term = school_year, half_term
    update.status = status_value
    update.commentary = services._text(commentary, "the commentary", "commentary", services.MAX_LONG,
                                       required=False)
    update.author_id = actor.id
    update.updated_at = utcnow()
    update.evidence[:] = hidden + [
        ProgressEvidence(target_kind=kind, target_id=int(target_id), label=offered[value])
        for value in chosen for kind, _, target_id in [value.partition(":")]]
    db.session.commit()
    db.session.refresh(update.aim)
    return update


def delete_progress(actor: User, plan: DevPlan, update: ProgressUpdate) -> None:
    services._check(actor, plan)
    aim = update.aim
    db.session.delete(update)
    db.session.commit()
    db.session.refresh(aim)
