"""The year's figures, computed on the small year of conftest.py."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from collab.extensions import db
from collab.groups.models import Role
from collab.reports import register
from collab.reports.models import Presence
from collab.reports.services import NO_SCHOOL, year_figures
from collab.sessions.models import SessionKind
from tests import factories


def test_sessions_are_counted_by_kind_as_held_or_still_to_come(world, year):
    figures = year_figures(world.group)
    kinds = {k.kind: (k.held, k.planned) for k in figures.kinds}
    assert kinds == {SessionKind.OBSERVATION: (1, 0), SessionKind.PLANNING: (1, 0), SessionKind.TRANSITION: (0, 1)}
    assert [s.title for s in figures.held] == ["Year 9 research lesson", "Co-planning ratio tables"]
    assert [s.title for s in figures.planned] == ["KS2–KS3 transition"]


def test_each_session_has_its_attendance_rate_of_the_people_marked(world, year):
    by_title = {s.title: s for s in year_figures(world.group).sessions}
    visit = by_title["Year 9 research lesson"]
    assert (visit.invited, visit.tally.present, visit.tally.apologies, visit.tally.absent) == (3, 2, 1, 0)
    assert visit.tally.rate == 66.7
    assert by_title["Co-planning ratio tables"].tally.rate == 50.0
    assert by_title["KS2–KS3 transition"].tally.rate is None


def test_the_year_attendance_rate_counts_every_mark(world, year):
    total = year_figures(world.group).tally
    assert (total.present, total.absent, total.apologies, total.rate) == (3, 1, 1, 60.0)


def test_participation_is_counted_per_school(world, year):
    schools = {s.name: s for s in year_figures(world.group).schools}
    castle, riverside, meadow = schools["Castle Hill Academy"], schools["Riverside School"], \
        schools["Meadow Primary School"]
    assert (castle.members, castle.tally.present, castle.tally.rate, castle.hosted) == (1, 2, 100.0, 1)
    assert castle.reviews == 1
    assert (riverside.members, riverside.tally.present, riverside.tally.rate, riverside.hosted) == (2, 1, 33.3, 0)
    assert (meadow.members, meadow.hosted, meadow.tally.rate) == (0, 0, None)  # its session is still to come


def test_cycles_actions_reviews_and_visits_are_counted(world, year):
    figures = year_figures(world.group)
    assert (figures.cycles_finished, figures.cycles_in_progress) == (1, 1)
    assert (figures.actions_agreed, figures.actions_done) == (3, 1)
    assert (figures.rounds, figures.reviews) == (1, 1)
    assert (figures.visits_set_up, figures.visits_held) == (1, 1)


def test_another_work_groups_year_is_not_counted(world, year):
    other = factories.work_group(world.hub, "NCP24-99a", [world.school_a])
    factories.member(other, world.lead, Role.LEAD)
    session = factories.session(other, starts_in=timedelta(days=-3), attendees=[world.lead])
    register.mark_attendance(world.lead, session, {world.lead.id: Presence.ABSENT})
    figures = year_figures(world.group)
    assert len(figures.sessions) == 3 and figures.tally.absent == 1
    assert year_figures(other).tally.absent == 1 and year_figures(other).cycles_finished == 0


def test_someone_marked_without_a_school_in_the_group_has_a_row_of_their_own(world, year):
    guest = factories.user("guest@example.org", "Gill Guest")
    factories.member(world.group, guest)
    register.mark_attendance(world.lead, year.planning, {guest.id: Presence.PRESENT})
    schools = {s.name: s for s in year_figures(world.group).schools}
    assert schools[NO_SCHOOL].tally.present == 1 and schools[NO_SCHOOL].members == 1


def _queries_for(group) -> int:
    count = 0

    def counted(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        db.session.expire_all()
        year_figures(group)
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return count


def test_the_figures_take_the_same_few_queries_however_many_sessions(world, year):
    few = _queries_for(world.group)
    for days in range(2, 12):
        session = factories.session(world.group, starts_in=timedelta(days=-days), attendees=[world.lead])
        register.mark_attendance(world.lead, session, {world.lead.id: Presence.PRESENT})
    assert _queries_for(world.group) == few <= 14  # the group itself, then one query per kind of figure
