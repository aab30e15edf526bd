"""Demo data: one Maths Hub with a realistic secondary Work Group (`flask collab demo`).

This module makes the hub, its schools, people and sessions, then adds each domain's content in order
(DOMAIN_CONTENT: plans.py, observations.py, discussions.py, devplans.py beside it). Demo accounts all use the
password DEMO_PASSWORD; README.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from collab.accounts.models import User
from collab.accounts.passwords import hash_password
from collab.activity.services import record
from collab.demo.devplans import add_demo_devplan
from collab.demo.discussions import add_demo_discussion
from collab.demo.observations import add_demo_visits
from collab.demo.plans import add_demo_plan
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
    sessions: list[GroupSession] = field(default_factory=list)


# Each domain's demo content, in the order it is added: a visit links the plan, a discussion follows a visit.
DOMAIN_CONTENT = (add_demo_plan, add_demo_visits, add_demo_discussion, add_demo_devplan)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in England as an aware datetime (right across the clock change)."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def _weekday(day: date) -> date:
    """Sessions happen on school days: a Saturday or Sunday moves to the Monday."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def load_demo(today: date | None = None) -> bool:
    """Load the demo into an empty database. Returns False (and changes nothing) if a hub already exists."""
    if db.session.query(Hub).first() is not None:
        return False
    today = today or date.today()
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

    demo = Demo(hub=hub, group=group, schools=schools, people=people)
    members = [people[email] for email, *_ in PEOPLE]
    secondary = [p for p in members if p.school.phase != Phase.PRIMARY]
    castle, riverside, northfield, _st_aidans, meadow = schools
    plans = [  # days from today, start, end, kind, title, host, place, agenda, invitees
        (-14, (9, 0), (12, 30), SessionKind.OBSERVATION, "Year 9 proportional reasoning: research lesson",
         northfield, "Maths department, room N12",
         "08:45 arrive and read the plan\n09:10 observe the research lesson\n10:15 post-lesson discussion",
         secondary),
        (3, (15, 45), (17, 15), SessionKind.PLANNING, "Co-planning: ratio tables and the double number line",
         castle, "Library seminar room",
         "Agree the anchor task\nSmall steps for the Year 8 lesson at Riverside\nAnticipate misconceptions",
         secondary),
        (10, (8, 45), (12, 30), SessionKind.OBSERVATION, "Year 8 ratio lesson: lesson observation visit",
         riverside, "Maths block, room M4",
         "Read the co-planned lesson\nObserve Year 8 (case pupils: Pupil A, Pupil B, Pupil C)\n"
         "Post-lesson discussion led by Sam", secondary),
        (17, (13, 15), (15, 30), SessionKind.TRANSITION, "KS2–KS3 transition: multiplication and division",
         meadow, "Year 6 classroom",
         "Observe a Year 6 lesson on scaling\nPlan together: what Year 7 builds on", members),
        (24, (16, 0), (17, 30), SessionKind.PLAN_CRITIQUE, "Critique of department development plans",
         None, "Online (link in the calendar invitation)",
         "Each department shares its development plan\nReviewers' questions in advance", secondary),
        (45, (9, 30), (12, 0), SessionKind.EXPLORING, "Exploring maths together: multiplicative structures",
         castle, "Room M1", "Bar models, ratio tables and the unitary method", secondary),
    ]
    lead = people["lead@example.org"]
    for days, start, end, kind, title, host, place, agenda, invitees in plans:
        day = _weekday(today + timedelta(days=days))
        session = GroupSession(work_group=group, kind=kind, title=title, host_school=host,
                               starts_at=_at(day, *start), ends_at=_at(day, *end), place=place, agenda=agenda,
                               created_by=lead)
        for person in invitees:
            response = Response.ATTENDING if days < 0 or person is lead else Response.AWAITING
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
