"""Writes for evidence links: an advocate links a Work Group's visit summary or session to one of the plan's aims,
or removes the link. Same rules as the other devplans services: take the actor, check, commit."""

from __future__ import annotations

from collab.accounts.models import User
from collab.devplans.models import DevPlan, EvidenceLink
from collab.devplans.permissions import can_edit_devplan
from collab.devplans.plan.services import DevPlanError, plan_of
from collab.extensions import db

EVIDENCE_KINDS = {"visit-summary": "Visit summary", "session": "Session"}


def add_evidence(actor: User, plan: DevPlan, aim: str, kind: str, url: str, label: str) -> EvidenceLink:
    if not can_edit_devplan(actor, plan):
        raise DevPlanError("forbidden", "Only the department's advocates can link evidence.")
    if kind not in EVIDENCE_KINDS or not url.startswith("/") or url.startswith("//"):
        raise DevPlanError("invalid", "Choose evidence from the Work Group.")
    link = EvidenceLink(plan_id=plan.id, aim=aim.strip()[:200], kind=kind, url=url[:300], label=label.strip()[:200],
                        added_by_id=actor.id)
    db.session.add(link)
    db.session.commit()
    return link


def remove_evidence(actor: User, link: EvidenceLink) -> None:
    plan = plan_of(link)
    if not can_edit_devplan(actor, plan):
        raise DevPlanError("forbidden", "Only the department's advocates can remove evidence.")
    db.session.delete(link)
    db.session.commit()
