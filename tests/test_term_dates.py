"""The demo's school terms: a wanted date moves to the next school day in term (Mon–Fri, not in the holidays)."""

from datetime import date, timedelta

import pytest

from collab.demo.term_dates import easter_sunday, is_school_day, next_school_day, previous_school_day


@pytest.mark.parametrize(("year", "easter"), [(2008, date(2008, 3, 23)), (2019, date(2019, 4, 21)),
                                              (2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)),
                                              (2026, date(2026, 4, 5)), (2038, date(2038, 4, 25))])
def test_easter_sunday_is_computed_for_early_and_late_years(year, easter):
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(("wanted", "school_day"), [
    (date(2026, 12, 25), date(2027, 1, 4)),  # Christmas Day: the first day of the spring term
    (date(2026, 10, 28), date(2026, 11, 2)),  # October half term: the Monday after it
    (date(2027, 3, 29), date(2027, 4, 5)),  # Easter Monday: the summer term after Easter week
    (date(2026, 12, 5), date(2026, 12, 7)),  # a Saturday in term: the Monday
    (date(2026, 2, 17), date(2026, 2, 23)),  # February half term
    (date(2026, 5, 27), date(2026, 6, 1)),  # late-May half term
    (date(2026, 5, 4), date(2026, 5, 5)),  # the early-May bank holiday
    (date(2026, 8, 10), date(2026, 9, 3)),  # the summer holidays: the first day of the autumn term
])
def test_a_date_outside_term_moves_to_the_next_school_day(wanted, school_day):
    assert not is_school_day(wanted)
    assert next_school_day(wanted) == school_day


def test_a_term_day_stays():
    wednesday = date(2026, 12, 9)
    assert is_school_day(wednesday)
    assert next_school_day(wednesday) == previous_school_day(wednesday) == wednesday


def test_a_past_date_in_the_holidays_moves_back_to_the_end_of_term():
    assert previous_school_day(date(2026, 12, 25)) == date(2026, 12, 18)
    assert previous_school_day(date(2026, 10, 28)) == date(2026, 10, 23)


def test_no_school_day_falls_at_a_weekend_christmas_or_in_august():
    day = date(2024, 1, 1)
    while day < date(2029, 1, 1):
        if is_school_day(day):
            assert day.weekday() < 5
            assert day.month != 8 and not (day.month == 12 and day.day > 20) and not (day.month == 1 and day.day < 4)
        day += timedelta(days=1)
    school_days = sum(is_school_day(date(2026, 9, 1) + timedelta(days=n)) for n in range(365))
    assert 180 <= school_days <= 195  # an English school year is 190 days (plus a few training days)
