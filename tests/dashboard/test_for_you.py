"""The dashboard's "Happening now / for you" area, and "My next sessions" listing only my invitations."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from collab.devplans.plan import services as devplan_services
from collab.devplans.rounds import services as round_services
from collab.discussions.models import AgreedAction, DiscussionThread
from collab.extensions import db
from collab.groups.models import Role
from collab.plans.services import create_plan
from collab.sessions.models import Attendance
from collab.timeutil import london_to_utc, to_london
from collab.types import utcnow
from tests import factories
from tests.observations.helpers import make_visit, record_for
from tests.plans.conftest import type_paragraph


def _for_you(page: str) -> str:
    """The area's markup alone, so an assertion cannot be met by another part of the dashboard."""
    return re.search(r'<section class="panel for-you".*?</section>\s*\n\n<h2>My Work Groups', page, re.S)[0]


def _dashboard(client) -> str:
    return _for_you(client.get("/").get_data(as_text=True))


def _start_lesson(visit) -> None:
    visit.lesson_started_at = utcnow() - timedelta(minutes=10)
    db.session.commit()


def _reviewer(world):
    person = factories.user("reviewer@example.org", "Rosa Reviewer", world.school_a)
    factories.member(world.group, person, Role.ADVOCATE)
    return person


def _action(world, owner, text: str, due: date | None, done: bool = False) -> AgreedAction:
    session = factories.session(world.group, title="Research lesson", starts_in=timedelta(days=-7),
                                attendees=[world.lead] + ([owner] if owner is not world.lead else []))
    thread = DiscussionThread(session=session)
    action = AgreedAction(thread=thread, client_id=f"a-{text[:20]}", text=text, owner_id=owner.id, due_date=due,
                          done=done, created_by_id=world.lead.id)
    db.session.add(action)
    db.session.commit()
    return action


# --- the visit happening now --------------------------------------------------------------------------

def test_during_a_lesson_an_observer_gets_a_link_to_their_own_record(client, world, login_as):
    visit = make_visit(world)
    _start_lesson(visit)
    login_as(world.advocate)
    area = _dashboard(client)
    assert "Lesson in progress" in area
    assert f'href="/records/{record_for(visit, world.advocate).id}"' in area
    assert f'href="/records/{record_for(visit, world.colleague).id}"' not in area


def test_during_a_lesson_the_lead_gets_the_visit_room(client, world, login_as):
    visit = make_visit(world)
    _start_lesson(visit)
    login_as(world.lead)
    area = _dashboard(client)
    assert f'<a class="button" href="/visits/{visit.id}">Open the visit room</a>' in area
    assert "/records/" not in area


def test_todays_visit_is_shown_before_its_lesson_starts(client, world, login_as):
    visit = make_visit(world)
    # Later today, however late the test runs: in 30 minutes, or in the day's last minute (London) if that is sooner
    # (after 23:30, "in 30 minutes" is tomorrow, and the visit is rightly not today's).
    tomorrow = london_to_utc(datetime.combine(to_london(utcnow()).date() + timedelta(days=1), time.min))
    visit.session.starts_at = min(utcnow() + timedelta(minutes=30), tomorrow - timedelta(minutes=1))
    db.session.commit()
    login_as(world.advocate)
    area = _dashboard(client)
    assert "Today's visits" in area and f'href="/records/{record_for(visit, world.advocate).id}"' in area


def test_an_invited_observer_without_a_record_can_start_one_from_the_dashboard(client, world, login_as):
    visit = make_visit(world, observers=[(world.colleague, None)])
    visit.session.attendances.append(Attendance(user=world.advocate))
    _start_lesson(visit)
    login_as(world.advocate)
    area = _dashboard(client)
    assert f'action="/visits/{visit.id}/observe"' in area


def test_a_lesson_i_take_no_part_in_is_not_shown(client, world, login_as):
    visit = make_visit(world, observers=[(world.colleague, None)])
    _start_lesson(visit)
    login_as(world.advocate)
    assert f"/visits/{visit.id}" not in _dashboard(client)


def test_an_ended_lesson_next_week_is_not_happening_now(client, world, login_as):
    visit = make_visit(world)
    visit.lesson_started_at = utcnow() - timedelta(hours=2)
    visit.lesson_ended_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    login_as(world.advocate)
    assert f"/visits/{visit.id}" not in _dashboard(client)


def test_a_lesson_in_another_work_group_is_not_shown(client, world, login_as):
    other = factories.work_group(world.hub, "NCP24-55x", [world.school_a])
    factories.member(other, world.outsider, Role.LEAD)
    session = factories.session(other, title="Other group's lesson", starts_in=timedelta(minutes=5))
    from collab.observations.visits import services

    visit = services.set_up_visit(world.outsider, session, services.VisitSetup(
        plan_id=None, pupils=(), observers=(), share_notes_during=False))
    _start_lesson(visit)
    login_as(world.advocate)
    assert "Other group's lesson" not in client.get("/").get_data(as_text=True)


# --- reviews asked of me -------------------------------------------------------------------------------

def test_a_reviewer_sees_the_review_asked_of_them_with_its_due_date(client, world, login_as):
    reviewer = _reviewer(world)
    plan = devplan_services.create_plan(world.advocate, world.school_b.maths_department)
    round_ = round_services.open_round(world.advocate, plan, world.group, "Measurable?", date(2030, 3, 14))
    login_as(reviewer)
    area = _dashboard(client)
    assert "Reviews asked of you" in area and "Riverside School" in area and "Thu 14 Mar 2030" in area
    assert f'href="/devplans/{plan.id}/rounds/{round_.id}"' in area


