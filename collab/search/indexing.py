"""Keeping the search index (search_entry) in step with its sources, one scope at a time.

Before a search, the scopes the person may read (their Work Groups, the development plans they may read, their
hubs' libraries) are brought up to date: a shared document's entry is rewritten when its newest logged update
differs from the one it was made from; a row's entry when its title or text differs; entries whose source has
gone (or a post deleted, a visit's records deleted) are removed. On SQLite the FTS5 table follows search_entry
through triggers. Simple and correct without hooks in every domain's writes, at the cost of reading the scope's
rows at each search (fine for a Work Group's year; see docs/library.md)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from collab.cycles.models import ResearchCycle, StudyDocument
from collab.devplans.models import DevPlan, DevPlanComment
from collab.discussions.models import DiscussionThread, Post
from collab.extensions import db
from collab.library.models import PublishedItem
from collab.observations.models import ObservationRecord, Visit
from collab.observations.records.content import record_content
from collab.plans import richtext
from collab.plans.models import LessonPlan, PlanComment
from collab.plans.services import plan_text
from collab.plans.versioning import document_state, latest_change
from collab.search.models import SearchEntry
from collab.sessions.models import GroupSession

MARKS = ("\x02", "\x03")  # the highlight markers: never left in indexed text


def clean(text: str) -> str:
    return text.replace(MARKS[0], " ").replace(MARKS[1], " ")


@dataclass
class Source:
    kind: str
    ref_id: int
    title: str
    stamp: str
    body: str | None = None  # None: read only when the stamp changed (documents)
    read_body: object = None  # () -> str


def _documents_stamp(document_id: int, title: str) -> str:
    return f"{latest_change(document_id)[0]}:{len(title)}"


def group_sources(group_id: int) -> list[Source]:
    found: list[Source] = []
    for plan in db.session.scalars(select(LessonPlan).where(LessonPlan.work_group_id == group_id)):
        found.append(Source("plan", plan.id, plan.title, _documents_stamp(plan.document_id, plan.title),
                            read_body=lambda p=plan: plan_text(p)))
        for comment in db.session.scalars(select(PlanComment).where(PlanComment.plan_id == plan.id)):
            title = f"Comment on “{plan.title}”"
            found.append(Source("comment", comment.id, title, "", body=comment.body))
    studies = db.session.scalars(select(StudyDocument).join(ResearchCycle)
                                 .where(ResearchCycle.work_group_id == group_id))
    for study in studies:
        title = f"Study document · {study.cycle.title}"
        found.append(Source("study", study.id, title, _documents_stamp(study.document_id, title),
                            read_body=lambda s=study: richtext.to_text(richtext.load(document_state(s.document_id)))))
    records = db.session.scalars(select(ObservationRecord).join(Visit).join(GroupSession)
                                 .where(GroupSession.work_group_id == group_id, Visit.records_deleted_at.is_(None)))
    for record in records:
        title = f"Observation notes · {record.visit.session.title} · {record.observer.name}"
        found.append(Source("note", record.id, title, _documents_stamp(record.document_id, title),
                            read_body=lambda r=record: "\n".join(n["text"] for n in record_content(r).notes)))
    posts = db.session.scalars(select(Post).join(DiscussionThread).join(GroupSession)
                               .where(GroupSession.work_group_id == group_id, Post.deleted.is_(False)))
    for post in posts:
        found.append(Source("post", post.id, f"Post-lesson discussion · {post.thread.session.title}", "",
                            body=post.body_markdown))
    return found


def devplan_sources(devplan_id: int) -> list[Source]:
    plan = db.session.get(DevPlan, devplan_id)
    title = f"Comment on the development plan “{plan.title}”" if plan is not None else "Comment"
    return [Source("devcomment", c.id, title, "", body=c.body)
            for c in db.session.scalars(select(DevPlanComment).where(DevPlanComment.plan_id == devplan_id))]


def hub_sources(hub_id: int) -> list[Source]:
    return [Source("library", item.id, item.title, "",
                   body="\n".join([item.research_question, item.summary, item.plan_title, item.plan_text]))
            for item in db.session.scalars(select(PublishedItem).where(PublishedItem.hub_id == hub_id))]


def _sync(scope: dict, sources: list[Source]) -> None:
    column, value = next(iter(scope.items()))
    existing = {(e.kind, e.ref_id): e for e in db.session.scalars(
        select(SearchEntry).where(getattr(SearchEntry, column) == value))}
    seen = set()
    for source in sources:
        key = (source.kind, source.ref_id)
        seen.add(key)
        entry = existing.get(key)
        title = clean(source.title)[:300]
        if entry is not None and entry.stamp == source.stamp and entry.title == title and (
                source.body is None or entry.body == clean(source.body)):
            continue
        body = clean(source.body if source.body is not None else source.read_body())  # type: ignore[operator]
        if entry is None:
            # A row indexed under another scope (a plan moved group, say) is taken over.
            entry = db.session.scalar(select(SearchEntry).where(SearchEntry.kind == source.kind,
                                                                SearchEntry.ref_id == source.ref_id))
            if entry is None:
                entry = SearchEntry(kind=source.kind, ref_id=source.ref_id)
                db.session.add(entry)
            entry.work_group_id = entry.devplan_id = entry.hub_id = None
            setattr(entry, column, value)
        entry.title, entry.body, entry.stamp = title, body, source.stamp
    gone = [e.id for key, e in existing.items() if key not in seen]
    if gone:
        db.session.execute(delete(SearchEntry).where(SearchEntry.id.in_(gone)))


def refresh(group_ids: set[int], devplan_ids: set[int], hub_ids: set[int]) -> None:
    for group_id in sorted(group_ids):
        _sync({"work_group_id": group_id}, group_sources(group_id))
    for devplan_id in sorted(devplan_ids):
        _sync({"devplan_id": devplan_id}, devplan_sources(devplan_id))
    for hub_id in sorted(hub_ids):
        _sync({"hub_id": hub_id}, hub_sources(hub_id))
    db.session.commit()
