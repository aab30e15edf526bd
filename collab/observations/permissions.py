"""Who may see, run and read lesson observation visits. Plain functions for views, socket handlers and templates.

Observation records are notes about named case pupils, so everything about a visit is need-to-know
(docs/privacy.md):
- A visit is seen by the members of the session's Work Group, and by invited hosts (teachers of the host
  school invited to the session); everyone else gets 404, a hub administrator who is not a member included.
- A lead (or a hub administrator who is a member) and the host teacher set the visit up and run the lesson clock.
- An observer edits only their own record. Other members of the Work Group read it only when the host lets
  observers see each other's notes during the lesson, or once the lesson has ended; a lead always reads.
- The summary is for the Work Group's members; for a primary transition visit it is also shared with the host
  primary school's invited teachers.
"""

from __future__ import annotations

from collab.groups.permissions import can_lead_group_work, can_read_group_work, is_member
from collab.observations.models import ObservationRecord, Visit
from collab.sessions.models import GroupSession, SessionKind

VISIT_KINDS = (SessionKind.OBSERVATION, SessionKind.TRANSITION)


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_invited_host(user, session: GroupSession) -> bool:
    """A teacher of the host school invited to the session (they may not be in the Work Group)."""
    return (_signed_in(user) and session.host_school_id is not None and user.school_id == session.host_school_id
            and any(a.user_id == user.id for a in session.attendances))


def can_view_visit_of(user, session: GroupSession) -> bool:
    return can_read_group_work(user, session.work_group) or is_invited_host(user, session)


def can_view_visit(user, visit: Visit) -> bool:
    return can_view_visit_of(user, visit.session)


def is_visit_host(user, session: GroupSession, visit: Visit | None = None) -> bool:
    """The teacher whose lesson it is: the visit's host, or before one is chosen, a member from the host school."""
    if not _signed_in(user):
        return False
    if visit is not None and visit.host_id is not None:
        return visit.host_id == user.id
    return (session.host_school_id is not None and user.school_id == session.host_school_id
            and is_member(user, session.work_group))


def can_set_up_visit(user, session: GroupSession, visit: Visit | None = None) -> bool:
    if session.kind not in VISIT_KINDS:
        return False
    return can_lead_group_work(user, session.work_group) or is_visit_host(user, session, visit)


def can_run_lesson(user, visit: Visit) -> bool:
    """Start the lesson, move its phases, end it, choose whether observers see each other's notes."""
    return can_set_up_visit(user, visit.session, visit)


def can_manage_visit_records(user, visit: Visit) -> bool:
    """Set how long records are kept; delete them."""
    return can_lead_group_work(user, visit.work_group)


def can_edit_record(user, record: ObservationRecord) -> bool:
    visit = record.visit
    return (_signed_in(user) and record.observer_id == user.id and visit.records_deleted_at is None
            and can_read_group_work(user, visit.work_group))


def can_read_record(user, record: ObservationRecord) -> bool:
    visit = record.visit
    if not _signed_in(user) or visit.records_deleted_at is not None:
        return False
    group = visit.work_group
    if not can_read_group_work(user, group):
        return False  # records are private to the Work Group's members
    if record.observer_id == user.id or can_lead_group_work(user, group):
        return True
    return visit.share_notes_during or visit.lesson_ended_at is not None


def can_read_summary(user, visit: Visit) -> bool:
    if can_read_group_work(user, visit.work_group):
        return True
    return visit.session.kind == SessionKind.TRANSITION and is_invited_host(user, visit.session)
