"""England's six half-terms of a school year, numbered 1-6: Autumn 1 and 2, Spring 1 and 2, Summer 1 and 2.

Which half-term a day is in comes from the usual term dates (collab.demo.term_dates); a day in a holiday
counts as the half-term just ended, since that is the one a progress update written then is about.
"""

from __future__ import annotations

from datetime import date

from collab.demo.term_dates import terms
from collab.timeutil import school_year

NAMES = ("Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2")
# terms(year) lists a calendar year's half-terms from January: Spring 1 ... Summer 2, then Autumn 1 and 2.
_CALENDAR_ORDER = (3, 4, 5, 6, 1, 2)


def name(half_term: int) -> str:
    return NAMES[half_term - 1]


def half_term_of(day: date) -> tuple[str, int]:
    """(school year, half-term number) of the half-term under way on that day, or the one that ended before."""
    for (first, _last), number in reversed(list(zip(terms(day.year), _CALENDAR_ORDER, strict=True))):
        if first <= day:
            summer_holiday = number >= 3 and day.month >= 9  # 1-2 September: still last year's Summer 2
            return school_year(date(day.year, 8, 31) if summer_holiday else day), number
    return school_year(date(day.year - 1, 12, 1)), 2  # early January, before Spring 1 starts


def choices(year: str) -> list[tuple[str, str]]:
    """Form choices for one school year: ("2025/26-1", "Autumn 1 2025/26") ..."""
    return [(f"{year}-{n}", f"{name(n)} {year}") for n in range(1, 7)]


def parse(value: str) -> tuple[str, int] | None:
    year, _, number = value.rpartition("-")
    if len(year) != 7 or not number.isdigit() or not 1 <= int(number) <= 6:
        return None
    return year, int(number)
