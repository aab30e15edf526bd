"""The discussion page's "Anticipated versus observed" table: the server draws it (anticipated_for_session) and
static/src/disc-anticipated.js keeps it live by reading the observers' records over the real-time layer, as the
visit room does. This is what that script is given: the visit's anticipated items and the record rooms it may
join, and again (live_records, GET /sessions/<id>/discussion/anticipated-records) whenever the visit room says
its records or their readers changed (visit:records): an observer who starts recording after the page was
loaded, or a record that becomes readable, joins the table without a reload. Nothing is given (the table stays
as drawn) when a record the table counts could not be joined: the host primary school reading a finished
transition visit's records is shown them here but may not join their rooms."""

from __future__ import annotations

from flask import url_for

from collab.observations.anticipated.table import SessionTable
from collab.observations.models import ObservationRecord
from collab.observations.permissions import can_read_record
from collab.observations.visits.room_records import record_source
from collab.realtime.rooms import room_name


def live_records(user, records: list[ObservationRecord]) -> list[dict] | None:
    """The rooms of `records` (summary.build.readable_records) for the script to join, or None when one of them
    may not be joined by `user`."""
    if not all(can_read_record(user, record) for record in records):
        return None
    return [record_source(r) for r in records]


def live_table_config(user, table: SessionTable | None, records: list[ObservationRecord]) -> dict | None:
    """`records`: those the table was drawn from (summary.build.readable_records), worked out once by the page.
    A visit without records yet is followed too: its first observer's record is added when it starts."""
    if table is None:
        return None
    rooms = live_records(user, records)
    if rooms is None:
        return None
    visit = table.visit
    return {
        "anticipated": [{"id": str(i.id), "kind": i.kind, "pupil": i.pupil, "text": i.text, "inPlan": i.in_plan}
                        for i in visit.anticipated],
        "summaryUrl": table.note_link,  # None: the notes are not links (the person may not read the summary)
        "records": rooms,
        "visitRoom": room_name("visit", visit.id),  # visit:records is announced there
        "recordsUrl": url_for("discussions.anticipated_records", session_id=visit.session_id),
    }
