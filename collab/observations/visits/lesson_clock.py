"""Running the lesson clock of an observation visit: start, move to a phase, end, and whether observers see
each other's notes during the lesson. Each change commits, then reaches the visit room as visit:phase, and as
visit:records when it changes who may read the records."""

from __future__ import annotations

from collab.extensions import db
from collab.observations.models import Visit
from collab.observations.permissions import can_run_lesson
from collab.observations.visits.services import (
    InvalidVisit,
    NotAllowed,
    publish_lesson_state,
    publish_records_changed,
    record_rooms,
)
from collab.realtime.access import announce_access_change
from collab.types import utcnow


def _check_runner(actor, visit: Visit) -> None:
    if not can_run_lesson(actor, visit):
        raise NotAllowed("only the host teacher or the Work Group lead runs the lesson")


def start_lesson(actor, visit: Visit) -> None:
    """Start the lesson, or resume one ended (by mistake, say): it keeps its real start, so the minute stamps of
    notes already taken never change."""
    _check_runner(actor, visit)
    resumed = visit.lesson_ended_at is not None
    if resumed:
        announce_access_change(rooms=record_rooms(visit))  # resumed: notes are private again
        visit.lesson_ended_at = None
    if visit.lesson_started_at is None:
        visit.lesson_started_at = utcnow()
    visit.current_phase = visit.current_phase or visit.phases[0]
    db.session.commit()
    publish_lesson_state(visit)
    if resumed:
        publish_records_changed(visit)


def move_to_phase(actor, visit: Visit, phase: str) -> None:
    _check_runner(actor, visit)
    if phase not in visit.phases:
        raise InvalidVisit("Choose one of the lesson's phases.")
    if visit.lesson_started_at is None:
        visit.lesson_started_at = utcnow()
    visit.current_phase = phase
    db.session.commit()
    publish_lesson_state(visit)


def end_lesson(actor, visit: Visit) -> None:
    _check_runner(actor, visit)
    now = utcnow()
    visit.lesson_started_at = visit.lesson_started_at or now
    visit.lesson_ended_at = now
    announce_access_change(rooms=record_rooms(visit))  # the Work Group's members read every record now
    db.session.commit()
    publish_lesson_state(visit)
    publish_records_changed(visit)


def set_sharing(actor, visit: Visit, share: bool) -> None:
    _check_runner(actor, visit)
    changed = visit.share_notes_during != bool(share)
    if changed:
        announce_access_change(rooms=record_rooms(visit))
    visit.share_notes_during = bool(share)
    db.session.commit()
    publish_lesson_state(visit)
    if changed:
        publish_records_changed(visit)
