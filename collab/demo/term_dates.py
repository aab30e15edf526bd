"""The usual English school terms, so that demo sessions fall on school days (none in the holidays).

Every local authority and academy trust sets its own dates; these are the usual pattern, close enough for a demo:

- autumn: the first weekday on or after 3 September to the last Friday on or before 20 December, with half term
  in the week of the last Monday of October;
- spring: the first weekday on or after 4 January to the Friday before Holy Week, with half term in the week of
  the first Monday on or after 11 February; the Easter holidays are Holy Week and Easter week (Good Friday and
  Easter Monday inside them);
- summer: the Monday after Easter week to 22 July, with half term in the week of the late-May bank holiday (the
  last Monday of May) and the early-May bank holiday (the first Monday of May) off.

A school day is a Monday to Friday in term.
"""

from __future__ import annotations

from datetime import date, timedelta

MONDAY, FRIDAY = 0, 4


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741  (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _weekday_on_or_after(day: date) -> date:
    return _on_or_after(day, MONDAY) if day.weekday() > FRIDAY else day


def terms(year: int) -> list[tuple[date, date]]:
    """The half terms that fall in calendar year `year`, as (first day, last day), in order."""
    spring_start = _weekday_on_or_after(date(year, 1, 4))
    february_half_term = _on_or_after(date(year, 2, 11), MONDAY)
    easter = easter_sunday(year)
    holy_week = easter - timedelta(days=6)  # the Monday before Easter
    summer_start = easter + timedelta(days=8)  # the Monday after Easter week
    may_half_term = _on_or_before(date(year, 5, 31), MONDAY)
    autumn_start = _weekday_on_or_after(date(year, 9, 3))
    october_half_term = _on_or_before(date(year, 10, 31), MONDAY)
    autumn_end = _on_or_before(date(year, 12, 20), FRIDAY)
    week = timedelta(days=7)
    return [
        (spring_start, february_half_term - timedelta(days=1)),
        (february_half_term + week, holy_week - timedelta(days=1)),
        (summer_start, may_half_term - timedelta(days=1)),
        (may_half_term + week, date(year, 7, 22)),
        (autumn_start, october_half_term - timedelta(days=1)),
        (october_half_term + week, autumn_end),
    ]


def is_school_day(day: date) -> bool:
    """Monday to Friday in term, and not a bank holiday."""
    if day.weekday() > FRIDAY:
        return False
    if day == _on_or_after(date(day.year, 5, 1), MONDAY):  # the early-May bank holiday
        return False
    return any(first <= day <= last for first, last in terms(day.year))


def next_school_day(day: date) -> date:
    """`day` itself if it is a school day, otherwise the first school day after it."""
    while not is_school_day(day):
        day += timedelta(days=1)
    return day


def previous_school_day(day: date) -> date:
    """`day` itself if it is a school day, otherwise the last school day before it (for dates in the past)."""
    while not is_school_day(day):
        day -= timedelta(days=1)
    return day
