"""Writes for lesson plans, reading a plan's shared document, and what its comments need (PLAN_COMMENTS: the
shared collab.comments does the work). Called by views and socket handlers."""

from __future__ import annotations

from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from collab.accounts.models import User
from collab.activity.services import record
from collab.comments import anchors
from collab.comments.services import Commentable
from collab.extensions import db
from collab.groups.models import Role, WorkGroup
from collab.groups.permissions import can_read_group_work
from collab.plans.models import LessonPlan, PlanComment, PlanKind, PlanReadOnly
from collab.plans.permissions import (
    can_comment_plan,
    can_edit_plan,
    can_manage_plan,
    can_manage_plan_comment,
    can_read_plan,
)
from collab.realtime.access import announce_access_change
from collab.realtime.doclog import load
from collab.realtime.models import DocumentUpdate, SharedDocument
from collab.realtime.rooms import room_name
from collab.realtime.store import get_store
from collab.realtime.yupdates import readable_children
from collab.types import utcnow

# The name Tiptap's Collaboration extension (y-prosemirror) binds the editor to.
FRAGMENT_NAME = "default"

MASTERY_SECTIONS = (
    "Learning outcome",
    "Prior knowledge",
    "Key vocabulary",
    "Representations and structures",
    "Anchor task",
    "Small steps",
    "Key questions",
    "Anticipated misconceptions and responses",
    "Case pupils and predictions",  # "Pupil A: will ...": pseudonyms only (collab/observations/anticipated/)
    "Variation and practice",
    "Assessment / exit check",
)
TRANSITION_SIDES = ("KS2 side (Year 6)", "KS3 side (Year 7)")

BLOCK_ELEMENTS = {"heading", "paragraph", "listItem", "bulletList", "orderedList", "blockquote", "codeBlock",
                  "table", "tableRow", "tableCell", "tableHeader", "image", "horizontalRule"}


class PlanPermissionError(PermissionError):
    """The actor may not do this to the plan (views answer 404 for plans they may not see)."""


def _heading(fragment: XmlFragment, text: str, level: int) -> None:
    # A number, as Tiptap stores it: with the string "2" the toolbar's Heading button never showed as active.
    # pycrdt annotates XmlElement's attributes as strings, yet stores any value (as its attributes view takes).
    heading = fragment.children.append(XmlElement("heading", {"level": level}))  # type: ignore[arg-type]
    heading.children.append(XmlText(text))


def template_update(kind: PlanKind) -> bytes:
    """The initial Yjs state of a new plan: the mastery sections, each with an empty paragraph."""
    doc: Doc = Doc()
    fragment = doc.get(FRAGMENT_NAME, type=XmlFragment)
    with doc.transaction():
        if kind == PlanKind.TRANSITION:
            for side in TRANSITION_SIDES:
                _heading(fragment, side, 2)
                for section in MASTERY_SECTIONS:
                    _heading(fragment, section, 3)
                    fragment.children.append(XmlElement("paragraph"))
        else:
            for section in MASTERY_SECTIONS:
                _heading(fragment, section, 2)
                fragment.children.append(XmlElement("paragraph"))
    return doc.get_update()


def create_plan(actor, work_group: WorkGroup, title: str, kind: PlanKind = PlanKind.LESSON, year_group: str = "",
                key_stage: str = "", topic: str = "", session=None) -> LessonPlan:
    """Create a plan (and its shared document, laid out from the template) in a Work Group the actor is a member
    of: a plan is the group's work, so a hub administrator who is not a member may not start one (docs/privacy.md)."""
    if not can_read_group_work(actor, work_group):
        raise PlanPermissionError("not a member of this Work Group")
    kind = PlanKind(kind)
    document = SharedDocument(kind="plan")
    db.session.add(document)
    db.session.flush()
    db.session.add(DocumentUpdate(document_id=document.id, data=template_update(kind), user_id=actor.id))
    plan = LessonPlan(work_group=work_group, session=session, document_id=document.id, kind=kind,
                      title=title.strip()[:200], year_group=year_group, key_stage=key_stage, topic=topic,
                      created_by=actor, created_at=utcnow(), updated_at=utcnow())
    db.session.add(plan)
    db.session.flush()
    record(work_group.id, actor, f"{actor.name} started the {kind.label.lower()} “{plan.title}”", plan)
    db.session.commit()
    return plan


