"""The records the visit room page shows a person, at load and again whenever the visit room says the records or
their readers changed (visit:records): GET /visits/<id>/room-records, asked by static/src/_obs-room.js, so an
observer who starts after the page was loaded (or a record that becomes readable) appears without a reload."""

from __future__ import annotations

from collab.groups.permissions import can_read_group_work
from collab.observations.models import ObservationRecord, Visit
from collab.observations.summary.build import readable_records
from collab.realtime.rooms import room_name


def room_records(user, visit: Visit) -> tuple[bool, list[ObservationRecord]]:
    """Whether `user`'s page follows the visit's records live, and the records whose notes it shows them: those
    they may read now. A Work Group member's page follows them while they exist, even with none to read yet (a
    colleague who starts observing later, or whose notes the host shares, appears without a reload). Nothing to
    someone outside the Work Group: an invited host reads a finished transition visit's records in its summary,
    never live in the room."""
    follows = visit.records_deleted_at is None and can_read_group_work(user, visit.work_group)
    return follows, (readable_records(user, visit) if follows else [])


def record_source(record: ObservationRecord) -> dict:
    """What a page needs to read one record live: its room (joined read-only) and its observer."""
    return {"id": record.id, "room": room_name("observation", record.id), "observer": record.observer.name,
            "observerId": record.observer_id}


def room_records_state(visit: Visit, follows: bool, readable: list[ObservationRecord]) -> dict:
    """`follows`, `readable`: room_records(user, visit). Everything on the page that follows the records: the
    readable ones' rooms, every observer (the "Observing" list, names only, as the page shows anyone who sees the
    visit) and how many observers' notes are hidden from the person (while the host keeps notes private during
    the lesson)."""
    return {"records": [record_source(r) for r in readable],
            "observers": [{"id": r.observer_id, "name": r.observer.name,
                           "follows": r.follows.label if r.follows else ""} for r in visit.records],
            "hidden": len(visit.records) - len(readable) if follows else 0}
