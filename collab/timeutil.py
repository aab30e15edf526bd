"""UK dates and times: stored in UTC, shown in Europe/London."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def to_london(value: datetime) -> datetime:
    return value.astimezone(LONDON)


def london_to_utc(local: datetime) -> datetime:
    """A wall-clock time typed by a user in England, as an aware datetime."""
    return local.replace(tzinfo=LONDON)


def uk_date(value: datetime | date | None) -> str:
    """'Tue 4 Mar 2025'"""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_london(value)
    return f"{value:%a} {value.day} {value:%b %Y}"


def uk_datetime(value: datetime | None) -> str:
    """'Tue 4 Mar 2025, 09:30'"""
    if value is None:
        return ""
    local = to_london(value)
    return f"{uk_date(local)}, {local:%H:%M}"


def uk_time(value: datetime | None) -> str:
    return "" if value is None else f"{to_london(value):%H:%M}"


def school_year(day: date) -> str:
    """The English school year a date falls in: 1 Sep 2024 to 31 Aug 2025 is '2024/25'."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{str(start + 1)[2:]}"
