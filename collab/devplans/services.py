"""Writes for development plans: the plan, critique rounds, comments, evidence links, versions.

Services take the acting user, check permissions, commit, then notify people and rooms.
Views and socket handlers both call them; they never import flask_socketio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pycrdt import Doc, XmlElement, XmlFragment, XmlText
from sqlalchemy import select

from collab.accounts.models import User
from collab.devplans import anchors
from collab.devplans.models import (
    CritiqueRound,
    DevPlan,
    DevPlanComment,
    DevPlanVersion,
    EvidenceLink,
    RoundReview,
)
from collab.devplans.notifications import notify
from collab.devplans.permissions import (
    can_comment_devplan,
    can_edit_devplan,
    can_manage_devplan_comment,
    can_read_devplan,
    can_share_devplan_with,
    is_devplan_editor_for,
    is_devplan_reviewer,
    reviewing_rounds,
)
from collab.extensions import db
from collab.groups.models import Department, WorkGroup
from collab.realtime.models import DocumentUpdate, SharedDocument
from collab.realtime.store import get_store
from collab.types import utcnow

FRAGMENT_NAME = "default"
SECTIONS = (
    "Aims (based on evidence of need)",
    "Evidence of need",
    "Actions",
    "Professional development programme for the department",
    "Timeline",
    "Success criteria (how success will be judged)",
)
MAX_COMMENT_CHARS = 5000
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class DevPlanError(Exception):
    """Refused: `code` is "forbidden" (views: 403) or "invalid" (400); not-found is decided by views."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def template_update(sections: tuple[str, ...] = SECTIONS) -> bytes:
    doc: Doc = Doc()
    fragment = doc.get(FRAGMENT_NAME, type=XmlFragment)
    with doc.transaction():
        for section in sections:
            heading = fragment.children.append(XmlElement("heading", {"level": "2"}))
            heading.children.append(XmlText(section))
            fragment.children.append(XmlElement("paragraph"))
    return doc.get_update()


def plan_for_department(department: Department) -> DevPlan | None:
    return db.session.scalar(select(DevPlan).where(DevPlan.department_id == department.id))


def create_plan(actor: User, department: Department, title: str = "") -> DevPlan:
    """The department's plan (one per department), laid out from the template. Advocates and leads only."""
    if not is_devplan_editor_for(actor, department.id):
        raise DevPlanError("forbidden", "Only the department's Mastery Advocates can start its plan.")
    existing = plan_for_department(department)
    if existing is not None:
        return existing
    document = SharedDocument(kind="devplan")
    db.session.add(document)
    db.session.flush()
    db.session.add(DocumentUpdate(document_id=document.id, data=template_update(), user_id=actor.id))
    default = f"{department.school.name} {department.name.lower()} development plan"
    plan = DevPlan(department_id=department.id, document_id=document.id, created_by=actor,
                   title=(title.strip() or default)[:200])
    db.session.add(plan)
    db.session.commit()
    return plan


def document_state(plan: DevPlan) -> bytes:
    return get_store().full_state(plan.document_id)


def plan_text(plan: DevPlan) -> str:
    from collab.plans.services import fragment_text

    doc: Doc = Doc()
    doc.apply_update(document_state(plan))
    return fragment_text(doc.get(FRAGMENT_NAME, type=XmlFragment))


def _department_people(plan: DevPlan) -> list[User]:
    return list(db.session.scalars(select(User).where(User.department_id == plan.department_id,
                                                      User.active.is_(True))))


def editors(plan: DevPlan) -> list[User]:
    return [u for u in _department_people(plan) if can_edit_devplan(u, plan)]


def readers(plan: DevPlan) -> list[User]:
    """Everyone who may read the plan now: the department, and open rounds' Work Group members."""
    people = {u.id: u for u in _department_people(plan)}
    for round_ in plan.open_rounds:
        for m in round_.work_group.memberships:
            people.setdefault(m.user_id, m.user)
    return [u for u in people.values() if u.active]


def _link(plan: DevPlan, suffix: str = "") -> str:
    return f"/devplans/{plan.id}{suffix}"


# --- critique rounds ---------------------------------------------------------------------------------

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
    db.session.commit()
    from collab.timeutil import uk_date

    school = plan.department.school.name
    reviewers = [m.user for m in group.memberships if m.user.school_id != plan.department.school_id]
    notify(reviewers, "round-opened",
           f"{school} shared its development plan with {group.project_code} for critique (due {uk_date(due_on)}): "
           f"{question[:120]}", _link(plan), skip=actor)
    return round_


def close_round(actor: User, round_: CritiqueRound) -> None:
    if not can_edit_devplan(actor, round_.plan):
        raise DevPlanError("forbidden", "Only the department's advocates can close the round.")
    if round_.closed_at is None:
        round_.closed_at = utcnow()
        db.session.commit()
        # Reviewers with the plan open lose it at their next message (awareness renews every 15 s).
        from collab.realtime.connections import get_registry
        from collab.realtime.rooms import room_name
        get_registry().expire_access(room_name("devplan", round_.plan_id))


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
               _link(round_.plan, f"/rounds/{round_.id}"), skip=actor)
    return review


# --- comments ----------------------------------------------------------------------------------------

@dataclass
class NewComment:
    client_id: str
    body: str
    anchor_start: str = ""
    anchor_end: str = ""
    quote: str = ""
    parent_id: int | None = None


