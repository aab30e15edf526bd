"""`flask collab demo` gives a new user something real to look at."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from collab.accounts.models import User
from collab.demo.load import DEMO_PASSWORD, load_demo, session_days
from collab.demo.term_dates import is_school_day
from collab.devplans.models import CritiqueRound
from collab.discussions.models import AgreedAction
from collab.extensions import db
from collab.groups.models import Phase, WorkGroup
from collab.observations.models import Visit
from collab.observations.records.content import record_content
from collab.plans.models import LessonPlan
from collab.plans.services import plan_text
from collab.sessions.models import GroupSession, SessionKind
from collab.timeutil import LONDON, to_london


def test_the_demo_command_loads_the_work_group_once(runner):
    assert "Demo data loaded" in runner.invoke(args=["collab", "demo"]).output
    assert "nothing changed" in runner.invoke(args=["collab", "demo"]).output
    assert db.session.query(WorkGroup).count() == 1


def test_the_demo_group_mixes_four_secondary_schools_and_a_primary(demo):
    group = db.session.query(WorkGroup).one()
    assert group.project_code == "NCP24-14b"
    phases = [s.phase for s in group.schools]
    assert phases.count(Phase.PRIMARY) == 1 and len(phases) == 5


def test_the_demo_lead_signs_in_and_sees_the_group_and_its_sessions(demo, client):
    response = client.post("/login", data={"email": "lead@example.org", "password": DEMO_PASSWORD},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "NCP24-14b" in page
    assert "KS2–KS3 transition: multiplication and division" in page


def test_the_demo_has_upcoming_sessions_including_a_transition_visit(demo):
    kinds = {s.kind for s in db.session.query(GroupSession)}
    assert {SessionKind.OBSERVATION, SessionKind.PLANNING, SessionKind.TRANSITION} <= kinds


def test_the_demo_plan_is_in_progress_with_text_from_several_teachers(demo):
    plan = db.session.query(LessonPlan).filter_by(title="Year 8: ratio tables and the double number line").one()
    assert "double number line" in plan_text(plan)
    assert db.session.query(User).filter(User.email == "lead@example.org").one().is_active


# A believable demo (issue 15): sessions in term time, today's visit in progress, each visit its own case pupils.

def _day(value):
    return to_london(value).date()


@pytest.mark.parametrize("today", [date(2026, 12, 25), date(2026, 10, 28), date(2027, 3, 29), date(2026, 12, 5),
                                   date(2026, 8, 10), date(2027, 1, 4), date(2026, 12, 9)],
                         ids=["christmas", "october-half-term", "easter-monday", "saturday", "august",
                              "first-day-of-term", "term-day"])
def test_every_session_but_the_live_visit_is_on_a_school_day_in_term(app, today):
    load_demo(today)
    sessions = db.session.scalars(db.select(GroupSession).order_by(GroupSession.starts_at)).all()
    live = [v.session for v in db.session.scalars(db.select(Visit)) if v.in_progress]
    assert len(live) == 1 and _day(live[0].starts_at) == today  # even at a weekend or in the holidays
    others = [s for s in sessions if s is not live[0]]
    assert all(is_school_day(_day(s.starts_at)) for s in others)
    assert all(_day(s.ends_at) == _day(s.starts_at) for s in sessions)
    days = [_day(s.starts_at) for s in sessions]
    assert len(set(days)) == len(days)  # one session a day
    past = [s for s in others if s.starts_at < live[0].starts_at]
    assert [s.title for s in past] == ["Year 7 fractions of amounts: research lesson",
                                       "Year 9 proportional reasoning: research lesson",
                                       "Co-planning: ratio tables and the double number line"]
    assert all(_day(s.starts_at) < today for s in past) and all(_day(s.starts_at) > today for s in others
                                                                   if s not in past)
    actions = db.session.scalars(db.select(AgreedAction)).all()
    assert actions and all(is_school_day(a.due_date) for a in actions)
    assert is_school_day(db.session.scalar(db.select(CritiqueRound)).due_on)


def test_session_days_keep_the_order_and_move_past_days_back_and_future_days_on():
    christmas = date(2026, 12, 25)
    assert session_days(christmas, [-14, -6, 0, 9, 16, 30]) == [
        date(2026, 12, 11), date(2026, 12, 18), christmas, date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 25)]


def test_the_visit_in_progress_is_today_and_its_lesson_has_started(demo):
    visit = next(v for v in db.session.scalars(db.select(Visit)) if v.in_progress)
    assert visit.session.title.startswith("Year 8 ratio lesson")
    now = datetime.now(UTC)
    assert _day(visit.session.starts_at) == datetime.now(LONDON).date()
    assert visit.session.starts_at <= visit.lesson_started_at <= now
    assert visit.lesson_started_at <= now - timedelta(minutes=19) or to_london(now).hour == 0  # (began at 00:00)
    assert now <= visit.session.ends_at or to_london(now).hour == 23  # (the session ends by 23:55 on its day)
    assert visit.current_phase == "Anchor task"


def test_each_visit_follows_its_own_case_pupils_by_pseudonym(demo):
    visits = db.session.scalars(db.select(Visit)).all()
    labels = [{p.label for p in v.case_pupils} for v in visits]
    assert len(visits) == 3 and all(len(set_) == 3 for set_ in labels)
    assert len(set().union(*labels)) == 9  # no pseudonym shared between visits
    assert all(re.fullmatch(r"Pupil [A-Z]", label) for set_ in labels for label in set_)
    for visit in visits:  # observers follow, and write about, this visit's pupils only
        pupils = {p.label for p in visit.case_pupils}
        assert all(r.follows.label in pupils for r in visit.records)
        notes = [n for r in visit.records for n in record_content(r).notes]
        assert {n["pupil"] for n in notes if n["pupil"]} <= pupils
        other = set().union(*labels) - pupils
        assert not any(label in n["text"] for n in notes for label in other)


def test_the_demo_plan_draws_the_anchor_task_on_a_double_number_line_and_a_ratio_table(demo):
    from collab.maths.representations import check
    from collab.plans import richtext
    from collab.plans.services import document_state

    plan = db.session.query(LessonPlan).filter_by(title="Year 8: ratio tables and the double number line").one()
    drawings = [n for n in richtext.load(document_state(plan.document_id))
                if isinstance(n, richtext.Node) and n.tag == "representation"]
    assert [n.attrs["kind"] for n in drawings] == ["double-number-line", "ratio-table"]
    for drawing in drawings:
        check(drawing.attrs)
    assert "Double number line, Pencils and Cost (£): 0 with 0; 3 with 1.20" in richtext.to_text(
        richtext.load(document_state(plan.document_id)))
