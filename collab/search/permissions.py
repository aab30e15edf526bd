"""What a person's search may look in, and whether they may see one result: the domains' own permission
functions, asked once for the scopes (the query's filter) and again for each result."""

from __future__ import annotations

from sqlalchemy import select

from collab.cycles.models import StudyDocument
from collab.cycles.permissions import can_read_cycle
from collab.devplans.models import DevPlan, DevPlanComment
from collab.devplans.permissions import can_read_devplan
from collab.discussions.models import Post
from collab.discussions.permissions import can_read_discussion
from collab.extensions import db
from collab.groups.permissions import can_read_group_work
from collab.library.models import PublishedItem
from collab.library.permissions import can_read_item, library_hub_ids
from collab.observations.models import ObservationRecord
from collab.observations.permissions import can_read_record
from collab.plans.models import LessonPlan, PlanComment
from collab.plans.permissions import can_read_plan


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def readable_scopes(user) -> tuple[set[int], set[int], set[int]]:
    """(Work Group ids, development plan ids, hub ids) whose entries `user` may find."""
    if not _signed_in(user):
        return set(), set(), set()
    groups = {m.work_group_id for m in user.memberships if can_read_group_work(user, m.work_group)}
    devplans = {plan.id for plan in db.session.scalars(select(DevPlan)) if can_read_devplan(user, plan)}
    return groups, devplans, library_hub_ids(user)


def readable_source(user, kind: str, ref_id: int):
    """The result's source when `user` may read it now, else None (gone, deleted, or not theirs to read)."""
    if kind == "plan":
        plan = db.session.get(LessonPlan, ref_id)
        return plan if plan is not None and can_read_plan(user, plan) else None
    if kind == "comment":
        comment = db.session.get(PlanComment, ref_id)
        plan = db.session.get(LessonPlan, comment.plan_id) if comment is not None else None
        return comment if plan is not None and can_read_plan(user, plan) else None
    if kind == "study":
        study = db.session.get(StudyDocument, ref_id)
        return study if study is not None and can_read_cycle(user, study.cycle) else None
    if kind == "note":
        record = db.session.get(ObservationRecord, ref_id)
        ok = record is not None and record.visit.records_deleted_at is None and can_read_record(user, record)
        return record if ok else None
    if kind == "post":
        post = db.session.get(Post, ref_id)
        ok = post is not None and not post.deleted and can_read_discussion(user, post.thread.session)
        return post if ok else None
    if kind == "devcomment":
        dev_comment = db.session.get(DevPlanComment, ref_id)
        devplan = db.session.get(DevPlan, dev_comment.plan_id) if dev_comment is not None else None
        return dev_comment if devplan is not None and can_read_devplan(user, devplan) else None
    if kind == "library":
        item = db.session.get(PublishedItem, ref_id)
        return item if item is not None and can_read_item(user, item) else None
    return None
