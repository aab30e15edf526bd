"""Writes for lesson observation visits: set-up, observers, retention, and the lesson's state as the visit
room sees it. Called by views, socket handlers and the CLI alike; they take the acting user first and check
permission themselves. Running the lesson clock is in lesson_clock.py; reading a record is in records/content.py."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, select

from collab.activity.services import record as record_activity
from collab.extensions import db
from collab.groups.models import WorkGroup
from collab.groups.permissions import can_lead_group_work, is_member
from collab.observations.anticipated.items import copy_from_plan
from collab.observations.models import CasePupil, ChecklistTemplate, ObservationRecord, Visit
from collab.observations.permissions import can_set_up_visit
from collab.observations.records import checklists
from collab.plans.models import LessonPlan
from collab.realtime.access import announce_access_change
from collab.realtime.models import DocumentSnapshot, DocumentUpdate, SharedDocument
from collab.realtime.publish import emit_to_room
from collab.realtime.rooms import room_name
from collab.sessions.models import GroupSession
from collab.web.lookups import get_or_none, parse_id

MAX_CASE_PUPILS = 6
MAX_PHASES = 12
DEFAULT_TEMPLATE = "default"


class NotAllowed(PermissionError):
    """The actor may not do this (views check first and answer 403/404 themselves)."""


class InvalidVisit(ValueError):
    """Input that must not be saved; the message is for people."""


@dataclass(frozen=True)
class PupilInput:
    label: str
    prediction: str = ""


@dataclass(frozen=True)
class ObserverInput:
    user_id: int
    follows: int | None = None  # index into the case pupils


@dataclass(frozen=True)
class VisitSetup:
    plan_id: int | None = None
    template: str = DEFAULT_TEMPLATE  # "default" or a ChecklistTemplate id as a string
    phases: tuple[str, ...] = checklists.DEFAULT_PHASES
    pupils: tuple[PupilInput, ...] = ()
    observers: tuple[ObserverInput, ...] = ()
    host_id: int | None = None
    share_notes_during: bool = False
    retention_months: int | None = None
    extra: dict = field(default_factory=dict)


def visit_room(visit: Visit) -> str:
    return room_name("visit", visit.id)


def record_rooms(visit: Visit) -> list[str]:
    """The rooms of the visit's observation records (collab.observations.events): who may read each depends on
    the visit (its sharing rule, whether the lesson ended, whether the records were deleted)."""
    return [room_name("observation", record.id) for record in visit.records]


def visit_for_session(session: GroupSession) -> Visit | None:
    return db.session.scalars(select(Visit).where(Visit.session_id == session.id)).first()


def group_templates(group: WorkGroup) -> list[ChecklistTemplate]:
    return list(db.session.scalars(select(ChecklistTemplate).where(ChecklistTemplate.work_group_id == group.id)
                                   .order_by(ChecklistTemplate.name)))


def template_choice(group: WorkGroup, key: str) -> tuple[str, list[dict]]:
    if key in ("", DEFAULT_TEMPLATE):
        return checklists.DEFAULT_NAME, checklists.default_criteria()
    template = get_or_none(ChecklistTemplate, parse_id(key))
    if template is None or template.work_group_id != group.id:
        raise InvalidVisit("Choose one of the Work Group's checklists.")
    return template.name, template.criteria


def group_plans(group: WorkGroup) -> list[LessonPlan]:
    return list(db.session.scalars(select(LessonPlan).where(LessonPlan.work_group_id == group.id)
                                   .order_by(LessonPlan.title)))


# --- set-up -----------------------------------------------------------------------------------------

def _clean_pupils(pupils: tuple[PupilInput, ...]) -> list[PupilInput]:
    if len(pupils) > MAX_CASE_PUPILS:
        raise InvalidVisit(f"Follow at most {MAX_CASE_PUPILS} case pupils.")
    cleaned = []
    for n, pupil in enumerate(pupils):
        label = " ".join(pupil.label.split()) or f"Pupil {chr(ord('A') + n)}"
        if len(label) > 40:
            raise InvalidVisit("A case pupil's pseudonym is at most 40 characters.")
        cleaned.append(PupilInput(label, pupil.prediction.strip()[:2000]))
    return cleaned


def _clean_phases(phases: tuple[str, ...]) -> list[str]:
    cleaned = [" ".join(p.split())[:80] for p in phases if p.strip()]
    cleaned = list(dict.fromkeys(cleaned))
    if not cleaned:
        raise InvalidVisit("Give the lesson at least one phase.")
    if len(cleaned) > MAX_PHASES:
        raise InvalidVisit(f"Give the lesson at most {MAX_PHASES} phases.")
    return cleaned


def set_up_visit(actor, session: GroupSession, setup: VisitSetup) -> Visit:
    """Create or change the visit of an observation or transition session.

    The chosen checklist's criteria are copied into the visit (frozen): later edits to the template do not
    change it, and once the lesson has started the checklist cannot be swapped."""
    visit = visit_for_session(session)
    if not can_set_up_visit(actor, session, visit):
        raise NotAllowed("only the Work Group lead or the host teacher sets up a visit")
    group = session.work_group
    members = {m.user_id: m for m in group.memberships}
    pupils = _clean_pupils(setup.pupils)
    phases = _clean_phases(setup.phases)
    plan = db.session.get(LessonPlan, setup.plan_id) if setup.plan_id else None
    if setup.plan_id and (plan is None or plan.work_group_id != group.id):
        raise InvalidVisit("Choose a lesson plan of this Work Group.")
    if setup.host_id is not None and setup.host_id not in members:
        raise InvalidVisit("The host teacher must be a member of the Work Group.")
    for observer in setup.observers:
        if observer.user_id not in members:
            raise InvalidVisit("Observers must be members of the Work Group.")
        if observer.follows is not None and not 0 <= observer.follows < len(pupils):
            raise InvalidVisit("An observer can only follow one of the case pupils.")
    if setup.retention_months is not None and not 1 <= setup.retention_months <= 120:
        raise InvalidVisit("Keep records for between 1 and 120 months.")

    creating = visit is None
    plan_changed = visit is None or visit.plan_id != (plan.id if plan else None)
    observer_ids = {o.user_id for o in setup.observers}
    if visit is not None and (visit.share_notes_during != setup.share_notes_during
                              or any(r.observer_id not in observer_ids for r in visit.records)):
        announce_access_change(rooms=record_rooms(visit))  # the sharing rule changed, or records may go
    if visit is None:
        name, criteria = template_choice(group, setup.template)
        visit = Visit(session=session, checklist_name=name, criteria_json=json.dumps(criteria))
        db.session.add(visit)
    elif visit.lesson_started_at is None and setup.template != "keep":
        name, criteria = template_choice(group, setup.template)
        visit.checklist_name, visit.criteria_json = name, json.dumps(criteria)
    visit.plan = plan
    visit.host_id = setup.host_id
    visit.phases_json = json.dumps(phases)
    if visit.current_phase and visit.current_phase not in phases:
        visit.current_phase = phases[0]
    visit.share_notes_during = setup.share_notes_during
    if can_lead_group_work(actor, group):
        visit.retention_months = setup.retention_months

    existing = list(visit.case_pupils)
    for n, pupil in enumerate(pupils):
        if n < len(existing):
            existing[n].label, existing[n].prediction, existing[n].position = pupil.label, pupil.prediction, n
        else:
            visit.case_pupils.append(CasePupil(label=pupil.label, prediction=pupil.prediction, position=n))
    for extra in existing[len(pupils):]:
        visit.case_pupils.remove(extra)
    db.session.flush()
    pupil_rows = list(visit.case_pupils)
    if plan_changed:  # the plan's anticipated items, copied (collab/observations/anticipated/items.py)
        copy_from_plan(visit)

    wanted = {o.user_id: o for o in setup.observers}
    if visit.records_deleted_at is None:
        for record in list(visit.records):
            if record.observer_id not in wanted and not record_has_content(record):
                _delete_record_rows(record)
        current = {r.observer_id: r for r in visit.records}
        for user_id, observer in wanted.items():
            record = current.get(user_id) or _new_record(visit, user_id)
            record.follows = pupil_rows[observer.follows] if observer.follows is not None else None
    if creating:
        record_activity(group.id, actor, f"{actor.name} set up the observation of “{session.title}”", visit)
    db.session.commit()
    if not creating:
        publish_lesson_state(visit)
        publish_records_changed(visit)  # observers added or removed, or the sharing rule changed
    return visit


def _new_record(visit: Visit, user_id: int) -> ObservationRecord:
    document = SharedDocument(kind="observation")
    db.session.add(document)
    db.session.flush()
    record = ObservationRecord(visit=visit, observer_id=user_id, document_id=document.id)
    db.session.add(record)
    return record


def record_has_content(record: ObservationRecord) -> bool:
    return bool(db.session.scalar(select(exists().where(DocumentUpdate.document_id == record.document_id)))
                or db.session.scalar(select(exists().where(DocumentSnapshot.document_id == record.document_id))))


def _delete_record_rows(record: ObservationRecord) -> None:
    from collab.observations.photos.storage import visit_folder

    document_id = record.document_id
    for photo in record.photos:
        for name in (photo.filename, photo.thumb_filename):
            (visit_folder(record.visit_id) / name).unlink(missing_ok=True)
    record.visit.records.remove(record)
    db.session.flush()
    db.session.execute(db.delete(SharedDocument).where(SharedDocument.id == document_id))


def record_of(visit: Visit, user) -> ObservationRecord | None:
    return next((r for r in visit.records if r.observer_id == getattr(user, "id", None)), None)


def join_as_observer(actor, visit: Visit) -> ObservationRecord:
    """A member of the Work Group who was not assigned adds themself as an observer."""
    if not is_member(actor, visit.work_group) or visit.records_deleted_at is not None:
        raise NotAllowed("only members of the Work Group observe")
    record = record_of(visit, actor)
    if record is None:
        record = _new_record(visit, actor.id)
        db.session.commit()
        publish_records_changed(visit)
    return record


# --- the lesson's state (what visit:phase carries; lesson_clock.py runs the clock) ------------------

def _ms(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp() * 1000)


def lesson_state(visit: Visit) -> dict:
    """What visit:phase carries: the phase, the lesson's start and end (ms since epoch) and the sharing rule."""
    return {"visit": visit.id, "phase": visit.current_phase, "phases": visit.phases,
            "started_at": _ms(visit.lesson_started_at), "ended_at": _ms(visit.lesson_ended_at),
            "share": visit.share_notes_during}