def set_read_only(actor, plan: LessonPlan, user_ids: set[int]) -> None:
    """Make exactly these members read-only on the plan (leads never are; ids of anyone else are ignored). Anyone
    with the plan open takes the change at their next message: on this process at once, on the others within
    COLLAB_ACCESS_RECHECK_SECONDS (collab.realtime.access)."""
    if not can_manage_plan(actor, plan):
        raise PlanPermissionError("only the Work Group's leads choose who can edit a plan")
    eligible = {m.user_id for m in plan.work_group.memberships if m.role != Role.LEAD}
    chosen = set(user_ids) & eligible
    current = {entry.user_id: entry for entry in plan.read_only}
    for user_id, entry in current.items():
        if user_id not in chosen:
            plan.read_only.remove(entry)
    for user_id in chosen - current.keys():
        plan.read_only.append(PlanReadOnly(user_id=user_id))
    if chosen != current.keys():
        announce_access_change(rooms=[room_name("plan", plan.id)])
    db.session.commit()


def document_state(document_id: int) -> bytes:
    """The whole document as one Yjs update: the cached copy, first brought up to date with what any process
    has committed (one indexed query), else loaded from the database."""
    return get_store().full_state(document_id)


def readers(plan: LessonPlan) -> list[User]:
    """Everyone who may read the plan now (the Work Group's active members): whom a mention may notify."""
    return [m.user for m in plan.work_group.memberships if m.user.active and can_read_plan(m.user, plan)]


def co_planners(plan: LessonPlan) -> list[User]:
    """The members who may change the plan: a new comment thread notifies them."""
    return [u for u in readers(plan) if can_edit_plan(u, plan)]


def comment_sections(plan: LessonPlan) -> list[str]:
    """The plan's sections in order, named by every heading above ("KS2 side (Year 6) › Small steps")."""
    return anchors.sections(document_state(plan.document_id), trail=True)


PLAN_COMMENTS = Commentable(
    model=PlanComment,
    room_kind="plan",
    state=lambda plan: document_state(plan.document_id),
    readers=readers,
    editors=co_planners,
    can_read=can_read_plan,
    can_comment=can_comment_plan,
    can_manage=can_manage_plan_comment,
    cannot_manage="Only the people who can edit the plan, and the comment's author, can resolve it.",
    notices={
        "mention": "{actor} mentioned you on the plan “{title}”",
        "comment": "{actor} commented on “{quote}” in the plan “{title}”",
        "reply": "{actor} replied to a comment on the plan “{title}”",
    },
    trail=True,  # a transition plan has the same sections under each side
)


def document_doc(document_id: int) -> Doc:
    """A fresh Doc rebuilt from the database log (the source of truth)."""
    return load(document_id)


def plan_text(plan: LessonPlan) -> str:
    """Plain text of the plan's current body: one line per block, for exports and tests."""
    doc: Doc = Doc()
    doc.apply_update(document_state(plan.document_id))
    return fragment_text(doc.get(FRAGMENT_NAME, type=XmlFragment))


def fragment_text(fragment: XmlFragment | XmlElement) -> str:
    lines: list[str] = []
    _collect(fragment, lines)
    return "\n".join(line for line in lines)


def _collect(node: XmlFragment | XmlElement, lines: list[str]) -> None:
    current: list[str] = []
    for _index, child in readable_children(node):
        if isinstance(child, XmlText):
            current.append("".join(chunk for chunk, _attrs in child.diff() if isinstance(chunk, str)))
        elif isinstance(child, XmlElement) and child.tag not in BLOCK_ELEMENTS and not _has_blocks(child):
            current.append(fragment_text(child))
        else:
            if current:
                lines.append("".join(current))
                current = []
            if child.tag in ("heading", "paragraph") and not _has_blocks(child):
                lines.append(_inline_text(child))
            else:
                _collect(child, lines)
    if current:
        lines.append("".join(current))


def _has_blocks(element: XmlElement) -> bool:
    return any(isinstance(c, XmlElement) and c.tag in BLOCK_ELEMENTS for c in element.children)


def _inline_text(element: XmlElement) -> str:
    parts: list[str] = []
    for child in element.children:
        if isinstance(child, XmlText):
            parts.append("".join(chunk for chunk, _attrs in child.diff() if isinstance(chunk, str)))
        elif isinstance(child, XmlElement):
            parts.append(_inline_text(child))
    return "".join(parts)
