"""Critique rounds of a development plan: sharing it with a Work Group, closing the round, reviewers marking
their review done. Like every devplans service: check, commit, then notify."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from collab.accounts.models import User
from collab.devplans.models import CritiqueRound, DevPlan, RoundReview
from collab.devplans.notifications.services import notify
from collab.devplans.permissions import can_edit_devplan, can_share_devplan_with, is_devplan_reviewer
from collab.devplans.plan.services import DevPlanError, editors
from collab.extensions import db
from collab.groups.models import WorkGroup
from collab.realtime.access import announce_access_change
from collab.realtime.rooms import room_name
from collab.types import utcnow


def open_round(actor: User, plan: DevPlan, group: WorkGroup, question: str, due_on: date) -> CritiqueRound:
    if not can_share_devplan_with(actor, plan, group):
        raise DevPlanError("forbidden", "You can share the plan only with a Work Group your school is in.")
    if any(r.work_group_id == group.id for r in plan.open_rounds):
        raise DevPlanError("invalid", "The plan is already open for critique in this Work Group.")
    question = question.strip()
    if not question:
        raise DevPlanError("invalid", "Ask the reviewers a question.")
    round_ = CritiqueRound(plan=plan, work_group=group, question=question[:2000], due_on=due_on, opened_by=actor)
    db.session.add(round_)
    plan.updated_at = utcnow()
    announce_access_change(rooms=[room_name("devplan", plan.id)])  # the group's members read it while it is open
    db.session.commit()
    from collab.timeutil import uk_date

    school = plan.department.school.name
    reviewers = [m.user for m in group.memberships if m.user.school_id != plan.department.school_id]
    notify(reviewers, "round-opened",
           f"{school} shared its development plan with {group.project_code} for critique (due {uk_date(due_on)}): "
           f"{question[:120]}", plan, skip=actor)
    return round_


def close_round(actor: User, round_: CritiqueRound) -> None:
    if not can_edit_devplan(actor, round_.plan):
        raise DevPlanError("forbidden", "Only the department's advocates can close the round.")
    if round_.closed_at is None:
        round_.closed_at = utcnow()
        # Reviewers with the plan open lose it at their next message (awareness renews every 15 s).
        announce_access_change(rooms=[room_name("devplan", round_.plan_id)])
        db.session.commit()


def mark_reviewed(actor: User, round_: CritiqueRound) -> RoundReview:
    if not is_devplan_reviewer(actor, round_):
        raise DevPlanError("forbidden", "Only reviewers from the Work Group's other schools review the plan.")
    review = db.session.scalar(select(RoundReview).where(RoundReview.round_id == round_.id,
                                                         RoundReview.user_id == actor.id))
    if review is None:
        review = RoundReview(round_id=round_.id, user_id=actor.id)
        db.session.add(review)
        db.session.commit()
        notify(editors(round_.plan), "reviewed", f"{actor.name} finished reviewing your development plan",
               round_, skip=actor)
    return review
