"""Form data for the session form, with the future dates the tests need."""

from __future__ import annotations

from datetime import date

from collab.types import utcnow


def summer_day() -> date:
    """A weekday next July: British Summer Time (UTC+1)."""
    return date(utcnow().year + 1, 7, 14)


def winter_day() -> date:
    """A weekday in January after next: Greenwich Mean Time (UTC+0)."""
    return date(utcnow().year + 2, 1, 14)


def session_form(world, **overrides) -> dict:
    data = {
        "kind": "observation",
        "title": "Year 8 ratio research lesson",
        "host_school_id": str(world.school_a.id),
        "day": summer_day().isoformat(),
        "start_time": "09:00",
        "end_time": "11:30",
        "place": "Maths block, room M4",
        "agenda": "Pre-lesson briefing\nObserve the lesson\nPost-lesson discussion",
        "attendees": [str(world.lead.id), str(world.advocate.id), str(world.colleague.id)],
    }
    data.update(overrides)
    return data