def test_a_review_marked_done_is_no_longer_asked(client, world, login_as):
    reviewer = _reviewer(world)
    plan = devplan_services.create_plan(world.advocate, world.school_b.maths_department)
    round_ = round_services.open_round(world.advocate, plan, world.group, "Measurable?", date(2030, 3, 14))
    round_services.mark_reviewed(reviewer, round_)
    login_as(reviewer)
    assert "Reviews asked of you" not in _dashboard(client)


def test_the_plans_own_department_is_not_asked_to_review_it(client, world, login_as):
    _reviewer(world)
    plan = devplan_services.create_plan(world.advocate, world.school_b.maths_department)
    round_services.open_round(world.advocate, plan, world.group, "Measurable?", date(2030, 3, 14))
    login_as(world.colleague)  # Riverside, like the plan
    assert "Reviews asked of you" not in _dashboard(client)


# --- actions I own -------------------------------------------------------------------------------------

def test_my_actions_are_listed_with_their_dates_overdue_first(client, world, login_as):
    _action(world, world.advocate, "Try the bar model with Year 7", date.today() + timedelta(days=10))
    _action(world, world.advocate, "Share the anchor task", date.today() - timedelta(days=3))
    _action(world, world.advocate, "Read the NCETM guidance", None)
    login_as(world.advocate)
    area = _dashboard(client)
    assert (area.index("Share the anchor task") < area.index("Try the bar model with Year 7")
            < area.index("Read the NCETM guidance"))
    assert "Overdue" in area and "no due date" in area
    assert f"{(date.today() + timedelta(days=10)).day} " in area


def test_done_actions_and_other_peoples_actions_are_not_listed(client, world, login_as):
    _action(world, world.advocate, "Already done thing", date.today(), done=True)
    _action(world, world.lead, "The lead's own thing", date.today())
    login_as(world.advocate)
    area = _dashboard(client)
    assert "Already done thing" not in area and "The lead's own thing" not in area


# --- plans I edited recently ---------------------------------------------------------------------------

def test_a_lesson_plan_i_typed_in_is_among_my_recent_plans(client, world, login_as):
    plan = create_plan(world.lead, world.group, "Year 8 ratio: sharing in a ratio")
    type_paragraph(plan, "Use a bar model first.", world.advocate)
    login_as(world.advocate)
    area = _dashboard(client)
    assert "Plans you edited recently" in area and f'href="/plans/{plan.id}"' in area


def test_a_plan_i_never_edited_is_not_among_my_recent_plans(client, world, login_as):
    plan = create_plan(world.lead, world.group, "Year 8 ratio: sharing in a ratio")
    type_paragraph(plan, "Lead's words.", world.lead)
    login_as(world.advocate)
    assert f'href="/plans/{plan.id}"' not in _dashboard(client)


def test_my_departments_development_plan_i_started_is_among_my_recent_plans(client, world, login_as):
    plan = devplan_services.create_plan(world.advocate, world.school_b.maths_department)
    login_as(world.advocate)
    assert f'href="/devplans/{plan.id}"' in _dashboard(client)


# --- empty ---------------------------------------------------------------------------------------------

def test_with_nothing_for_me_the_area_says_so_in_a_line(client, world, login_as):
    login_as(world.advocate)
    area = _dashboard(client)
    assert "Nothing needs you right now" in area and "<h3" not in area


# --- my next sessions ----------------------------------------------------------------------------------

def test_my_next_sessions_lists_only_sessions_i_am_invited_to(client, world, login_as):
    factories.session(world.group, title="Invited research lesson", attendees=[world.advocate])
    factories.session(world.group, title="Leads only meeting", attendees=[world.lead])
    login_as(world.advocate)
    page = client.get("/").get_data(as_text=True)
    assert "Invited research lesson" in page and "Leads only meeting" not in page


def test_my_invited_sessions_are_soonest_first_and_link_to_their_page(client, world, login_as):
    later = factories.session(world.group, title="Later planning meeting", starts_in=timedelta(days=20),
                              attendees=[world.advocate])
    factories.session(world.group, title="Sooner research lesson", starts_in=timedelta(days=2),
                      attendees=[world.advocate])
    login_as(world.advocate)
    page = client.get("/").get_data(as_text=True)
    assert page.index("Sooner research lesson") < page.index("Later planning meeting")
    assert f'href="/sessions/{later.id}"' in page


def test_with_no_invitations_the_next_sessions_say_so(client, world, login_as):
    factories.session(world.group, title="Leads only meeting", attendees=[world.lead])
    login_as(world.advocate)
    assert "You are not invited to any upcoming session yet" in client.get("/").get_data(as_text=True)


def test_the_dashboard_queries_do_not_grow_with_the_number_of_items(client, world, login_as):
    from sqlalchemy import event

    def count_queries() -> int:
        statements: list[str] = []
        engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            client.get("/")
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    login_as(world.advocate)
    _action(world, world.advocate, "First thing", date.today())
    before = count_queries()
    for n in range(4):
        _action(world, world.advocate, f"Thing {n}", date.today())
        factories.session(world.group, title=f"Meeting {n}", attendees=[world.advocate])
    assert count_queries() <= before + 1