def mentioned(plan: DevPlan, body: str) -> list[User]:
    """People who may read the plan named as "@Full Name" (or "@First" when only one reader has it)."""
    lowered = body.lower()
    people = readers(plan)
    firsts: dict[str, list[User]] = {}
    for u in people:
        firsts.setdefault(u.name.split()[0].lower(), []).append(u)
    found = []
    for u in people:
        first = u.name.split()[0].lower()
        if f"@{u.name.lower()}" in lowered or (
                len(firsts[first]) == 1 and re.search(rf"@{re.escape(first)}\b", lowered)):
            found.append(u)
    return found


def add_comment(actor: User, plan: DevPlan, new: NewComment) -> tuple[DevPlanComment, bool]:
    """Create a comment (or return the one already made with this client id). Returns (comment, created)."""
    if not can_comment_devplan(actor, plan):
        raise DevPlanError("forbidden", "You may not comment on this plan.")
    if not CLIENT_ID.match(new.client_id or ""):
        raise DevPlanError("invalid", "A comment needs a client id (8–64 letters, digits, - or _).")
    existing = db.session.scalar(select(DevPlanComment).where(DevPlanComment.client_id == new.client_id))
    if existing is not None:
        if existing.plan_id != plan.id or existing.author_id != actor.id:
            raise DevPlanError("invalid", "That client id is already used.")
        return existing, False
    body = (new.body or "").strip()
    if not body or len(body) > MAX_COMMENT_CHARS:
        raise DevPlanError("invalid", f"Write a comment of up to {MAX_COMMENT_CHARS} characters.")
    parent = None
    if new.parent_id is not None:
        parent = db.session.get(DevPlanComment, new.parent_id)
        if parent is None or parent.plan_id != plan.id or parent.parent_id is not None:
            raise DevPlanError("invalid", "There is no such comment to reply to.")
    section = ""
    if parent is None:
        if not (anchors.decode_position(new.anchor_start) and anchors.decode_position(new.anchor_end)):
            raise DevPlanError("invalid", "Select some text in the plan to comment on.")
        section = anchors.resolve(document_state(plan),
                                  [(new.anchor_start, new.anchor_end, new.quote or "")])[0].section
    round_ = next(iter(reviewing_rounds(actor, plan)), None)
    comment = DevPlanComment(
        client_id=new.client_id, plan_id=plan.id, round_id=round_.id if round_ else None,
        parent_id=parent.id if parent else None, author_id=actor.id, body=body,
        anchor_start=new.anchor_start if parent is None else "", anchor_end=new.anchor_end if parent is None else "",
        quote=(new.quote or "")[:2000] if parent is None else "", section=section[:200])
    db.session.add(comment)
    db.session.commit()
    _after_comment(actor, plan, comment, parent)
    return comment, True


def _after_comment(actor: User, plan: DevPlan, comment: DevPlanComment, parent: DevPlanComment | None) -> None:
    link = _link(plan, f"#comment-{(parent or comment).id}")
    people_mentioned = mentioned(plan, comment.body)
    notify(people_mentioned, "mention", f"{actor.name} mentioned you on the development plan “{plan.title}”",
           link, skip=actor)
    already = {u.id for u in people_mentioned}
    if parent is None:
        targets = [u for u in editors(plan) if u.id not in already]
        notify(targets, "comment", f"{actor.name} commented on “{comment.quote[:60]}” in your development plan",
               link, skip=actor)
    else:
        thread = [parent.author] + [r.author for r in parent.replies]
        targets = [u for u in thread if u is not None and u.id not in already and can_read_devplan(u, plan)]
        notify(targets, "reply", f"{actor.name} replied to a comment on the development plan “{plan.title}”",
               link, skip=actor)
    broadcast(plan, parent or comment)


def set_resolved(actor: User, comment: DevPlanComment, resolved: bool) -> DevPlanComment:
    plan = db.session.get(DevPlan, comment.plan_id)
    if not can_manage_devplan_comment(actor, plan, comment):
        raise DevPlanError("forbidden", "Only the plan's advocates and the comment's author can resolve it.")
    if resolved and comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by_id = utcnow(), actor.id
    elif not resolved:
        comment.resolved_at, comment.resolved_by_id = None, None
    db.session.commit()
    broadcast(plan, comment)
    return comment


def broadcast(plan: DevPlan, thread: DevPlanComment) -> None:
    """Everyone with the plan open (joined to its room) gets the whole thread as it is now."""
    from collab.devplans.serialise import thread_json
    from collab.realtime.publish import emit_to_room
    from collab.realtime.rooms import room_name

    state = document_state(plan)
    emit_to_room(room_name("devplan", plan.id), "devplan:comment",
                 thread_json(thread, anchors.resolve(state, [(thread.anchor_start, thread.anchor_end,
                                                              thread.quote)])[0]))


# --- evidence and versions -------------------------------------------------------------------------

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
    plan = db.session.get(DevPlan, link.plan_id)
    if not can_edit_devplan(actor, plan):
        raise DevPlanError("forbidden", "Only the department's advocates can remove evidence.")
    db.session.delete(link)
    db.session.commit()


def save_version(actor: User, plan: DevPlan, name: str) -> DevPlanVersion:
    if not can_edit_devplan(actor, plan):
        raise DevPlanError("forbidden", "Only the department's advocates can save versions.")
    name = name.strip()[:120] or utcnow().strftime("Version of %d/%m/%Y %H:%M")
    version = DevPlanVersion(plan_id=plan.id, name=name, state=document_state(plan), created_by_id=actor.id)
    db.session.add(version)
    db.session.commit()
    return version