def publish_lesson_state(visit: Visit) -> None:
    emit_to_room(visit_room(visit), "visit:phase", (visit_room(visit), lesson_state(visit)))


def announce_private_lessons(group: WorkGroup, user_id: int) -> None:
    """Connected to collab.groups.signals.member_role_changed (collab.observations.init_app). While a visit's notes
    are private (not shared, the lesson not ended), a lead reads every observer's and a member only their own: a
    member made lead, or a lead no longer, reads more or fewer records. Each such visit room of the group hears
    visit:records, and its pages ask again what they may read. (Removal also cuts their rooms: access changes.)"""
    visits = db.session.scalars(
        select(Visit).join(GroupSession).where(GroupSession.work_group_id == group.id,
                                               Visit.lesson_ended_at.is_(None), Visit.records_deleted_at.is_(None),
                                               Visit.share_notes_during.is_(False)))
    for visit in visits:
        publish_records_changed(visit)


def publish_records_changed(visit: Visit) -> None:
    """visit:records: a record was added or removed, or who may read the records changed. Only the visit's id:
    each page asks again what it may read (the discussion page's live table: its anticipated-records)."""
    emit_to_room(visit_room(visit), "visit:records", (visit_room(visit), {"visit": visit.id}))


# --- retention -----------------------------------------------------------------------------------

def set_retention(actor, visit: Visit, months: int | None) -> None:
    if not can_lead_group_work(actor, visit.work_group):
        raise NotAllowed("only a lead sets how long records are kept")
    if months is not None and not 1 <= months <= 120:
        raise InvalidVisit("Keep records for between 1 and 120 months.")
    visit.retention_months = months
    db.session.commit()
