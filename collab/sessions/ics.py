"""A small iCalendar (RFC 5545) encoder: VCALENDAR with VEVENTs, times in UTC.

Written here rather than pulled in as a dependency: we only ever publish events, and the
rules that matter (TEXT escaping, folding at 75 octets, CRLF) fit in a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collab.sessions.models import GroupSession

PRODID = "-//Collab//Maths Hub Work Groups//EN"
CRLF = "\r\n"
MAX_OCTETS = 75
# RFC 5545 TEXT allows no control characters except HTAB; line breaks are escaped separately.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    dtstamp: datetime
    location: str = ""
    description: str = ""
    url: str | None = None
    sequence: int = 0


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash first, so the escapes we add are not escaped again."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def format_utc(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the iCalendar encoder")
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Split a content line so no physical line passes 75 octets, never inside a UTF-8 character.

    Each continuation line starts with one space, which counts towards its 75 octets.
    """
    if len(line.encode()) <= MAX_OCTETS:
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode())
        if size + width > MAX_OCTETS:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return CRLF.join(parts)


def _event_lines(event: Event) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{format_utc(event.dtstamp)}",
        f"DTSTART:{format_utc(event.starts_at)}",
        f"DTEND:{format_utc(event.ends_at)}",
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")  # a URI value: not TEXT, so not escaped
    lines.append("END:VEVENT")
    return lines


def render_calendar(events: Iterable[Event], name: str | None = None) -> str:
    """The whole VCALENDAR as one string with CRLF line endings (encode as UTF-8 to send)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        # Not in RFC 5545, but Apple, Google and Outlook all use it to name a subscribed calendar.
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
        lines.append("REFRESH-INTERVAL;VALUE=DURATION:PT1H")  # RFC 7986
        lines.append("X-PUBLISHED-TTL:PT1H")
    for event in events:
        lines.extend(_event_lines(event))
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF


def session_event(session: GroupSession, base_url: str, dtstamp: datetime) -> Event:
    """A Work Group session as an event. base_url is COLLAB_BASE_URL, so links work from a calendar app."""
    base = base_url.rstrip("/")
    page = f"{base}/sessions/{session.id}"
    # The installation's host goes in the UID: a teacher may subscribe to two installations,
    # and session 5 of one must not overwrite session 5 of the other in their calendar.
    host = re.sub(r"^[a-z]+://", "", base).split("/")[0].split(":")[0] or "collab"
    location = ", ".join(part for part in (session.place, session.host_school.name if session.host_school else "")
                         if part)
    description = "\n\n".join(part for part in (
        f"{session.kind.label} · {session.work_group.project_code} {session.work_group.title}",
        session.agenda.strip(),
        f"Session page: {page}",
    ) if part)
    return Event(uid=f"session-{session.id}@{host}", starts_at=session.starts_at, ends_at=session.ends_at,
                 summary=session.title, dtstamp=dtstamp, location=location, description=description,
                 url=page, sequence=session.sequence)
