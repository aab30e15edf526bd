"""Publishing a research cycle to the hub's library, taking it out, and copying a published plan into a Work
Group. Writes take the acting person and check permission themselves (views check first, for 404 versus 403)."""

from __future__ import annotations

from sqlalchemy import select

from collab.activity.services import record
from collab.cycles.models import ResearchCycle, SessionPurpose
from collab.extensions import db
from collab.groups.models import WorkGroup
from collab.library.models import MAX_SUMMARY, PublishedItem, PublishedRow
from collab.library.permissions import can_copy_into, can_publish_cycle, can_unpublish
from collab.observations.anticipated.table import anticipated_rows
from collab.observations.records.content import record_content
from collab.observations.summary.build import readable_records
from collab.observations.visits.services import visit_for_session
from collab.plans import richtext
from collab.plans.models import LessonPlan, PlanKind
from collab.plans.services import document_state
from collab.realtime.models import DocumentUpdate, SharedDocument
from collab.types import utcnow


class NotAllowed(Exception):
    pass


class Invalid(ValueError):
    pass


def published_item_of(cycle: ResearchCycle) -> PublishedItem | None:
    return db.session.scalar(select(PublishedItem).where(PublishedItem.cycle_id == cycle.id))


def _without_images(items: list) -> list:
    """A published plan is read outside its Work Group, where the plan's images are not served: they are left out."""
    kept: list = []
    for item in items:
        if isinstance(item, richtext.Node):
            if item.tag == "image":
                continue
            item.children = _without_images(item.children)
        kept.append(item)
    return kept


def _table_rows(actor, cycle: ResearchCycle) -> list[PublishedRow]:
    """The anticipated-vs-observed table of each research lesson: counts only (no notes, no observers' names)."""
    rows: list[PublishedRow] = []
    lessons = sorted((link.session for link in cycle.sessions if link.purpose == SessionPurpose.RESEARCH),
                     key=lambda s: (s.starts_at, s.id))
    for session in lessons:
        visit = visit_for_session(session)
        if visit is None or not visit.anticipated:
            continue
        contents = {r: record_content(r) for r in readable_records(actor, visit)}
        for row in anticipated_rows(visit, contents):
            rows.append(PublishedRow(position=len(rows), lesson=session.title[:200], kind=row.item.kind,
                                     pupil=row.item.pupil if row.item.kind == "pupil" else "",
                                     text=row.item.text, seen=row.counts["seen"], not_seen=row.counts["not-seen"],
                                     something_else=row.counts["something-else"]))
    return rows


def publish(actor, cycle: ResearchCycle, summary: str, research_question: str | None = None) -> PublishedItem:
    """Freeze the cycle's revised plan, summary and table into the hub's library (again, when already there:
    the snapshot is taken anew)."""
    if not can_publish_cycle(actor, cycle):
        raise NotAllowed("Only the Work Group's lead publishes a cycle with a revised plan.")
    summary = (summary or "").strip()
    if not summary:
        raise Invalid("Write what the Work Group learned.")
    if len(summary) > MAX_SUMMARY:
        raise Invalid(f"The summary can be at most {MAX_SUMMARY:,} characters (this has {len(summary):,}).")
    plan = cycle.revised_plan
    assert plan is not None  # can_publish_cycle
    nodes = _without_images(richtext.load(document_state(plan.document_id)))
    item = published_item_of(cycle)
    if item is None:
        item = PublishedItem(cycle_id=cycle.id)
        db.session.add(item)
    group = cycle.work_group
    item.hub_id = group.hub_id
    item.work_group_id = group.id
    item.plan_id = plan.id
    item.title = cycle.title
    item.research_question = (research_question if research_question is not None else cycle.research_question)
    item.summary = summary
    item.plan_title, item.plan_kind = plan.title, plan.kind.value
    item.year_group, item.key_stage, item.topic = plan.year_group, plan.key_stage, plan.topic
    item.plan_html = richtext.to_html(nodes, image_src=lambda src: None)
    item.plan_text = richtext.to_text(nodes)
    item.plan_state = richtext.replace_body(b"", nodes)
    item.group_label = f"{group.project_code} · {group.title}"[:300]
    item.published_by_id = actor.id
    item.published_at = utcnow()
    item.rows = _table_rows(actor, cycle)
    record(group.id, actor, f"{actor.name} published the research cycle “{cycle.title}” to the hub's library", cycle)
    db.session.commit()
    return item


def unpublish(actor, item: PublishedItem) -> None:
    if not can_unpublish(actor, item):
        raise NotAllowed("Only the Work Group's lead or a hub administrator takes an item out of the library.")
    if item.work_group_id is not None:
        record(item.work_group_id, actor, f"{actor.name} took “{item.title}” out of the hub's library",
               item.cycle)
    db.session.delete(item)
    db.session.commit()


def copy_into(actor, item: PublishedItem, group: WorkGroup) -> LessonPlan:
    """A new lesson plan of `group` whose body starts as the published plan (a new document, one update by the
    person copying)."""
    if not can_copy_into(actor, item, group):
        raise NotAllowed("You can copy into a Work Group of this hub where you plan lessons.")
    document = SharedDocument(kind="plan")
    db.session.add(document)
    db.session.flush()
    nodes = richtext.load(item.plan_state)
    db.session.add(DocumentUpdate(document_id=document.id, data=richtext.replace_body(b"", nodes), user_id=actor.id))
    try:
        kind = PlanKind(item.plan_kind)
    except ValueError:
        kind = PlanKind.LESSON
    plan = LessonPlan(work_group_id=group.id, document_id=document.id, kind=kind,
                      title=(item.plan_title or item.title)[:200], year_group=item.year_group[:40],
                      key_stage=item.key_stage[:16], topic=item.topic[:200], created_by_id=actor.id,
                      created_at=utcnow(), updated_at=utcnow())
    db.session.add(plan)
    db.session.flush()
    record(group.id, actor, f"{actor.name} copied “{plan.title}” from the hub's library", plan)
    db.session.commit()
    return plan
