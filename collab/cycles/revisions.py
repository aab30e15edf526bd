"""Revising a lesson plan after its post-lesson discussion, and comparing two versions section by section.

"Revise this plan" makes version 2: a new LessonPlan whose body starts as version 1's (the same nodes, written as
a new document), linked to version 1 and to the session whose discussion it answers (PlanRevision). When version 1
is a cycle's research lesson plan, version 2 becomes that cycle's revised plan.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from sqlalchemy import select

from collab.activity.services import record
from collab.cycles.models import PlanRevision, ResearchCycle, SessionPurpose
from collab.cycles.permissions import can_revise_plan
from collab.cycles.services import Invalid, NotAllowed
from collab.discussions.models import AgreedAction
from collab.discussions.services import thread_of
from collab.extensions import db
from collab.observations.models import Visit
from collab.plans import richtext
from collab.plans.export import image_file
from collab.plans.models import LessonPlan, PlanImage
from collab.plans.services import document_state
from collab.realtime.models import DocumentUpdate, SharedDocument
from collab.sessions.models import GroupSession
from collab.types import utcnow

MAX_CHAIN = 50  # versions followed back, at most (a loop is impossible by the unique keys; this is belt and braces)


def revision_of(plan: LessonPlan) -> PlanRevision | None:
    """The link of a revised plan (version 2) to the plan it came from; None for a first version."""
    return db.session.scalar(select(PlanRevision).where(PlanRevision.plan_id == plan.id))


def revised_as(plan: LessonPlan) -> PlanRevision | None:
    """The link to the revision made from this plan, if any."""
    return db.session.scalar(select(PlanRevision).where(PlanRevision.revised_from_id == plan.id))


def version_number(plan: LessonPlan) -> int:
    n, current = 1, plan
    while n < MAX_CHAIN and (link := revision_of(current)) is not None and link.revised_from is not None:
        n, current = n + 1, link.revised_from
    return n


def discussion_choices(plan: LessonPlan) -> list[GroupSession]:
    """The sessions whose post-lesson discussion may have led to revising `plan`, newest first: the research
    lessons of a cycle it is the plan of, the visits that linked it, and the session it was planned for."""
    found: dict[int, GroupSession] = {}
    cycles = db.session.scalars(select(ResearchCycle).where(ResearchCycle.research_plan_id == plan.id)).all()
    for cycle in cycles:
        for link in cycle.sessions:
            if link.purpose == SessionPurpose.RESEARCH:
                found[link.session.id] = link.session
    for visit in db.session.scalars(select(Visit).where(Visit.plan_id == plan.id)):
        found[visit.session.id] = visit.session
    if plan.session is not None:
        found[plan.session.id] = plan.session
    return sorted(found.values(), key=lambda s: (s.starts_at, s.id), reverse=True)


def revise_plan(actor, plan: LessonPlan, session: GroupSession | None) -> LessonPlan:
    """Make version 2 of `plan` (version n+1 of a revision) after the discussion of `session`."""
    if not can_revise_plan(actor, plan):
        raise NotAllowed("Only the plan's co-planners can revise it.")
    if revised_as(plan) is not None:
        raise Invalid("This plan has already been revised: open the revised plan.")
    if session is not None and session.id not in {s.id for s in discussion_choices(plan)}:
        raise Invalid("Choose the discussion of a lesson taught from this plan.", "session_id")
    number = version_number(plan) + 1
    base = plan.title
    link = revision_of(plan)
    if link is not None and base.endswith(f" (version {number - 1})"):
        base = base.removesuffix(f" (version {number - 1})")
    title = f"{base[:180]} (version {number})"
    document = SharedDocument(kind="plan")
    db.session.add(document)
    db.session.flush()
    revised = LessonPlan(work_group_id=plan.work_group_id, document_id=document.id, kind=plan.kind, title=title,
                         year_group=plan.year_group, key_stage=plan.key_stage, topic=plan.topic,
                         created_by_id=actor.id, created_at=utcnow(), updated_at=utcnow())
    db.session.add(revised)
    db.session.flush()
    # The same content as a new document (not version 1's history): one update by the person revising.
    nodes = richtext.load(document_state(plan.document_id))
    _carry_images(nodes, plan, revised)
    db.session.add(DocumentUpdate(document_id=document.id, data=richtext.replace_body(b"", nodes),
                                  user_id=actor.id))
    db.session.add(PlanRevision(plan_id=revised.id, revised_from_id=plan.id,
                                session_id=session.id if session is not None else None,
                                created_by_id=actor.id, created_at=utcnow()))
    after = f" after the discussion of “{session.title}”" if session is not None else ""
    record(plan.work_group_id, actor, f"{actor.name} revised the plan “{plan.title}”{after}", revised)
    for cycle in db.session.scalars(select(ResearchCycle).where(ResearchCycle.research_plan_id == plan.id)):
        if cycle.revised_plan_id is None:
            cycle.revised_plan_id = revised.id
    db.session.commit()
    return revised


def _nodes(items: list) -> list[richtext.Node]:
    found: list[richtext.Node] = []
    for item in items:
        if isinstance(item, richtext.Node):
            found.append(item)
            found.extend(_nodes(item.children))
    return found


def _carry_images(nodes: list, old: LessonPlan, new: LessonPlan) -> None:
    """Version 1's uploaded images become version 2's too (rows of its own for the same files, which are never
    deleted), and its image nodes point at them: a plan's pages and exports serve only the plan's own images."""
    copies: dict[int, int] = {}
    for node in _nodes(nodes):
        image = image_file(old, str(node.attrs.get("src") or "")) if node.tag == "image" else None
        if image is None:
            continue
        if image.id not in copies:
            copy = PlanImage(plan_id=new.id, filename=image.filename, content_type=image.content_type,
                             uploaded_by_id=image.uploaded_by_id)
            db.session.add(copy)
            db.session.flush()
            copies[image.id] = copy.id
        node.attrs = {**node.attrs, "src": f"/plans/{new.id}/images/{copies[image.id]}"}


def agreed_actions(revision: PlanRevision | None) -> list[AgreedAction]:
    """The discussion's agreed actions, for the checklist beside the revised plan's editor."""
    if revision is None or revision.session is None:
        return []
    thread = thread_of(revision.session)
    return list(thread.actions) if thread is not None else []


# --- compare ------------------------------------------------------------------------------------------

@dataclass
class Section:
    title: str  # the headings above it, joined with " › " ("" for what comes before the first heading)
    lines: list[str] = field(default_factory=list)


@dataclass
class Line:
    change: str  # "same", "added", "removed"
    text: str


@dataclass
class SectionChange:
    title: str
    change: str  # "same", "changed", "added", "removed"
    lines: list[Line]

    @property
    def added(self) -> int:
        return sum(1 for line in self.lines if line.change == "added")

    @property
    def removed(self) -> int:
        return sum(1 for line in self.lines if line.change == "removed")


def _level(node: richtext.Node) -> int:
    try:
        return min(max(int(float(node.attrs.get("level") or 2)), 1), 6)
    except (TypeError, ValueError, OverflowError):
        return 2


def sections(nodes: list) -> list[Section]:
    """A body cut at its headings: each section the plain text lines under one heading."""
    result: list[Section] = [Section("")]
    trail: list[tuple[int, str]] = []
    for node in nodes:
        if isinstance(node, richtext.Node) and node.tag == "heading":
            level, text = _level(node), richtext.to_text(node.children).strip()
            trail = [(lvl, name) for lvl, name in trail if lvl < level] + [(level, text or "Untitled section")]
            result.append(Section(" › ".join(name for _lvl, name in trail)))
            continue
        text = richtext.to_text([node])
        result[-1].lines.extend(line for line in text.split("\n") if line.strip())
    return [s for s in result if s.title or s.lines]


def _numbered(items: list[Section]) -> list[tuple[str, Section]]:
    """Keys that tell apart sections with the same title (the second "Key questions" is "Key questions#2")."""
    seen: dict[str, int] = {}
    keyed = []
    for item in items:
        seen[item.title] = seen.get(item.title, 0) + 1
        keyed.append((f"{item.title}#{seen[item.title]}", item))
    return keyed


def _line_changes(before: list[str], after: list[str]) -> list[Line]:
    lines: list[Line] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            lines.extend(Line("same", text) for text in before[a1:a2])
            continue
        lines.extend(Line("removed", text) for text in before[a1:a2])
        lines.extend(Line("added", text) for text in after[b1:b2])
    return lines


def compare(old_nodes: list, new_nodes: list) -> list[SectionChange]:
    """What changed from the old body to the new, section by section, in the new body's order (a section only
    the old body has comes where it was). Text only: every line is escaped when shown."""
    old = _numbered(sections(old_nodes))
    new = _numbered(sections(new_nodes))
    old_keys = [key for key, _ in old]
    new_keys = [key for key, _ in new]
    old_by_key = dict(old)
    new_by_key = dict(new)
    changes: list[SectionChange] = []
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            for key in new_keys[b1:b2]:
                lines = _line_changes(old_by_key[key].lines, new_by_key[key].lines)
                moved = any(line.change != "same" for line in lines)
                changes.append(SectionChange(new_by_key[key].title, "changed" if moved else "same", lines))
            continue
        for key in old_keys[a1:a2]:
            if key not in new_by_key:
                changes.append(SectionChange(old_by_key[key].title, "removed",
                                             [Line("removed", t) for t in old_by_key[key].lines]))
        for key in new_keys[b1:b2]:
            if key in old_by_key:  # the same section, moved: compare its lines
                lines = _line_changes(old_by_key[key].lines, new_by_key[key].lines)
                changes.append(SectionChange(new_by_key[key].title, "changed", lines))
            else:
                changes.append(SectionChange(new_by_key[key].title, "added",
                                             [Line("added", t) for t in new_by_key[key].lines]))
    return changes


def compare_plans(old: LessonPlan, new: LessonPlan) -> list[SectionChange]:
    return compare(richtext.load(document_state(old.document_id)), richtext.load(document_state(new.document_id)))
