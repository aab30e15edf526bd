"""Demo registers (collab.reports): the two sessions already held are marked, so the Work Group's year at a glance
shows real figures. Today's visit, in progress, is left for the lead to mark."""

from __future__ import annotations

from collab.extensions import db
from collab.reports.models import AttendanceMark, Presence
from collab.types import utcnow

# Session index in Demo.sessions -> who was not simply present (everyone else invited was).
NOT_PRESENT = {
    0: {"kate@example.org": Presence.APOLOGIES, "tom@example.org": Presence.ABSENT},  # the research lesson
    1: {"ruth@example.org": Presence.APOLOGIES},  # co-planning
}


def add_demo_register(demo) -> None:
    lead = demo.people["lead@example.org"]
    for index, exceptions in NOT_PRESENT.items():
        session = demo.sessions[index]
        for attendance in session.attendances:
            email = attendance.user.email
            db.session.add(AttendanceMark(session=session, user=attendance.user, marked_by=lead,
                                          presence=exceptions.get(email, Presence.PRESENT),
                                          marked_at=session.ends_at or utcnow()))
