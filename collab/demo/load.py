"""Demo data: one Maths Hub with a realistic secondary Work Group (`flask collab demo`).

This module makes the hub, its schools, people and sessions, then adds each domain's content in order
(DOMAIN_CONTENT: plans.py, observations.py, discussions.py, devplans.py, cycles.py, complete_cycle.py, delivery.py,
workspace.py, reports.py beside it). Demo accounts all use the password DEMO_PASSWORD; README.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from collab.accounts.models import User
from collab.accounts.passwords import hash_password
from collab.activity.services import record
from collab.demo.complete_cycle import add_demo_complete_cycle
from collab.demo.cycles import add_demo_cycle
from collab.demo.delivery import add_demo_school_plans
from collab.demo.devplans import add_demo_devplan
from collab.demo.discussions import add_demo_discussion
from collab.demo.observations import add_demo_visits
from collab.demo.plans import add_demo_plan
from collab.demo.reports import add_demo_register
from collab.demo.term_dates import next_school_day, previous_school_day
from collab.demo.workspace import add_demo_workspace
from collab.extensions import db
from collab.groups.models import (
    Department,
    Hub,
    JourneyPhase,
    Membership,
    Phase,
    Role,
    School,
    WorkGroup,
    WorkGroupSchool,
)
from collab.sessions.models import Attendance, GroupSession, Response, SessionKind
from collab.timeutil import LONDON, school_year

DEMO_PASSWORD = "collab-demo"  # noqa: S105  (demo data only, named in the README)

SCHOOLS = [  # name, URN, phase, town
    ("Castle Hill Academy", "137201", Phase.SECONDARY, "Wakefield"),
    ("Riverside School", "108452", Phase.SECONDARY, "Leeds"),
    ("Northfield High School", "136710", Phase.SECONDARY, "Bradford"),
    ("St Aidan's Church of England School", "121694", Phase.ALL_THROUGH, "Harrogate"),
    ("Meadow Lane Primary School", "107913", Phase.PRIMARY, "Leeds"),
]

PEOPLE = [  # email, name, school index, role in NCP24-14b (None: not a member)
    ("lead@example.org", "Sam Patel", 0, Role.LEAD),
    ("priya@example.org", "Priya Shah", 0, Role.LEAD_PARTICIPANT),
    ("jo@example.org", "Jo Whitaker", 1, Role.ADVOCATE),
    ("alex@example.org", "Alex Morgan", 1, Role.ADVOCATE),
    ("ben@example.org", "Ben Okoro", 2, Role.ADVOCATE),
    ("ruth@example.org", "Ruth Lindqvist", 2, Role.ADVOCATE),
    ("amir@example.org", "Amir Hussain", 3, Role.ADVOCATE),
    ("kate@example.org", "Kate Brennan", 3, Role.ADVOCATE),
    ("tom@example.org", "Tom Fairbairn", 1, Role.DEPARTMENT_COLLEAGUE),
    ("lucy@example.org", "Lucy Adeyemi", 4, Role.PRIMARY_COLLEAGUE),
    ("dan@example.org", "Dan Kowalski", 4, Role.PRIMARY_COLLEAGUE),
]
ADMIN = ("admin@example.org", "Hana Okafor")


@dataclass
class Demo:
    hub: Hub
    group: WorkGroup
    schools: list[School]
    people: dict[str, User]
    today: date
    sessions: list[GroupSession] = field(default_factory=list)


# Each domain's demo content, in the order it is added: a visit links the plan, a discussion follows a visit.
DOMAIN_CONTENT = (add_demo_plan, add_demo_visits, add_demo_discussion, add_demo_devplan, add_demo_cycle,
                  add_demo_complete_cycle, add_demo_school_plans, add_demo_workspace, add_demo_register)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in England as an aware datetime (right across the clock change)."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def session_days(today: date, offsets: list[int]) -> list[date]:
    """The day of each session, `offsets` days from today (in the order given, which is date order).

    Today's session (offset 0) is the visit in progress and stays today, even at a weekend or in the holidays: a
    demo must show a live visit. Every other session falls on a school day in term, at least a day after the one
    before it: a future date moves on to the next school day, a past one back to the last school day before it (so
    that the finished visit stays in the past).
    """
    days: dict[int, date] = {}
    later = today
    for offset in sorted((o for o in offsets if o < 0), reverse=True):
        later = days[offset] = previous_school_day(min(today + timedelta(days=offset), later - timedelta(days=1)))
    earlier = today
    for offset in sorted(o for o in offsets if o > 0):
        earlier = days[offset] = next_school_day(max(today + timedelta(days=offset), earlier + timedelta(days=1)))
    return [days.get(offset, today) for offset in offsets]


def _live_slot(today: date, now: datetime) -> tuple[datetime, datetime]:
    """Today's visit, which is in progress: it began about 45 minutes ago (the lesson about 20 minutes ago,
    observations.py), whatever the time of day, so that the calendar agrees with the live visit room."""
    began = now - timedelta(minutes=45)
    began = began.replace(minute=began.minute - began.minute % 5, second=0, microsecond=0)
    if now.date() != today:  # a test's chosen day: the usual morning visit
        return _at(today, 8, 45), _at(today, 12, 30)
    start = max(began, _at(today, 0))
    return start, min(start + timedelta(hours=3, minutes=45), _at(today, 23, 55))


def load_demo(today: date | None = None) -> bool:
    """Load the demo into an empty database. Returns False (and changes nothing) if a hub already exists."""
    if db.session.query(Hub).first() is not None:
        return False
    now = datetime.now(LONDON)
    today = today or now.date()
    password_hash = hash_password(DEMO_PASSWORD)

    hub = Hub(name="Yorkshire and the Humber Maths Hub")
    schools = []
    for name, urn, phase, town in SCHOOLS:
        school = School(hub=hub, name=name, urn=urn, phase=phase, town=town)
        if phase != Phase.PRIMARY:
            school.departments.append(Department(name="Mathematics"))
        schools.append(school)
    db.session.add_all([hub, *schools])

    group = WorkGroup(
        hub=hub, project_code="NCP24-14b", title="Developing fluency with multiplicative reasoning in KS3",
        focus="Focus B: Developing fluency with multiplicative reasoning in Key Stage 3",
        journey_phase=JourneyPhase.SUSTAINING, school_year=school_year(today),
        description="Secondary Teaching for Mastery Sustaining Work Group: lesson observation visits, "
                    "collaborative planning, a primary transition visit and critique of department plans.",
    )
    group.school_links = [WorkGroupSchool(school=s) for s in schools]
    db.session.add(group)

    people: dict[str, User] = {}
    for email, name, school_index, role in PEOPLE:
        school = schools[school_index]
        person = User(email=email, name=name, password_hash=password_hash, school=school,
                      department=school.maths_department, hub=hub)
        people[email] = person
        group.memberships.append(Membership(user=person, role=role))
    admin_email, admin_name = ADMIN
    people[admin_email] = User(email=admin_email, name=admin_name, password_hash=password_hash, hub=hub,
                               is_hub_admin=True)
    db.session.add_all(people.values())

    demo = Demo(hub=hub, group=group, schools=schools, people=people, today=today)
    members = [people[email] for email, *_ in PEOPLE]
    secondary = [p for p in members if p.school.phase != Phase.PRIMARY]
    castle, riverside, northfield, _st_aidans, meadow = schools
    plans = [  # days from today (in date order), start, end, kind, title, host, place, agenda, invitees
        (-14, (9, 0), (12, 30), SessionKind.OBSERVATION, "Year 9 proportional reasoning: research lesson",
         northfield, "Maths department, room N12",
         "09:00 arrive and read the plan\n09:10 observe the research lesson\n10:15 post-lesson discussion",
         secondary),
        (-6, (15, 45), (17, 15), SessionKind.PLANNING, "Co-planning: ratio tables and the double number line",
         castle, "Library seminar room",
         "Agree the anchor task\nSmall steps for the Year 8 lesson at Riverside\nAnticipate misconceptions",
         secondary),
        (0, None, None, SessionKind.OBSERVATION, "Year 8 ratio lesson: lesson observation visit",
         riverside, "Maths block, room M4",
         "Read the co-planned lesson\nObserve Year 8 (case pupils: Pupil D, Pupil E, Pupil F)\n"
         "Post-lesson discussion led by Sam", secondary),
        (9, (13, 15), (15, 30), SessionKind.TRANSITION, "KS2–KS3 transition: multiplication and division",
         meadow, "Year 6 classroom",
         "Observe a Year 6 lesson on scaling\nPlan together: what Year 7 builds on", members),
        (16, (16, 0), (17, 30), SessionKind.PLAN_CRITIQUE, "Critique of department development plans",
         None, "Online (link in the calendar invitation)",
         "Each department shares its development plan\nReviewers' questions in advance", secondary),
        (30, (9, 30), (12, 0), SessionKind.EXPLORING, "Exploring maths together: multiplicative structures",
         castle, "Room M1", "Bar models, ratio tables and the unitary method", secondary),
    ]
    lead = people["lead@example.org"]
    days = session_days(today, [offset for offset, *_ in plans])
    for day, (offset, start, end, kind, title, host, place, agenda, invitees) in zip(days, plans, strict=True):
        if start is None or end is None:  # the visit in progress
            starts_at, ends_at = _live_slot(today, now)
        else:
            starts_at, ends_at = _at(day, *start), _at(day, *end)
        session = GroupSession(work_group=group, kind=kind, title=title, host_school=host,
                               starts_at=starts_at, ends_at=ends_at, place=place, agenda=agenda,
                               created_by=lead)
        for person in invitees:
            response = Response.ATTENDING if offset <= 0 or person is lead else Response.AWAITING
            session.attendances.append(Attendance(user=person, response=response))
        db.session.add(session)
        demo.sessions.append(session)
    db.session.flush()
    for session in demo.sessions:
        record(group.id, lead, f"{lead.name} scheduled “{session.title}”", session)

    for add_content in DOMAIN_CONTENT:
        add_content(demo)
    db.session.commit()
    return True
