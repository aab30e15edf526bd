"""The discussion page's "Anticipated versus observed" table: the server draws it (anticipated_for_session) and
static/src/disc-anticipated.js keeps it live by reading the observers' records over the real-time layer, as the
visit room does. This is what that script is given: the visit's anticipated items and the record rooms it may
join. Nothing is given (the table stays as drawn) when a record the table counts could not be joined: the host
primary school reading a finished transition visit's records is shown them here but may not join their rooms."""

from __future__ import annotations

from collab.observations.anticipated.table import SessionTable
from collab.observations.models import ObservationRecord
from collab.observations.permissions import can_read_record
from collab.realtime.rooms import room_name


def live_table_config(user, table: SessionTable | None, records: list[ObservationRecord]) -> dict | None:
    """`records`: those the table was drawn from (summary.build.readable_records), worked out once by the page."""
    if table is None:
        return None
    if not records or not all(can_read_record(user, record) for record in records):
        return None
    return {
        "anticipated": [{"id": str(i.id), "kind": i.kind, "pupil": i.pupil, "text": i.text, "inPlan": i.in_plan}
                        for i in table.visit.anticipated],
        "summaryUrl": table.note_link,  # None: the notes are not links (the person may not read the summary)
        "records": [{"id": r.id, "room": room_name("observation", r.id), "observer": r.observer.name,
                     "observerId": r.observer_id} for r in records],
    }
