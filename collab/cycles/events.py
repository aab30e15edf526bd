"""The cycles package's part in the real-time layer: the "study" room kind (a cycle's study document)."""

from __future__ import annotations

from collab.cycles.models import StudyDocument
from collab.cycles.permissions import can_edit_study, can_read_cycle
from collab.cycles.study import ROOM_KIND
from collab.extensions import db
from collab.realtime.rooms import Access, register_kind


def resolve_study(user, study_id: int) -> tuple[int, Access] | None:
    study = db.session.get(StudyDocument, study_id)
    if study is None or not can_read_cycle(user, study.cycle):
        return None
    return study.document_id, ("edit" if can_edit_study(user, study.cycle) else "read")


def register() -> None:
    # Who may read or edit follows the person's memberships, which groups.services and accounts.services announce
    # (collab.realtime.access): a member removed from the group is cut off at their next message.
    register_kind(ROOM_KIND, resolve_study)
