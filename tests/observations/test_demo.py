"""The demo data has a visit in progress and a finished visit with ratings and notes from three observers."""

from __future__ import annotations

from collab.observations.models import Visit
from collab.observations.records.content import record_content


def test_the_demo_has_a_visit_in_progress_linked_to_the_year_8_plan(demo):
    visit = next(v for v in Visit.query.all() if v.session.title.startswith("Year 8 ratio lesson"))
    assert visit.in_progress and visit.plan is not None and len(visit.case_pupils) == 3
    assert all(record_content(r).notes for r in visit.records)


def test_the_demo_has_a_finished_visit_with_ratings_from_three_observers(demo):
    visit = next(v for v in Visit.query.all() if v.session.title.startswith("Year 9"))
    assert visit.lesson_ended_at is not None and len(visit.records) == 3
    assert all(record_content(r).ratings and record_content(r).notes for r in visit.records)
